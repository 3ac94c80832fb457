"""``accord policy check`` and ``accord policy explain`` through ``main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main

BAD = """\
decision_categories:
  low: {range: {low: 0, high: 10}}
risk_matrix:
  impact_level: {low: {range: {low: 0, high: 10}}}
  complexity_score: {simple: {range: {low: 0, high: 10}}}
  business_impact: {minimal: {range: {low: 0, high: 10}}}
roles:
  developer: {}
workflows:
  supervised_development:
    triggers: [{low: 0, high: 10}]
    timeout_hours: four
"""


def test_check_reports_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "accord-policy.yaml"
    file.write_text(BAD)
    assert main(["policy", "check", str(file)]) == 1
    out = capsys.readouterr().out
    assert f"{file}:12: workflows.supervised_development.timeout_hours: " in out
    file.write_text(BAD.replace("four", "4"))
    assert main(["policy", "check", str(file)]) == 0


def test_check_reads_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text("[tool.accord.policy]\nallow_local_approval = true\n")
    assert main(["policy", "check", str(file)]) == 1
    assert f"{file}:1: decision_categories: Field required" in capsys.readouterr().out


def test_explain_summary_and_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "explain", "--root", str(tmp_path)]) == 0
    assert (
        "supervised_development: score 5-7.9: approvers developer, tech_lead"
        in capsys.readouterr().out
    )
    args = [
        "policy",
        "explain",
        "--root",
        str(tmp_path),
        "--action",
        "edit",
        "--path",
        "db/migrations/1.py",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "managed_development" in out and "approvers: tech_lead, manager" in out
    assert "impact_level: 9 (critical): db/migrations/1.py is migrations" in out


def test_explain_refuses_an_unknown_action_with_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["policy", "explain", "--root", str(tmp_path), "--action", "frobnicate"])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        "unknown action 'frobnicate'" in err and "document, edit, explain, extract_function" in err
    )


def test_the_readme_policy_example_checks_and_a_missing_file_is_worded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert main(["policy", "check", "policy/default-policy.yaml"]) == 0
    assert capsys.readouterr().out == "policy/default-policy.yaml: ok\n"
    assert main(["policy", "check", "accord-policy.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("accord policy check: error: accord-policy.yaml: no such file")
    assert "Errno" not in err


BILLING_OVERRIDE = """
projects:
  billing:
    path_classes:
      docs: {globs: ["docs/**", "**/*.md", "**/*.rst"], impact: 3, business_criticality: 1, confidentiality: confidential}
    workflows:
      standard_development:
        triggers: [{low: 0, high: 4.9}]
        approvers: [developer, tech_lead]
"""


def _org_policy(root: Path, extra: str) -> None:
    from importlib.resources import files

    text = files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
    (root / "accord-policy.yaml").write_text(text + extra, "utf-8")


def test_explain_project_says_which_rule_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_policy(tmp_path, BILLING_OVERRIDE)
    change = ["--root", str(tmp_path), "--action", "document", "--path", "docs/a.md"]
    assert main(["policy", "explain", *change, "--project", "billing"]) == 0
    billing = capsys.readouterr().out
    assert "approvers: developer, tech_lead" in billing
    assert "workflow rule: standard_development  ← project billing override" in billing
    assert "docs/a.md: confidential [docs  ← project billing override]" in billing
    assert main(["policy", "explain", *change, "--project", "shop"]) == 0
    shop = capsys.readouterr().out
    assert "project shop: no overrides" in shop and "auto-approved" in shop
    assert "docs/a.md: public [docs  ← org policy]" in shop


def test_a_project_may_loosen_only_what_the_policy_allows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    looser = "\nprojects:\n  shop:\n    provider_access:\n      anthropic: {max_confidentiality: confidential}\n"
    _org_policy(tmp_path, looser)
    file = tmp_path / "accord-policy.yaml"
    assert main(["policy", "check", str(file)]) == 1
    out = capsys.readouterr().out
    assert "projects.shop.provider_access.anthropic: lets it see confidential files" in out
    assert "lets projects loosen only nothing" in out
    file.write_text(
        file.read_text("utf-8").replace("loosening: []", "loosening: [provider_access]")
    )
    assert main(["policy", "check", str(file)]) == 0
