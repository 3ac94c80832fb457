; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(line_string_literal) (multi_line_string_literal) (raw_string_literal)] @string
[(comment) (multiline_comment)] @comment

(property_declaration
  name: (pattern bound_identifier: (simple_identifier) @name)
  value: [(line_string_literal) (multi_line_string_literal) (raw_string_literal)] @value)
(assignment
  target: (directly_assignable_expression
    [(simple_identifier) @name
     (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name))])
  result: [(line_string_literal) (multi_line_string_literal) (raw_string_literal)] @value)
(value_argument
  name: (value_argument_label (simple_identifier) @name)
  value: [(line_string_literal) (multi_line_string_literal) (raw_string_literal)] @value)
