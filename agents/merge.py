"""Merging several proposals into one, refusing overlapping edits instead of picking one."""

from __future__ import annotations

from collections.abc import Sequence

from accord.protocol import FileEdit, Position, Proposal, TextEdit

from .exceptions import EditConflict

__all__ = ["merge_proposals"]


def merge_proposals(parts: Sequence[Proposal], title: str, action: str) -> Proposal:
    """One proposal holding every part's file edits.

    Identical edits are kept once. Raises:
        EditConflict: two parts edit overlapping ranges of one file (or insert different text
            at one point, or create one file with different content).
    """
    files: dict[str, FileEdit] = {}
    for part in parts:
        for file in part.files:
            files[file.path] = _merge_file(files[file.path], file) if file.path in files else file
    rationale = "\n".join(f"- {part.title}: {part.rationale}" for part in parts)
    markdown = "\n\n".join(part.markdown for part in parts if part.markdown)
    return Proposal(
        action=action,
        title=title,
        rationale=rationale,
        files=tuple(files.values()),
        markdown=markdown,
        agent=parts[0].agent if parts else "",
        provider=", ".join(sorted({p.provider for p in parts if p.provider})),
        evidence=tuple(check for part in parts for check in part.evidence),
        input_tokens=sum(part.input_tokens for part in parts),
        output_tokens=sum(part.output_tokens for part in parts),
        cost_usd=round(sum(part.cost_usd for part in parts), 6),
    )


def _merge_file(first: FileEdit, second: FileEdit) -> FileEdit:
    if first.create or second.create:
        if first == second:
            return first
        raise EditConflict(f"{first.path}: two parts create this file with different content")
    edits = list(first.edits)
    for edit in second.edits:
        if edit in edits:
            continue
        clash = next((e for e in edits if _overlap(e, edit)), None)
        if clash is not None:
            raise EditConflict(f"{first.path}: edits at {_where(clash)} and {_where(edit)} overlap")
        edits.append(edit)
    ordered = sorted(edits, key=lambda e: (_key(e.range.start), _key(e.range.end)))
    return FileEdit(path=first.path, edits=tuple(ordered))


def _overlap(a: TextEdit, b: TextEdit) -> bool:
    a0, a1, b0, b1 = (_key(p) for p in (a.range.start, a.range.end, b.range.start, b.range.end))
    if a0 == a1 == b0 == b1:
        return True  # two different insertions at one point: their order is a choice
    return a0 < b1 and b0 < a1 or (a0 == a1 and b0 < a0 < b1) or (b0 == b1 and a0 < b0 < a1)


def _key(position: Position) -> tuple[int, int]:
    return (position.line, position.character)


def _where(edit: TextEdit) -> str:
    start, end = edit.range.start, edit.range.end
    return f"{start.line + 1}:{start.character + 1}-{end.line + 1}:{end.character + 1}"
