"""Template packs: a project's own packs beside the built-in one, the pin in accord.toml,
validation naming the template file and line, and migration to a new major version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accord.agents.actions.translate_model import local_answer
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.cli import main
from accord.codegen.catalog import PROJECT_PACKS, choose
from accord.codegen.pack_check import check_pack
from accord.codegen.packs import builtin_pack, load_pack
from accord.protocol import Range

from .shop import ROOT, SHOP

V2_META = """description = "Standard, with a Go package named shop."
migration_note = "Go files are in package shop."

[[migration]]
old = "package models"
new = "package shop"
"""


def project_pack(root: Path, version: str, meta: str = V2_META) -> Path:
    """A copy of the built-in pack as the project's ``standard`` at ``version``."""
    folder = root / PROJECT_PACKS / "standard" / version
    shutil.copytree(builtin_pack().folder, folder)
    (folder / "pack.toml").write_text(meta, "utf-8")
    go = folder / "go.j2"
    go.write_text(go.read_text("utf-8").replace("package models", "package shop"), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("pin", "version"),
    [
        ("standard@1", "1.0.0"),
        ("standard@2", "2.0.0"),
        ("standard", "2.0.0"),
        ("standard@2.0.0", "2.0.0"),
    ],
)
def test_a_pin_takes_the_newest_version_it_admits(tmp_path: Path, pin: str, version: str) -> None:
    project_pack(tmp_path, "2.0.0")
    assert str(choose(pin, tmp_path).version) == version


def test_the_built_in_pack_is_sound() -> None:
    assert check_pack(builtin_pack()) == []


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        ("{% for x in %}", 3, "Expected an expression"),
        ("{{ d.no_such_helper(schema) }}", 3, "no_such_helper"),
        ("func {", 1, "syntax errors"),
    ],
)
def test_an_invalid_template_is_refused_with_its_file_and_line(
    tmp_path: Path, broken: str, line: int, words: str
) -> None:
    folder = project_pack(tmp_path, "2.0.0")
    go = folder / "go.j2"
    lines = go.read_text("utf-8").split("\n")
    go.write_text("\n".join([*lines[:2], broken, *lines[2:]]), "utf-8")
    [problem] = check_pack(load_pack(folder))
    assert (problem.path, problem.line) == (str(go), line) and words in str(problem)


def test_a_new_major_version_needs_a_migration_note(tmp_path: Path) -> None:
    folder = project_pack(tmp_path, "2.0.0", meta='description = "no note"\n')
    [problem] = check_pack(load_pack(folder))
    assert problem.path.endswith("pack.toml") and "migration_note" in str(problem)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder: a project pinning standard@1, with its own standard 2.0.0."""
    project_pack(tmp_path, "2.0.0")
    (tmp_path / "accord.toml").write_text('[codegen]\npack = "standard@1"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_migrate_pins_the_new_major_and_rewrites_generated_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gen", "--from", str(SHOP), "--to", "go", "--out", "gen"]) == 0
    generated = project / "gen" / "shop.go"
    assert "package models" in generated.read_text("utf-8")

    assert main(["templates", "migrate", "--to", "standard@2", str(generated)]) == 0

    text = generated.read_text("utf-8")
    assert "package shop" in text and "(templates standard 2.0.0)" in text
    assert 'pack = "standard@2"' in (project / "accord.toml").read_text("utf-8")
    assert "Go files are in package shop." in capsys.readouterr().out
    assert main(["gen", "--from", str(SHOP), "--to", "go", "--out", "again"]) == 0
    assert (project / "again" / "shop.go").read_text("utf-8") == text


def test_list_marks_the_pinned_pack(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* standard@1.0.0  (built-in)")
    assert lines[1].startswith("  standard@2.0.0  (project)")


def test_the_editor_action_emits_through_the_projects_pinned_pack(tmp_path: Path) -> None:
    project_pack(tmp_path, "2.0.0")
    (tmp_path / "accord.toml").write_text('[codegen]\npack = "standard@2"\n', "utf-8")
    source = SHOP.read_text("utf-8")
    task = Task(
        kind=ActionKind.TRANSLATE_MODEL,
        target=Target(
            path=str(SHOP),
            language="kotlin",
            source=source,
            range=Range.model_validate(
                {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
            ),
            kind=TargetKind.CLASS,
            symbol="User",
        ),
        root=str(tmp_path),
        targets=("go",),
    )
    answer = local_answer(task)
    assert "package shop" in answer and "(templates standard 2.0.0)" in answer
    unpinned = local_answer(task.model_copy(update={"root": None}))
    assert "package models" in unpinned


def test_the_built_in_pack_is_built_in_from_any_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in (ROOT, ROOT.parent):  # the checkout, and a folder above it
        monkeypatch.chdir(folder)
        assert main(["templates", "list"]) == 0
        assert "(built-in)" in capsys.readouterr().out


def test_a_pack_without_union_templates_says_so_at_the_sealed_hierarchy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "accord.toml").write_text('[codegen]\npack = "standard@2"\n', "utf-8")
    domain = Path(__file__).parent / "data" / "domain"
    assert main(["gen", "--from", str(domain), "--type", "Payment", "--to", "go"]) == 0
    captured = capsys.readouterr()
    assert (
        "network/NetworkUser.kt:29: warning: `Payment` is not emitted for go: "
        "templates standard 2.0.0 have no union template for it"
    ) in captured.err
    assert "type Card struct" in captured.out and "type Payment struct" not in captured.out
    assert main(["gen", "--from", str(domain), "--type", "Payment", "--to", "go", "--strict"]) == 1
