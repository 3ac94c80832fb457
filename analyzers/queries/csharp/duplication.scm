;; Literals and comments, masked before lines are compared by shape (ACC002).
(string_literal) @string
(verbatim_string_literal) @string
(raw_string_literal) @string
(interpolated_string_expression) @string
(character_literal) @string
(comment) @comment
