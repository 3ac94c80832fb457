"""Merging proposals: disjoint edits combine, overlapping ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.exceptions import EditConflict
from accord.agents.merge import merge_proposals
from accord.protocol import FileEdit, Proposal, Range, TextEdit


def proposal(path: str, *spans: tuple[int, int, str]) -> Proposal:
    edits = tuple(TextEdit(range=Range.of(0, a, 0, b), new_text=t) for a, b, t in spans)
    return Proposal(
        action="document", title="t", rationale="r", files=(FileEdit(path=path, edits=edits),)
    )


def apply(text: str, edits: tuple[TextEdit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: e.range.start.character, reverse=True):
        text = text[: edit.range.start.character] + edit.new_text + text[edit.range.end.character :]
    return text


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ((0, 4, "a"), (4, 8, "b"), False),
        ((0, 5, "a"), (4, 8, "b"), True),
        ((2, 2, "x"), (2, 2, "y"), True),
        ((2, 2, "x"), (2, 2, "x"), False),
        ((3, 3, "x"), (1, 6, "y"), True),
        ((0, 2, "x"), (5, 5, "y"), False),
    ],
)
def test_overlap_table(
    first: tuple[int, int, str], second: tuple[int, int, str], clash: bool
) -> None:
    parts = [proposal("a.py", first), proposal("a.py", second)]
    if clash:
        with pytest.raises(EditConflict, match="a.py"):
            merge_proposals(parts, "all", "document")
    else:
        merged = merge_proposals(parts, "all", "document")
        assert len(merged.files) == 1


def test_files_are_kept_apart_and_creations_must_agree() -> None:
    merged = merge_proposals(
        [proposal("a.py", (0, 1, "x")), proposal("b.py", (0, 1, "x"))], "all", "document"
    )
    assert [f.path for f in merged.files] == ["a.py", "b.py"]

    def create(text: str) -> Proposal:
        edit = TextEdit(range=Range.of(0, 0, 0, 0), new_text=text)
        return Proposal(
            action="t",
            title="t",
            rationale="r",
            files=(FileEdit(path="t.py", create=True, edits=(edit,)),),
        )

    assert len(merge_proposals([create("a"), create("a")], "t", "t").files) == 1
    with pytest.raises(EditConflict, match="create"):
        merge_proposals([create("a"), create("b")], "t", "t")


@given(st.lists(st.integers(0, 40), min_size=2, max_size=12, unique=True).map(sorted), st.randoms())
def test_disjoint_edits_merge_in_any_order(cuts: list[int], rng: object) -> None:
    spans = [(cuts[i], cuts[i + 1], f"<{i}>") for i in range(0, len(cuts) - 1, 2)]
    parts = [proposal("a.py", span) for span in spans]
    shuffled = list(parts)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    text = "x" * 41
    expected = apply(text, tuple(e for p in parts for e in p.files[0].edits))
    assert apply(text, merge_proposals(shuffled, "t", "t").files[0].edits) == expected


def test_the_merged_proposal_costs_what_its_parts_cost() -> None:
    parts = [
        proposal("a.py", (0, 1, "x")).model_copy(
            update={"input_tokens": 100, "output_tokens": 10, "cost_usd": 0.25}
        ),
        proposal("b.py", (0, 1, "y")).model_copy(
            update={"input_tokens": 50, "output_tokens": 5, "cost_usd": 0.125}
        ),
    ]
    merged = merge_proposals(parts, "both", "document")
    assert (merged.input_tokens, merged.output_tokens, merged.cost_usd) == (150, 15, 0.375)
