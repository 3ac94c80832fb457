; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

; A "$name" template has no node of its own: the grammar keeps its "$" as string content, so a
; string with such content is reported whatever its @arg holds.
((call_expression
   (navigation_expression
     (call_expression (navigation_expression (identifier) @_runtime (identifier) @_get))
     (identifier) @callee)
   (value_arguments
     . (value_argument [(binary_expression) @arg
                        (string_literal) @arg
                        (string_literal (string_content) @_dollar)]))) @call
 (#eq? @_runtime "Runtime")
 (#eq? @_get "getRuntime")
 (#eq? @callee "exec")
 (#eq? @_dollar "$")
 (#set! message "Runtime.exec() of a command built from strings splits it unpredictably and may reach a shell: use ProcessBuilder(listOf(\"ls\", path))"))

((call_expression
   (navigation_expression (identifier) @callee .)
   (value_arguments
     . (value_argument [(binary_expression) @arg
                        (string_literal) @arg
                        (string_literal (string_content) @_dollar)]))) @call
 (#any-of? @callee "execute" "executeQuery" "executeUpdate" "addBatch" "prepareStatement" "rawQuery" "execSQL")
 (#eq? @_dollar "$")
 (#set! message "SQL built from values can be injected: use ? placeholders and bind the values (PreparedStatement.setString, rawQuery(sql, args))"))
