"""LSP features, one module each, set up in order by ``accord.server.app``."""
