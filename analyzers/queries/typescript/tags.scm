;; inherits: javascript
;; Definitions and references for the context builder's symbol map; see python/tags.scm.
;; TypeScript adds declarations without bodies, interfaces, type aliases and enums to
;; JavaScript's, and names types where it uses them.

(function_signature name: (identifier) @name) @definition.function

(abstract_class_declaration name: (type_identifier) @name) @definition.class

(interface_declaration name: (type_identifier) @name) @definition.interface

(type_alias_declaration name: (type_identifier) @name) @definition.type

(enum_declaration name: (identifier) @name) @definition.class

(method_signature name: (property_identifier) @name) @definition.method

(abstract_method_signature name: (property_identifier) @name) @definition.method

(extends_clause value: (identifier) @name) @reference.type

(type_identifier) @name @reference.type
