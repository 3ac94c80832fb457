;; Literals and comments, masked before lines are compared by shape (ACC002).
(string) @string
(comment) @comment
