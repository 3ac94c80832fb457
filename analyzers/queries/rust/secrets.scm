; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(string_literal) (raw_string_literal)] @string
[(line_comment) (block_comment)] @comment

(let_declaration pattern: (identifier) @name value: [(string_literal) (raw_string_literal)] @value)
(const_item name: (identifier) @name value: [(string_literal) (raw_string_literal)] @value)
(static_item name: (identifier) @name value: [(string_literal) (raw_string_literal)] @value)
(field_initializer
  field: (field_identifier) @name value: [(string_literal) (raw_string_literal)] @value)
(assignment_expression
  left: [(identifier) @name (field_expression field: (field_identifier) @name)]
  right: [(string_literal) (raw_string_literal)] @value)
