"""What the org server derives from a proposal itself: its files, diff, content hash and facts.

Pure: a :class:`~accord.protocol.org.ProposalSummary` with its changes (edits and pre-edit texts)
in, a :class:`Review` out, or :class:`ReviewRefused` naming the first thing that does not hold.
The language server's gate (``accord.server.gate``) runs the same steps on the same texts (apply
the edits, derive the change facts), so an honest requester and the server score alike.

Guarantees: every path is a normalised path relative to the project root (so path classes match
as written in the policy); every pre-edit text hashes to its ``before_hash``; the edits apply; the
requester's ``content_hash`` is :func:`~accord.protocol.org.changes_hash` of the changes. What is
kept and shown (the returned summary) has the server's own file list and diff, and no pre-edit
text.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from accord.agents.actions.apply import apply_edits
from accord.analyzers.change import ChangeFacts, change_facts
from accord.analyzers.languages import language_for
from accord.protocol.org import FileChange, ProposalSummary, changes_hash

__all__ = ["EDIT_BUDGET", "Review", "ReviewRefused", "render_diff", "review"]

EDIT_BUDGET = 50_000_000
"""Edits times pre-edit characters a proposal may ask to apply (each edit scans its file)."""

_DIFF_LIMIT = 512_000


class ReviewRefused(ValueError):
    """The proposal cannot be reviewed as sent (a JSON-RPC InvalidParams error)."""


@dataclass(frozen=True, slots=True)
class Review:
    """A proposal as the server derived it."""

    summary: ProposalSummary
    """What is stored and shown: the server's files, diff and hash; no pre-edit text."""
    facts: tuple[ChangeFacts, ...]
    hashes: dict[str, str]
    """Each touched file's pre-edit hash, by path."""


def digest(text: str) -> str:
    """SHA-256 of ``text`` (UTF-8), as ``before_hash`` holds it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def review(proposal: ProposalSummary) -> Review:
    """Derive ``proposal``'s diff, hash and facts from its changes; raises :class:`ReviewRefused`."""
    changes = proposal.changes
    if not changes:
        raise ReviewRefused("proposal.changes: a proposal to approve must change a file")
    _check_paths(changes)
    _check_budget(changes)
    expected = changes_hash(changes)
    if proposal.content_hash != expected:
        raise ReviewRefused(
            f"proposal.content_hash {proposal.content_hash} is not the hash of the changes sent "
            f"({expected}); the approval would not bind to what approvers see"
        )
    facts, diffs = [], []
    for index, change in enumerate(changes):
        before, after = _texts(index, change)
        spec = language_for(None, change.path)
        facts.append(change_facts(change.path, spec.name if spec else None, before, after))
        diffs.append(render_diff(change.path, before or "", after))
    diff = "".join(diffs)
    if len(diff) > _DIFF_LIMIT:
        raise ReviewRefused(f"the diff is {len(diff):,} characters, over {_DIFF_LIMIT:,}")
    shown = proposal.model_copy(
        update={
            "files": tuple(c.path for c in changes),
            "diff": diff,
            "changes": tuple(c.model_copy(update={"before": None}) for c in changes),
        }
    )
    return Review(shown, tuple(facts), {c.path: c.before_hash for c in changes})


def render_diff(path: str, before: str, after: str) -> str:
    """The unified diff approvers read for one file."""
    lines = difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), f"a/{path}", f"b/{path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _check_paths(changes: tuple[FileChange, ...]) -> None:
    seen: set[str] = set()
    for index, change in enumerate(changes):
        if not _normalised(change.path):
            raise ReviewRefused(
                f"proposal.changes[{index}].path {change.path!r}: give a normalised path "
                "relative to the project root"
            )
        if change.path in seen:
            raise ReviewRefused(f"proposal.changes[{index}].path {change.path!r} appears twice")
        seen.add(change.path)


def _normalised(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        not pure.is_absolute()
        and "\\" not in path
        and pure.as_posix() == path
        and all(part not in {".", ".."} for part in path.split("/"))
    )


def _check_budget(changes: tuple[FileChange, ...]) -> None:
    work = sum(len(c.edits) * max(len(c.before or ""), 1) for c in changes)
    if work > EDIT_BUDGET:
        raise ReviewRefused("too many edits for the size of the files; split the proposal")


def _texts(index: int, change: FileChange) -> tuple[str | None, str]:
    """The file's text before (None: a new file) and after the edits."""
    where = f"proposal.changes[{index}]"
    if change.create:
        if change.before or change.before_hash != digest(""):
            raise ReviewRefused(f"{where}: a new file has no text before")
        before = None
    elif change.before is None:
        raise ReviewRefused(f"{where}.before: the text before the edits is needed to review them")
    elif digest(change.before) != change.before_hash:
        raise ReviewRefused(f"{where}.before does not hash to before_hash")
    else:
        before = change.before
    try:
        return before, apply_edits(before or "", change.edits)
    except ValueError as error:
        raise ReviewRefused(f"{where}.edits: {error}") from None
