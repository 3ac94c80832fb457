; Definitions and references for the context builder's symbol map; see python/tags.scm.

(function_declaration name: (identifier) @name) @definition.function

(generator_function_declaration name: (identifier) @name) @definition.function

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)]) @definition.function

(class_declaration name: (_) @name) @definition.class

(method_definition name: (property_identifier) @name) @definition.method

(call_expression function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression property: (property_identifier) @name)) @reference.call

(new_expression constructor: (identifier) @name) @reference.type

; TypeScript's class_heritage holds clauses, not names: the predicate keeps plain names only.
((class_heritage (_) @name) @reference.type
  (#match? @name "^[A-Za-z_$][A-Za-z0-9_$]*$"))
