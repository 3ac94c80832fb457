"""JSON that is safe to hold: bounded nesting and valid Unicode, checked while parsing (pure).

:func:`loads` is how frames from the wire are read. It parses with pydantic-core's parser (which
stops at 200 levels instead of overflowing the stack, and refuses lone UTF-16 surrogates such as
``"\\ud800"``, which no UTF-8 text can carry back out), then refuses anything nested deeper than
:data:`MAX_DEPTH`. A refusal is a :class:`JsonRefused`; text that is not JSON at all is a plain
:class:`ValueError`.

:func:`salvage` is how data stored before these limits is read back: whatever it holds, it
returns a value that :func:`loads` would accept (deep parts and lone surrogates replaced by
marker strings), so one poisoned row never makes a read fail for everyone.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic_core import from_json

__all__ = ["MAX_DEPTH", "TOO_DEEP", "JsonRefused", "deeper_than", "loads", "salvage"]

MAX_DEPTH = 64
"""Arrays and objects inside each other, the outermost counting 1."""

TOO_DEEP = f"<nested deeper than {MAX_DEPTH} levels: left out>"
"""What :func:`salvage` puts where a value was nested too deep."""

_SURROGATE_HINTS = ("surrogate", "unexpected end of hex escape")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""In text from ``json.loads``, where pairs are joined already: only lone ones are left."""


class JsonRefused(ValueError):
    """Well-formed JSON that is refused: nested too deep, or a string that is not Unicode."""

    def __init__(self, reason: Literal["depth", "unicode"], message: str) -> None:
        super().__init__(message)
        self.reason = reason


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The value of ``text``; raises :class:`JsonRefused` or :class:`ValueError`."""
    try:
        value = from_json(text)
    except ValueError as error:
        message = str(error)
        if "recursion limit" in message:
            raise _too_deep(max_depth) from None
        if any(hint in message for hint in _SURROGATE_HINTS):
            raise JsonRefused(
                "unicode", f"strings must be valid Unicode (a lone surrogate escape): {message}"
            ) from None
        raise
    if _openings(text) > max_depth and deeper_than(value, max_depth):
        raise _too_deep(max_depth)
    return value


def _too_deep(max_depth: int) -> JsonRefused:
    return JsonRefused("depth", f"JSON nested deeper than {max_depth} levels is refused")


def _openings(text: str | bytes) -> int:
    """An upper bound of the nesting depth (counted in C, so small frames skip the walk)."""
    if isinstance(text, bytes):
        return text.count(b"[") + text.count(b"{")
    return text.count("[") + text.count("{")


def deeper_than(value: Any, max_depth: int) -> bool:
    """Whether arrays and objects nest more than ``max_depth`` levels in ``value``."""
    level: list[Any] = [value]
    for _ in range(max_depth):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return any(isinstance(node, dict | list) for node in level)


def salvage(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Stored JSON made safe: :func:`loads` if it passes, else the same data with parts nested
    deeper than ``max_depth`` replaced by :data:`TOO_DEEP` and lone surrogates by U+FFFD.
    Text that is not JSON at all still raises :class:`ValueError`."""
    try:
        return loads(text, max_depth)
    except JsonRefused:
        pass
    try:
        value = json.loads(text)
    except RecursionError:
        return TOO_DEEP
    return _defused(value, max_depth)


def _defused(value: Any, room: int) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if not isinstance(value, dict | list):
        return value
    if room <= 0:
        return TOO_DEEP
    if isinstance(value, list):
        return [_defused(item, room - 1) for item in value]
    return {_defused(key, 0): _defused(item, room - 1) for key, item in value.items()}
