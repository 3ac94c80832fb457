"""The language server: LSP features over the analyzers (and, later, agents and policy)."""
