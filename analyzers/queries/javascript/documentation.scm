; Documentation and tests; captures as in queries/python/documentation.scm.

(comment) @comment
(call_expression function: (identifier) @test.fn arguments: (arguments . (string) @test.name)
  (#match? @test.fn "^(it|test|describe)$")) @test
