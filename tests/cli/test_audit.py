"""``accord audit show`` and ``accord audit verify``, through main() and the installed command."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from accord.audit.events import EventType
from accord.audit.store import AuditStore, read_log
from accord.cli import main
from tests.audit.logs import draft, written_store

ACCORD = Path(sys.executable).with_name("accord")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_prints_ok_with_the_count_and_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written_store(tmp_path, 6)
    last = read_log(tmp_path).rows[-1].hash
    assert run(capsys, "audit", "verify", "--root", str(tmp_path)) == (
        0,
        f"OK: 6 events, head {last}\n",
        "",
    )


def test_verify_prints_each_finding_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written_store(tmp_path, 6)
    db = sqlite3.connect(tmp_path / ".accord" / "audit.db", isolation_level=None)
    db.executescript("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq IN (2, 6);")
    db.close()
    code, out, _ = run(capsys, "audit", "verify", "--root", str(tmp_path))
    assert code == 1
    assert out.splitlines() == [
        "seq 2: deleted: event 2 is missing (a gap between 1 and 3)",
        "seq 6: truncated: event 6 is missing at the tail (the head is anchored at seq 6)",
    ]


def test_verify_reports_an_unreadable_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".accord").mkdir()
    (tmp_path / ".accord" / "audit.db").write_bytes(b"not a database" * 100)
    code, out, _ = run(capsys, "audit", "verify", "--root", str(tmp_path))
    assert code == 1 and out.startswith("unreadable: ") and "audit.db" in out


def test_show_json_lines_filtered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written_store(tmp_path, 20)
    code, out, _ = run(
        capsys, "audit", "show", "--root", str(tmp_path), "--json", "--type", "agent.action"
    )
    events = [json.loads(line) for line in out.splitlines()]
    expected = [n for n in range(1, 21) if draft(n).type is EventType.AGENT_ACTION]
    assert code == 0 and [event["seq"] for event in events] == expected
    assert events[0]["agent_action"]["action_type"] == "document"
    assert events[0]["agent_action"]["execution_time_ms"] == 9


@pytest.mark.parametrize(
    ("options", "count"),
    [((), 5), (("--limit", "2"), 2), (("--project", "other"), 0), (("--since", "2999-01-01"), 0)],
)
def test_show_options_select_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], count: int
) -> None:
    written_store(tmp_path, 5)
    code, out, _ = run(capsys, "audit", "show", "--root", str(tmp_path), "--json", *options)
    assert code == 0 and len(out.splitlines()) == count


def test_show_piped_prints_whole_tab_separated_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written_store(tmp_path, 10)
    code, out, _ = run(
        capsys, "audit", "show", "--root", str(tmp_path), "--type", "agent.action", "--limit", "1"
    )
    assert code == 0
    [cells] = [line.split("\t") for line in out.splitlines()]
    assert len(cells) == 7 and cells[2] == "agent.action" and cells[6] == "document ok 9 ms"


def test_show_on_a_terminal_prints_a_table(tmp_path: Path) -> None:
    written_store(tmp_path, 10)
    controller, terminal = pty.openpty()
    with os.fdopen(controller, "rb") as screen:
        done = subprocess.run(
            [str(ACCORD), "audit", "show", "--root", str(tmp_path), "--limit", "2"],
            stdout=terminal,
            env={**os.environ, "COLUMNS": "160"},
            timeout=60,
            check=False,
        )
        os.close(terminal)
        shown = screen.read1(65536).decode()
    assert done.returncode == 0
    assert "┃ seq" in shown or "seq" in shown.splitlines()[1]
    assert "document ok 9 ms" in shown and "risk.scored" not in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--limit", "0"), "not a positive whole number: '0'"),
        (("--since", "yesterday"), "not an ISO date or time: 'yesterday'"),
        (("--type", "proposal.deleted"), "invalid choice: 'proposal.deleted'"),
    ],
)
def test_show_refuses_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["audit", "show", "--root", str(tmp_path), *args])
    assert raised.value.code == 2 and message in capsys.readouterr().err


def test_show_without_a_log_is_an_empty_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "audit", "show", "--root", str(tmp_path))
    assert (code, out) == (0, "") and "no audit events" in err
    assert run(capsys, "audit", "verify", "--root", str(tmp_path))[0] == 0
    assert not (tmp_path / ".accord").exists()


def test_the_installed_command_verifies(tmp_path: Path) -> None:
    written_store(tmp_path, 3)
    done = subprocess.run(
        [str(ACCORD), "audit", "verify"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("OK: 3 events, head ")
    (tmp_path / ".accord" / "audit.head").unlink()
    done = subprocess.run(
        [str(ACCORD), "audit", "verify", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("seq 3: unanchored: no anchored head")


def test_verify_checks_the_checkpoint_with_a_key_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(b"s3cret")
    store = AuditStore(tmp_path / "project", key=b"s3cret")
    store.append(draft(1))
    root = str(tmp_path / "project")
    assert run(capsys, "audit", "verify", "--root", root, "--key-file", str(key_file))[0] == 0
    key_file.write_bytes(b"other")
    code, out, _ = run(capsys, "audit", "verify", "--root", root, "--key-file", str(key_file))
    assert code == 1 and out.startswith("seq 1: unanchored: the head's checkpoint does not verify")
    code, _, err = run(capsys, "audit", "verify", "--root", root, "--key-file", "/nonexistent")
    assert code == 2 and "/nonexistent" in err
