"""``accord demo``: the whole story on the embedded default (SQLite, no key, no network)."""

from __future__ import annotations

import argparse

__all__ = ["add_demo"]


def add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``accord demo``."""
    demo = commands.add_parser(
        "demo", help="run the whole story: org server, two editors, a risky change approved"
    )
    demo.add_argument("--keep", metavar="DIR", help="work in DIR and leave it for reading")
    demo.set_defaults(run=_run_demo)


def _run_demo(options: argparse.Namespace) -> int:
    from pathlib import Path

    from accord.demo import run_demo

    return run_demo(Path(options.keep) if options.keep else None)
