"""Per-project overrides: stricter always, looser only where the policy allows (pure)."""

from __future__ import annotations

import pytest

from accord.policy.loading import PolicyError, default_policy, parse_yaml_policy
from accord.policy.overrides import for_project, looser, rule_of


def _with(extra: str) -> str:
    from importlib.resources import files

    return files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8") + extra


def test_an_override_applies_to_its_project_only() -> None:
    policy = parse_yaml_policy(
        _with(
            "projects:\n  billing:\n    path_classes:\n"
            "      ledger: {globs: ['ledger/**'], impact: 9, confidentiality: confidential}\n"
        ),
        "p.yaml",
    )
    billing = for_project(policy, "billing")
    assert "ledger" in billing.path_classes and "migrations" in billing.path_classes
    assert for_project(policy, "shop") is policy and for_project(policy, None) is policy
    assert str(rule_of(policy, "billing", "path_classes", "ledger")) == (
        "path_classes.ledger (project billing override)"
    )
    assert rule_of(policy, "billing", "path_classes", "docs").source == "org policy"


@pytest.mark.parametrize(
    ("override", "why"),
    [
        (
            "path_classes:\n      secrets: {globs: ['**/.env'], impact: 8, "
            "business_criticality: 6, confidentiality: confidential}",
            "drops the globs",
        ),
        (
            "path_classes:\n      docs: {globs: ['docs/**', '**/*.md', '**/*.rst'], impact: 1, "
            "business_criticality: 1, confidentiality: internal}",
            None,
        ),
        (
            "workflows:\n      managed_development:\n        triggers: [{low: 8, high: 9}]\n"
            "        approvers: [tech_lead, manager]\n        auto_approve: true",
            "turns auto-approval on",
        ),
        (
            "workflows:\n      quick:\n        triggers: [{low: 0, high: 10}]\n"
            "        auto_approve: true",
            "adds an auto-approving workflow",
        ),
        (
            "workflows:\n      managed_development:\n        triggers: [{low: 7, high: 9}]\n"
            "        approvers: [tech_lead, manager, cto]",
            "changes its score triggers",
        ),
        ("provider_access:\n      newcomer: {max_confidentiality: internal}", "lets it see"),
        ("provider_access:\n      anthropic: {max_confidentiality: public}", None),
    ],
)
def test_what_counts_as_looser(override: str, why: str | None) -> None:
    text = _with(f"projects:\n  p:\n    {override}\n")
    if why is None:
        policy = parse_yaml_policy(text, "p.yaml")
        assert looser(default_policy(), policy.projects["p"]) == []
        return
    with pytest.raises(PolicyError, match=why):
        parse_yaml_policy(text, "p.yaml")
    section = override.split(":", 1)[0]
    allowed = parse_yaml_policy(text.replace("loosening: []", f"loosening: [{section}]"), "p.yaml")
    assert [why in w for _, w in looser(allowed, allowed.projects["p"])] == [True]


def test_an_override_names_known_roles_only() -> None:
    text = _with(
        "projects:\n  p:\n    workflows:\n      extra:\n        triggers: [{low: 0, high: 1}]\n"
        "        approvers: [astronaut]\n"
    )
    with pytest.raises(PolicyError, match="approver 'astronaut' is not a role"):
        parse_yaml_policy(text, "p.yaml")
