; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.
; A `throws` declaration is the declared error result.

(function_declaration name: (simple_identifier) @name body: (function_body) @body) @function
(function_declaration name: [(user_type) (optional_type) (array_type) (dictionary_type) (tuple_type)] @return_type)
(function_declaration (throws) @error_result)
(class_declaration name: (type_identifier) @name body: (_) @body) @class

(parameter name: (simple_identifier) @param.name
  name: (_) @param.type) @param
(control_transfer_statement (throw_keyword) . (_) @raise)
(control_transfer_statement result: (_)) @return

; @call: the callee of a call made in the definition.
(call_expression . (_) @call)
