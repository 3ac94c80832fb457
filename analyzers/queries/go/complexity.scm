; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Function literals count on their own.
[(function_declaration) (method_declaration) (func_literal)] @function

["if" "for" "case" "&&" "||"] @decision
