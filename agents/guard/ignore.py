"""Whether a path is ignored by the ``.gitignore`` (or ``.accordignore``) files of a project.

Git's rules, for a path relative to the project root: every ignore file in the root and in the
folders down to the path applies, each to paths relative to its own folder; a deeper file's
verdict overrides a shallower one, and within a file the last matching pattern wins (so ``!``
re-includes). A file inside an ignored folder stays ignored whatever later patterns say, as in
git. Ignore files are read once per modification time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath

import pathspec

__all__ = ["ignored"]


def ignored(rel: str, root: Path, filename: str) -> bool:
    """Whether ``rel`` (a ``/``-separated path below ``root``) is ignored by the ``filename``
    files (``.gitignore``, ``.accordignore``) of ``root`` and its sub-folders."""
    parts = PurePosixPath(rel).parts
    folders = [root.joinpath(*parts[:depth]) for depth in range(len(parts))]
    specs = [(folder, spec) for folder in folders if (spec := _spec(folder / filename))]
    if not specs:
        return False
    prefixes = ["/".join(parts[: depth + 1]) + "/" for depth in range(len(parts) - 1)]
    return any(_decide(prefix, root, specs) for prefix in [*prefixes, rel])


def _decide(rel: str, root: Path, specs: list[tuple[Path, pathspec.GitIgnoreSpec]]) -> bool:
    """The verdict of the deepest ignore file with a pattern matching ``rel``."""
    verdict = False
    for folder, spec in specs:
        below = folder.relative_to(root).as_posix()
        if below != "." and not rel.startswith(below + "/"):
            continue
        local = rel if below == "." else rel[len(below) + 1 :]
        if not local.strip("/"):
            continue  # a folder's own ignore file speaks for what is inside it, not for it
        include = spec.check_file(local).include
        if include is not None:
            verdict = include
    return verdict


def _spec(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _parsed(str(path), stamp)


@lru_cache(maxsize=1024)
def _parsed(path: str, stamp: int) -> pathspec.GitIgnoreSpec | None:
    lines = Path(path).read_text("utf-8", errors="replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines) or None
