"""Console sessions: a random id in an HttpOnly, SameSite=Strict cookie (Secure over TLS), kept
in this process's memory with an expiry and a CSRF token.

A session is re-checked against the store on every request: a removed member, or one whose
tokens were revoked (``token_epoch`` moved), is signed out; changed roles apply at once.
:func:`open_session` is how any login (a pasted token, single sign-on) starts one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from accord.org.records import User

__all__ = ["COOKIE", "Session", "Sessions", "open_session"]

COOKIE = "accord_console"
SESSION_SECONDS = 8 * 3600.0


@dataclass(slots=True)
class Session:
    id: str
    user_id: str
    org_id: str
    token_epoch: int
    csrf: str
    expires_at: float
    """On the monotonic clock."""

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given, self.csrf)


class Sessions:
    """The open sessions of this process."""

    def __init__(self, seconds: float = SESSION_SECONDS, secure: bool = False) -> None:
        self.seconds, self.secure = seconds, secure
        self._open: dict[str, Session] = {}

    def open(self, user: User) -> Session:
        self._sweep()
        session = Session(
            secrets.token_urlsafe(32),
            user.id,
            user.org_id,
            user.token_epoch,
            secrets.token_urlsafe(32),
            time.monotonic() + self.seconds,
        )
        self._open[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session of that id (None when unknown or expired)."""
        session = self._open.get(session_id or "")
        if session is None:
            return None
        if session.expires_at <= time.monotonic():
            del self._open[session.id]
            return None
        return session

    def close(self, session_id: str | None) -> None:
        self._open.pop(session_id or "", None)

    def _sweep(self) -> None:
        now = time.monotonic()
        for gone in [s.id for s in self._open.values() if s.expires_at <= now]:
            del self._open[gone]

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            session.id,
            max_age=int(self.seconds),
            path="/console",
            httponly=True,
            secure=self.secure,
            samesite="strict",
        )


async def open_session(request: Request, user: User) -> Response:
    """Start a console session for ``user`` (an active member, already authenticated by the
    caller) and send the browser to the console."""
    sessions: Sessions = request.app.state.sessions
    session = sessions.open(user)
    response = RedirectResponse("/console/", status_code=303)
    sessions.set_cookie(response, session)
    return response
