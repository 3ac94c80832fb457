; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Closures fold into their function; an `fn` inside another counts on its own.
(function_item) @function

["if" "for" "while" "where" "&&" "||" "?"] @decision
; Every match arm after the first, and `let ... else`.
(match_block (match_arm) (match_arm) @decision)
(let_declaration "else" @decision)
