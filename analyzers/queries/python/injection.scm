; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a lambda argument) and optionally @arg
; (reported only when a computed value reaches it, followed within the function by the rule)
; and @shell (a shell= value, reported only when truthy); its message names the sink and the
; safe alternative. `kind "sql"`: reported only when the argument is text built from a computed
; value. A comment before the first argument is skipped by the rule.

((call
   function: (identifier) @callee
   arguments: (argument_list . (_) @arg)) @call
 (#any-of? @callee "eval" "exec")
 (#set! message "eval()/exec() of a computed string runs whatever it holds: parse data with ast.literal_eval or json.loads, or dispatch through a dict of allowed functions"))

; Any call given shell=<truthy> (subprocess's functions, their aliases, wrappers around them).
((call
   function: (_) @callee
   arguments: (argument_list
     . (_) @arg
     (keyword_argument name: (identifier) @_shell value: (_) @shell))) @call
 (#eq? @_shell "shell")
 (#set! message "A shell=True call with a computed command lets the shell interpret it: pass an argument list without shell=True, e.g. subprocess.run([\"ls\", path])"))

; subprocess.run(["sh", "-c", cmd]): the list wraps a shell command (checked by the rule).
((call
   function: [(attribute attribute: (identifier) @callee) (identifier) @callee]
   arguments: (argument_list . [(list) (tuple)] @wrapped)) @call
 (#any-of? @callee "run" "call" "check_call" "check_output" "Popen" "spawn" "execv" "execvp" "spawnv" "spawnvp")
 (#set! message "An argument list that runs a shell (sh -c) with a computed command lets the shell interpret it: run the program directly with its arguments"))

((call
   function: (attribute object: (identifier) @_module attribute: (identifier) @callee)
   arguments: (argument_list . (_) @arg)) @call
 (#eq? @_module "os")
 (#any-of? @callee "system" "popen" "popen2" "popen3" "popen4")
 (#set! message "os.system()/os.popen() pass a computed command to the shell: use subprocess.run([...]) with an argument list"))

((call
   function: (attribute object: (identifier) @_module attribute: (identifier) @callee)
   arguments: (argument_list . (_) @arg)) @call
 (#any-of? @_module "subprocess" "commands")
 (#any-of? @callee "getoutput" "getstatusoutput")
 (#set! message "subprocess.getoutput() runs a computed command through the shell: use subprocess.run([...], capture_output=True) with an argument list"))

; SQL text built from values: concatenation, % formatting, f-strings, .format(), .replace(),
; .join(), directly or through variables of the function.
((call
   function: (attribute attribute: (identifier) @callee)
   arguments: (argument_list . (_) @arg)) @call
 (#any-of? @callee "execute" "executemany" "executescript" "raw" "mogrify")
 (#set! kind "sql")
 (#set! message "SQL built from values can be injected: keep the values out of the SQL text and pass them separately, e.g. cursor.execute(sql, params)"))

; Django: RawSQL(sql, params) and QuerySet.extra(select=, where=, tables=, order_by=).
((call
   function: [(identifier) @callee (attribute attribute: (identifier) @callee)]
   arguments: (argument_list . (_) @arg)) @call
 (#eq? @callee "RawSQL")
 (#set! message "RawSQL() with computed SQL can be injected: keep values in its params list"))

((call
   function: [(identifier) @callee (attribute attribute: (identifier) @callee)]
   arguments: (argument_list (keyword_argument name: (identifier) @_sql value: (_) @arg))) @call
 (#eq? @callee "RawSQL")
 (#eq? @_sql "sql")
 (#set! message "RawSQL() with computed SQL can be injected: keep values in its params list"))

((call
   function: (attribute attribute: (identifier) @callee)
   arguments: (argument_list [(keyword_argument name: (identifier) @_part value: (_) @arg) (dictionary) @arg (call) @arg (identifier) @arg])) @call
 (#eq? @callee "extra")
 (#set! message "QuerySet.extra() with computed SQL can be injected: use annotate()/filter() with expressions, or keep values in its params"))

; Not sinks: the nodes the rule examines beyond these patterns, found in the same pass. @any_call:
; every call by a name or an attribute (an import alias may make it a sink); @built: every
; expression that may build SQL text from values (a binary operator, an f-string, a method call on
; a string literal such as "...".format(...)).

(call function: [(identifier) (attribute)]) @any_call

(binary_operator) @built

(string (interpolation)) @built

(call function: (attribute object: [(string) (concatenated_string)])) @built
