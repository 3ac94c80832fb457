"""The session without a server: edits, deferred duplicate lookups and their equivalence with
a session that opened the final texts fresh."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analyzers.duplication import DuplicateIndex, fingerprint
from accord.server.session import Change, Session

from ..analyzers.duplication.test_duplication import OTHER, RENAMED, REPORT

OPTIONS = {"duplication": {"min-tokens": 30}, "complexity": {"threshold": 1}}
PIECES = [REPORT, RENAMED, OTHER, "\n", "    pass\n", "x = 1\n", "# note\n"]


def _session(texts: dict[str, str], budget: float | None = None) -> Session:
    """A session with ``texts`` open; ``budget`` 0 cuts every whole parse short."""
    session = Session(parse_budget=budget)
    session.configure(OPTIONS)
    for uri, text in texts.items():
        session.open(uri, "python", text, 1)
    return session


@st.composite
def _line_edits(draw: st.DrawFn, text: str) -> list[tuple[int, int, str]]:
    edits = []
    lines = text.count("\n") + 1
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, lines))
        end = draw(st.integers(start, min(lines, start + 6)))
        new = draw(st.lists(st.sampled_from(PIECES), max_size=2).map("".join))
        edits.append((start, end, new))
        lines += new.count("\n") - (end - start)
    return edits


def _apply(text: str, start: int, end: int, new: str) -> str:
    lines = text.split("\n")
    before = "\n".join(lines[:start]) + ("\n" if start else "")
    after = "\n".join(lines[end:])
    return before + new + after if start < len(lines) else text + new


@pytest.mark.parametrize("budget", [None, 0.0])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_edits_then_a_refresh_match_a_fresh_session(
    data: st.DataObject, budget: float | None
) -> None:
    texts = {"file:///a.py": REPORT + OTHER, "file:///b.py": RENAMED}
    session = _session(texts, budget)
    text = texts["file:///a.py"]
    for version, (start, end, new) in enumerate(data.draw(_line_edits(text)), start=2):
        session.change("file:///a.py", version, [Change(new, (start, 0), (end, 0))])
        text = _apply(text, start, end, new)
    session.refresh_duplicates("file:///a.py")
    fresh = _session({**texts, "file:///a.py": text})
    assert session.documents["file:///a.py"].data == text.encode()
    for uri in texts:
        assert session.findings(uri) == fresh.findings(uri)


def test_closing_a_copy_clears_the_other() -> None:
    session = _session({"file:///a.py": REPORT, "file:///b.py": REPORT})
    assert sorted(f.code for f in session.findings("file:///a.py")) == ["ACC001", "ACC002"]
    assert session.close("file:///b.py") == {"file:///a.py"}
    assert [f.code for f in session.findings("file:///a.py")] == ["ACC001"]


FRAGMENTS = ["\n", "    ", '"""', '"', "# c", "x = 1\n", "(", ")", "def f(a):\n    ", "é", "'''"]


@pytest.mark.parametrize("budget", [None, 0.0])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fingerprints_updated_where_edits_land_equal_full_ones(
    data: st.DataObject, budget: float | None
) -> None:
    """Differential: rounds of character edits (strings and comments opened and closed
    included), each round ending in a refresh; the document's fingerprint, recomputed only
    where the edits and reparses reached, equals a full fingerprint of its tree (with every
    whole parse cut short too, its findings provisional until the refresh settles them)."""
    text = (Path(sysconfig.get_paths()["stdlib"]) / "colorsys.py").read_text("utf-8")
    texts = {"file:///a.py": text, "file:///b.py": text}
    session = _session(texts, budget)
    version = 1
    for _ in range(data.draw(st.integers(1, 3))):
        for _ in range(data.draw(st.integers(1, 4))):
            start = data.draw(st.integers(0, len(text)))
            end = data.draw(st.integers(start, min(len(text), start + 30)))
            new = "".join(data.draw(st.lists(st.sampled_from(FRAGMENTS), max_size=3)))
            version += 1
            edit = Change(new, _position(text, start), _position(text, end))
            session.change("file:///a.py", version, [edit])
            text = text[:start] + new + text[end:]
        session.refresh_duplicates("file:///a.py")
        source = session.documents["file:///a.py"].source
        assert source is not None and source.data == text.encode()
        assert session._prints["file:///a.py"].print_ == fingerprint(source)
        full = DuplicateIndex(6, 30)
        full.update("file:///a.py", fingerprint(source))
        full.update("file:///b.py", fingerprint(session.documents["file:///b.py"].source))
        for uri in texts:
            assert session.duplicates.findings(uri) == full.findings(uri)


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n")
    return line, len(before) - (before.rfind("\n") + 1)
