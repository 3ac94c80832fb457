;; Literals and comments, masked before lines are compared by shape (ACC002).
(line_string_literal) @string
(multi_line_string_literal) @string
(raw_string_literal) @string
(comment) @comment
(multiline_comment) @comment
