"""Which files ``accord check`` covers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accord.check.discovery import EXCLUDED_BY_DEFAULT, discover
from accord.config import Settings, validated

from .helpers import Project, accord

TREE = {
    "src/app.py": "x = 1\n",
    "src/web/page.tsx": "export const a = 1;\n",
    "src/Main.java": "class Main {}\n",
    "src/notes.txt": "not code\n",
    "src/.hidden/secret.py": "x = 1\n",
    ".github/scripts/tool.py": "x = 1\n",
    "node_modules/lib/index.js": "var a = 1;\n",
    "generated/out.go": "package out\n",
}


# Without ACC003 nothing reads files of no supported language.
NO_TEXT = validated(Settings, {"ignore": ["ACC003"]})


def found(root: Path, *targets: Path, settings: Settings = NO_TEXT) -> list[str]:
    files, _ = discover(targets or (root,), root, settings)
    return [file.rel for file in files]


def test_folders_give_supported_files_less_hidden_and_excluded(project: Project) -> None:
    root = project(TREE)
    assert found(root) == ["generated/out.go", "src/Main.java", "src/app.py", "src/web/page.tsx"]


def test_acc003_reads_every_text_file_and_hidden_files_but_not_binaries(
    project: Project,
) -> None:
    root = project({**TREE, ".env": "A=1\n", "deploy/main.tf": "x = 1\n", "logo.png": b"\x89PNG"})
    assert found(root, settings=Settings()) == [
        ".env",
        "accord.toml",
        "deploy/main.tf",
        "generated/out.go",
        "src/Main.java",
        "src/app.py",
        "src/notes.txt",
        "src/web/page.tsx",
    ]


def test_exclude_patterns_from_the_settings_apply(project: Project) -> None:
    root = project(TREE)
    settings = validated(
        Settings, {"exclude": ["node_modules", "generated", "*.java"], "ignore": ["ACC003"]}
    )
    assert found(root, settings=settings) == ["src/app.py", "src/web/page.tsx"]


def test_the_defaults_are_ruffs_and_say_what_they_leave_out(project: Project) -> None:
    root = project(
        {
            "pip/_internal/operations/build/wheel.py": "x = 1\n",
            "pkg/dist/bundle.py": "x = 1\n",
            "venv/lib/site.py": "x = 1\n",
            "pkg/__pycache__/m.py": "x = 1\n",
        }
    )
    files, skipped = discover((root,), root, Settings())
    assert [f.rel for f in files if f.rel.endswith(".py")] == [
        "pip/_internal/operations/build/wheel.py"
    ]
    assert [(s.path, s.reason) for s in skipped] == [
        ("pkg/dist/", EXCLUDED_BY_DEFAULT),
        ("venv/", EXCLUDED_BY_DEFAULT),
    ]
    chosen = validated(Settings, {"exclude": ["venv"]})
    files, skipped = discover((root,), root, chosen)
    assert len([f for f in files if f.rel.endswith(".py")]) == 3 and skipped == []


def test_the_note_names_the_folders_excluded_by_default(project: Project) -> None:
    root = project({"app.py": "x = 1\n", "dist/bundle.py": "x = 1\n"})
    done = accord("check", str(root))
    assert done.returncode == 0, done.stderr
    assert "excluded by default (as ruff does): " in done.stderr
    assert "dist/" in done.stderr.splitlines()[0]


def test_files_named_explicitly_are_checked_or_reported(project: Project) -> None:
    root = project(TREE)
    named = [root / "src/.hidden/secret.py", root / "src/notes.txt"]
    files, unsupported = discover(named, root, NO_TEXT)
    assert [f.rel for f in files] == ["src/.hidden/secret.py"]
    assert [(s.path, s.reason) for s in unsupported] == [
        ("src/notes.txt", "not a supported language")
    ]
    files, unsupported = discover(named, root, Settings())
    assert [f.rel for f in files] == ["src/.hidden/secret.py", "src/notes.txt"]
    assert unsupported == []


def test_overlapping_targets_give_each_file_once(project: Project) -> None:
    root = project(TREE)
    assert found(root, root / "src", root / "src/app.py") == [
        "src/Main.java",
        "src/app.py",
        "src/web/page.tsx",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_ignored_files_are_left_out(project: Project) -> None:
    root = project({**TREE, ".gitignore": "generated/\n*.tsx\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "src/app.py"], check=True)
    assert found(root) == ["src/Main.java", "src/app.py"]
