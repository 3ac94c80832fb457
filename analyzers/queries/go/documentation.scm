; Documentation and tests; captures as in queries/python/documentation.scm.

(comment) @comment
(function_declaration name: (identifier) @test.name (#match? @test.name "^Test")) @test
