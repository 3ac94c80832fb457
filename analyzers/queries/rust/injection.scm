; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((call_expression
   function: (field_expression
     value: (call_expression
       function: (field_expression
         value: (call_expression
           function: (scoped_identifier path: (identifier) @_command name: (identifier) @_new)
           arguments: (arguments . (string_literal) @_shell))
         field: (field_identifier) @_arg)
       arguments: (arguments . (string_literal) @_flag))
     field: (field_identifier) @callee)
   arguments: (arguments . (_) @arg)) @call
 (#eq? @_command "Command")
 (#eq? @_new "new")
 (#match? @_shell "^\"(/usr)?(/bin/)?(ba|z|da)?sh\"$")
 (#eq? @_arg "arg")
 (#eq? @_flag "\"-c\"")
 (#eq? @callee "arg")
 (#set! message "Command::new(\"sh\").arg(\"-c\") with a computed command hands it to the shell: run the program directly, Command::new(\"ls\").arg(path)"))
