"""The ``accord`` command.

Each command group lives in a module of this package that registers its sub-commands
(``add_<group>(commands)``) and imports what it runs only when it runs. :data:`COMMANDS` lists the
groups in the order ``accord --help`` shows them; only the module of the command being run is
imported, so ``accord --help`` and ``accord check --help`` start at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord import __version__

__all__ = ["COMMANDS", "Command", "build_parser", "main"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


@dataclass(frozen=True)
class Command:
    """A top-level command: its name, one line of help, and where it is registered."""

    name: str
    help: str
    module: str
    register: str

    def add(self, commands: Commands) -> None:
        """Register the command in full (imports its module)."""
        add: Callable[[Commands], None] = getattr(
            importlib.import_module(f"accord.cli.{self.module}"), self.register
        )
        add(commands)


COMMANDS = (
    Command("lsp", "run the language server (stdio by default)", "lsp", "add_lsp"),
    Command("check", "lint files and folders with the analyzers", "check", "add_check"),
    Command("audit", "show and verify the tamper-evident audit trail", "audit", "add_parser"),
    Command("policy", "validate or explain the approval policy", "policy", "add_policy"),
    Command("org", "run and administer the org server", "org", "add_org"),
    Command("login", "log in to an org server with a login token", "org", "add_login"),
    Command(
        "approvals", "list and decide approval requests on the org server", "org", "add_approvals"
    ),
    Command(
        "notify", "your notification preferences on the org server", "org_notify", "add_notify"
    ),
    Command("gen", "translate models to other platforms", "gen", "add_gen"),
    Command(
        "templates",
        "list, validate and migrate codegen template packs",
        "templates",
        "add_templates",
    ),
    Command(
        "ask",
        "ask an agent for a change in your own words; prints the diff and its risk",
        "ask",
        "add_ask",
    ),
    Command(
        "demo",
        "run the whole story: org server, two editors, a risky change approved",
        "demo",
        "add_demo",
    ),
)


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The ``accord`` parser: ``selected`` (a command name) in full, the others by name and help
    only; with ``selected=None`` every command in full."""
    parser = argparse.ArgumentParser(
        prog="accord",
        description="AI coding agents inside any LSP editor, in accord with the organisation's "
        "rules. `accord COMMAND --help` tells more about each command.",
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        if selected is None or command.name == selected:
            command.add(commands)
        else:
            commands.add_parser(command.name, help=command.help, add_help=False)
    return parser


def _command_in(argv: Sequence[str]) -> str:
    """The command ``argv`` runs, or "" when it names none (``accord --help``, a typo)."""
    names = {command.name for command in COMMANDS}
    first = next((arg for arg in argv if not arg.startswith("-")), "")
    return first if first in names else ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``accord`` with ``argv`` (default: the process's arguments); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = build_parser(_command_in(arguments)).parse_args(arguments)
    return int(options.run(options) or 0)
