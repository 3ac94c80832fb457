; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((object_creation_expression
   type: (identifier) @callee
   arguments: (argument_list . (argument
     [(binary_expression)
      (interpolated_string_expression)
      (invocation_expression
        function: (member_access_expression expression: (_) @_string name: (identifier) @_format))] @arg))) @call
 (#any-of? @_string "string" "String")
 (#any-of? @_format "Format" "Concat")
 (#any-of? @callee "SqlCommand" "SqliteCommand" "NpgsqlCommand" "MySqlCommand" "OracleCommand" "OleDbCommand")
 (#set! message "SQL built from values can be injected: use @parameters and command.Parameters.AddWithValue(\"@id\", id)"))

((assignment_expression
   left: (member_access_expression name: (identifier) @callee)
   right: [(binary_expression)
          (interpolated_string_expression)
          (invocation_expression
            function: (member_access_expression expression: (_) @_string name: (identifier) @_format))] @arg) @call
 (#any-of? @_string "string" "String")
 (#any-of? @_format "Format" "Concat")
 (#eq? @callee "CommandText")
 (#set! message "SQL built from values can be injected: use @parameters and command.Parameters.AddWithValue(\"@id\", id)"))

((invocation_expression
   function: (member_access_expression name: (identifier) @callee)
   arguments: (argument_list . (argument [(binary_expression) (interpolated_string_expression)] @arg))) @call
 (#any-of? @callee "ExecuteSqlRaw" "FromSqlRaw" "ExecuteSqlCommand" "ExecuteSqlRawAsync")
 (#set! message "SQL built from values can be injected: pass the values as parameters (FromSqlInterpolated, or FromSqlRaw(sql, parameters))"))

((invocation_expression
   function: (member_access_expression expression: (identifier) @_process name: (identifier) @callee)
   arguments: (argument_list (argument [(binary_expression) (interpolated_string_expression)] @arg))) @call
 (#eq? @_process "Process")
 (#eq? @callee "Start")
 (#set! message "Process.Start with a command line built from strings may run other commands: set ProcessStartInfo.FileName and add each value to ArgumentList"))
