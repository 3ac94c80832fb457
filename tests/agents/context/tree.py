"""Writing small project trees for the guard and context tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_tree"]


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write each relative path's text under ``root`` (folders made as needed); return ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root
