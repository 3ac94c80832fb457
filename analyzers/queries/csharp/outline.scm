; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.

(method_declaration returns: (_) @return_type name: (identifier) @name
  parameters: (parameter_list) @parameters body: (block)? @body) @function
(constructor_declaration name: (identifier) @name parameters: (parameter_list) @parameters
  body: (block) @body) @function
(class_declaration name: (identifier) @name body: (declaration_list) @body) @class

(parameter_list (parameter type: (_) @param.type name: (identifier) @param.name) @param)
(throw_statement (object_creation_expression type: (_) @raise))
(return_statement (_)) @return
(yield_statement) @yield

; @call: the callee of a call made in the definition.
(invocation_expression function: (_) @call)
(object_creation_expression type: (_) @call)
