"""The ``accord`` command: ``accord lsp`` (the language server) and ``accord check`` (the linter)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from accord import __version__

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
    return parser


def _run_lsp(options: argparse.Namespace) -> int:
    from accord.server.app import serve

    return serve(tcp=options.tcp, log_file=options.log_file)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    return int(options.run(options) or 0)


if __name__ == "__main__":
    sys.exit(main())
