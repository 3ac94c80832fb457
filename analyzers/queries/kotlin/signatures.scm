; Public signatures: Kotlin is public by default; private and internal declarations are @hidden.
; @definition, @name, @params as in python/signatures.scm.
(function_declaration name: (identifier) @name (function_value_parameters) @params) @definition
(class_declaration name: (identifier) @name) @definition
((function_declaration (modifiers (visibility_modifier) @hidden-name)) @hidden (#match? @hidden-name "private|internal"))
((class_declaration (modifiers (visibility_modifier) @hidden-name)) @hidden (#match? @hidden-name "private|internal"))
