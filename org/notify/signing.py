"""The webhook signature: ``X-Accord-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``
with the webhook's shared secret, and ``X-Accord-Timestamp`` (Unix seconds). A receiver
recomputes it and refuses an old timestamp (a replay)."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["SIGNATURE", "TIMESTAMP", "sign", "verify"]

SIGNATURE = "X-Accord-Signature"
TIMESTAMP = "X-Accord-Timestamp"
TOLERANCE = 300
"""Seconds a receiver accepts a signed request for."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, now: float, tolerance: int = TOLERANCE
) -> bool:
    """Whether ``signature`` signs ``body`` at ``timestamp``, no more than ``tolerance`` seconds
    from ``now``."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)
