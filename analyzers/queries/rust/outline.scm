; Outline of definitions, for the agent actions; captures as in queries/python/outline.scm.
; A Result return type is the declared error result; a panic! is raised.

(function_item name: (identifier) @name parameters: (parameters) @parameters
  return_type: (_)? @return_type body: (block) @body) @function
(struct_item name: (type_identifier) @name) @class

(parameters (parameter pattern: (identifier) @param.name type: (_) @param.type) @param)
(function_item return_type: (generic_type type: (type_identifier) @error_result)
  (#eq? @error_result "Result"))
(macro_invocation macro: (identifier) @raise (#any-of? @raise "panic" "unimplemented" "todo"))
(return_expression (_)) @return

; @call: the callee of a call made in the definition.
(call_expression function: (_) @call)
(macro_invocation macro: (_) @call)
