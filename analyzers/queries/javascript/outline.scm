; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.

(function_declaration name: (identifier) @name parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @function
(generator_function_declaration name: (identifier) @name parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @function
(method_definition name: (_) @name parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @function
(class_declaration name: (_) @name body: (class_body) @body) @class

(formal_parameters (identifier) @param.name @param)
(formal_parameters (assignment_pattern left: (identifier) @param.name right: (_) @param.default) @param)

(throw_statement (new_expression constructor: (_) @raise))
(return_statement (_)) @return
(yield_expression) @yield

; @call: the callee of a call made in the definition.
(call_expression function: (_) @call)
(new_expression constructor: (_) @call)
