"""Sending one notice: a signed POST to a webhook (httpx), an e-mail through SMTP (smtplib, in
a worker thread). Each raises :class:`DeliveryFailed` with a reason fit for the outbox's record
(never a secret: no URL, no credential)."""

from __future__ import annotations

import asyncio
import json
import logging
import smtplib
import ssl
import time
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx

from .messages import Notice, email_message, slack_payload, teams_payload
from .settings import Smtp, Webhook
from .signing import SIGNATURE, TIMESTAMP, sign

__all__ = ["DeliveryFailed", "post_webhook", "send_email"]

# httpx logs each request's URL at INFO; a webhook's URL is a credential (Slack's, Teams').
logging.getLogger("httpx").setLevel(logging.WARNING)


class DeliveryFailed(Exception):
    """An attempt failed; the message says why."""


def webhook_body(hook: Webhook, item: Notice) -> bytes:
    """The JSON body posted to ``hook`` for ``item``."""
    payload = teams_payload(item) if hook.format == "teams" else slack_payload(item)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


async def post_webhook(hook: Webhook, item: Notice, timeout: float) -> None:
    """POST the notice to the webhook, signed; any status but 2xx is a failure."""
    body = webhook_body(hook, item)
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "accord-org",
        TIMESTAMP: str(stamp),
        SIGNATURE: sign(hook.secret, stamp, body),
    }
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            response = await client.post(hook.url, content=body, headers=headers)
    except httpx.TimeoutException:
        raise DeliveryFailed(f"webhook {hook.name}: no answer within {timeout:g} s") from None
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"webhook {hook.name}: {type(error).__name__}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"webhook {hook.name}: HTTP {response.status_code}")


def _context(smtp: Smtp) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _send(smtp: Smtp, message: EmailMessage, timeout: float) -> None:
    if smtp.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=timeout, context=_context(smtp)
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=_context(smtp))
        if smtp.username:
            client.login(smtp.username, smtp.password)
        client.send_message(message)


async def send_email(smtp: Smtp, item: Notice, to: str, timeout: float) -> None:
    """Send the notice to ``to`` through the organisation's SMTP server."""
    message = email_message(item, smtp.sender, to, datetime.now(UTC))
    try:
        await asyncio.to_thread(_send, smtp, message, timeout)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryFailed(
            f"smtp {smtp.host}: authentication refused ({error.smtp_code})"
        ) from None
    except smtplib.SMTPException as error:
        raise DeliveryFailed(f"smtp {smtp.host}: {type(error).__name__}: {error}") from None
    except (OSError, ssl.SSLError) as error:
        raise DeliveryFailed(f"smtp {smtp.host}:{smtp.port}: {error}") from None
