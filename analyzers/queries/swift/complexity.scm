; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Closures fold into their function; computed properties are not functions to lizard.
[(function_declaration) (init_declaration) (deinit_declaration)] @function

["if" "for" "while" "guard" "case" "&&" "||" (catch_keyword)] @decision
; Only the ternary's `?`: lizard reads `Int?`, `a?.b` and `??` as other tokens.
(ternary_expression "?" @decision)
