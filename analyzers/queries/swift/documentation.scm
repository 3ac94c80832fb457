; Documentation and tests; captures as in queries/python/documentation.scm.

[(comment) (multiline_comment)] @comment
(function_declaration name: (simple_identifier) @test.name (#match? @test.name "^test")) @test
