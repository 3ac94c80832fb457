;; Literals and comments, masked before lines are compared by shape (ACC002).
(interpreted_string_literal) @string
(raw_string_literal) @string
(rune_literal) @string
(comment) @comment
