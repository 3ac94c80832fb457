"""Proposals as a language server sends them for approval (protocol 2): each with its changes,
the text before them and the content hash the server derives."""

from __future__ import annotations

import hashlib

from accord.protocol import Range, TextEdit
from accord.protocol.org import FileChange, ProposalSummary, changes_hash

AUTH = """\
def check(user, password):
    return user.password == password
"""


def change(content: str, path: str = "src/auth.py", before: str = AUTH) -> FileChange:
    """One file's change: a comment saying ``content`` appended to ``before``."""
    end = len(before.splitlines())
    return FileChange(
        path=path,
        edits=(TextEdit(range=Range.of(end, 0, end, 0), new_text=f"# {content}\n"),),
        before_hash=hashlib.sha256(before.encode()).hexdigest(),
        before=before,
    )


def summary(
    content: str = "v1",
    *,
    proposal_id: str = "p-1",
    title: str = "Move the password check",
    action: str = "fix",
    path: str = "src/auth.py",
    before: str = AUTH,
) -> ProposalSummary:
    """A proposal changing ``path``; different ``content`` makes a different content hash."""
    changed = (change(content, path, before),)
    return ProposalSummary(
        proposal_id=proposal_id,
        title=title,
        action=action,
        rationale="the check belongs in the service",
        files=(path,),
        content_hash=changes_hash(changed),
        changes=changed,
    )
