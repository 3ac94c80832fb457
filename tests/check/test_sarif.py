"""SARIF output: valid against the SARIF 2.1.0 schema and shaped as GitHub code scanning wants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from accord.analyzers.rules import all_rules
from accord.check import sarif
from accord.check.model import CheckReport, Located, RelatedLines, Skipped, Span
from accord.config import ConfigError

from .helpers import REPO, SAMPLE, Project, accord

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8")
)


def validate(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture(scope="module")
def sample_log() -> dict[str, Any]:
    done = accord("check", "--format", "sarif", str(SAMPLE))
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


def test_sample_project_log_is_valid(sample_log: dict[str, Any]) -> None:
    validate(sample_log)


def test_results_refer_to_the_rules_of_the_driver(sample_log: dict[str, Any]) -> None:
    run = sample_log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"], "the sample project has findings"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rules_carry_their_documentation(sample_log: dict[str, Any]) -> None:
    for rule in sample_log["runs"][0]["tool"]["driver"]["rules"]:
        info = all_rules()[rule["id"]]
        assert rule["help"]["markdown"].startswith(f"## {info.code} {info.name}")
        assert "accord: ignore" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_locations_are_relative_to_the_repository_root(sample_log: dict[str, Any]) -> None:
    # The sample project has its own accord.toml, inside this repository: as GitHub code
    # scanning reads a relative uri against the repository's root, so does %SRCROOT%.
    run = sample_log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("examples/sample-project/")
        assert (REPO / location["artifactLocation"]["uri"]).is_file()
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_a_sub_project_uploads_with_paths_from_the_repository_root(project: Project) -> None:
    root = project({"services/api/accord.toml": "", "services/api/app.py": "eval(input())\n"})
    (root / ".git").mkdir()
    for cwd in (root, root / "services" / "api"):
        done = accord("check", "--format", "sarif", "services/api" if cwd == root else ".", cwd=cwd)
        run = json.loads(done.stdout)["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
        }
        assert uris == {"services/api/app.py"}
    (root / ".git").rmdir()
    done = accord("check", "--format", "sarif", ".", cwd=root / "services" / "api")
    run = json.loads(done.stdout)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (root / "services/api").as_uri() + "/"


def test_fingerprints_tell_results_apart(sample_log: dict[str, Any]) -> None:
    results = sample_log["runs"][0]["results"]
    fingerprints = [r["partialFingerprints"]["accordFinding/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_duplicates_carry_related_locations(sample_log: dict[str, Any]) -> None:
    duplicates = [r for r in sample_log["runs"][0]["results"] if r["ruleId"] == "ACC002"]
    assert duplicates, "the sample project repeats a block"
    for result in duplicates:
        related = result["relatedLocations"][0]["physicalLocation"]
        assert (REPO / related["artifactLocation"]["uri"]).is_file()


def test_output_is_deterministic(sample_log: dict[str, Any]) -> None:
    again = json.loads(accord("check", "--format", "sarif", str(SAMPLE)).stdout)
    assert again == sample_log


def test_skipped_files_and_config_errors_are_notifications(project: Project) -> None:
    root = project(
        {
            "accord.toml": "[complexity]\nthreshold = 'high'\n",
            "ok.py": "x = 1\n",
            "blob.py": b"\x00\x01binary",
        }
    )
    log = json.loads(accord("check", "--format", "sarif", str(root)).stdout)
    validate(log)
    invocation = log["runs"][0]["invocations"][0]
    (skipped,) = invocation["toolExecutionNotifications"]
    assert skipped["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "blob.py"
    assert "binary" in skipped["message"]["text"]
    (config,) = invocation["toolConfigurationNotifications"]
    assert "complexity.threshold" in config["message"]["text"]


def test_every_optional_part_is_valid(tmp_path: Path) -> None:
    """A report with a measured value, related lines, a non-ASCII path, a skipped file and a
    config error renders to a valid log."""
    rule = next(iter(all_rules().values()))
    finding = Located(
        "src/naïve file.py",
        rule.code,
        rule.default_severity,
        "message",
        Span(3, 5, 4, 1),
        "0123456789abcdef:1",
        12.0,
        (RelatedLines("src/other.py", 10, 16, "the other copy"),),
    )
    report = CheckReport(
        root=tmp_path,
        rules=(rule,),
        severities={rule.code: rule.default_severity},
        findings=(finding,),
        skipped=(Skipped("big.py", "52.4 MB is over max-file-size (5 MB)"),),
        files_checked=2,
        config_errors=(ConfigError("accord.toml", "size", "bad"),),
    )
    log = sarif.document(report)
    validate(log)
    result = log["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "src/na%C3%AFve%20file.py"
    )
    assert result["properties"] == {"value": 12}
