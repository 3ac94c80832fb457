; Cyclomatic complexity as lizard counts it: 1 + the condition tokens inside the function.
; Captures (see accord.analyzers.complexity.counting): @function counts on its own, nested or
; not; @decision adds 1; nothing inside an @opaque node counts.

; Lambdas, local functions and property accessors fold into (or stay outside) methods.
[(method_declaration) (constructor_declaration) (destructor_declaration)
 (operator_declaration) (conversion_operator_declaration)] @function

["if" "for" "while" "catch" "case" "&&" "||" "?" "??" "??="] @decision

; lizard counts no `?` in a signature (`string? M(int? a)`) nor in type arguments.
(method_declaration returns: (_) @opaque)
(parameter_list) @opaque
(type_argument_list) @opaque
