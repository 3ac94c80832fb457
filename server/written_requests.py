"""Requests written in the code: a comment ``accord: ask <what you want>``.

Every editor offers code actions, so every editor can ask this way, including those that cannot
prompt for text through the protocol (a JetBrains IDE with LSP4IJ's user-defined server, Emacs
with plain Eglot, Sublime, Helix). On the comment's line the code action
"Accord: Ask — <what you want>" runs the request over the file (or over the selection, when
more than the comment's line is selected); the proposal also removes the comment: as an edit of
its own, or out of the agent's edit that rewrites its line and keeps it word for word (else it
stays, for the user to delete). A request is read only from a real comment of the file's
language (tree-sitter says so), never from a string or code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pydantic import ValidationError

from accord.agents.tasks import Task
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.protocol import FileEdit, Position, Proposal, Range, TextEdit

from .asking import ASK, ASK_KIND, AskRequest, code_point_position

__all__ = ["WrittenRequest", "with_request_removed", "written_action", "written_request"]

_MARKER = re.compile(rb"accord:\s*ask\b\s*:?\s*(?P<words>.*)")
# What closes a comment on its own line: `*/`, `-->`, `*)`.
_CLOSERS = re.compile(rb"\s*(?:\*/|-->|\*\))\s*$")
_TITLE = "Accord: Ask — {}"
_TITLE_WORDS = 60


@dataclass(frozen=True, slots=True)
class WrittenRequest:
    """A request comment: its words, its line, and the bytes removing it deletes."""

    instruction: str
    row: int
    start: int
    end: int


def written_request(source: SourceDocument, row: int) -> WrittenRequest | None:
    """The request written in a comment on line ``row``; None when there is none."""
    if not 0 <= row < source.lines.line_count:
        return None
    line = source.lines.line_bytes(row)
    match = _MARKER.search(line)
    if match is None:
        return None
    line_start = source.lines.line_start(row)
    offset = line_start + match.start()
    node = source.tree.root_node.descendant_for_byte_range(offset, offset + 1)
    if (
        node is None
        or "comment" not in node.type
        or {node.start_point[0], node.end_point[0]} != {row}
    ):
        return None
    words = _CLOSERS.sub(b"", match.group("words")).strip()
    if not words:
        return None
    before = line[: node.start_byte - line_start]
    end = line_start + len(line)
    if before.strip():  # code before the comment stays; the comment and its spacing go
        start = line_start + len(before.rstrip())
        removed_to = node.end_byte
    else:  # the comment is the whole line: the line goes
        start = line_start
        removed_to = source.lines.line_start(row + 1) if row + 1 < source.lines.line_count else end
    return WrittenRequest(words.decode("utf-8", "replace"), row, start, removed_to)


def written_action(
    uri: str, source: SourceDocument, chosen: types.Range
) -> types.CodeAction | None:
    """The "Accord: Ask — …" code action for a request written on the range's first line."""
    request = written_request(source, chosen.start.line)
    if request is None:
        return None
    scope: dict[str, Any] = {"uri": uri}
    if chosen.end.line > chosen.start.line:
        scope["range"] = {
            "start": {"line": chosen.start.line, "character": chosen.start.character},
            "end": {"line": chosen.end.line, "character": chosen.end.character},
        }
    argument = {"instruction": request.instruction, "scope": scope, "written": request.row}
    words = request.instruction
    shown = words if len(words) <= _TITLE_WORDS else words[: _TITLE_WORDS - 1] + "…"
    title = _TITLE.format(shown)
    command = types.Command(title=title, command=ASK, arguments=[argument])
    return types.CodeAction(title=title, kind=ASK_KIND, command=command, is_preferred=True)


def with_request_removed(task: Task, argument: Any, proposal: Proposal) -> Proposal:
    """``proposal`` with the request comment removed from the task's first file, when the
    argument names one that is still there with the same words and no edit touches its line."""
    try:
        row = AskRequest.model_validate(argument).written
    except ValidationError:
        return proposal
    target = task.target
    if row is None or not proposal.files or target.language not in all_languages():
        return proposal
    source = SourceDocument.from_text(all_languages()[target.language], target.source)
    request = written_request(source, row)
    if request is None or request.instruction != task.instructions:
        return proposal
    removal = TextEdit(
        range=Range(
            start=code_point_position(source, request.start),
            end=code_point_position(source, request.end),
        ),
        new_text="",
    )
    written = source.data[request.start : request.end].decode("utf-8")
    files = list(proposal.files)
    index = next((i for i, f in enumerate(files) if f.path == target.path), None)
    if index is None:
        files.append(FileEdit(path=target.path, edits=(removal,)))
    else:
        edits = _removed(files[index].edits, removal, written)
        if edits is None:
            return proposal
        files[index] = files[index].model_copy(update={"edits": edits})
    return proposal.model_copy(update={"files": tuple(files)})


def _removed(
    edits: tuple[TextEdit, ...], removal: TextEdit, written: str
) -> tuple[TextEdit, ...] | None:
    """The edits with the request removed: a separate edit where none touches its line, or out
    of the one edit that rewrites its line and keeps it word for word; None when neither."""
    touching = [edit for edit in edits if _overlap(edit.range, removal.range)]
    if not touching:
        return tuple(sorted((*edits, removal), key=_start))
    if len(touching) == 1 and touching[0].new_text.count(written) == 1:
        kept = touching[0].model_copy(
            update={"new_text": touching[0].new_text.replace(written, "")}
        )
        return tuple(kept if edit is touching[0] else edit for edit in edits)
    return None


def _overlap(a: Range, b: Range) -> bool:
    """Whether two ranges share more than an end point (edits may touch, never overlap)."""
    return _at(a.start) < _at(b.end) and _at(b.start) < _at(a.end)


def _at(position: Position) -> tuple[int, int]:
    return position.line, position.character


def _start(edit: TextEdit) -> tuple[int, int]:
    return _at(edit.range.start)
