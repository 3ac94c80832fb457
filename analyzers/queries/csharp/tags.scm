; Definitions and references for the context builder's symbol map; see python/tags.scm.

(class_declaration name: (identifier) @name) @definition.class

(struct_declaration name: (identifier) @name) @definition.class

(record_declaration name: (identifier) @name) @definition.class

(enum_declaration name: (identifier) @name) @definition.class

(interface_declaration name: (identifier) @name) @definition.interface

(method_declaration name: (identifier) @name) @definition.method

(constructor_declaration name: (identifier) @name) @definition.method

(local_function_statement name: (identifier) @name) @definition.function

(invocation_expression function: (identifier) @name) @reference.call

(invocation_expression function: (member_access_expression name: (identifier) @name)) @reference.call

(object_creation_expression type: (identifier) @name) @reference.type

(base_list (identifier) @name) @reference.type

(parameter type: (identifier) @name) @reference.type
