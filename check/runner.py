"""Runs a check: discovery, per-file analysis spread over worker processes, then ACC002.

Workers are forked (on Linux) once per run, each analysing round-robin slices of the file list
sorted by size, so that the big files spread evenly. Small runs stay in this process: starting
a worker costs more than the files it would take. Duplication is the one cross-file step: each
worker returns every file's fingerprint, this process gathers them in one
``DuplicateIndex`` and asks it for each file's duplicates. Files whose result is in the
project's cache (``accord.check.cache``) are not analysed again, and fresh results go into it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from accord.analyzers.positions import LineIndex
from accord.analyzers.rules import DUPLICATION, all_rules, rule_checks
from accord.analyzers.suppression import unsuppressed
from accord.config import Settings

from .cache import ResultCache, content_digest, files_digest
from .discovery import SourceFile, discover
from .model import CheckReport, FileResult, Located, Skipped
from .request import CheckRequest

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from accord.analyzers.duplication import DuplicateIndex

__all__ = ["analyse_all", "duplicate_findings", "run", "worker_count"]

# Bytes of source worth a worker process each: below this, starting workers costs more than it
# saves (measured with benchmarks/check_throughput.py --sizes: parsing alone breaks even
# around 400 kB on two cores; the rules' work brings that down).
MIN_BYTES_PER_WORKER = 256_000
# Slices per worker: enough to even out uneven files, few enough to keep messages cheap.
SLICES_PER_WORKER = 4
# Runs with at least this many files show a progress bar (on a terminal only).
PROGRESS_MIN_FILES = 200

Advance = Callable[[int], None]


def run(request: CheckRequest, progress: bool = False) -> CheckReport:
    """Check everything ``request`` names; ``progress`` allows a bar on stderr for long runs."""
    settings = request.settings
    rules = tuple(rule for rule in all_rules().values() if settings.rule_enabled(rule.code))
    files, unsupported = discover(request.paths, request.root, settings)
    cache = ResultCache(request.root, settings) if request.cache else None
    results = analyse_all(files, settings, request.workers, progress, cache)
    findings = [f for result in results for f in result.findings]
    findings += _duplicates(results, request.root, settings, cache)
    if cache is not None:
        cache.save({file.rel for file in files})
    skipped = [*unsupported, *(Skipped(r.path, r.skipped) for r in results if r.skipped)]
    return CheckReport(
        root=request.root,
        rules=rules,
        severities={r.code: settings.severity_of(r.code, r.default_severity) for r in rules},
        findings=tuple(sorted(findings, key=lambda f: f.order)),
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        files_checked=sum(1 for r in results if r.skipped is None),
        config_errors=request.config_errors,
        display_prefix=_display_prefix(request.root),
    )


def worker_count(sizes: Sequence[int], requested: int | None = None) -> int:
    """How many worker processes suit files of ``sizes`` bytes (1: none, run in-process)."""
    if requested is not None:
        return max(1, min(requested, len(sizes)))
    wanted = sum(sizes) // MIN_BYTES_PER_WORKER
    return max(1, min(os.cpu_count() or 1, len(sizes), wanted))


def analyse_all(
    files: Sequence[SourceFile],
    settings: Settings,
    workers: int | None = None,
    progress: bool = False,
    cache: ResultCache | None = None,
) -> list[FileResult]:
    """Every file's result, in the order of ``files``: from ``cache`` where it holds the file's
    current content, else analysed (and put in ``cache``)."""
    if cache is None:
        return _analyse_files(files, settings, workers, progress)
    known = _cached(files, cache, settings.max_file_size)
    fresh = _analyse_files([f for f in files if f.rel not in known], settings, workers, progress)
    for result in fresh:
        if result.digest is not None:
            cache.put(result, result.digest)
    known.update((result.path, result) for result in fresh)
    return [known[file.rel] for file in files]


def _cached(
    files: Sequence[SourceFile], cache: ResultCache, max_size: int
) -> dict[str, FileResult]:
    """The results ``cache`` holds for the current content of ``files``."""
    found: dict[str, FileResult] = {}
    for file in files:
        try:
            if file.path.stat().st_size > max_size:
                continue
            data = file.path.read_bytes()
        except OSError:
            continue  # analysed, which says why it cannot be read
        result = cache.get(file.rel, content_digest(data))
        if result is not None:
            found[file.rel] = result
    return found


def _analyse_files(
    files: Sequence[SourceFile], settings: Settings, workers: int | None, progress: bool
) -> list[FileResult]:
    if not files:
        return []
    from .analysis import analyse  # the analysers: only where a file is analysed

    sizes = [_size(file) for file in files]
    count = worker_count(sizes, workers)
    show = progress and len(files) >= PROGRESS_MIN_FILES
    if count == 1:
        with _progress(len(files), show) as advance:
            return [_advancing(analyse(f.path, f.rel, settings), advance) for f in files]
    slices = _slices(files, sizes, count * SLICES_PER_WORKER)
    return _in_workers(files, slices, settings, count, show)


def _advancing(result: FileResult, advance: Advance) -> FileResult:
    advance(1)
    return result


def _in_workers(
    files: Sequence[SourceFile],
    slices: list[list[SourceFile]],
    settings: Settings,
    count: int,
    show: bool,
) -> list[FileResult]:
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only runs that fork

    rule_checks()  # every rule module imported once, before the workers fork
    results: dict[str, FileResult] = {}
    with ProcessPoolExecutor(
        count, mp_context=_context(), initializer=_start_worker, initargs=(settings,)
    ) as pool:
        # Submitting first forks the workers before the progress bar starts its thread.
        pending = [pool.submit(_analyse_slice, [(f.path, f.rel) for f in part]) for part in slices]
        with _progress(len(files), show) as advance:
            for done in as_completed(pending):
                batch = done.result()
                results.update((result.path, result) for result in batch)
                advance(len(batch))
    return [results[f.rel] for f in files]


def _slices(
    files: Sequence[SourceFile], sizes: Sequence[int], count: int
) -> list[list[SourceFile]]:
    """``count`` slices of about equal total size: biggest files first, dealt round-robin."""
    by_size = [
        file for _, file in sorted(zip(sizes, files, strict=True), key=lambda pair: -pair[0])
    ]
    return [part for part in (by_size[i::count] for i in range(count)) if part]


def _size(file: SourceFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:
        return 0


def _context() -> BaseContext:
    """Fork where it is safe and cheap (Linux): workers inherit the loaded rules and grammars."""
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


# A worker process's settings, set once when it starts.
_worker_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _analyse_slice(part: list[tuple[Path, str]]) -> list[FileResult]:
    from .analysis import analyse

    assert _worker_settings is not None, "worker started without settings"
    return [analyse(path, rel, _worker_settings) for path, rel in part]


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Advance]:
    """A transient rich progress bar on stderr when ``show``; otherwise a no-op."""
    if not show:
        yield lambda count: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("Checking", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("check", total=total)
        yield lambda count: bar.advance(task, count)


def _duplicates(
    results: Sequence[FileResult], root: Path, settings: Settings, cache: ResultCache | None
) -> list[Located]:
    """ACC002's findings, from ``cache`` when it holds them for these very files."""
    if cache is None or not settings.rule_enabled(DUPLICATION):
        return duplicate_findings(results, root, settings)
    analysed = [result for result in results if result.digest is not None]
    files = files_digest(analysed)
    known = cache.duplicates(files)
    if known is not None:
        return list(known)
    printed = [
        replace(result, fingerprint=cache.fingerprint(result.path, result.digest))
        if result.fingerprint is None and result.digest is not None
        else result
        for result in analysed
    ]
    found = duplicate_findings(printed, root, settings)
    cache.put_duplicates(files, found)
    return found


def duplicate_findings(
    results: Sequence[FileResult], root: Path, settings: Settings
) -> list[Located]:
    """ACC002's findings: every fingerprint in one index, then each file's duplicates in it."""
    from accord.analyzers.duplication import DuplicateIndex

    printed = [result for result in results if result.fingerprint is not None]
    if not printed:
        return []
    duplication = settings.duplication
    index = DuplicateIndex(
        duplication.min_lines, duplication.min_tokens, duplication.declarative_tables
    )
    for result in printed:
        index.update(result.path, result.fingerprint)
    located: list[Located] = []
    for result in printed:
        if settings.rule_enabled(DUPLICATION, result.path):
            located.extend(_placed(root, result.path, index, settings))
    return located


def _placed(root: Path, rel: str, index: DuplicateIndex, settings: Settings) -> list[Located]:
    from .analysis import locate, read_source

    found = index.findings(rel)
    if not found:
        return []
    data, _ = read_source(root / rel, settings.max_file_size)
    if data is None:  # changed since the workers read it
        return []
    lines = LineIndex(data)
    return locate(rel, unsuppressed(found, lines), lines, settings)


def _display_prefix(root: Path) -> str:
    """How paths below ``root`` start when shown relative to the working folder."""
    relative = os.path.relpath(root, Path.cwd())
    if relative == ".":
        return ""
    return (str(root) if relative.startswith("..") else relative) + os.sep
