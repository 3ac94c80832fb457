; Definitions and references for the context builder's symbol map; see python/tags.scm.

(function_item name: (identifier) @name) @definition.function

(declaration_list (function_item name: (identifier) @name) @definition.method)

(function_signature_item name: (identifier) @name) @definition.method

(struct_item name: (type_identifier) @name) @definition.class

(enum_item name: (type_identifier) @name) @definition.class

(union_item name: (type_identifier) @name) @definition.class

(trait_item name: (type_identifier) @name) @definition.interface

(call_expression function: (identifier) @name) @reference.call

(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call

(call_expression function: (scoped_identifier name: (identifier) @name)) @reference.call

(macro_invocation macro: (identifier) @name) @reference.call

(type_identifier) @name @reference.type
