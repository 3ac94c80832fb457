; Public signatures: public classes, interfaces, methods and constructors.
; @definition, @name, @params as in python/signatures.scm.
(class_declaration (modifiers "public") name: (identifier) @name) @definition
(interface_declaration (modifiers "public") name: (identifier) @name) @definition
(method_declaration (modifiers "public") name: (identifier) @name parameters: (formal_parameters) @params) @definition
(constructor_declaration (modifiers "public") name: (identifier) @name parameters: (formal_parameters) @params) @definition
