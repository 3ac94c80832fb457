"""Signed policy: every revision the org server pushes is signed with the organisation's Ed25519
key, pinned at ``accord login``; a real language server refuses an unsigned, mis-signed or
tampered revision and an edited on-disk cache, keeps the last good one and says so."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.org.keyring import KeyRing, public_keys
from accord.org.security_commands import keys_to_pin
from accord.org.signing import (
    b64,
    endorsed,
    new_key,
    policy_payload,
    policy_problem,
    sign,
)
from accord.policy.loading import default_policy
from accord.protocol.org import Empty, OrgKeys, PolicyDocument, PolicySet

from ..org.editors import Editor, accord, link_status, log_in, start_editor, until
from ..org.server import OrgServer
from .signed_editors import launch, run_accord

ORG = "org-1"


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2", "--auth-timeout", "1"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


# --- the pure checks ----------------------------------------------------------------------

POLICY: dict[str, Any] = default_policy().model_dump(mode="json")
KEY = new_key(ORG, None, datetime.now(UTC))
PINS = {KEY.key_id: KEY.public_key.public}
GOOD = sign(KEY.private, policy_payload(ORG, 3, POLICY))


def _edited(policy: dict[str, Any]) -> dict[str, Any]:
    edited = json.loads(json.dumps(policy))
    edited["workflows"]["standard_development"]["triggers"] = [{"low": 0, "high": 10}]
    return edited


@pytest.mark.parametrize(
    ("org_id", "revision", "policy", "key_id", "signature", "problem"),
    [
        (ORG, 3, POLICY, KEY.key_id, GOOD, None),
        (ORG, 3, POLICY, KEY.key_id, "", "not signed"),
        (ORG, 3, _edited(POLICY), KEY.key_id, GOOD, "does not match"),
        (ORG, 4, POLICY, KEY.key_id, GOOD, "does not match"),  # replayed as another revision
        ("org-2", 3, POLICY, KEY.key_id, GOOD, "does not match"),  # another org's signature
        (ORG, 3, POLICY, "0123456789abcdef", GOOD, "not pinned"),
        (ORG, 3, POLICY, KEY.key_id, "not base64!", "does not match"),
        (ORG, 3, POLICY, KEY.key_id, b64(b"\0" * 64), "does not match"),
    ],
)
def test_a_policy_is_adopted_only_as_its_org_signed_it(
    org_id: str,
    revision: int,
    policy: dict[str, Any],
    key_id: str,
    signature: str,
    problem: str | None,
) -> None:
    found = policy_problem(org_id, PINS, revision, policy, key_id, signature)
    assert found is None if problem is None else problem in (found or "")


@settings(max_examples=60, deadline=None)
@given(path=st.lists(st.sampled_from(sorted(POLICY)), min_size=1, max_size=1), value=st.integers())
def test_any_change_to_the_policy_breaks_its_signature(path: list[str], value: int) -> None:
    changed = json.loads(json.dumps(POLICY))
    changed[path[0]] = value
    assert policy_problem(ORG, PINS, 3, changed, KEY.key_id, GOOD) is not None


def test_rotated_keys_are_trusted_only_through_endorsements() -> None:
    now = datetime.now(UTC)
    second = new_key(ORG, KEY, now)
    third = new_key(ORG, second, now)
    stranger = new_key(ORG, new_key(ORG, None, now), now)  # endorsed, but not by our chain
    offered = [k.public_key for k in (KEY, second, third)]
    assert set(endorsed(ORG, PINS, offered)) == {KEY.key_id, second.key_id, third.key_id}
    assert set(endorsed(ORG, PINS, [KEY.public_key, stranger.public_key])) == {KEY.key_id}
    # The same endorsement does not carry over to another organisation.
    assert set(endorsed("org-2", PINS, offered)) == {KEY.key_id}
    # accord login: first key on first use, or only the fingerprint given out of band.
    wire = public_keys(ORG, [KEY, second])
    assert set(keys_to_pin(wire, None)) == {KEY.key_id, second.key_id}
    with pytest.raises(ValueError, match="not the expected org server"):
        keys_to_pin(wire, stranger.key_id)


# --- a real org server and language server -------------------------------------------------


def _stricter() -> str:
    text = files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
    stricter = yaml.safe_load(text)
    stricter["workflows"]["standard_development"]["triggers"] = [{"low": 0, "high": 2.9}]
    return yaml.safe_dump(stricter)


def _loose() -> dict[str, Any]:
    """Every workflow auto-approves: what an attacker would push."""
    loose = default_policy().model_dump(mode="json")
    for workflow in loose["workflows"].values():
        workflow["triggers"] = [{"low": 0, "high": 10}]
    return loose


async def _restart(org: OrgServer) -> None:
    """The org server restarts on its port (the language server reconnects and re-reads)."""
    port = org.port
    await org.stop()
    await org.start(port)


def _refusals(editor: Editor) -> list[str]:
    return [m.message for m in editor.client.messages if "refused a policy" in m.message]


async def _revision(editor: Editor) -> Any:
    return (await link_status(editor))["policy_revision"]


async def test_the_language_server_refuses_policies_the_org_did_not_sign(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    pinned = json.loads((home / "credentials.json").read_text())[org.url]["keys"]
    assert len(pinned) == 1
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        await until(lambda: _at(editor, 0), what="the signed default policy")

        admin = await org.client("admin@acme.test")
        await admin.call("policy.set", {"yaml": _stricter()})
        await admin.close()
        await until(lambda: _at(editor, 1), what="revision 1")
        assert editor.notes.get("accord/policyChanged")
        acme = org.users["dev@acme.test"].org_id

        # Someone with write access to the store adds an unsigned revision.
        async with org.opened() as store:
            await store.put_policy(acme, "loose", _loose())
        await _restart(org)
        await until(lambda: _refusals(editor), what="the refusal of an unsigned revision")
        assert "revision 2 is not signed" in _refusals(editor)[0]
        assert "keeping the revision 1" in _refusals(editor)[0]
        assert await _revision(editor) == 1

        # ... then one whose signature covers another policy (the loose one swapped in).
        async with org.opened() as store:
            key = await KeyRing(store).current(acme)
            signed_for = default_policy().model_dump(mode="json")
            await store.put_policy(
                acme,
                "swapped",
                _loose(),
                lambda rev: (key.key_id, sign(key.private, policy_payload(acme, rev, signed_for))),
            )
        await _restart(org)
        await until(lambda: len(_refusals(editor)) == 2, what="the refusal of a swapped policy")
        assert "revision 3 does not match its signature" in _refusals(editor)[1]
        assert await _revision(editor) == 1
        cached = json.loads((editor.root / ".accord" / "org" / "policy.json").read_text())
        assert cached["revision"] == 1
    finally:
        await editor.client.shutdown_session()


async def test_an_edited_policy_cache_is_ignored_and_reported(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    root = tmp_path / "dev" / "shop"
    admin = await org.client("admin@acme.test")
    await admin.call("policy.set", {"yaml": _stricter()})
    await admin.close()
    editor = await start_editor(org, "dev@acme.test", home, root)
    await until(lambda: _at(editor, 1), what="revision 1")
    await editor.client.shutdown_session()

    cache = root / ".accord" / "org" / "policy.json"
    cached = json.loads(cache.read_text())
    cached["policy"] = _loose()  # auto-approve everything, signature left as it was
    cache.write_text(json.dumps(cached))
    await org.stop()  # offline: the cache is all the language server has

    editor = await launch(home, root)
    try:
        await until(lambda: _cache_warnings(editor), what="the warning about the edited cache")
        assert "does not match its signature" in _cache_warnings(editor)[0]
        assert any("policy.json" in m.message for m in editor.client.log_messages)
        assert await _revision(editor) is None  # not adopted
    finally:
        await editor.client.shutdown_session()


def _cache_warnings(editor: Editor) -> list[str]:
    return [m.message for m in editor.client.messages if "ignored the cached" in m.message]


async def test_rotation_keeps_old_revisions_verifiable_and_the_new_key_is_learnt(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        admin = await org.client("admin@acme.test")
        first = await admin.request("policy.set", PolicySet(yaml=_stricter()), PolicyDocument)
        await until(lambda: _at(editor, 1), what="revision 1")
        acme = org.users["admin@acme.test"].org_id
        said = await accord("org", "keys", "rotate", "--store", org.store, "--org", acme)
        assert "new signing key" in said
        offered = await admin.request("org.keys", Empty(), OrgKeys)
        assert [k.generation for k in offered.keys] == [1, 2]
        assert first.key_id == offered.keys[0].key_id  # revision 1 names the old key

        second = await admin.request(
            "policy.set", PolicySet(yaml=_stricter() + "\n"), PolicyDocument
        )
        assert second.key_id == offered.keys[1].key_id
        await admin.close()
        await until(lambda: _at(editor, 2), what="revision 2, signed with the new key")
        assert not _refusals(editor)
        pins = json.loads((home / "credentials.json").read_text())[org.url]["keys"]
        assert set(pins) == {k.key_id for k in offered.keys}
    finally:
        await editor.client.shutdown_session()


async def _at(editor: Editor, revision: int) -> bool:
    return bool(await _revision(editor) == revision)


async def test_logging_in_again_refuses_keys_unrelated_to_the_pinned_ones(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    acme = org.users["dev@acme.test"].org_id
    with sqlite3.connect(org.store_path) as db:  # the org's keys replaced behind its back
        db.execute("DELETE FROM org_keys WHERE organization_id = ?", (acme,))
    token = await org.recorded_login_token("dev@acme.test")
    status, said = await run_accord("login", org.url, "--token", token, home=home)
    assert status == 2 and "unrelated to the ones pinned" in said, said
    token = await org.recorded_login_token("dev@acme.test")
    status, said = await run_accord(
        "login", org.url, "--token", token, "--org-key", "0" * 16, home=home
    )
    assert status == 2 and "not the expected org server" in said, said
