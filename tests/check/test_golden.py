"""Golden outputs of ``accord check`` on the sample project, one per format.

The goldens are what the real ``accord`` command prints, run from the sample project's folder,
with the two machine-dependent values (the project's absolute URI and the version) replaced by
placeholders. To accept a deliberate change of output, regenerate them and review the diff:

    ACCORD_UPDATE_GOLDEN=1 pytest tests/check/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from accord import __version__

from .helpers import SAMPLE, accord

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ACCORD_UPDATE_GOLDEN") == "1"


def normalised(output: str, format_: str) -> str:
    """``output`` with the absolute root and the version made placeholders."""
    if format_ == "text":
        return output
    document = json.loads(output)
    if format_ == "json":
        document["tool"]["version"] = "<version>"
    else:
        run = document["runs"][0]
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///<root>/"
        driver = run["tool"]["driver"]
        assert driver["version"] == __version__
        driver["version"] = driver["semanticVersion"] = "<version>"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("format_, suffix", [("text", "txt"), ("json", "json"), ("sarif", "sarif")])
def test_output_matches_golden(format_: str, suffix: str) -> None:
    done = accord("check", "--format", format_, cwd=SAMPLE)
    assert done.returncode == 1, done.stderr  # the sample project has warnings and errors
    actual = normalised(done.stdout, format_)
    golden = GOLDEN / f"sample-project.{suffix}"
    if UPDATE:
        golden.write_text(actual, "utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run with ACCORD_UPDATE_GOLDEN=1 to write it")
    assert actual == golden.read_text("utf-8")
