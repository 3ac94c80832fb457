"""Accord: AI coding agents inside any LSP editor, in accord with the organisation's rules."""

__version__ = "0.1.0"
