; Documentation and tests; captures as in queries/python/documentation.scm.

[(line_comment) (block_comment)] @comment
(method_declaration (modifiers (marker_annotation name: (identifier) @test.mark))
  name: (identifier) @test.name (#eq? @test.mark "Test")) @test
