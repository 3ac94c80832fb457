"""The ``accord`` command's groups: listed once, loaded only when run, errors as exit statuses."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from accord.cli import COMMANDS, build_parser
from accord.cli.exits import FAILED, USAGE, Outcome, guarded


def _helps(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {choice.dest: choice.help for choice in commands._choices_actions}


def test_the_listed_help_is_what_each_group_registers() -> None:
    lazy = _helps(build_parser("lsp"))
    full = _helps(build_parser())
    assert lazy == full
    assert list(full) == [command.name for command in COMMANDS]


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["lsp", "--help"]])
def test_help_loads_neither_the_servers_nor_the_agents(argv: list[str]) -> None:
    probe = (
        "import sys\nfrom accord.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('accord.server', 'accord.org', "
        "'accord.agents', 'pygls', 'websockets'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_unknown_command_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "frobnicate"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == USAGE
    assert "invalid choice: 'frobnicate'" in done.stderr


def test_guarded_prints_one_line_with_the_outcome_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fails() -> int:
        raise KeyError("no such revision")

    outcomes = (
        Outcome((ValueError,), USAGE),
        Outcome((LookupError,), FAILED, "{command}: {error}"),
    )
    assert guarded("accord x", fails, *outcomes) == FAILED
    assert capsys.readouterr().err == "accord x: 'no such revision'\n"
    with pytest.raises(ZeroDivisionError):
        guarded("accord x", lambda: 1 // 0, *outcomes)
