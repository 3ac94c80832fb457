; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a lambda argument) and optionally @arg
; (reported only when it holds a name, i.e. is not built from literals alone); its message
; names the sink and the safe alternative.

((call
   function: (identifier) @callee
   arguments: (argument_list . (_) @arg)) @call
 (#any-of? @callee "eval" "exec")
 (#set! message "eval()/exec() of a computed string runs whatever it holds: parse data with ast.literal_eval or json.loads, or dispatch through a dict of allowed functions"))

; subprocess.run(...) or a bare run(...) imported from it.
((call
   function: [(attribute object: (identifier) @_module attribute: (identifier) @callee)
              (identifier) @callee]
   arguments: (argument_list
     . (_) @arg
     (keyword_argument name: (identifier) @_shell value: (true)))) @call
 (#eq? @_module "subprocess")
 (#any-of? @callee "run" "call" "check_call" "check_output" "Popen")
 (#eq? @_shell "shell")
 (#set! message "subprocess with shell=True and a computed command lets the shell interpret it: pass an argument list without shell=True, e.g. subprocess.run([\"ls\", path])"))

((call
   function: (attribute object: (identifier) @_module attribute: (identifier) @callee)
   arguments: (argument_list . (_) @arg)) @call
 (#eq? @_module "os")
 (#any-of? @callee "system" "popen")
 (#set! message "os.system()/os.popen() pass a computed command to the shell: use subprocess.run([...]) with an argument list"))

((call
   function: (attribute object: (identifier) @_module attribute: (identifier) @callee)
   arguments: (argument_list . (_) @arg)) @call
 (#eq? @_module "subprocess")
 (#any-of? @callee "getoutput" "getstatusoutput")
 (#set! message "subprocess.getoutput() runs a computed command through the shell: use subprocess.run([...], capture_output=True) with an argument list"))

; SQL text built by concatenation, % formatting or an f-string, or by .format().
((call
   function: (attribute attribute: (identifier) @callee)
   arguments: (argument_list . [(binary_operator) (string (interpolation))] @arg)) @call
 (#any-of? @callee "execute" "executemany" "executescript" "raw" "mogrify")
 (#set! message "SQL built from values can be injected: keep the values out of the SQL text and pass them separately, e.g. cursor.execute(sql, params)"))

((call
   function: (attribute attribute: (identifier) @callee)
   arguments: (argument_list
     . (call function: (attribute object: (string) attribute: (identifier) @_format)) @arg)) @call
 (#any-of? @callee "execute" "executemany" "executescript" "raw" "mogrify")
 (#eq? @_format "format")
 (#set! message "SQL built from values can be injected: keep the values out of the SQL text and pass them separately, e.g. cursor.execute(sql, params)"))
