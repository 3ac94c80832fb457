;; Literals and comments, masked before lines are compared by shape (ACC002).
(string) @string
(template_string) @string
(comment) @comment
