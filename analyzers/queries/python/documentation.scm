; Human-written documentation and tests, for the "removes documentation or tests" risk factor
; (analyzers/documentation.py). Captures: @comment a comment; @docstring a string standing as a
; statement (a docstring); @test a test definition, named by @test.name.

(comment) @comment
(expression_statement (string) @docstring)
(function_definition name: (identifier) @test.name (#match? @test.name "^test")) @test
