; Documentation and tests; captures as in queries/python/documentation.scm.

[(line_comment) (block_comment)] @comment
((attribute_item (attribute (identifier) @test.mark)) . (function_item name: (identifier) @test.name) @test
  (#eq? @test.mark "test"))
