"""``accord lsp``: the language server, on stdio or a TCP socket."""

from __future__ import annotations

import argparse

__all__ = ["add_lsp"]


def add_lsp(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``accord lsp``."""
    lsp = commands.add_parser("lsp", help="run the language server (stdio by default)")
    lsp.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    lsp.add_argument("--log-file", metavar="PATH", help="write the server's log to PATH")
    lsp.set_defaults(run=_run_lsp)


def _run_lsp(options: argparse.Namespace) -> int:
    from accord.server.app import serve

    return serve(tcp=options.tcp, log_file=options.log_file)
