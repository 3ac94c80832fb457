; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.

(method_declaration type: (_) @return_type name: (identifier) @name
  parameters: (formal_parameters) @parameters body: (block) @body) @function
(constructor_declaration name: (identifier) @name parameters: (formal_parameters) @parameters
  body: (constructor_body) @body) @function
(class_declaration name: (identifier) @name body: (class_body) @body) @class
(interface_declaration name: (identifier) @name body: (interface_body) @body) @class

(formal_parameters (formal_parameter type: (_) @param.type name: (identifier) @param.name) @param)
(throws (_) @raise)
(throw_statement (object_creation_expression type: (_) @raise))
(return_statement (_)) @return

; @call: the callee of a call made in the definition.
(method_invocation name: (identifier) @call)
(object_creation_expression type: (_) @call)
