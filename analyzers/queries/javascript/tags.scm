; Definitions and references for the context builder's symbol map; see python/tags.scm.

(function_declaration name: (identifier) @name) @definition.function

(generator_function_declaration name: (identifier) @name) @definition.function

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)]) @definition.function

(class_declaration name: (identifier) @name) @definition.class

(method_definition name: (property_identifier) @name) @definition.method

(call_expression function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression property: (property_identifier) @name)) @reference.call

(new_expression constructor: (identifier) @name) @reference.type

(class_heritage (identifier) @name) @reference.type
