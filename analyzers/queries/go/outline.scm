; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.

(function_declaration name: (identifier) @name parameters: (parameter_list) @parameters
  result: (_)? @return_type body: (block) @body) @function
(method_declaration name: (field_identifier) @name parameters: (parameter_list) @parameters
  result: (_)? @return_type body: (block) @body) @function
(type_declaration (type_spec name: (type_identifier) @name type: (struct_type) @body)) @class

(function_declaration parameters: (parameter_list (parameter_declaration name: (identifier) @param.name type: (_) @param.type) @param))
(method_declaration parameters: (parameter_list (parameter_declaration name: (identifier) @param.name type: (_) @param.type) @param))
(function_declaration result: [(type_identifier) @error_result
  (parameter_list (parameter_declaration type: (type_identifier) @error_result))]
  (#eq? @error_result "error"))
(method_declaration result: [(type_identifier) @error_result
  (parameter_list (parameter_declaration type: (type_identifier) @error_result))]
  (#eq? @error_result "error"))
(return_statement (_)) @return

; @call: the callee of a call made in the definition.
(call_expression function: (_) @call)
