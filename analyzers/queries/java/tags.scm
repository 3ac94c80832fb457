; Definitions and references for the context builder's symbol map; see python/tags.scm.

(class_declaration name: (identifier) @name) @definition.class

(enum_declaration name: (identifier) @name) @definition.class

(record_declaration name: (identifier) @name) @definition.class

(interface_declaration name: (identifier) @name) @definition.interface

(method_declaration name: (identifier) @name) @definition.method

(constructor_declaration name: (identifier) @name) @definition.method

(method_invocation name: (identifier) @name) @reference.call

(type_identifier) @name @reference.type
