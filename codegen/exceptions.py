"""Errors of code generation; each names where the problem is.

::

    CodegenError                 anything codegen refuses, with a message fit for the user
    ├── LiftError                source that cannot be lifted (file, line, the construct)
    ├── EmitError                emitted text that does not parse back cleanly (platform, nodes)
    └── TemplateError            a template pack that is missing or invalid (file, line)
"""

from __future__ import annotations

__all__ = ["CodegenError", "EmitError", "LiftError", "TemplateError"]


class CodegenError(Exception):
    """Something codegen refuses; ``str(error)`` is the message for the user."""


class LiftError(CodegenError):
    """A construct the lifter does not support, at a 1-based line of a file."""

    def __init__(self, line: int, message: str, path: str = "") -> None:
        self.line = line
        self.path = path
        super().__init__(f"{path or '<source>'}:{line}: {message}")

    def at(self, path: str) -> LiftError:
        """The same error, naming the file."""
        return LiftError(self.line, str(self).split(": ", 1)[1], path)


class EmitError(CodegenError):
    """Emitted code that tree-sitter does not parse cleanly."""


class TemplateError(CodegenError):
    """A template that is missing or invalid, at a file and 1-based line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}")
