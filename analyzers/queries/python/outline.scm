; Outline of definitions, for the agent actions (agents/actions/outline.py). Captures:
; @function / @class: a definition; @name its name; @parameters its parameter list;
; @return_type its declared result; @body its body; @param + @param.name/@param.type/
; @param.default: one parameter; @raise: an exception type thrown; @return: a return with a
; value; @yield: a generator's yield; @error_result: a declared error result (Go).

(function_definition name: (identifier) @name parameters: (parameters) @parameters
  return_type: (_)? @return_type body: (block) @body) @function
(class_definition name: (identifier) @name body: (block) @body) @class

(parameters (identifier) @param.name @param)
(parameters (typed_parameter (identifier) @param.name type: (type) @param.type) @param)
(parameters (default_parameter name: (identifier) @param.name value: (_) @param.default) @param)
(parameters (typed_default_parameter name: (identifier) @param.name type: (type) @param.type
  value: (_) @param.default) @param)

(raise_statement [(call function: [(identifier) (attribute)] @raise) (identifier) @raise (attribute) @raise])
(return_statement (_)) @return
(yield) @yield

; @call: the callee of a call made in the definition.
(call function: (_) @call)
