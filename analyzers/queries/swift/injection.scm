; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((call_expression
   (simple_identifier) @callee
   (call_suffix (value_arguments
     (value_argument name: (value_argument_label (simple_identifier) @_format) value: (_) @arg)))) @call
 (#eq? @callee "NSExpression")
 (#eq? @_format "format")
 (#set! message "NSExpression(format:) of an interpolated string parses the values as expression code: keep the format constant and pass the values as arguments (%@)"))

((assignment
   target: (directly_assignable_expression
     (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @callee)))
   result: (array_literal (line_string_literal) @_flag . (_) @arg)) @call
 (#eq? @callee "arguments")
 (#eq? @_flag "\"-c\"")
 (#set! message "A Process run with [\"-c\", command] hands a computed command to the shell: set executableURL to the program and pass each value as its own argument"))
