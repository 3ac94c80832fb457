; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(string_literal) (multiline_string_literal)] @string
[(line_comment) (block_comment)] @comment

(property_declaration
  (variable_declaration (identifier) @name) [(string_literal) (multiline_string_literal)] @value)
(assignment
  left: [(identifier) @name (navigation_expression (identifier) @name .)]
  right: [(string_literal) (multiline_string_literal)] @value)
(value_argument (identifier) @name [(string_literal) (multiline_string_literal)] @value)
(class_parameter (identifier) @name [(string_literal) (multiline_string_literal)] @value)
(function_value_parameters
  (parameter (identifier) @name) . [(string_literal) (multiline_string_literal)] @value)
