; Public signatures: exported functions and classes and the methods of exported classes.
; @definition, @name, @params as in python/signatures.scm.
(export_statement declaration: (function_declaration name: (_) @name parameters: (_) @params) @definition)
(export_statement declaration: (generator_function_declaration name: (_) @name parameters: (_) @params) @definition)
(export_statement declaration: (class_declaration name: (_) @name) @definition)
(export_statement declaration: (class_declaration body: (class_body (method_definition name: (_) @name parameters: (_) @params) @definition)))
(export_statement declaration: (lexical_declaration (variable_declarator name: (_) @name value: (arrow_function parameters: (_) @params)) @definition))
