;; Literals and comments, masked before lines are compared by shape (ACC002).
(string_literal) @string
(multiline_string_literal) @string
(character_literal) @string
(line_comment) @comment
(block_comment) @comment
