; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

[(string) (template_string)] @string
(comment) @comment

(variable_declarator name: (identifier) @name value: [(string) (template_string)] @value)
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: [(string) (template_string)] @value)
(assignment_pattern left: (identifier) @name right: [(string) (template_string)] @value)
(required_parameter pattern: (identifier) @name value: [(string) (template_string)] @value)
(optional_parameter pattern: (identifier) @name value: [(string) (template_string)] @value)
(pair key: [(property_identifier) (string)] @name value: [(string) (template_string)] @value)
(public_field_definition
  name: (property_identifier) @name value: [(string) (template_string)] @value)
