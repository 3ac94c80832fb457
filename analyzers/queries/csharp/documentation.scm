; Documentation and tests; captures as in queries/python/documentation.scm.

(comment) @comment
(method_declaration (attribute_list (attribute name: (identifier) @test.mark))
  name: (identifier) @test.name (#match? @test.mark "^(Fact|Theory|Test|TestMethod)$")) @test
