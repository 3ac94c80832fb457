; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Lambdas fold into their method; methods of anonymous and local classes count on their own.
[(method_declaration) (constructor_declaration) (compact_constructor_declaration)] @function

["if" "for" "while" "catch" "case" "&&" "||"] @decision
; The conditional's `?`, not the wildcard of `List<?>` (lizard skips type arguments).
(ternary_expression "?" @decision)
