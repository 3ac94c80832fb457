; Definitions and references for the context builder's symbol map; see python/tags.scm.
; Swift's class_declaration covers classes, structs, enums, extensions and actors.

(class_declaration name: (type_identifier) @name) @definition.class

(protocol_declaration name: (type_identifier) @name) @definition.interface

(function_declaration name: (simple_identifier) @name) @definition.function

(class_body (function_declaration name: (simple_identifier) @name) @definition.method)

(protocol_body (protocol_function_declaration name: (simple_identifier) @name) @definition.method)

(call_expression (simple_identifier) @name) @reference.call

(call_expression
  (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name))) @reference.call

(user_type (type_identifier) @name) @reference.type
