"""Which files a check covers.

A file named on the command line is checked whenever its language is supported, or as text
for secrets (ACC003) when it has none. A folder contributes its files of supported languages
and, while ACC003 runs, every other file that may hold text (not an image, archive or other
binary format) and hidden files such as ``.env``, less those in hidden folders (``.git``, ``.venv``…), those under an ``exclude``
pattern of the settings and, inside a git work tree, those that git ignores (``git ls-files``
lists them, which is also faster than walking).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.analyzers.languages import language_for
from accord.analyzers.rules.secrets import CODE as TEXT_RULE  # reads every text file
from accord.analyzers.secrets.patterns import is_text_candidate
from accord.config import Settings

from .model import Skipped

__all__ = ["SourceFile", "discover"]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to check: its absolute ``path`` and ``rel``, its path from the root with ``/``."""

    path: Path
    rel: str


def discover(
    targets: Sequence[Path], root: Path, settings: Settings
) -> tuple[list[SourceFile], list[Skipped]]:
    """The files to check under ``targets`` (absolute paths below ``root``), sorted by path,
    and the files named explicitly that no supported language owns (when nothing scans text)."""
    found: dict[str, SourceFile] = {}
    unsupported: list[Skipped] = []
    for target in targets:
        if target.is_dir():
            for path in _folder_files(target, root, settings):
                rel = _relative(path, root)
                found[rel] = SourceFile(path, rel)
        elif language_for(path=target.name) is not None or _scans_text(settings):
            found[_relative(target, root)] = SourceFile(target, _relative(target, root))
        else:
            unsupported.append(Skipped(_relative(target, root), "not a supported language"))
    return sorted(found.values(), key=lambda f: f.rel), unsupported


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _scans_text(settings: Settings) -> bool:
    """Whether files of no supported language are read (as text, for ACC003's secrets)."""
    return settings.rule_enabled(TEXT_RULE)


def _folder_files(folder: Path, root: Path, settings: Settings) -> Iterator[Path]:
    text = _scans_text(settings)
    for path in _git_listed(folder, root, settings) or _walk(folder, root, settings):
        parts = path.relative_to(folder).parts
        # Hidden files (.env, .npmrc) hold secrets; hidden folders (.git, .venv) are not read.
        if _hidden(parts if not text else parts[:-1]):
            continue
        if not language_for(path=path.name) and not (text and is_text_candidate(path.name)):
            continue
        if not settings.excluded(_relative(path, root)):
            yield path


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


def _git_listed(folder: Path, root: Path, settings: Settings) -> list[Path]:
    """The files git tracks or would track under ``folder``; empty outside a work tree.

    Untracked folders come back whole from git (``--directory``) and are walked.
    """
    command = [
        "git",
        "-C",
        str(folder),
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        "--directory",
        "--no-empty-directory",
    ]
    try:
        listed = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths: list[Path] = []
    for name in filter(None, listed.decode("utf-8", "surrogateescape").split("\0")):
        path = folder / name
        if name.endswith("/"):
            paths.extend(_walk(path, root, settings))
        elif path.is_file():
            paths.append(path)
    return paths


def _walk(folder: Path, root: Path, settings: Settings) -> Iterator[Path]:
    """Every file below ``folder``, not entering hidden or excluded folders."""
    for current, folders, files in os.walk(folder):
        base = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".") and not settings.excluded(_relative(base / name, root))
        )
        yield from (base / name for name in files)
