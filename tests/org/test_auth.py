"""Authentication against a real org server: the deadline, forged and stale tokens, revocation,
refresh rotation, and the `accord org` / `accord login` / `accord approvals` commands."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import stat
import subprocess
import sys
import time
import warnings
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from accord.org.client import OrgClient, OrgError
from accord.org.records import User
from accord.org.service import RECHECK_SECONDS
from accord.org.tokens import ISSUER, TokenIssuer
from accord.protocol.org import (
    ApprovalRef,
    ApprovalRequestParams,
    ApprovalView,
    Authenticate,
    Authenticated,
    PolicyDocument,
    PolicyGet,
    Presence,
    RiskSummary,
    RoomJoin,
    RoomJoined,
    RoomPublish,
    RoomPublished,
    TokenPair,
    TokenRefresh,
)
from accord.protocol.rpc import ErrorCode

from .proposals import summary
from .server import Inbox, OrgServer
from .wire import Raw


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def _claims(user: User, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "sub": user.id,
        "org": user.org_id,
        "typ": "access",
        "jti": "j-1",
        "te": 0,
        "iat": now,
        "exp": now + 600,
    }
    return base | changes


async def _authenticate(client: OrgClient, token: str) -> Authenticated:
    return await client.request("authenticate", Authenticate(token=token), Authenticated)


async def _refused(client: OrgClient, method: str, params: Any) -> OrgError:
    with pytest.raises(OrgError) as refused:
        await client.call(method, params)
    return refused.value


# --- before and without authenticate -------------------------------------------------------


async def test_calls_before_authenticate_are_refused_and_the_connection_lives_on(
    org: OrgServer,
) -> None:
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        for method, params in (
            ("policy.get", PolicyGet()),
            ("approval.list", {}),
            ("room.join", {"project": "shop"}),
            ("audit.verify", {}),
        ):
            error = await _refused(client, method, params)
            assert error.code == ErrorCode.UNAUTHENTICATED, (method, error)
            assert error.message == "authenticate first"
        hello = await _authenticate(client, org.access_token("dev@acme.test"))
        assert hello.identity.email == "dev@acme.test" and hello.identity.org_name == "Acme"
        assert hello.identity.roles == ("developer",)
        document = await client.request("policy.get", PolicyGet(), PolicyDocument)
        assert document.revision == 0 and document.policy is not None
        again = await _refused(
            client, "authenticate", Authenticate(token=org.access_token("lead@acme.test"))
        )
        assert again.code == ErrorCode.UNAUTHENTICATED and "authenticated already" in again.message
    finally:
        await client.close()


async def test_a_connection_that_does_not_authenticate_in_time_is_closed_with_4001(
    org: OrgServer,
) -> None:
    async with Raw(org.url) as raw:
        started = time.monotonic()
        refused = await raw.call("policy.get")  # a refused call does not extend the deadline
        assert refused["error"]["code"] == ErrorCode.UNAUTHENTICATED
        code, reason = await raw.closed(timeout=5)
        elapsed = time.monotonic() - started
    assert code == 4001 and reason == "authenticate within 1 s"
    assert 0.8 <= elapsed < 3, elapsed
    # An authenticated connection outlives the deadline.
    client = await org.client("dev@acme.test")
    try:
        await asyncio.sleep(1.5)
        assert (await client.request("policy.get", PolicyGet(), PolicyDocument)).revision == 0
    finally:
        await client.close()


# --- tokens that must not work ---------------------------------------------------------------


def _hs512(claims: dict[str, Any], key: bytes) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the server's 32-byte key is short for SHA-512
        return jwt.encode(claims, key, algorithm="HS512")


def _bad_tokens(org: OrgServer) -> dict[str, tuple[str, str]]:
    """Each bad token and the words the refusal must contain."""
    dev, admin = org.users["dev@acme.test"], org.users["admin@acme.test"]
    good = org.access_token("dev@acme.test")
    head, _, signature = good.split(".")
    tampered = _payload(good) | {"sub": admin.id}
    none_header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    past = datetime.now(UTC) - timedelta(hours=1)
    return {
        "another server's key": (
            TokenIssuer(b"k" * 32).issue(dev.id, dev.org_id, "access", 0).token,
            "signature does not verify",
        ),
        "alg none": (f"{none_header}.{_b64(json.dumps(_claims(dev)).encode())}.", "not 'none'"),
        "tampered payload": (
            f"{head}.{_b64(json.dumps(tampered).encode())}.{signature}",
            "signature does not verify",
        ),
        "HS512 with the right key": (_hs512(_claims(dev), org.key), "not 'HS512'"),
        "another issuer": (
            jwt.encode(_claims(dev, iss="someone-else"), org.key, algorithm="HS256"),
            "cannot be read",
        ),
        "no token epoch": (
            jwt.encode(
                {k: v for k, v in _claims(dev).items() if k != "te"}, org.key, algorithm="HS256"
            ),
            "lacks the claims",
        ),
        "not a JWT": ("not-a-token", "cannot be read"),
        "expired access token": (
            TokenIssuer(org.key).issue(dev.id, dev.org_id, "access", 0, now=past).token,
            "expired",
        ),
        "refresh token as access token": (
            org.login_token("dev@acme.test"),
            "a refresh token was given where an access token",
        ),
        "a user of Bobco named in Acme": (
            jwt.encode(
                _claims(org.users["dev@bob.test"], org=dev.org_id), org.key, algorithm="HS256"
            ),
            "not an active member",
        ),
    }


async def test_forged_expired_and_misused_tokens_are_refused_with_the_reason(
    org: OrgServer,
) -> None:
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        for case, (token, words) in _bad_tokens(org).items():
            error = await _refused(client, "authenticate", Authenticate(token=token))
            assert error.code == ErrorCode.UNAUTHENTICATED, (case, error)
            assert words in error.message, (case, error.message)
            still = await _refused(client, "policy.get", PolicyGet())
            assert still.code == ErrorCode.UNAUTHENTICATED, case
        # The connection survived every refusal and still takes a good token.
        hello = await _authenticate(client, org.access_token("dev@acme.test"))
        assert hello.identity.email == "dev@acme.test"
    finally:
        await client.close()


async def test_an_access_token_is_not_a_refresh_token(org: OrgServer) -> None:
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        error = await _refused(
            client, "token.refresh", TokenRefresh(refresh_token=org.access_token("dev@acme.test"))
        )
        assert error.code == ErrorCode.UNAUTHENTICATED
        assert "an access token was given where a refresh token is needed" in error.message
    finally:
        await client.close()


async def _set_user(org: OrgServer, email: str, **changes: Any) -> None:
    async with org.opened() as store:
        user = await store.get_user(org.users[email].id)
        assert user is not None
        await store.update_user(replace(user, **changes))


async def test_a_removed_user_is_refused(org: OrgServer) -> None:
    login = await org.recorded_login_token("dev2@acme.test")
    await _set_user(org, "dev2@acme.test", active=False)
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        error = await _refused(
            client, "authenticate", Authenticate(token=org.access_token("dev2@acme.test"))
        )
        assert error.code == ErrorCode.UNAUTHENTICATED
        assert error.message == "the token's user is not an active member any more"
        error = await _refused(client, "token.refresh", TokenRefresh(refresh_token=login))
        assert error.code == ErrorCode.UNAUTHENTICATED and "not an active member" in error.message
    finally:
        await client.close()


async def test_revoking_a_user_with_the_cli_refuses_their_old_tokens_only(org: OrgServer) -> None:
    acme = org.users["dev@acme.test"].org_id
    login = await org.recorded_login_token("dev@acme.test")
    done = await _accord(
        "org", "revoke", "dev@acme.test", "--store", f"sqlite:///{org.store_path}", "--org", acme
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "revoked every token of dev@acme.test"
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        error = await _refused(
            client, "authenticate", Authenticate(token=org.access_token("dev@acme.test"))
        )
        assert error.code == ErrorCode.UNAUTHENTICATED
        assert error.message == "the token was revoked; run `accord login` again"
        error = await _refused(client, "token.refresh", TokenRefresh(refresh_token=login))
        assert error.code == ErrorCode.UNAUTHENTICATED and "revoked" in error.message
        dev = org.users["dev@acme.test"]
        fresh = TokenIssuer(org.key).issue(dev.id, dev.org_id, "access", 1).token
        assert (await _authenticate(client, fresh)).identity.email == "dev@acme.test"
    finally:
        await client.close()


async def test_an_open_connection_follows_revocation_removal_and_new_roles(org: OrgServer) -> None:
    """Revoking, removing or demoting a user reaches the connections they hold open (within
    RECHECK_SECONDS), not only their next login."""
    dev_inbox, lead_inbox = Inbox(), Inbox()
    dev = await org.client("dev@acme.test", dev_inbox)
    admin = await org.client("admin@acme.test")
    lead = await org.client("lead@acme.test", lead_inbox)
    try:
        for client in (dev, lead):
            await client.request("room.join", RoomJoin(project="shop"), RoomJoined)
        await _set_user(org, "dev@acme.test", token_epoch=1)
        await _set_user(org, "admin@acme.test", roles=("developer",))
        await asyncio.sleep(RECHECK_SECONDS + 0.1)
        error = await _refused(dev, "policy.get", PolicyGet())
        assert error.code == ErrorCode.UNAUTHENTICATED
        assert error.message == "your tokens were revoked; run `accord login` again"
        left = await lead_inbox.next("presence", where=lambda p: p.email == "dev@acme.test")
        assert (
            isinstance(left, Presence)
            and left.state == "left"
            and left.online == ("lead@acme.test",)
        )
        await lead.request("room.publish", RoomPublish(project="shop", kind="note"), RoomPublished)
        error = await _refused(dev, "approval.list", {})
        assert error.code == ErrorCode.UNAUTHENTICATED and error.message == "authenticate first"
        assert not dev_inbox.of("room.event")  # signed out: no more pushes
        error = await _refused(admin, "audit.verify", {})
        assert error.code == ErrorCode.FORBIDDEN and error.message.endswith("you hold developer")

        user = org.users["dev@acme.test"]
        fresh = TokenIssuer(org.key).issue(user.id, user.org_id, "access", 1).token
        assert (await _authenticate(dev, fresh)).identity.email == "dev@acme.test"
        await _set_user(org, "dev@acme.test", active=False)
        await asyncio.sleep(RECHECK_SECONDS + 0.1)
        error = await _refused(dev, "policy.get", PolicyGet())
        assert error.message == "you are not an active member any more"
    finally:
        for client in (dev, admin, lead):
            await client.close()


# --- refresh rotation -------------------------------------------------------------------------


async def _refresh(client: OrgClient, token: str) -> TokenPair:
    return await client.request("token.refresh", TokenRefresh(refresh_token=token), TokenPair)


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_every_token(
    org: OrgServer,
) -> None:
    login = await org.recorded_login_token("lead@acme.test")
    client = await OrgClient(org.url, timeout=5).connect()
    try:
        first = await _refresh(client, login)  # allowed before authenticate
        assert first.refresh_token != login and first.access_token != login
        assert _payload(first.access_token)["typ"] == "access"
        assert first.access_expires_at < first.refresh_expires_at
        second = await _refresh(client, first.refresh_token)
        assert second.refresh_token != first.refresh_token
        spent = await _refused(client, "token.refresh", TokenRefresh(refresh_token=login))
        assert spent.code == ErrorCode.UNAUTHENTICATED
        assert "used already; every token of this user is now revoked" in spent.message
        for token in (first.access_token, second.access_token):
            error = await _refused(client, "authenticate", Authenticate(token=token))
            assert error.code == ErrorCode.UNAUTHENTICATED and "revoked" in error.message
        error = await _refused(
            client, "token.refresh", TokenRefresh(refresh_token=second.refresh_token)
        )
        assert error.code == ErrorCode.UNAUTHENTICATED and "revoked" in error.message
    finally:
        await client.close()
    async with org.opened() as store:
        lead = await store.get_user(org.users["lead@acme.test"].id)
    assert lead is not None and lead.token_epoch == 1


# --- the commands ---------------------------------------------------------------------------


async def _accord(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``accord ARGS`` in a subprocess (off the event loop)."""
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def _token_of(output: str) -> str:
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("login token for "))
    return lines[index + 1].strip()


def _proposal(title: str) -> ApprovalRequestParams:
    return ApprovalRequestParams(
        project="shop",
        proposal=summary(title, proposal_id="p-cli", title=title),
        risk=RiskSummary(score=6, reasons="touches auth"),
    )


async def test_org_init_user_add_login_and_approvals_through_the_commands(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'zed.db'}"
    init = await _accord(
        "org", "init", "--store", store, "--name", "Zed", "--admin", "admin@zed.test"
    )
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith("organisation 'Zed': ")
    assert _payload(_token_of(init.stdout))["typ"] == "refresh"
    for email, role in (("dev@zed.test", "developer"), ("lead@zed.test", "tech_lead")):
        added = await _accord("org", "user", "add", email, "--role", role, "--store", store)
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith(f"added {email} to Zed as {role}\n")
    lead_token = _token_of(added.stdout)
    twice = await _accord(
        "org", "user", "add", "dev@zed.test", "--role", "developer", "--store", store
    )
    assert twice.returncode == 2 and "dev@zed.test is already a member of Zed" in twice.stderr
    listed = await _accord("org", "user", "list", "--store", store)
    assert listed.stdout.splitlines() == [
        "admin@zed.test\tadmin",
        "dev@zed.test\tdeveloper",
        "lead@zed.test\ttech_lead",
    ]

    server = OrgServer(tmp_path / "zed.db")
    await server.load()
    await server.start()
    config = tmp_path / "config"
    env = {"ACCORD_CONFIG_HOME": str(config), "ACCORD_ORG_URL": ""}
    dev = await server.client("dev@zed.test")
    try:
        asked = await dev.request("approval.request", _proposal("Tighten the login"), ApprovalView)
        login = await _accord("login", server.url, "--token", lead_token, env=env)
        assert login.returncode == 0, login.stderr
        assert f"logged in to {server.url} as lead@zed.test (tech_lead) of Zed" in login.stdout
        credentials = config / "credentials.json"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
        stored = json.loads(credentials.read_text())
        assert list(stored) == [server.url] and stored[server.url]["email"] == "lead@zed.test"

        pending = await _accord("approvals", "list", env=env)
        assert pending.returncode == 0, pending.stderr
        assert pending.stdout.startswith(f"{asked.id}  pending ")
        assert "shop: Tighten the login (by dev@zed.test)" in pending.stdout
        elsewhere = await _accord("approvals", "list", "--project", "billing", env=env)
        assert elsewhere.stdout == "nothing to decide\n", elsewhere.stderr
        approved = await _accord("approvals", "approve", asked.id, env=env)
        assert approved.returncode == 0, approved.stderr
        after = await dev.request("approval.get", ApprovalRef(approval_id=asked.id), ApprovalView)
        assert [(v.email, v.roles) for v in after.approvals] == [("lead@zed.test", ("tech_lead",))]
        # Supervised development needs a developer and a tech lead: one person fills one role.
        assert after.state == "pending" and approved.stdout.startswith(f"{asked.id}  pending ")
    finally:
        await dev.close()
        await server.stop()


async def test_the_commands_explain_a_missing_login_and_an_ambiguous_store(
    org: OrgServer, tmp_path: Path
) -> None:
    env = {"ACCORD_CONFIG_HOME": str(tmp_path / "empty"), "ACCORD_ORG_URL": ""}
    nobody = await _accord("approvals", "list", env=env)
    assert nobody.returncode == 2 and "run `accord login` first" in nobody.stderr
    stranger = await _accord("approvals", "list", "--server", org.url, env=env)
    assert stranger.returncode == 2 and f"not logged in to {org.url}" in stranger.stderr
    which = await _accord("org", "user", "list", "--store", f"sqlite:///{org.store_path}")
    assert which.returncode == 2 and "several: pass --org ID" in which.stderr
    unknown = await _accord(
        "org", "user", "add", "x@acme.test", "--role", "wizard", "--store", "sqlite:///unused.db"
    )
    assert unknown.returncode == 2 and "unknown role 'wizard'" in unknown.stderr
