; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Lambdas fold into their function (lizard's reading of `{ x -> ... }` is a known difference).
[(function_declaration) (secondary_constructor) (anonymous_function) (getter) (setter)] @function

["if" "for" "while" "catch" "&&" "||" "?:"] @decision
; Every `when` branch after the first.
(when_expression (when_entry) (when_entry) @decision)
