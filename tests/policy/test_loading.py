"""Policy files: the default loads; errors name file, line and key."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest

from accord.policy.loading import (
    DEFAULT_POLICY_NAME,
    PolicyError,
    default_policy,
    load_policy,
    parse_toml_policy,
    parse_yaml_policy,
)

GOOD = """\
decision_categories:
  low: {range: {low: 0, high: 10}}
risk_matrix:
  impact_level: {low: {range: {low: 0, high: 10}}}
  complexity_score: {simple: {range: {low: 0, high: 10}}}
  business_impact: {minimal: {range: {low: 0, high: 10}}}
roles:
  developer: {}
workflows:
  only:
    triggers: [{low: 0, high: 10}]
    approvers: [developer]
    timeout_hours: 4
"""


def test_default_policy_has_the_seed_workflows() -> None:
    policy = default_policy()
    assert set(policy.workflows) == {
        "standard_development",
        "supervised_development",
        "managed_development",
        "executive_approval",
    }
    assert policy.workflow_for(2)[0] == "standard_development"
    assert policy.workflow_for(6)[0] == "supervised_development"
    assert policy.workflow_for(8.5)[0] == "managed_development"
    assert policy.workflow_for(9.5)[0] == "executive_approval"


ERRORS = [
    # replaced text, replacement, expected "line: key" prefix
    (
        "timeout_hours: 4",
        "timeout_hours: soon",
        "accord-policy.yaml:13: workflows.only.timeout_hours: ",
    ),
    (
        "approvers: [developer]",
        "approvers: [nobody]",
        "accord-policy.yaml:10: workflows.only: approver",
    ),
    (
        "{low: 0, high: 10}]",
        "{low: 7, high: 2}]",
        "accord-policy.yaml:11: workflows.only.triggers.0: ",
    ),
    (
        "timeout_hours: 4",
        "timeout_hours: 4\n    colour: red",
        "accord-policy.yaml:14: workflows.only.colour: ",
    ),
    ("  developer: {}", "  developer: [", "accord-policy.yaml:"),
]


@pytest.mark.parametrize(("old", "new", "prefix"), ERRORS)
def test_yaml_errors_name_file_line_and_key(old: str, new: str, prefix: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_yaml_policy(GOOD.replace(old, new))
    assert str(caught.value).startswith(prefix), str(caught.value)


def test_reference_errors_say_which_key() -> None:
    with pytest.raises(PolicyError, match="workflows.only: approver 'nobody' is not a role"):
        parse_yaml_policy(GOOD.replace("[developer]", "[nobody]"))


def test_toml_policy_errors_name_file_and_key() -> None:
    text = "[project]\nname = 'x'\n\n[tool.accord.policy]\nallow_local_approval = 'perhaps'\n"
    with pytest.raises(PolicyError) as caught:
        parse_toml_policy(text, "pyproject.toml")
    assert "pyproject.toml:4: decision_categories: Field required" in str(caught.value)
    assert "allow_local_approval" in str(caught.value)
    assert parse_toml_policy("[project]\nname = 'x'\n") is None


def test_load_policy_prefers_the_yaml_file(tmp_path: Path) -> None:
    assert load_policy(tmp_path) == default_policy()
    (tmp_path / "accord-policy.yaml").write_text(
        GOOD.replace("timeout_hours: 4", "timeout_hours: 9")
    )
    assert load_policy(tmp_path).workflows["only"].timeout_hours == 9


@pytest.mark.parametrize(
    ("spelled", "hours"), [("4_hours", 4.0), ("30_minutes", 0.5), ("3_days", 72.0), ("1 hour", 1.0)]
)
def test_timeouts_in_the_seed_spelling(spelled: str, hours: float) -> None:
    policy = parse_yaml_policy(GOOD.replace("timeout_hours: 4", f"timeout_hours: {spelled}"))
    assert policy.workflows["only"].timeout_hours == hours


def test_the_default_policy_parses_in_a_few_milliseconds() -> None:
    """The org server parses a policy on its event loop: PyYAML's pure-Python loader took
    ~50 ms for the default policy (twice over), libyaml's takes ~1 ms."""
    text = resources.files("accord.policy").joinpath(DEFAULT_POLICY_NAME).read_text("utf-8")
    took = []
    for _ in range(5):
        started = time.perf_counter()
        parsed = parse_yaml_policy(text, DEFAULT_POLICY_NAME)
        took.append(time.perf_counter() - started)
    assert parsed == default_policy()
    assert min(took) < 0.02
