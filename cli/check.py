"""``accord check``: lint files and folders with the analyzers (text, JSON or SARIF)."""

from __future__ import annotations

import argparse
import sys

from accord.cli.exits import FAILED, OK, USAGE, Outcome, guarded
from accord.vocabulary import DEFAULT_EXCLUDE, Severity

__all__ = ["add_check"]


def add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``accord check``."""
    check = commands.add_parser(
        "check",
        help="lint files and folders with the analyzers",
        description="Lint files and folders. Inside a git work tree, files git ignores are left "
        "out; so are hidden folders and, unless `exclude` is set in accord.toml, ruff's default "
        f"excludes: {', '.join(p for p in DEFAULT_EXCLUDE if not p.startswith('.'))} (a note "
        "names each folder so left out). Exit status: 0 no finding at or above --fail-on, "
        "1 some, 2 a usage error.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    check.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text", help="output format"
    )
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    check.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes")
    check.add_argument("--ignore", metavar="CODES", help="rule codes or prefixes to leave out")
    check.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config key with a TOML value, e.g. complexity.threshold=0 (repeatable)",
    )
    check.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.WARNING.value,
        help="exit 1 when a finding is at least this serious (default: warning)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--workers", type=int, metavar="N", help="worker processes (default: auto)")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    check.add_argument(
        "--no-cache", action="store_true", help="analyse every file (no .accord/cache)"
    )
    check.set_defaults(run=_run_check)


def _run_check(options: argparse.Namespace) -> int:
    from accord.check import UsageError, prepare, run
    from accord.check.notes import notes
    from accord.check.render import render

    def check() -> int:
        request = prepare(
            options.paths,
            options.config,
            options.select,
            options.ignore,
            options.workers,
            not options.no_cache,
        )
        report = run(request, progress=not options.no_progress and sys.stderr.isatty())
        for note in notes(report):
            print(note, file=sys.stderr)
        _write(render(report, options.format), options.output)
        failed = report.failing(Severity(options.fail_on)) and not options.exit_zero
        return FAILED if failed else OK

    return guarded("accord check", check, Outcome((UsageError,), USAGE))


def _write(text: str, output: str | None) -> None:
    from accord.check import UsageError

    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        raise UsageError(f"{output}: cannot write ({error.strerror})") from None
