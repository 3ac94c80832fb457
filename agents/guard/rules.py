"""Which files may leave the machine, judged by path alone (no I/O beyond ignore files).

A path is *never sent* when it is ignored by a ``.gitignore`` or ``.accordignore`` of the
project, when its name marks it as holding secrets (``SECRET_FILES``: ``.env*``, private keys,
keystores, credential files), or when it matches ``egress.never-send``. It is *confidential*
when it matches ``egress.confidential``: only ``local`` and ``on_premise`` providers see it.
Globs are gitignore patterns relative to the project root.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pathspec
from accord.config import EgressSettings

from .ignore import ignored

__all__ = ["SECRET_FILES", "Verdict", "judge"]

# File names that hold credentials wherever they sit (gitignore patterns).
SECRET_FILES: tuple[str, ...] = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.kdbx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".htpasswd",
    "**/.aws/credentials",
    "**/.docker/config.json",
    "**/.ssh/*",
)

_IGNORE_FILES = (".gitignore", ".accordignore")


class Verdict(StrEnum):
    """What the guard makes of one path; ``reason`` words for the refusals are in ``judge``."""

    ALLOWED = "allowed"
    CONFIDENTIAL = "confidential"
    NEVER = "never"


def judge(path: str | Path, root: Path | None, settings: EgressSettings) -> tuple[Verdict, str]:
    """The verdict on ``path`` (absolute, or relative to ``root``) and why, in a few words."""
    inside = _relative(_as_path(path), root)
    rel = inside or _as_path(path).as_posix().lstrip("/")
    if _secret_files().match_file(rel):
        return Verdict.NEVER, f"{rel} holds credentials"
    if root is not None and inside is not None:
        for name in _IGNORE_FILES:
            if ignored(inside, root, name):
                return Verdict.NEVER, f"{rel} is ignored by {name}"
    if _globs(settings.never_send).match_file(rel):
        return Verdict.NEVER, f"{rel} matches egress.never-send"
    if _globs(settings.confidential).match_file(rel):
        return Verdict.CONFIDENTIAL, f"{rel} is confidential"
    return Verdict.ALLOWED, ""


def _relative(path: Path, root: Path | None) -> str | None:
    """``path`` below ``root`` with ``/`` (a relative path is taken as below it); None when
    there is no root or the path lies outside it. The path is judged where it is named, its
    symbolic links not followed, so a link inside the project obeys the project's rules."""
    if root is None:
        return None
    if not path.is_absolute():
        path = root / path
    for base, target in ((root.absolute(), path), (root.resolve(), path.resolve())):
        try:
            return Path(os.path.normpath(target)).relative_to(os.path.normpath(base)).as_posix()
        except ValueError:
            continue
    return None


def _as_path(path: str | Path) -> Path:
    """A path, from a path or a ``file://`` URI."""
    text = str(path)
    if text.startswith("file://"):
        return Path(url2pathname(urlparse(text).path))
    return Path(path)


@lru_cache(maxsize=1)
def _secret_files() -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(SECRET_FILES)


@lru_cache(maxsize=64)
def _globs(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)
