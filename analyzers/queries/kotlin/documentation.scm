; Documentation and tests; captures as in queries/python/documentation.scm.

[(line_comment) (block_comment)] @comment
(function_declaration (modifiers (annotation (user_type (identifier) @test.mark)))
  name: (identifier) @test.name (#eq? @test.mark "Test")) @test
