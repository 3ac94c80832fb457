"""Conversation history in SQLite, carried across sessions of one project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from accord.agents.context.history import DATABASE, History
from accord.agents.providers.types import ContextKind


def texts(history: History, **options: int) -> list[str]:
    return [item.text for item in history.recent(**options)]  # type: ignore[arg-type]


def test_a_new_session_sees_the_last_ones_history(tmp_path: Path) -> None:
    first = History(tmp_path)
    first.append("user", "document parse()")
    first.append("assistant", "Added a docstring.")
    second = History(tmp_path)
    second.append("user", "now tests")
    assert second.session != first.session
    assert texts(second) == [
        "user: document parse()",
        "assistant: Added a docstring.",
        "user: now tests",
    ]
    assert all(item.kind is ContextKind.HISTORY for item in second.recent())
    assert (tmp_path / DATABASE).is_file()


def test_projects_do_not_share_history(tmp_path: Path) -> None:
    History(tmp_path, project="one").append("user", "about one")
    assert texts(History(tmp_path, project="two")) == []
    assert [i.text for i in History(tmp_path, project="two").recent(project="one")] == [
        "user: about one"
    ]


def test_limit_and_tokens_keep_the_newest(tmp_path: Path) -> None:
    history = History(tmp_path)
    for n in range(10):
        history.append("user", f"message {n:02d}")  # "user: message 00" is 16 chars, 4 tokens
    assert texts(history, limit=3) == ["user: message 07", "user: message 08", "user: message 09"]
    assert texts(history, tokens=9) == ["user: message 08", "user: message 09"]


def test_rows_record_project_session_role_and_time(tmp_path: Path) -> None:
    history = History(tmp_path, session="s1")
    history.append("assistant", "hello")
    with sqlite3.connect(tmp_path / DATABASE) as db:
        row = db.execute("SELECT session, project, role, content, ts FROM messages").fetchone()
    db.close()
    assert row[:4] == ("s1", str(tmp_path.resolve()), "assistant", "hello")
    assert row[4] > 0
