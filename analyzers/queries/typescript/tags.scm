; Definitions and references for the context builder's symbol map; see python/tags.scm.
; Written out rather than inherited: TypeScript names classes with type_identifier, so
; JavaScript's class patterns would not compile against this grammar.

(function_declaration name: (identifier) @name) @definition.function

(generator_function_declaration name: (identifier) @name) @definition.function

(function_signature name: (identifier) @name) @definition.function

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)]) @definition.function

(class_declaration name: (type_identifier) @name) @definition.class

(abstract_class_declaration name: (type_identifier) @name) @definition.class

(interface_declaration name: (type_identifier) @name) @definition.interface

(type_alias_declaration name: (type_identifier) @name) @definition.type

(enum_declaration name: (identifier) @name) @definition.class

(method_definition name: (property_identifier) @name) @definition.method

(method_signature name: (property_identifier) @name) @definition.method

(abstract_method_signature name: (property_identifier) @name) @definition.method

(call_expression function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression property: (property_identifier) @name)) @reference.call

(new_expression constructor: (identifier) @name) @reference.type

(type_identifier) @name @reference.type
