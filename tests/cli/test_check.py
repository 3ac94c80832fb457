"""``accord check`` as a user runs it: the installed console script, as a subprocess."""

from __future__ import annotations

import json

import pytest

from tests.check.helpers import SAMPLE, Project, accord, check_json

CLEAN = {"clean.py": "def add(a, b):\n    return a + b\n"}
RISKY = {"risky.py": "def run(text):\n    return eval(text)\n"}


def test_readme_command_reports_the_sample_project() -> None:
    done = accord("check", "examples/sample-project")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("Found ")
    codes = {line.split(": ")[1].split()[0] for line in lines[:-1]}
    assert codes == {"ACC001", "ACC002", "ACC003", "ACC004", "ACC005"}
    assert all(line.startswith("examples/sample-project/") for line in lines[:-1])


def test_text_lines_are_path_line_column_code_message(project: Project) -> None:
    done = accord("check", cwd=project(RISKY))
    first = done.stdout.splitlines()[0]
    assert first.startswith("risky.py:2:12: ACC004 "), first


@pytest.mark.parametrize(
    "files, args, status",
    [
        (CLEAN, [], 0),
        (RISKY, [], 1),
        (RISKY, ["--exit-zero"], 0),
        (RISKY, ["--fail-on", "error"], 0),
        (RISKY, ["--config", "severity.ACC004='error'", "--fail-on", "error"], 1),
        (RISKY, ["--config", "severity.ACC004='info'"], 0),
        (RISKY, ["--ignore", "ACC004"], 0),
        (RISKY, ["--select", "ACC001"], 0),
    ],
)
def test_exit_status(project: Project, files: dict[str, str], args: list[str], status: int) -> None:
    done = accord("check", *args, cwd=project(files))
    assert done.returncode == status, done.stdout + done.stderr


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--format", "xml"], "invalid choice"),
        (["no/such/folder"], "no such file or folder"),
        (["--config", "complexity.threshold"], "KEY=VALUE"),
        (["--config", "complexity.threshold='high'"], "complexity.threshold"),
        (["--config", "no-such-key=1"], "no-such-key"),
        (["--select", "XYZ9"], "unknown rule code"),
        (["--fail-on", "fatal"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(project: Project, args: list[str], complaint: str) -> None:
    done = accord("check", *args, cwd=project(CLEAN))
    assert done.returncode == 2
    assert complaint in done.stderr
    assert done.stdout == ""


def test_select_keeps_only_the_named_rules() -> None:
    report = check_json("--select", "ACC003,ACC004", str(SAMPLE))
    assert {f["code"] for f in report["findings"]} == {"ACC003", "ACC004"}


def test_ignore_adds_to_the_configured_ignores() -> None:
    report = check_json("--ignore", "ACC00", str(SAMPLE))
    assert report["findings"] == []


def test_output_file_gets_the_report(project: Project) -> None:
    root = project(RISKY)
    done = accord("check", "--format", "json", "--output", "report.json", cwd=root)
    assert done.returncode == 1 and done.stdout == ""
    report = json.loads((root / "report.json").read_text("utf-8"))
    assert [f["code"] for f in report["findings"]] == ["ACC004"]


def test_per_file_ignores_and_suppression_comments_are_honoured() -> None:
    report = check_json("--select", "ACC003", str(SAMPLE))
    flagged = {f["file"].rsplit("/", 1)[-1] for f in report["findings"]}
    assert "test_pricing.py" not in flagged  # per-file-ignores in accord.toml
    lines = [f["line"] for f in report["findings"] if f["file"].endswith("settings.py")]
    assert 11 not in lines  # the `accord: ignore[ACC003]` line


def test_suppression_comment_hides_only_its_rule(project: Project) -> None:
    source = "x = eval(a)  # accord: ignore[ACC004]\ny = eval(b)  # accord: ignore[ACC003]\n"
    report = check_json(cwd=project({"mod.py": source}))
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("ACC004", 2)]


def test_config_file_errors_are_reported_and_the_run_goes_on(project: Project) -> None:
    root = project({"accord.toml": "[complexity]\nthreshold = 'high'\n", **RISKY})
    done = accord("check", "--format", "json", cwd=root)
    assert done.returncode == 1
    assert "accord.toml: complexity.threshold:" in done.stderr
    report = json.loads(done.stdout)
    assert [f["code"] for f in report["findings"]] == ["ACC004"]
    assert report["config_errors"][0]["key"] == "complexity.threshold"


def test_bad_files_are_skipped_with_a_note(project: Project) -> None:
    root = project(
        {
            "blob.py": b"\x7fELF\x00\x00binary",
            "latin.py": "# caf\xe9\nx = 1\n".encode("latin-1"),
            **RISKY,
        }
    )
    with open(root / "big.py", "wb") as big:
        big.truncate(52_428_800)  # sparse: 50 MiB that take no disk space
    done = accord("check", "--format", "json", cwd=root)
    assert done.returncode == 1
    notes = done.stderr.splitlines()
    assert "skipped big.py: 52.4 MB is over max-file-size (5 MB)" in notes
    assert "skipped blob.py: binary file (it contains NUL bytes)" in notes
    assert "skipped latin.py: not UTF-8 (byte 0xe9 on line 1)" in notes
    report = json.loads(done.stdout)
    assert [s["file"] for s in report["skipped"]] == ["big.py", "blob.py", "latin.py"]
    assert [f["file"] for f in report["findings"]] == ["risky.py"]
    assert report["summary"]["files_checked"] == 2  # risky.py, and accord.toml read as text
