"""Risk scoring: monotone in every factor; stricter policies never approve more."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.analyzers.change import ChangeFacts, SignatureChange, change_facts
from accord.policy.loading import default_policy
from accord.policy.scoring import combine, complexity_factor, score_change

POLICY = default_policy()
level = st.floats(min_value=0, max_value=10, allow_nan=False)


@given(st.lists(level, min_size=3, max_size=3), st.integers(0, 2), level)
def test_combine_is_monotone_in_each_factor(values: list[float], which: int, extra: float) -> None:
    raised = list(values)
    raised[which] = max(values[which], extra)
    assert combine(raised) >= combine(values)
    assert 0 <= combine(values) <= 10


counts = st.tuples(st.integers(1, 50), st.integers(0, 5000), st.integers(0, 40), st.integers(0, 10))


@given(counts, st.integers(0, 3), st.integers(0, 500))
def test_complexity_is_monotone_in_each_count(base: tuple[int, ...], which: int, more: int) -> None:
    raised = list(base)
    raised[which] += more
    assert complexity_factor(*raised)[0] >= complexity_factor(*base)[0]


@given(counts)
def test_breaking_change_is_in_the_critical_band(base: tuple[int, int, int, int]) -> None:
    files, lines, growth, _ = base
    assert complexity_factor(files, lines, growth, 1)[0] >= 9


def test_reasons_and_workflows() -> None:
    docs = score_change(POLICY, "document", [change_facts("docs/a.md", None, "a\n", "a\nb\n")])
    assert docs.workflow_name == "standard_development" and docs.workflow.auto_approve
    migration = score_change(
        POLICY, "edit", [change_facts("app/migrations/1.py", "python", None, "x = 1\n")]
    )
    assert migration.workflow_name == "managed_development"
    assert "migrations" in migration.factors[0].reason
    breaking = ChangeFacts(
        "a.py", "python", 1, 1, False, (), (SignatureChange("f", "changed", "(a)", "(b)"),)
    )
    risk = score_change(POLICY, "fix", [breaking])
    assert risk.factors[1].band == "critical" and "breaking" in risk.factors[1].reason
    assert not risk.workflow.auto_approve


@given(st.floats(0, 10, allow_nan=False), st.floats(0, 10, allow_nan=False))
def test_higher_score_never_needs_fewer_approvers(a: float, b: float) -> None:
    low, high = sorted((round(a, 1), round(b, 1)))
    _, w_low = POLICY.workflow_for(low)
    _, w_high = POLICY.workflow_for(high)
    assert len(w_high.approvers) >= len(w_low.approvers) or w_low.auto_approve
    assert not (w_high.auto_approve and not w_low.auto_approve)


def test_removing_documentation_is_a_factor_that_forbids_auto_apply() -> None:
    import inspect
    import textwrap

    policy = default_policy()
    before = inspect.getsource(textwrap)
    after = before.replace("    Entirely blank lines are normalized to a newline character.\n", "")
    kept = score_change(
        policy, "document", [change_facts("textwrap.py", "python", before, before + "\n")]
    )
    removed = score_change(
        policy, "document", [change_facts("textwrap.py", "python", before, after)]
    )

    assert kept.review_required is False and len(kept.factors) == 3
    assert removed.review_required is True and removed.score == kept.score
    factor = removed.factors[-1]
    assert factor.name == "removes_documentation" and factor.value == 1
    assert "textwrap.py: 1 docstring line" in factor.reason
    assert removed.workflow.auto_approve  # the workflow would; the gate will not
