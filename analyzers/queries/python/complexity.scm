; Cyclomatic complexity as mccabe 0.7.0 (flake8, ruff C901) counts it.
; Captures: @function opens a function counted on its own; @closure is a function that, inside
; another function, folds into it (+1, and its decisions count there); @decision adds 1;
; nothing inside an @opaque node counts.

(function_definition) @closure

(if_statement) @decision
(elif_clause) @decision
(for_statement) @decision
(while_statement) @decision
; A try adds 1, and 1 more per handler; its `finally` block is never visited.
(try_statement) @decision
(except_clause) @decision
(finally_clause) @opaque

; mccabe treats `match` and `try ... except*` as plain statements: nothing inside them counts.
(match_statement) @opaque
(try_statement (except_clause . "except" . "*")) @opaque
