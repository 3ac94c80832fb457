; The nodes ACC004 examines beyond its sink patterns (Python only): @call, every call by a name or
; an attribute (an import alias may make it a sink); @built, every expression that may build SQL
; text from values (a binary operator, an f-string, a method call on a string literal such as
; "...".format(...)). Matching them in C spares a walk of every node in Python.

(call function: [(identifier) (attribute)]) @call

(binary_operator) @built

(string (interpolation)) @built

(call function: (attribute object: [(string) (concatenated_string)])) @built
