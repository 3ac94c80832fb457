"""From the command line to a ``CheckRequest``: the paths, the project root and the settings.

Settings precedence, highest first: ``--select``/``--ignore`` (``--ignore`` adds to the
configured list), ``--config KEY=VALUE`` (in the order given), ``accord.toml``,
``[tool.accord]`` in ``pyproject.toml``, the defaults. Errors in config files are kept in the
request for the report and the run goes on without the bad file; errors on the command line
raise ``UsageError``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from accord.analyzers.rules import all_rules
from accord.config import (
    ConfigError,
    Settings,
    find_root,
    load_settings,
    parse_override,
    resolve,
)

from .cache import resolved_settings
from .exceptions import UsageError

__all__ = ["CheckRequest", "prepare"]


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What to check and how: absolute ``paths`` under the project ``root``, with its settings."""

    paths: tuple[Path, ...]
    root: Path
    settings: Settings
    config_errors: tuple[ConfigError, ...] = ()
    workers: int | None = None
    # Whether results are read from and written to the project's cache (``--no-cache``: not).
    cache: bool = True


def prepare(
    paths: Sequence[str] = (),
    overrides: Sequence[str] = (),
    select: str | None = None,
    ignore: str | None = None,
    workers: int | None = None,
    cache: bool = True,
) -> CheckRequest:
    """Resolve the command line into a request.

    Raises:
        UsageError: a path does not exist or cannot be read, a ``--config`` is malformed or
            invalid, or ``--select``/``--ignore`` names no known rule.
    """
    targets = tuple(_target(path) for path in (paths or ["."]))
    root = find_root(Path(os.path.commonpath(targets)))
    layers = [(f"--config {assignment}", _override(assignment)) for assignment in overrides]
    loaded = load_settings(root, layers, partial(resolved_settings, root) if cache else resolve)
    own = {source for source, _ in layers}
    rejected = [str(error) for error in loaded.errors if error.source in own]
    if rejected:
        raise UsageError("invalid " + "; ".join(rejected))
    settings = _with_selection(loaded.settings, select, ignore)
    file_errors = tuple(e for e in loaded.errors if e.source not in own)
    return CheckRequest(targets, root, settings, file_errors, workers, cache)


def _target(path: str) -> Path:
    target = Path(path).absolute()
    if not target.exists():
        raise UsageError(f"{path}: no such file or folder")
    if not os.access(target, os.R_OK):
        raise UsageError(f"{path}: permission denied")
    return target


def _override(assignment: str) -> dict[str, Any]:
    try:
        return parse_override(assignment)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _with_selection(settings: Settings, select: str | None, ignore: str | None) -> Settings:
    if select is not None:
        settings = replace(settings, select=_codes(select, "--select"))
    if ignore is not None:
        settings = replace(settings, ignore=(*settings.ignore, *_codes(ignore, "--ignore")))
    return settings


def _codes(listed: str, option: str) -> tuple[str, ...]:
    """Comma-separated rule codes or prefixes, each matching at least one registered rule."""
    codes = tuple(code.strip().upper() for code in listed.split(",") if code.strip())
    known = sorted(all_rules())
    for code in codes:
        if not any(rule.startswith(code) for rule in known):
            raise UsageError(f"{option}: unknown rule code {code!r} (known: {', '.join(known)})")
    return codes
