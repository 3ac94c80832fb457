"""Authenticated bus frames between replicas (pure; the clock is passed in).

A frame is JSON: ``{"v": 1, "ts": SECONDS, "nonce": HEX, "body": TEXT, "mac": HEX}`` where
``mac`` is HMAC-SHA256, under the cluster's secret (kept in the store), of
``"v1\\n" + ts + "\\n" + nonce + "\\n" + body``. A receiver accepts a frame only when the MAC
is right, ``ts`` is within :data:`WINDOW` seconds of its own clock, and the nonce was not seen
within the window; anything else is dropped with a reason (:class:`Dropped`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["WINDOW", "Dropped", "Opener", "seal"]

WINDOW = 30.0
"""Seconds a frame stays acceptable (either side of the receiver's clock)."""


class Dropped(ValueError):
    """A frame that is not delivered; ``reason`` is ``malformed``, ``forged``, ``stale`` or
    ``replayed``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mac(secret: bytes, ts: str, nonce: str, body: str) -> str:
    text = f"v1\n{ts}\n{nonce}\n{body}".encode()
    return hmac.new(secret, text, hashlib.sha256).hexdigest()


def seal(secret: bytes, body: str, now: float, nonce: str | None = None) -> str:
    """The frame carrying ``body``, authenticated under ``secret`` at time ``now``."""
    ts, nonce = repr(now), nonce or secrets.token_hex(12)
    frame = {"v": 1, "ts": ts, "nonce": nonce, "body": body, "mac": _mac(secret, ts, nonce, body)}
    return json.dumps(frame, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class _Frame:
    ts: str
    nonce: str
    body: str
    mac: str


def _parse(raw: str | bytes) -> _Frame:
    try:
        data = json.loads(raw)
        fields = [data["ts"], data["nonce"], data["body"], data["mac"]]
    except (ValueError, TypeError, KeyError):
        raise Dropped("malformed") from None
    if data.get("v") != 1 or not all(isinstance(f, str) for f in fields):
        raise Dropped("malformed")
    return _Frame(*fields)


class Opener:
    """A receiver's side: checks frames and remembers the nonces of the window."""

    def __init__(self, secret: bytes, window: float = WINDOW) -> None:
        self._secret, self._window = secret, window
        # Nonces accepted, oldest first, with the time they expire from memory.
        self._seen: OrderedDict[str, float] = OrderedDict()

    def open(self, raw: str | bytes, now: float) -> str:
        """The body of an authentic, fresh, first-seen frame; raises :class:`Dropped`."""
        frame = _parse(raw)
        expected = _mac(self._secret, frame.ts, frame.nonce, frame.body)
        if not hmac.compare_digest(expected, frame.mac):
            raise Dropped("forged")
        try:
            ts = float(frame.ts)
        except ValueError:
            raise Dropped("malformed") from None
        if not abs(now - ts) <= self._window:
            raise Dropped("stale")
        self._forget(now)
        if frame.nonce in self._seen:
            raise Dropped("replayed")
        self._seen[frame.nonce] = ts + self._window
        return frame.body

    def _forget(self, now: float) -> None:
        while self._seen:
            nonce, until = next(iter(self._seen.items()))
            if until >= now:
                break
            del self._seen[nonce]
