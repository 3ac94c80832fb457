; Definitions and references for the context builder's symbol map (accord.agents.context.symbols).
; Each pattern captures the whole definition or reference as @definition.<kind> or
; @reference.<kind>, and the identifier it is known by as @name. When one name is captured as
; several kinds, the most specific wins (a method over a function).

(class_definition name: (identifier) @name) @definition.class

(function_definition name: (identifier) @name) @definition.function

(class_definition
  body: (block (function_definition name: (identifier) @name) @definition.method))

(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition name: (identifier) @name) @definition.method)))

(call function: (identifier) @name) @reference.call

(call function: (attribute attribute: (identifier) @name)) @reference.call

(class_definition superclasses: (argument_list (identifier) @name) @reference.type)

(type (identifier) @name) @reference.type
