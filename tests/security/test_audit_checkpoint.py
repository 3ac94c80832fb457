"""The org's audit head is anchored by checkpoints signed with the org key: someone who
truncates the chain and its head together in the database is caught by ``accord org audit
verify`` (against the stored checkpoint) and by every language server that saw a later one."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import urllib.request
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest

from accord.audit.chain import StoredRow, digest
from accord.org.checkpoints import checkpoint_findings, rollback
from accord.org.signing import Checkpoint, checkpoint_valid, new_key, sign_checkpoint
from accord.protocol.org import AuditCheckpoint, Empty

from ..org.editors import Editor, log_in, start_editor, until
from ..org.server import OrgServer
from .signed_editors import launch

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def _at(seq: int, hash_: str = "a" * 64) -> Checkpoint:
    return Checkpoint(seq, hash_, NOW, "k", "s")


@pytest.mark.parametrize(
    ("seen", "now", "problem"),
    [
        (_at(3), _at(3), None),
        (_at(3), _at(5, "b" * 64), None),
        (_at(5), _at(3), "went back from 5 events"),
        (_at(3), _at(3, "b" * 64), "rewritten"),
        (_at(0, "0" * 64), _at(0, "0" * 64), None),
    ],
)
def test_a_chain_may_only_grow_past_what_was_signed(
    seen: Checkpoint, now: Checkpoint, problem: str | None
) -> None:
    found = rollback(seen, now)
    assert found is None if problem is None else problem in (found or "")


def test_a_chain_is_checked_against_its_signed_checkpoint() -> None:
    bodies = [f'{{"seq":{n}}}' for n in (1, 2, 3)]
    rows = [StoredRow(n, digest(b), "", b) for n, b in zip((1, 2, 3), bodies, strict=True)]
    key = new_key("acme", None, NOW)
    signed = sign_checkpoint("acme", key, 3, rows[2].hash, NOW)
    assert checkpoint_valid("acme", {key.key_id: key.public_key.public}, signed)
    assert not checkpoint_valid("bobco", {key.key_id: key.public_key.public}, signed)
    assert checkpoint_findings(rows, signed) == []
    assert "truncated" in checkpoint_findings(rows[:2], signed)[0]
    edited = [*rows[:2], StoredRow(3, "f" * 64, "", "{}")]
    assert "rewritten" in checkpoint_findings(edited, signed)[0]


# --- a real org server, its SQLite file and a language server ---------------------------------


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2", "--auth-timeout", "1"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _verify(org: OrgServer) -> tuple[int, str]:
    acme = org.users["admin@acme.test"].org_id
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        *("org", "audit", "verify", "--store", org.store, "--org", acme),
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


def _truncate(path: Path, org_id: str, keep: int, forget_checkpoints: bool) -> None:
    """What someone with write access to the database does to hide events after ``keep``."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        db.execute("DELETE FROM audit_events WHERE organization_id = ? AND seq > ?", (org_id, keep))
        (hash_,) = db.execute(
            "SELECT hash FROM audit_events WHERE organization_id = ? AND seq = ?", (org_id, keep)
        ).fetchone()
        db.execute(
            "UPDATE audit_heads SET seq = ?, hash = ? WHERE organization_id = ?",
            (keep, hash_, org_id),
        )
        if forget_checkpoints:
            db.execute("DELETE FROM audit_checkpoints WHERE organization_id = ?", (org_id,))


def _metric(org: OrgServer, name: str) -> float:
    base = org.url.replace("ws://", "http://")
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as answer:
        lines = answer.read().decode().splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(name + " "))


def _audit_warnings(editor: Editor) -> list[str]:
    return [m.message for m in editor.client.messages if "audit log failed" in m.message]


async def test_a_truncated_chain_is_caught_by_verify_and_by_language_servers(
    org: OrgServer, tmp_path: Path
) -> None:
    acme = org.users["admin@acme.test"].org_id
    admin = await org.client("admin@acme.test")
    policy = files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
    for _ in range(4):  # four policy.changed events in the org's chain
        await admin.call("policy.set", {"yaml": policy})
    signed = await admin.request("audit.checkpoint", Empty(), AuditCheckpoint)
    assert signed.seq == 4 and signed.org_id == acme
    await admin.close()
    status, said = await _verify(org)
    assert status == 0 and "4 events" in said and "seq 4" in said, said

    home, root = tmp_path / "home", tmp_path / "dev" / "shop"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, root)
    remembered = root / ".accord" / "org" / "checkpoint.json"
    await until(remembered.exists, what="the checkpoint the language server saw")
    await editor.client.shutdown_session()

    _truncate(org.store_path, acme, keep=2, forget_checkpoints=False)
    status, said = await _verify(org)
    assert status == 1 and "truncated" in said and "covers seq 4" in said, said

    # The server refuses to sign the shorter head; the language server says so.
    editor = await launch(home, root)
    try:
        await until(lambda: _audit_warnings(editor), what="the server's refusal, reported")
        assert "truncated" in _audit_warnings(editor)[0]
        assert _metric(org, "accord_audit_rollbacks_total") >= 1
    finally:
        await editor.client.shutdown_session()

    # The stored checkpoints go too; the language server remembers seq 4.
    _truncate(org.store_path, acme, keep=2, forget_checkpoints=True)
    editor = await launch(home, root)
    try:
        await until(lambda: _audit_warnings(editor), what="the rollback, reported")
        assert "went back from 4 events" in _audit_warnings(editor)[0]
        assert "to 2" in _audit_warnings(editor)[0]
    finally:
        await editor.client.shutdown_session()
