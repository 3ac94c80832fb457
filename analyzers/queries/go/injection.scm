; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((call_expression
   function: (selector_expression field: (field_identifier) @callee)
   arguments: (argument_list . [(binary_expression)
     (call_expression
       function: (selector_expression operand: (identifier) @_fmt field: (field_identifier) @_sprintf))] @arg)) @call
 (#eq? @_fmt "fmt")
 (#eq? @_sprintf "Sprintf")
 (#any-of? @callee "Query" "QueryRow" "Exec" "Prepare")
 (#set! message "SQL built from values can be injected: use placeholders and pass the values as arguments, e.g. db.Query(\"... WHERE id = $1\", id)"))

; The same with comments before the first argument.
((call_expression
   function: (selector_expression field: (field_identifier) @callee)
   arguments: (argument_list . (comment)+ . [(binary_expression)
     (call_expression
       function: (selector_expression operand: (identifier) @_fmt field: (field_identifier) @_sprintf))] @arg)) @call
 (#eq? @_fmt "fmt")
 (#eq? @_sprintf "Sprintf")
 (#any-of? @callee "Query" "QueryRow" "Exec" "Prepare")
 (#set! message "SQL built from values can be injected: use placeholders and pass the values as arguments, e.g. db.Query(\"... WHERE id = $1\", id)"))

((call_expression
   function: (selector_expression field: (field_identifier) @callee)
   arguments: (argument_list (_) . [(binary_expression)
     (call_expression
       function: (selector_expression operand: (identifier) @_fmt field: (field_identifier) @_sprintf))] @arg)) @call
 (#eq? @_fmt "fmt")
 (#eq? @_sprintf "Sprintf")
 (#any-of? @callee "QueryContext" "QueryRowContext" "ExecContext" "PrepareContext")
 (#set! message "SQL built from values can be injected: use placeholders and pass the values as arguments, e.g. db.QueryContext(ctx, \"... WHERE id = $1\", id)"))

((call_expression
   function: (selector_expression operand: (identifier) @_exec field: (field_identifier) @callee)
   arguments: (argument_list
     (interpreted_string_literal) @_shell . (interpreted_string_literal) @_flag . (_) @arg)) @call
 (#eq? @_exec "exec")
 (#any-of? @callee "Command" "CommandContext")
 (#match? @_shell "^\"(/usr)?(/bin/)?(ba|z|da)?sh\"$")
 (#eq? @_flag "\"-c\"")
 (#set! message "exec.Command(\"sh\", \"-c\", command) hands a computed command to the shell: run the program directly, e.g. exec.Command(\"ls\", path)"))
