"""Identifiers in each platform's convention, derived from wire names.

``words`` splits camelCase, PascalCase, snake_case and kebab-case alike, so every style below
is a pure function of the wire name; emitters keep the wire name wherever the two differ.
"""

from __future__ import annotations

import re

__all__ = ["camel", "pascal", "snake", "upper_snake", "words"]

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(name: str) -> list[str]:
    """The lower-case words of a name in any common style."""
    return [word.lower() for word in _WORD.findall(name)]


def camel(name: str) -> str:
    """``displayName`` (Kotlin, Swift, Java, Dart members)."""
    first, *rest = words(name) or ["value"]
    return first + "".join(word.capitalize() for word in rest)


def pascal(name: str) -> str:
    """``DisplayName`` (types everywhere, Go exported fields, Rust enum variants)."""
    return "".join(word.capitalize() for word in words(name)) or "Value"


def snake(name: str) -> str:
    """``display_name`` (Python, Rust fields)."""
    return "_".join(words(name)) or "value"


def upper_snake(name: str) -> str:
    """``DISPLAY_NAME`` (Kotlin, Java and Python enum constants)."""
    return snake(name).upper()
