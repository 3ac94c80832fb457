; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(interpreted_string_literal) (raw_string_literal)] @string
(comment) @comment

(const_spec
  name: (identifier) @name
  value: (expression_list . [(interpreted_string_literal) (raw_string_literal)] @value .))
(var_spec
  name: (identifier) @name
  value: (expression_list . [(interpreted_string_literal) (raw_string_literal)] @value .))
(short_var_declaration
  left: (expression_list . (identifier) @name .)
  right: (expression_list . [(interpreted_string_literal) (raw_string_literal)] @value .))
(assignment_statement
  left: (expression_list . [(identifier) @name (selector_expression field: (field_identifier) @name)] .)
  right: (expression_list . [(interpreted_string_literal) (raw_string_literal)] @value .))
(keyed_element
  key: (literal_element [(identifier) (interpreted_string_literal)] @name)
  value: (literal_element [(interpreted_string_literal) (raw_string_literal)] @value))
