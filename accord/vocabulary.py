"""Plain values that settings, analyzers and the command line share, importable without pydantic
(so that ``accord check --help`` starts at once): finding severities and the default excludes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DEFAULT_EXCLUDE", "Severity"]


class Severity(StrEnum):
    """How serious a finding is; ordered from most to least serious."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @property
    def rank(self) -> int:
        """0 for errors up to 3 for hints (LSP's DiagnosticSeverity minus one)."""
        return list(Severity).index(self)


# Left out unless a project sets ``exclude`` itself: ruff's default list (so a folder ruff checks,
# such as ``build/``, is checked here too), plus bytecode and Accord's own cache.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    "__pycache__",
    ".accord",
)
