"""What an editor does with ``workspace/applyEdit``: apply the edit to the files, as VS Code does.

The demo's editors and the tests' clients answer the server's applyEdit requests with this, so
the files on disk are what a user would see after accepting the change. Positions are UTF-16
(the default encoding).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

__all__ = ["apply_workspace_edit"]


def apply_workspace_edit(edit: types.WorkspaceEdit) -> list[Path]:
    """Apply ``edit`` to the files on disk; returns the files written, in order."""
    written: list[Path] = []
    for change in edit.document_changes or ():
        if isinstance(change, types.CreateFile):
            path = _path(change.uri)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text("", "utf-8")
        elif isinstance(change, types.TextDocumentEdit):
            written.append(_apply(_path(change.text_document.uri), change.edits))
    for uri, edits in (edit.changes or {}).items():
        written.append(_apply(_path(uri), edits))
    return written


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _apply(
    path: Path,
    edits: Sequence[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit],
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text("utf-8") if path.exists() else ""
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for item in reversed(ordered):
        start = _offset(text, item.range.start)
        end = _offset(text, item.range.end)
        text = text[:start] + str(getattr(item, "new_text", "")) + text[end:]
    path.write_text(text, "utf-8")
    return path


def _offset(text: str, position: types.Position) -> int:
    lines = text.split("\n")
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line].encode("utf-16-le")[: position.character * 2]
    return start + len(line.decode("utf-16-le", errors="ignore"))
