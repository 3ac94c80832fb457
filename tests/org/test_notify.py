"""Notifications through a real org server: approvals routed while every approver is offline
reach them by e-mail (a real SMTP server: STARTTLS, AUTH) and reach the team's webhooks (a real
HTTP receiver: Slack and Teams payloads, signed), with reminders and outcomes; no secret of the
diff is in any of them; failing receivers are retried and recorded; quiet hours hold e-mail."""

from __future__ import annotations

import asyncio
import json
import secrets
import string
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.org.client import OrgError
from accord.org.notify.signing import SIGNATURE, TIMESTAMP, verify
from accord.org.store.outbox import OutboxItem
from accord.protocol.org import (
    ApprovalRequestParams,
    ApprovalView,
    Empty,
    NotifyPrefs,
    RiskSummary,
)
from accord.protocol.rpc import ErrorCode

from .approvals import _default_policy_text, ask, decide
from .editors import accord, log_in, until
from .mailroom import SMTP_PASSWORD, SMTP_USER, Mailbox, Post, Receiver
from .proposals import summary
from .scaleout import postgres_schema
from .server import OrgServer

SECRET = "whsec-0123456789abcdef"
BASE = "https://accord.acme.test"


def _leaky() -> tuple[ApprovalRequestParams, list[str]]:
    """A risky request whose diff carries an AWS key and a password; returns the secrets too."""
    key = "AKIA" + "".join(secrets.choice(string.ascii_uppercase + "234567") for _ in range(16))
    password = "Qz8!" + secrets.token_urlsafe(9)
    content = f'v1\naws_access_key_id = "{key}"\nDB_PASSWORD = "{password}"'
    params = ApprovalRequestParams(
        project="shop",
        proposal=summary(content, title="Rotate the database credentials"),
        risk=RiskSummary(score=8.5, reasons="credentials"),
    )
    return params, [key, password]


async def _configure(org: OrgServer, tmp_path: Path, settings: dict[str, Any]) -> str:
    path = tmp_path / "notify.yaml"
    path.write_text(json.dumps(settings), "utf-8")
    return await _admin(org, "set", "--from", str(path))


async def _admin(org: OrgServer, *args: str) -> str:
    """``accord org notify ARGS`` on the server's store, for Acme."""
    org_id = org.users["admin@acme.test"].org_id
    return await accord("org", "notify", *args, "--store", org.store, "--org", org_id)


def _email(mail: tuple[Mailbox, int, Path], **delivery: Any) -> dict[str, Any]:
    _, port, cert = mail
    return {
        "host": "127.0.0.1",
        "port": port,
        "security": "starttls",
        "username": SMTP_USER,
        "password": SMTP_PASSWORD,
        "sender": "accord@acme.test",
        "ca_file": str(cert),
    }


def _hook(receiver: Receiver, name: str, form: str = "slack") -> dict[str, Any]:
    return {"name": name, "url": receiver.url(f"/{name}"), "format": form, "secret": SECRET}


async def _notices(org: OrgServer, approval_id: str) -> list[OutboxItem]:
    async with org.opened() as store:
        return list(await store.notices(org.users["admin@acme.test"].org_id, approval_id))


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def _signed(post: Post) -> bool:
    stamp, signature = post.headers[TIMESTAMP], post.headers[SIGNATURE]
    return bool(verify(SECRET, stamp, post.body, signature, time.time()))


def _kinds(messages: list[Message], word: str) -> list[Message]:
    return [m for m in messages if word in str(m["Subject"])]


async def test_an_approval_with_every_approver_offline_reaches_them_by_mail_and_webhook(
    org: OrgServer, tmp_path: Path, mail: tuple[Mailbox, int, Path], receiver: Receiver
) -> None:
    mailbox = mail[0]
    said = await _configure(
        org,
        tmp_path,
        {
            "base_url": BASE,
            "webhooks": [_hook(receiver, "slack"), _hook(receiver, "teams", "teams")],
            "email": _email(mail),
            "remind_before_minutes": 7 * 24 * 60,  # the 24 h deadline is near enough at once
        },
    )
    assert "slack (slack), teams (teams)" in said and "e-mail via 127.0.0.1" in said
    shown = await _admin(org, "show")
    assert SECRET not in shown and SMTP_PASSWORD not in shown and "********" in shown

    params, leaked = _leaky()
    dev = await org.client("dev@acme.test")  # nobody else is connected
    try:
        started = time.monotonic()
        view = await dev.request("approval.request", params, ApprovalView)
        assert time.monotonic() - started < 2  # nobody waits on delivery
        assert view.missing_roles == ("tech_lead", "manager")

        def arrived() -> bool:
            people = all(
                len(mailbox.to(email)) >= 2 for email in ("lead@acme.test", "mgr@acme.test")
            )
            return people and all(len(receiver.at(f"/{n}")) >= 2 for n in ("slack", "teams"))

        await until(arrived, what="the requests and reminders by mail and webhook")
        lead_mail = mailbox.to("lead@acme.test")
        assert len(_kinds(lead_mail, "Approval needed")) == 1
        assert len(_kinds(lead_mail, "Reminder")) == 1
        assert not mailbox.to("dev@acme.test")  # the requester is not asked
        assert mailbox.logins  # the server authenticated (after STARTTLS: required)
        texts = [_body(m) for m in mailbox.messages] + [p.body.decode() for p in receiver.posts]
        for text in texts:
            assert not any(secret in text for secret in leaked), text
            assert "[REDACTED]" in text
            assert f"accord approvals show {view.id}" in text
            assert f"{BASE}/console/approvals/{view.id}" in text
        assert "Rotate the database credentials" in str(lead_mail[0]["Subject"])
        assert all(_signed(post) for post in receiver.posts)
        forged = receiver.posts[0]
        assert not verify(
            "another-secret-123",
            forged.headers[TIMESTAMP],
            forged.body,
            forged.headers[SIGNATURE],
            time.time(),
        )
        slack = json.loads(receiver.at("/slack")[0].body)
        assert slack["text"].startswith("[Accord]") and slack["blocks"]
        teams = json.loads(receiver.at("/teams")[0].body)
        card = teams["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card["content"]["actions"][0]["url"] == f"{BASE}/console/approvals/{view.id}"

        lead, mgr = await org.client("lead@acme.test"), await org.client("mgr@acme.test")
        try:
            await lead.request("approval.decide", decide(view), ApprovalView)
            await mgr.request("approval.decide", decide(view), ApprovalView)
        finally:
            await lead.close()
            await mgr.close()
        await until(
            lambda: _kinds(mailbox.to("dev@acme.test"), "was approved"),
            what="the outcome to the requester",
        )
        await until(lambda: _all_delivered(org, view.id), what="every notice delivered")
        notices = await _notices(org, view.id)
        assert all(n.attempts == 1 for n in notices)
        log = await _admin(org, "log", "--approval", view.id)
        assert "delivered" in log and "outcome" in log and "reminder" in log
    finally:
        await dev.close()


async def test_a_failing_receiver_is_retried_with_backoff_and_what_happened_is_recorded(
    org: OrgServer, tmp_path: Path, receiver: Receiver
) -> None:
    receiver.plans = {"/flaky": [500, "timeout"], "/dead": [500] * 10}
    receiver.stall = 2.5
    await _configure(
        org,
        tmp_path,
        {
            "webhooks": [_hook(receiver, "flaky"), _hook(receiver, "dead", "teams")],
            "remind_before_minutes": 0,
            "delivery": {"attempts": 3, "backoff_seconds": 0.3, "timeout_seconds": 1},
        },
    )
    dev = await org.client("dev@acme.test")
    try:
        view = await dev.request("approval.request", _leaky()[0], ApprovalView)
        await until(
            lambda: _settled(org, view.id, "flaky", "delivered"), what="the flaky hook's delivery"
        )
        await until(lambda: _settled(org, view.id, "dead", "failed"), what="the dead hook failing")
    finally:
        await dev.close()
    by_hook = {n.recipient: n for n in await _notices(org, view.id)}
    flaky, dead = by_hook["flaky"], by_hook["dead"]
    assert (flaky.status, flaky.attempts, flaky.last_error) == ("delivered", 3, "")
    assert (dead.status, dead.attempts) == ("failed", 3)
    assert dead.last_error == "webhook dead: HTTP 500"
    assert len(receiver.at("/flaky")) == 3 and len(receiver.at("/dead")) == 3
    log = await _admin(org, "log")
    assert "failed" in log and "HTTP 500" in log
    metrics = await asyncio.to_thread(_metrics, org)
    assert 'accord_notifications_total{channel="webhook",outcome="failed"} 1.0' in metrics
    assert 'accord_notifications_total{channel="webhook",outcome="retry"} 4.0' in metrics
    assert 'accord_notifications_total{channel="webhook",outcome="delivered"} 1.0' in metrics


def _metrics(org: OrgServer) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{org.port}/metrics", timeout=10) as page:
        return str(page.read().decode())


async def _all_delivered(org: OrgServer, approval_id: str) -> bool:
    return {n.status for n in await _notices(org, approval_id)} == {"delivered"}


async def _settled(
    org: OrgServer, approval_id: str, recipient: str, status: str, attempts: int | None = None
) -> bool:
    return any(
        n.recipient == recipient and n.status == status and attempts in (None, n.attempts)
        for n in await _notices(org, approval_id)
    )


async def test_quiet_hours_hold_a_users_mail_until_they_end(
    org: OrgServer, tmp_path: Path, mail: tuple[Mailbox, int, Path], receiver: Receiver
) -> None:
    mailbox = mail[0]
    await _configure(
        org,
        tmp_path,
        {"email": _email(mail), "webhooks": [_hook(receiver, "team")], "remind_before_minutes": 0},
    )
    home = tmp_path / "home" / "lead"
    await log_in(org, "lead@acme.test", home)
    zone = ZoneInfo("Asia/Tokyo")
    now = datetime.now(zone)
    start, end = now - timedelta(hours=1), now + timedelta(hours=2)
    quiet = f"{start:%H:%M}-{end:%H:%M}"
    said = await accord(
        "notify",
        "prefs",
        "set",
        "--quiet",
        quiet,
        "--timezone",
        "Asia/Tokyo",
        "--server",
        org.url,
        home=home,
    )
    assert f"quiet hours: {quiet} Asia/Tokyo" in said and "channels: email" in said
    dev = await org.client("dev@acme.test")
    try:
        view = await dev.request("approval.request", _leaky()[0], ApprovalView)
        await until(lambda: mailbox.to("mgr@acme.test"), what="the manager's mail")
        await until(lambda: receiver.at("/team"), what="the team's webhook")
        await asyncio.sleep(1.0)  # several ticks of the worker
    finally:
        await dev.close()
    assert not mailbox.to("lead@acme.test")  # held
    [held] = [n for n in await _notices(org, view.id) if n.recipient == "lead@acme.test"]
    assert (held.status, held.attempts) == ("pending", 0)
    expected = end.replace(second=0, microsecond=0).astimezone(UTC)
    assert abs(held.next_at - expected) < timedelta(minutes=1)
    shown = await accord("notify", "prefs", "show", "--server", org.url, home=home)
    assert "Asia/Tokyo" in shown
    off = await accord(
        "notify", "prefs", "set", "--email", "off", "--no-quiet", "--server", org.url, home=home
    )
    assert "channels: none" in off and "quiet hours: none" in off


async def test_an_escalation_is_announced_to_the_approvers_it_now_needs(
    org: OrgServer, tmp_path: Path, mail: tuple[Mailbox, int, Path], receiver: Receiver
) -> None:
    mailbox = mail[0]
    await _configure(
        org,
        tmp_path,
        {"email": _email(mail), "webhooks": [_hook(receiver, "team")], "remind_before_minutes": 0},
    )
    admin = await org.client("admin@acme.test")
    policy = (await _default_policy_text()).replace("timeout_hours: 4", "timeout_hours: 0.0003")
    await admin.call("policy.set", {"yaml": policy})
    await admin.close()
    dev = await org.client("dev@acme.test")
    try:
        view = await dev.request("approval.request", ask(6), ApprovalView)
        assert view.workflow == "supervised_development"
        await until(
            lambda: _kinds(mailbox.to("mgr@acme.test"), "Escalated"),
            what="the manager told of the escalation",
        )
    finally:
        await dev.close()
    [escalated] = _kinds(mailbox.to("mgr@acme.test"), "Escalated")
    assert "now needs tech_lead, manager" in str(escalated["Subject"])
    assert not _kinds(mailbox.to("mgr@acme.test"), "Approval needed")  # not theirs before
    assert _kinds(mailbox.to("lead@acme.test"), "Approval needed")
    await until(
        lambda: any(b"Escalated" in p.body for p in receiver.at("/team")),
        what="the team's channel told of the escalation",
    )


async def test_the_outbox_on_postgresql_survives_a_restart_and_delivers_after_it(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.plans = {"/team": [500]}
    async with postgres_schema() as url:
        org = OrgServer(tmp_path / "unused.db", store_url=url, extra_args=("--tick", "0.2"))
        await org.seed()
        await _configure(
            org,
            tmp_path,
            {
                "webhooks": [_hook(receiver, "team")],
                "remind_before_minutes": 0,
                "delivery": {"attempts": 5, "backoff_seconds": 2, "timeout_seconds": 1},
            },
        )
        await org.start()
        try:
            dev = await org.client("dev@acme.test")
            view = await dev.request("approval.request", _leaky()[0], ApprovalView)
            await dev.close()
            await until(
                lambda: _settled(org, view.id, "team", "pending", attempts=1),
                what="the first attempt's failure recorded",
            )
            await org.stop()
            [waiting] = await _notices(org, view.id)
            assert (waiting.status, waiting.attempts) == ("pending", 1)
            assert waiting.last_error == "webhook team: HTTP 500"
            await org.start()
            await until(lambda: _all_delivered(org, view.id), what="delivery after the restart")
        finally:
            await org.stop()
    [post, again] = receiver.at("/team")
    assert post.body == again.body and _signed(again)
    assert int(again.headers[TIMESTAMP]) >= int(post.headers[TIMESTAMP])


async def test_bad_settings_and_preferences_are_refused_with_a_clear_error_and_change_nothing(
    org: OrgServer, tmp_path: Path, receiver: Receiver
) -> None:
    await _configure(org, tmp_path, {"webhooks": [_hook(receiver, "team")]})
    bad = tmp_path / "bad.yaml"
    bad.write_text("webhooks:\n  - {name: team, url: 'ftp://x', secret: '0123456789abcdef'}\n")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        "org",
        "notify",
        "set",
        "--from",
        str(bad),
        "--store",
        org.store,
        "--org",
        org.users["admin@acme.test"].org_id,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 2
    assert "webhooks.0.url" in output.decode() and "not an http" in output.decode()
    assert receiver.url("/team") in await _admin(org, "show")  # the old settings stand

    lead = await org.client("lead@acme.test")
    try:
        with pytest.raises(OrgError) as zone:
            await lead.call(
                "notify.prefs.set",
                {"quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Mars/Olympus"}},
            )
        assert zone.value.code == ErrorCode.INVALID_PARAMS and "unknown time zone" in str(
            zone.value
        )
        with pytest.raises(OrgError) as clock:
            await lead.call("notify.prefs.set", {"quiet_hours": {"start": "25:00", "end": "7"}})
        assert clock.value.code == ErrorCode.INVALID_PARAMS
        with pytest.raises(OrgError) as channel:
            await lead.call("notify.prefs.set", {"channels": ["pager"]})
        assert channel.value.code == ErrorCode.INVALID_PARAMS
        assert await lead.request("notify.prefs.get", Empty(), NotifyPrefs) == NotifyPrefs()
    finally:
        await lead.close()
