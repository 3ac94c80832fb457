; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.

(function_declaration name: (identifier) @name (function_value_parameters) @parameters
  (function_body) @body) @function
(function_declaration (function_value_parameters) . (_) @return_type . (function_body))
(class_declaration name: (identifier) @name (class_body)? @body) @class

(function_value_parameters (parameter . (identifier) @param.name . (_) @param.type) @param)
(throw_expression (call_expression . (identifier) @raise))
(return_expression (_)) @return

; @call: the callee of a call made in the definition.
(call_expression . (_) @call)
