; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Every function form is a function of its own; nested ones do not count toward their parent.
[(function_declaration) (function_expression) (generator_function_declaration)
 (generator_function) (arrow_function) (method_definition)] @function

["if" "for" "while" "catch" "case" "&&" "||"] @decision
; The conditional's `?`; lizard skips the optional marks of `x?: T` in signatures.
(ternary_expression "?" @decision)
"??" @decision
; A default value in a parameter list or a destructuring pattern (`(a = 1) =>`, `{b = 2} = o`).
[(assignment_pattern) (object_assignment_pattern)] @decision
[(required_parameter value: (_)) (optional_parameter value: (_))] @decision
; lizard's tokens: `.catch(...)` reads as the keyword; a template's `${...}` is skipped whole.
((property_identifier) @decision (#eq? @decision "catch"))
(template_substitution) @opaque
