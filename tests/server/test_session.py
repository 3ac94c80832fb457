"""The session without a server: edits, deferred duplicate lookups and their equivalence with
a session that opened the final texts fresh."""

from __future__ import annotations

from accord.server.session import Change, Session
from hypothesis import given, settings
from hypothesis import strategies as st

from ..analyzers.duplication.test_duplication import OTHER, RENAMED, REPORT

OPTIONS = {"duplication": {"min-tokens": 30}, "complexity": {"threshold": 1}}
PIECES = [REPORT, RENAMED, OTHER, "\n", "    pass\n", "x = 1\n", "# note\n"]


def _session(texts: dict[str, str]) -> Session:
    session = Session()
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


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_edits_then_a_refresh_match_a_fresh_session(data: st.DataObject) -> None:
    texts = {"file:///a.py": REPORT + OTHER, "file:///b.py": RENAMED}
    session = _session(texts)
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
