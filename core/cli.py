"""The ``accord`` command: ``accord lsp`` (the language server), ``accord check`` (the linter),
``accord ask`` (a task in your own words)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from accord import __version__
from accord.agents.ask.command import add_ask
from accord.analyzers.findings import Severity
from accord.audit_cli import add_parser as _add_audit
from accord.codegen.cli import add_gen
from accord.codegen.templates_cli import add_templates
from accord.org.cli import add_approvals, add_login, add_org
from accord.policy_cli import add_policy

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description=__doc__)
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    lsp = commands.add_parser("lsp", help="run the language server (stdio by default)")
    lsp.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    lsp.add_argument("--log-file", metavar="PATH", help="write the server's log to PATH")
    lsp.set_defaults(run=_run_lsp)
    _add_check(commands)
    _add_audit(commands)
    add_policy(commands)
    add_org(commands)
    add_login(commands)
    add_approvals(commands)
    add_gen(commands)
    add_templates(commands)
    add_ask(commands)
    demo = commands.add_parser(
        "demo", help="run the whole story: org server, two editors, a risky change approved"
    )
    demo.add_argument("--keep", metavar="DIR", help="work in DIR and leave it for reading")
    demo.set_defaults(run=_run_demo)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="lint files and folders with the analyzers",
        description="Lint files and folders. Exit status: 0 no finding at or above --fail-on, "
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
    check.set_defaults(run=_run_check)


def _run_check(options: argparse.Namespace) -> int:
    from accord.check import UsageError, prepare, run
    from accord.check.notes import notes
    from accord.check.render import render

    try:
        request = prepare(
            options.paths, options.config, options.select, options.ignore, options.workers
        )
        report = run(request, progress=not options.no_progress and sys.stderr.isatty())
        for note in notes(report):
            print(note, file=sys.stderr)
        _write(render(report, options.format), options.output)
    except UsageError as error:
        print(f"accord check: error: {error}", file=sys.stderr)
        return 2
    failed = report.failing(Severity(options.fail_on)) and not options.exit_zero
    return 1 if failed else 0


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


def _run_demo(options: argparse.Namespace) -> int:
    from pathlib import Path

    from accord.demo import run_demo

    return run_demo(Path(options.keep) if options.keep else None)


def _run_lsp(options: argparse.Namespace) -> int:
    from accord.server.app import serve

    return serve(tcp=options.tcp, log_file=options.log_file)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    return int(options.run(options) or 0)


if __name__ == "__main__":
    sys.exit(main())
