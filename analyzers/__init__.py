"""Fast, incremental tree-sitter analyzers: languages, source documents, rules."""
