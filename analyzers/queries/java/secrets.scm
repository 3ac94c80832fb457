; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

(string_literal) @string
[(line_comment) (block_comment)] @comment

(variable_declarator name: (identifier) @name value: (string_literal) @value)
(assignment_expression
  left: [(identifier) @name (field_access field: (identifier) @name)]
  right: (string_literal) @value)
(element_value_pair key: (identifier) @name value: (string_literal) @value)
