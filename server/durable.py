"""Small JSON files a language server keeps under ``.accord/org``, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_json", "write_json"]


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value), "utf-8")
    temporary.replace(path)


def read_json(path: Path) -> Any:
    """The JSON value at ``path``; raises OSError or ValueError when missing or unreadable."""
    return json.loads(path.read_text("utf-8"))
