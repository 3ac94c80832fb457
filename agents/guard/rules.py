"""Which files may leave the machine, judged by path (the only I/O: ignore files and links).

A path is *never sent* when it is ignored by a ``.gitignore`` or ``.accordignore`` of the
project, when its name marks it as holding secrets (``SECRET_FILES``: ``.env*``, private keys,
keystores, credential files), or when it matches ``egress.never-send``. It is *confidential*
when it matches ``egress.confidential``: only ``local`` and ``on_premise`` providers see it.
Globs are gitignore patterns relative to the project root. A symbolic link is judged both
where it is named and where it leads, and the stricter verdict holds, so neither a link in an
ignored folder nor a harmless-looking link to ``~/.env`` lets content out.
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
    """The verdict on ``path`` (absolute, or relative to ``root``; a path or a ``file://``
    URI) and why, in a few words."""
    named = _as_path(path)
    if root is not None and not named.is_absolute():
        named = root / named
    verdicts = [_judge(named, root, settings)]
    if named.resolve() != Path(os.path.abspath(named)):  # a link on the way
        verdicts.append(_judge(named.resolve(), root, settings))
    return max(verdicts, key=lambda verdict: _SEVERITY[verdict[0]])


_SEVERITY = {Verdict.ALLOWED: 0, Verdict.CONFIDENTIAL: 1, Verdict.NEVER: 2}


def _judge(path: Path, root: Path | None, settings: EgressSettings) -> tuple[Verdict, str]:
    inside = _relative(path, root)
    rel = inside or path.as_posix().lstrip("/")
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
    """``path`` (absolute) below ``root`` with ``/``, links in it not followed; None when there
    is no root or the path lies outside it (also when the root is reached through a link)."""
    if root is None:
        return None
    for base in (root.absolute(), root.resolve()):
        try:
            return Path(os.path.normpath(path)).relative_to(os.path.normpath(base)).as_posix()
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
