; ACC003 hard-coded secrets. @string: literals scanned for known key formats; @comment: comments,
; scanned the same way; @name + @value: a literal given to a name (checked for a random value).

(string) @string
(comment) @comment

(assignment left: (identifier) @name right: (string) @value)
(assignment left: (attribute attribute: (identifier) @name) right: (string) @value)
(keyword_argument name: (identifier) @name value: (string) @value)
(pair key: (string) @name value: (string) @value)
(default_parameter name: (identifier) @name value: (string) @value)
(typed_default_parameter name: (identifier) @name value: (string) @value)
