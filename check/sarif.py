"""The SARIF 2.1.0 format, as GitHub code scanning ingests it.

One run: the active rules in ``tool.driver.rules``; a result per finding with a location
relative to ``%SRCROOT%``: the root of the git work tree holding the project (else the project
root), given as an absolute URI in ``originalUriBaseIds``. GitHub code scanning reads a relative
``uri`` as relative to the repository's root, so a sub-project checked from anywhere in a
repository uploads with paths that resolve; character columns (``columnKind: unicodeCodePoints``), ACC002's other
copies as ``relatedLocations``, and a ``partialFingerprints`` entry that stays put when lines
move. Skipped files are ``toolExecutionNotifications`` of the invocation and config file errors
its ``toolConfigurationNotifications``. The output is deterministic for a given tree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from accord import __version__
from accord.analyzers.findings import Severity
from accord.analyzers.rules import RuleInfo
from accord.analyzers.rules.docs import doc_section

from .json_ import measured
from .model import CheckReport, Located, RelatedLines, Span

__all__ = ["SCHEMA", "document", "render", "source_root"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT_ID = "%SRCROOT%"

_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.HINT: "note",
}


def render(report: CheckReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: CheckReport) -> dict[str, Any]:
    """The SARIF log of ``report`` as plain JSON values."""
    indexes = {rule.code: index for index, rule in enumerate(report.rules)}
    base = source_root(report.root)
    prefix = "" if base == report.root else report.root.relative_to(base).as_posix() + "/"
    run = {
        "tool": {"driver": _driver(report)},
        "invocations": [_invocation(report, prefix)],
        "originalUriBaseIds": {ROOT_ID: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, indexes, prefix) for finding in report.findings],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def source_root(root: Path) -> Path:
    """The root of the git work tree holding ``root`` (a ``.git`` folder or file), else ``root``."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _driver(report: CheckReport) -> dict[str, Any]:
    return {
        "name": "Accord",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule, report.severities[rule.code]) for rule in report.rules],
    }


def _rule(rule: RuleInfo, severity: Severity) -> dict[str, Any]:
    """A rule descriptor; its help is its section of docs/rules.md, shown by code scanning."""
    described = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _LEVELS[severity]},
    }
    if section := doc_section(rule):
        described["help"] = {"text": section, "markdown": section}
    return described


def _invocation(report: CheckReport, prefix: str) -> dict[str, Any]:
    skipped = [
        {
            "level": "warning",
            "message": {"text": f"skipped: {s.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(prefix + s.path)}}],
        }
        for s in report.skipped
    ]
    config = [{"level": "error", "message": {"text": str(error)}} for error in report.config_errors]
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": skipped,
        "toolConfigurationNotifications": config,
    }


def _result(finding: Located, indexes: dict[str, int], prefix: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": indexes[finding.code],
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(prefix + finding.path, _region(finding.span))],
        "partialFingerprints": {"accordFinding/v1": finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            _related(i, r, prefix) for i, r in enumerate(finding.related, 1)
        ]
    if finding.value is not None:
        result["properties"] = {"value": measured(finding.value)}
    return result


def _related(id_: int, related: RelatedLines, prefix: str) -> dict[str, Any]:
    region = {"startLine": related.line, "endLine": related.end_line}
    location = _location(prefix + related.path, region)
    return {"id": id_, "message": {"text": related.message}, **location}


def _location(path: str, region: dict[str, int]) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact(path), "region": region}}


def _artifact(path: str) -> dict[str, str]:
    return {"uri": quote(path), "uriBaseId": ROOT_ID}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }
