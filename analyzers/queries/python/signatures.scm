; Public signatures (breaking-change detection in accord.analyzers.change).
; @definition: a public definition; @name: its name; @params: its parameter list (a class has none).
; @hidden: a definition that is not public (its name starts with an underscore); dropped.
(function_definition name: (identifier) @name parameters: (parameters) @params) @definition
(class_definition name: (identifier) @name superclasses: (argument_list)? @params) @definition
((function_definition name: (identifier) @hidden-name) @hidden (#match? @hidden-name "^_[^_]|^_$"))
((class_definition name: (identifier) @hidden-name) @hidden (#match? @hidden-name "^_"))
