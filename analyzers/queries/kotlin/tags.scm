; Definitions and references for the context builder's symbol map; see python/tags.scm.

(class_declaration name: (identifier) @name) @definition.class

(object_declaration name: (identifier) @name) @definition.class

(function_declaration name: (identifier) @name) @definition.function

(class_body (function_declaration name: (identifier) @name) @definition.method)

(call_expression (identifier) @name) @reference.call

(call_expression (navigation_expression (identifier) @name .)) @reference.call

(user_type (identifier) @name) @reference.type
