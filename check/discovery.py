"""Which files a check covers.

A file named on the command line is checked whenever its language is supported, or as text
for secrets (ACC003) when it has none. A folder contributes its files of supported languages
and, while ACC003 runs, every other file that may hold text (not an image, archive or other
binary format) and hidden files such as ``.env``, less those in hidden folders (``.git``,
``.venv``…), those under an ``exclude`` pattern of the settings (ruff's defaults unless the
project sets its own) and, inside a git work tree, those that git ignores (``git ls-files`` lists
them, which is also faster than walking). A folder left out by a default pattern is reported as
skipped (:data:`EXCLUDED_BY_DEFAULT`), so nothing is dropped without a word.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.analyzers.languages import language_for
from accord.analyzers.rules import TEXT_RULE
from accord.config import Settings

from .model import Skipped

__all__ = ["EXCLUDED_BY_DEFAULT", "SourceFile", "discover"]

EXCLUDED_BY_DEFAULT = "excluded by default"


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
    left_out: set[str] = set()
    for target in targets:
        if target.is_dir():
            for path in _folder_files(target, root, settings, left_out):
                rel = _relative(path, root)
                found[rel] = SourceFile(path, rel)
        elif language_for(path=target.name) is not None or _scans_text(settings):
            found[_relative(target, root)] = SourceFile(target, _relative(target, root))
        else:
            unsupported.append(Skipped(_relative(target, root), "not a supported language"))
    unsupported.extend(Skipped(folder, EXCLUDED_BY_DEFAULT) for folder in sorted(left_out))
    return sorted(found.values(), key=lambda f: f.rel), unsupported


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _scans_text(settings: Settings) -> bool:
    """Whether files of no supported language are read (as text, for ACC003's secrets)."""
    return settings.rule_enabled(TEXT_RULE)


def _folder_files(
    folder: Path, root: Path, settings: Settings, left_out: set[str]
) -> Iterator[Path]:
    """The files to check under ``folder``; adds to ``left_out`` each folder that only a default
    ``exclude`` pattern leaves out."""
    text = _scans_text(settings)
    listed = _git_listed(folder, root, settings, left_out) or _walk(
        folder, root, settings, left_out
    )
    for path in listed:
        parts = path.relative_to(folder).parts
        # Hidden files (.env, .npmrc) hold secrets; hidden folders (.git, .venv) are not read.
        if _hidden(parts if not text else parts[:-1]):
            continue
        if not _worth_reading(path.name, text):
            continue
        rel = _relative(path, root)
        if not settings.excluded(rel):
            yield path
        elif settings.excluded_by_default(rel):
            left_out.add(_excluded_folder(rel, settings))


def _worth_reading(name: str, text: bool) -> bool:
    """Whether a file called ``name`` is checked: in a supported language, or, when ``text``
    files are scanned, not of a binary format."""
    if language_for(path=name):
        return True
    if not text:
        return False
    from accord.analyzers.secrets.patterns import is_text_candidate  # parses the rules' data

    return bool(is_text_candidate(name))


def _excluded_folder(rel: str, settings: Settings) -> str:
    """The outermost folder of ``rel`` that the settings exclude (``rel`` itself if none is)."""
    parts = rel.split("/")
    for end in range(1, len(parts)):
        if settings.excluded("/".join(parts[:end])):
            return "/".join(parts[:end]) + "/"
    return rel


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


def _git_listed(folder: Path, root: Path, settings: Settings, left_out: set[str]) -> list[Path]:
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
            paths.extend(_walk(path, root, settings, left_out))
        elif path.is_file():
            paths.append(path)
    return paths


def _walk(folder: Path, root: Path, settings: Settings, left_out: set[str]) -> Iterator[Path]:
    """Every file below ``folder``, not entering hidden or excluded folders."""
    for current, folders, files in os.walk(folder):
        base = Path(current)
        kept = []
        for name in sorted(folders):
            rel = _relative(base / name, root)
            if name.startswith("."):
                continue
            if not settings.excluded(rel):
                kept.append(name)
            elif settings.excluded_by_default(rel) and name != "__pycache__":
                left_out.add(rel + "/")
        folders[:] = kept
        yield from (base / name for name in files)
