; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(string_literal) (verbatim_string_literal) (raw_string_literal) (interpolated_string_expression)] @string
(comment) @comment

(variable_declarator
  name: (identifier) @name
  [(string_literal) (verbatim_string_literal) (raw_string_literal)] @value)
(assignment_expression
  left: [(identifier) @name (member_access_expression name: (identifier) @name)]
  right: [(string_literal) (verbatim_string_literal) (raw_string_literal)] @value)
(argument
  name: (identifier) @name
  [(string_literal) (verbatim_string_literal) (raw_string_literal)] @value)
(property_declaration
  name: (identifier) @name
  value: [(string_literal) (verbatim_string_literal) (raw_string_literal)] @value)
