; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((method_invocation
   object: (method_invocation object: (identifier) @_runtime name: (identifier) @_get)
   name: (identifier) @callee
   arguments: (argument_list . [(binary_expression)
     (method_invocation object: (identifier) @_string name: (identifier) @_format)
     (method_invocation object: (string_literal) name: (identifier) @_formatted)] @arg)) @call
 (#eq? @_string "String")
 (#any-of? @_format "format" "join")
 (#eq? @_formatted "formatted")
 (#eq? @_runtime "Runtime")
 (#eq? @_get "getRuntime")
 (#eq? @callee "exec")
 (#set! message "Runtime.exec() of a command built from strings splits it unpredictably and may reach a shell: use new ProcessBuilder(List.of(\"ls\", path))"))

; The same with comments before the first argument.
((method_invocation
   object: (method_invocation object: (identifier) @_runtime name: (identifier) @_get)
   name: (identifier) @callee
   arguments: (argument_list . [(line_comment) (block_comment)]+ . [(binary_expression)
     (method_invocation object: (identifier) @_string name: (identifier) @_format)
     (method_invocation object: (string_literal) name: (identifier) @_formatted)] @arg)) @call
 (#eq? @_string "String")
 (#any-of? @_format "format" "join")
 (#eq? @_formatted "formatted")
 (#eq? @_runtime "Runtime")
 (#eq? @_get "getRuntime")
 (#eq? @callee "exec")
 (#set! message "Runtime.exec() of a command built from strings splits it unpredictably and may reach a shell: use new ProcessBuilder(List.of(\"ls\", path))"))

((object_creation_expression
   type: (type_identifier) @callee
   arguments: (argument_list (string_literal) @_flag . (_) @arg)) @call
 (#eq? @callee "ProcessBuilder")
 (#eq? @_flag "\"-c\"")
 (#set! message "ProcessBuilder(\"sh\", \"-c\", command) hands a computed command to the shell: run the program directly with its arguments as separate strings"))

((method_invocation
   name: (identifier) @callee
   arguments: (argument_list . [(binary_expression)
     (method_invocation object: (identifier) @_string name: (identifier) @_format)
     (method_invocation object: (string_literal) name: (identifier) @_formatted)] @arg)) @call
 (#eq? @_string "String")
 (#any-of? @_format "format" "join")
 (#eq? @_formatted "formatted")
 (#any-of? @callee "execute" "executeQuery" "executeUpdate" "executeLargeUpdate" "addBatch" "prepareStatement" "prepareCall" "createQuery" "createNativeQuery")
 (#set! message "SQL built from values can be injected: use a PreparedStatement with ? placeholders and setString()/setInt() for the values"))

; The same with comments before the first argument.
((method_invocation
   name: (identifier) @callee
   arguments: (argument_list . [(line_comment) (block_comment)]+ . [(binary_expression)
     (method_invocation object: (identifier) @_string name: (identifier) @_format)
     (method_invocation object: (string_literal) name: (identifier) @_formatted)] @arg)) @call
 (#eq? @_string "String")
 (#any-of? @_format "format" "join")
 (#eq? @_formatted "formatted")
 (#any-of? @callee "execute" "executeQuery" "executeUpdate" "executeLargeUpdate" "addBatch" "prepareStatement" "prepareCall" "createQuery" "createNativeQuery")
 (#set! message "SQL built from values can be injected: use a PreparedStatement with ? placeholders and setString()/setInt() for the values"))
