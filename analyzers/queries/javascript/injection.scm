; ACC004 injection-prone calls. Each pattern captures @call (the finding's range), @callee (the
; range instead when the call holds a function, such as a callback argument) and optionally @arg
; (then reported only if some @arg holds a name, i.e. is not built from literals alone); its
; message names the sink and the safe alternative.

((call_expression function: (identifier) @callee arguments: (arguments . (_) @arg)) @call
 (#eq? @callee "eval")
 (#set! message "eval() of a computed string runs whatever it holds: parse data with JSON.parse, or look functions up in an object of allowed handlers"))

([(new_expression constructor: (identifier) @callee arguments: (arguments (_) @arg))
  (call_expression function: (identifier) @callee arguments: (arguments (_) @arg))] @call
 (#eq? @callee "Function")
 (#set! message "new Function() compiles a computed string into code: write the function in the source and pass the values as arguments"))

((call_expression
   function: [(identifier) @callee (member_expression property: (property_identifier) @callee)]
   arguments: (arguments . [(string) (template_string) (binary_expression)])) @call
 (#any-of? @callee "setTimeout" "setInterval")
 (#set! message "setTimeout()/setInterval() with a string evaluates it as code: pass a function, e.g. setTimeout(() => run(), 100)"))

; The same with comments before the first argument.
((call_expression
   function: [(identifier) @callee (member_expression property: (property_identifier) @callee)]
   arguments: (arguments . (comment)+ . [(string) (template_string) (binary_expression)])) @call
 (#any-of? @callee "setTimeout" "setInterval")
 (#set! message "setTimeout()/setInterval() with a string evaluates it as code: pass a function, e.g. setTimeout(() => run(), 100)"))

([(assignment_expression
    left: (member_expression property: (property_identifier) @callee) right: (_) @arg)
  (augmented_assignment_expression
    left: (member_expression property: (property_identifier) @callee) right: (_) @arg)] @call
 (#any-of? @callee "innerHTML" "outerHTML")
 (#set! message "Assigning computed HTML to innerHTML/outerHTML allows script injection: set textContent, or build nodes with document.createElement"))

((call_expression
   function: (member_expression object: (identifier) @_document property: (property_identifier) @callee)
   arguments: (arguments (_) @arg)) @call
 (#eq? @_document "document")
 (#any-of? @callee "write" "writeln")
 (#set! message "document.write() of computed HTML allows script injection: build nodes with document.createElement and set textContent"))

((call_expression
   function: (member_expression property: (property_identifier) @callee)
   arguments: (arguments (_) . (_) @arg)) @call
 (#eq? @callee "insertAdjacentHTML")
 (#set! message "insertAdjacentHTML() of computed HTML allows script injection: use insertAdjacentText, or build nodes with document.createElement"))

((call_expression
   function: [(identifier) @callee (member_expression property: (property_identifier) @callee)]
   arguments: (arguments . [(template_string) (binary_expression)] @arg)) @call
 (#any-of? @callee "exec" "execSync")
 (#set! message "child_process.exec() runs a computed command through the shell: use execFile()/spawn() with an argument array"))

; The same with comments before the first argument.
((call_expression
   function: [(identifier) @callee (member_expression property: (property_identifier) @callee)]
   arguments: (arguments . (comment)+ . [(template_string) (binary_expression)] @arg)) @call
 (#any-of? @callee "exec" "execSync")
 (#set! message "child_process.exec() runs a computed command through the shell: use execFile()/spawn() with an argument array"))

((call_expression
   function: (member_expression property: (property_identifier) @callee)
   arguments: (arguments . [(template_string) (binary_expression)] @arg)) @call
 (#any-of? @callee "query" "execute" "raw")
 (#set! message "SQL built from values can be injected: use placeholders and pass the values separately, e.g. db.query(sql, [id])"))

; The same with comments before the first argument.
((call_expression
   function: (member_expression property: (property_identifier) @callee)
   arguments: (arguments . (comment)+ . [(template_string) (binary_expression)] @arg)) @call
 (#any-of? @callee "query" "execute" "raw")
 (#set! message "SQL built from values can be injected: use placeholders and pass the values separately, e.g. db.query(sql, [id])"))
