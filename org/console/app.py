"""The console's pages (Starlette, server-rendered with Jinja2, no script).

Every page needs a live session (else: the login page) and the role its admin method needs
(else 403, :func:`accord.org.admin.admin_check`); every POST carries the session's CSRF token
(else 403). Ids in URLs are looked up in the session's organisation only (else 404). Decisions go
through the same :class:`~accord.org.approvals.ApprovalDesk` as the editors' and the CLI's, so
the requester's language server hears of an approval and applies it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route

from accord.org.admin import admin_check
from accord.org.admin_access import export_from_store
from accord.org.admin_queries import policy_diff, usage_series, usage_summary
from accord.org.audit_export import ExportHeader, csv_rows, header_line
from accord.org.errors import NotFound, Unauthenticated
from accord.org.notify.prefs import get_prefs, set_prefs
from accord.org.rbac import Forbidden
from accord.org.security_commands import audit_report
from accord.org.service import OrgService
from accord.org.store import Conflict
from accord.policy.approval import ApprovalRefused, IllegalTransition
from accord.policy.loading import PolicyError, parse_yaml_policy
from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRef,
    Empty,
    Identity,
    NotifyPrefs,
    QuietHours,
)
from accord.protocol.org_admin import (
    AdminApprovals,
    AuditSearch,
    PolicyRevisionRef,
    PolicyRollback,
    UsageKey,
    UserChange,
    UserRef,
)

from .charts import bar_chart
from .sessions import COOKIE, Session, Sessions, open_session
from .single_sign_on import PREFIX, offer

__all__ = ["console_app"]

LOGIN_COOKIE = "accord_console_login"
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
)
_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (Forbidden, 403),
    (ApprovalRefused, 403),
    (NotFound, 404),
    (Conflict, 409),
    (IllegalTransition, 409),
    (ValueError, 400),
)

Page = Callable[[Request, Session, Identity], Awaitable[Response]]


def _render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(name).render(**context), status_code=status)


def _service(request: Request) -> OrgService:
    service: OrgService = request.app.state.service
    return service


async def _identity(request: Request) -> tuple[Session, Identity] | None:
    """The request's live session and its user as they are now (None: log in again)."""
    sessions: Sessions = request.app.state.sessions
    session = sessions.get(request.cookies.get(COOKIE))
    if session is None:
        return None
    store = _service(request).store
    user = await store.get_user(session.user_id)
    org = await store.get_org(session.org_id)
    if user is None or org is None or not user.active or user.token_epoch != session.token_epoch:
        sessions.close(session.id)
        return None
    return session, Identity(
        user_id=user.id, email=user.email, org_id=org.id, org_name=org.name, roles=user.roles
    )


def page(method: str | None) -> Callable[[Page], Callable[[Request], Awaitable[Response]]]:
    """A console page: needs a session, the role ``method`` needs, and on POST the CSRF token;
    the desks' refusals become 403/404/409/400 pages."""

    def wrap(handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            found = await _identity(request)
            if found is None:
                return RedirectResponse("/console/login", status_code=303)
            session, identity = found
            try:
                if request.method == "POST":
                    form = await request.form()
                    csrf = form.get("csrf")
                    if not session.csrf_ok(csrf if isinstance(csrf, str) else None):
                        raise Forbidden(
                            "the form's CSRF token is missing or wrong; reload the page"
                        )
                if method is not None:
                    admin_check(method, identity.roles)
                return await handler(request, session, identity)
            except Exception as error:
                status = next((s for kind, s in _STATUS if isinstance(error, kind)), None)
                if status is None:
                    raise
                return _render(
                    "error.html",
                    status,
                    me=identity,
                    csrf=session.csrf,
                    code=status,
                    message=str(error),
                )

        return endpoint

    return wrap


def _context(session: Session, identity: Identity, **more: Any) -> dict[str, Any]:
    return {"me": identity, "csrf": session.csrf, **more}


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- login ----------------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    token = secrets.token_urlsafe(24)
    sso = None
    if any(getattr(route, "name", None) == "sso_login" for route in request.app.routes):
        sso = await offer(_service(request), request.query_params.get("org", ""))
    response = _render(
        "login.html",
        csrf=token,
        error=request.query_params.get("error"),
        sso=sso,
        sso_login=f"{PREFIX}/login",
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.app.state.sessions.secure,
    )
    return response


async def login(request: Request) -> Response:
    """Log in with a token: an access token, or a login token (used up here)."""
    form = await request.form()
    given, cookie = form.get("csrf"), request.cookies.get(LOGIN_COOKIE)
    if not isinstance(given, str) or not cookie or not secrets.compare_digest(given, cookie):
        return _render("login.html", 403, csrf=cookie or "", error="the form expired; try again")
    token = _text(form, "token")
    service = _service(request)
    try:
        try:
            _, user = await service.token_holder(token, "access")
        except Unauthenticated:
            claims, user = await service.token_holder(token, "refresh")
            if not await service.store.consume_refresh(claims.jti):
                raise Unauthenticated("this login token was used already") from None
    except Unauthenticated as error:
        return _render("login.html", 401, csrf=cookie, error=str(error))
    return await open_session(request, user)


async def logout(request: Request) -> Response:
    found = await _identity(request)
    form = await request.form()
    csrf = form.get("csrf")
    if found is not None and found[0].csrf_ok(csrf if isinstance(csrf, str) else None):
        request.app.state.sessions.close(found[0].id)
    return RedirectResponse("/console/login", status_code=303)


async def home(request: Request) -> Response:
    return RedirectResponse("/console/approvals", status_code=303)


# --- approvals ------------------------------------------------------------------------------


@page("admin.approvals.list")
async def approvals(request: Request, session: Session, me: Identity) -> Response:
    state = request.query_params.get("state") or None
    listed = await _service(request).admin.approvals(me, AdminApprovals(state=state, limit=100))
    return _render(
        "approvals.html", **_context(session, me, approvals=listed.approvals, state=state or "")
    )


@page("admin.approvals.get")
async def approval(request: Request, session: Session, me: Identity) -> Response:
    shown = await _service(request).admin.approval(
        me, ApprovalRef(approval_id=request.path_params["approval_id"])
    )
    return _render("approval.html", **_context(session, me, a=shown))


@page("admin.approvals.get")
async def decide(request: Request, session: Session, me: Identity) -> Response:
    form = await request.form()
    decision = _text(form, "decision")
    if decision not in ("approve", "reject"):
        raise ValueError("decide approve or reject")
    service = _service(request)
    approval_id = request.path_params["approval_id"]
    await service.admin.approval(me, ApprovalRef(approval_id=approval_id))  # 404 elsewhere
    await service.approvals.decide(
        me,
        ApprovalDecide(
            approval_id=approval_id,
            decision=decision,
            content_hash=_text(form, "content_hash"),
            comment=_text(form, "comment")[:2000],
        ),
    )
    return RedirectResponse(f"/console/approvals/{approval_id}", status_code=303)


# --- audit ----------------------------------------------------------------------------------


@page("admin.audit.search")
async def audit(request: Request, session: Session, me: Identity) -> Response:
    q = request.query_params
    search = AuditSearch(
        project=q.get("project") or None,
        type=q.get("type") or None,
        actor=q.get("actor") or None,
        since=_when(q.get("since")),
        until=_when(q.get("until")),
        after_seq=int(q.get("after") or 0),
        limit=100,
    )
    found = await _service(request).admin.audit_search(me, search)
    filters = {k: q.get(k, "") for k in ("project", "type", "actor", "since", "until")}
    verified = request.app.state.verified.get(me.org_id)
    return _render(
        "audit.html",
        **_context(
            session,
            me,
            events=found.events,
            more=found.more,
            last=found.last_seq,
            filters=filters,
            verified=verified,
        ),
    )


@page("admin.audit.search")
async def audit_verify(request: Request, session: Session, me: Identity) -> Response:
    report = await audit_report(_service(request).store, me.org_id)
    request.app.state.verified[me.org_id] = {
        "ok": not report.findings,
        "count": report.count,
        "checkpoint": report.checkpoint,
        "findings": report.findings,
        "at": datetime.now(UTC),
    }
    return RedirectResponse("/console/audit", status_code=303)


@page("admin.audit.export")
async def audit_export(request: Request, session: Session, me: Identity) -> Response:
    fmt = request.query_params.get("format", "jsonl")
    if fmt not in ("jsonl", "csv", "checkpoint"):
        raise ValueError("export as jsonl, csv or checkpoint")
    service = _service(request)
    source, bodies = await export_from_store(service.store, service.admin, me)
    head = header_line(ExportHeader(source.org_id, source.checkpoint, source.keys))
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    if fmt == "checkpoint":
        return Response(head + "\n", media_type="application/json")
    if fmt == "csv":
        chunks: Any = csv_rows(bodies)
        name, media = f"audit-{stamp}.csv", "text/csv"
    else:
        chunks = _batched(head, bodies)
        name, media = f"audit-{stamp}.jsonl", "application/x-ndjson"
    return StreamingResponse(
        chunks, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _batched(head: str, bodies: list[str], lines: int = 2000) -> Iterator[str]:
    """The JSON Lines export in chunks of ``lines`` events (one write each, not one per line)."""
    yield head + "\n"
    for start in range(0, len(bodies), lines):
        yield "".join(body + "\n" for body in bodies[start : start + lines])


# --- usage ----------------------------------------------------------------------------------


# The groupings of usage, by their name in the query string.
_USAGE_KEYS: dict[str, UsageKey] = {key: key for key in get_args(UsageKey)}


@page("admin.usage")
async def usage(request: Request, session: Session, me: Identity) -> Response:
    by = _USAGE_KEYS.get(request.query_params.get("by", "user"))
    if by is None:
        raise ValueError("group usage by user, project, provider, action or day")
    since = _when(request.query_params.get("since"))
    store = _service(request).store
    rows = await store.usage_events(me.org_id, since)
    emails = {u.id: u.email for u in await store.list_users(me.org_id)}
    summary = usage_summary(rows, by, emails)
    days = usage_series(rows)
    over_time = bar_chart("cost per day", [(d, cost) for d, cost, _ in days])
    per_key = bar_chart(f"cost by {by}", [(b.key, b.cost_usd) for b in summary.buckets[:20]])
    return _render(
        "usage.html",
        **_context(
            session,
            me,
            summary=summary,
            by=by,
            since=request.query_params.get("since", ""),
            over_time=over_time,
            per_key=per_key,
        ),
    )


# --- policy ---------------------------------------------------------------------------------


async def _policy_page(
    request: Request, session: Session, me: Identity, status: int = 200, **more: Any
) -> Response:
    desk = _service(request).admin
    current = await desk.policy_text(me, PolicyRevisionRef())
    history = await desk.policy_history(me, Empty())
    context = {"current": current, "history": history.revisions, "draft": current.yaml, **more}
    return _render("policy.html", status, **_context(session, me, **context))


@page("admin.policy.get")
async def policy(request: Request, session: Session, me: Identity) -> Response:
    return await _policy_page(request, session, me)


@page("admin.policy.set")
async def policy_change(request: Request, session: Session, me: Identity) -> Response:
    """Check a draft (validation and diff against the current revision), or store it."""
    form = await request.form()
    draft = _text(form, "yaml") + "\n"
    desk = _service(request).admin
    try:
        parse_yaml_policy(draft, "policy.yaml")
    except PolicyError as error:
        return await _policy_page(request, session, me, 400, draft=draft, error=str(error))
    if _text(form, "action") == "save":
        stored = await desk.policy_set(me, draft)
        return await _policy_page(request, session, me, notice=f"revision {stored.revision} stored")
    current = await desk.policy_text(me, PolicyRevisionRef())
    diff = policy_diff(current.yaml, draft, f"revision {current.revision}", "draft")
    return await _policy_page(request, session, me, draft=draft, diff=diff or "(no change)")


@page("admin.policy.rollback")
async def policy_rollback(request: Request, session: Session, me: Identity) -> Response:
    form = await request.form()
    try:
        revision = int(_text(form, "revision"))
        params = PolicyRollback(revision=revision)
    except (ValueError, ValidationError):
        raise ValueError("roll back to a revision number") from None
    stored = await _service(request).admin.policy_rollback(me, params)
    return await _policy_page(
        request, session, me, notice=f"revision {revision} is back as revision {stored.revision}"
    )


# --- users ----------------------------------------------------------------------------------


@page("admin.users.list")
async def users(request: Request, session: Session, me: Identity) -> Response:
    listed = await _service(request).admin.users(me, Empty())
    return _render("users.html", **_context(session, me, users=listed.users))


@page("admin.users.roles")
async def user_change(request: Request, session: Session, me: Identity) -> Response:
    form = await request.form()
    desk = _service(request).admin
    email = _text(form, "email")
    if _text(form, "action") == "remove":
        await desk.user_remove(me, UserRef(email=email))
    else:
        roles = tuple(r.strip() for r in _text(form, "roles").split(",") if r.strip())
        try:
            change = UserChange(email=email, roles=roles)
        except ValidationError:
            raise ValueError("give a member's email and at least one role") from None
        await desk.user_roles(me, change)
    return RedirectResponse("/console/users", status_code=303)


@page(None)
async def notifications(request: Request, session: Session, me: Identity) -> Response:
    """Any member's own notification preferences: e-mail on or off, and quiet hours."""
    prefs = await get_prefs(_service(request).store, me.user_id)
    return _render("notifications.html", **_context(session, me, prefs=prefs))


@page(None)
async def notifications_change(request: Request, session: Session, me: Identity) -> Response:
    form = await request.form()
    quiet = None
    if _text(form, "quiet_start") or _text(form, "quiet_end"):
        quiet = QuietHours(
            start=_text(form, "quiet_start"),
            end=_text(form, "quiet_end"),
            timezone=_text(form, "timezone") or "UTC",
        )
    prefs = NotifyPrefs(channels=("email",) if form.get("email") else (), quiet_hours=quiet)
    await set_prefs(_service(request).store, me.user_id, prefs)
    return RedirectResponse("/console/notifications", status_code=303)


def console_app(
    service: OrgService,
    sessions: Sessions | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The console of ``service``'s organisations, under ``/console``.

    ``extra_routes``: the mount point for more login routes (single sign-on's, which start
    sessions with :func:`accord.org.console.sessions.open_session`)."""
    routes: list[BaseRoute] = [
        *extra_routes,  # before the mount, which would answer 404 for their paths under it
        Mount(
            "/console",
            routes=[
                Route("/", home),
                Route("/login", login_form, methods=["GET"]),
                Route("/login", login, methods=["POST"]),
                Route("/logout", logout, methods=["POST"]),
                Route("/approvals", approvals),
                Route("/approvals/{approval_id}", approval),
                Route("/approvals/{approval_id}/decide", decide, methods=["POST"]),
                Route("/audit", audit),
                Route("/audit/verify", audit_verify, methods=["POST"]),
                Route("/audit/export", audit_export),
                Route("/usage", usage),
                Route("/policy", policy),
                Route("/policy", policy_change, methods=["POST"]),
                Route("/policy/rollback", policy_rollback, methods=["POST"]),
                Route("/users", users),
                Route("/users", user_change, methods=["POST"]),
                Route("/notifications", notifications),
                Route("/notifications", notifications_change, methods=["POST"]),
            ],
        ),
    ]
    app = Starlette(routes=routes)
    app.state.service = service
    app.state.sessions = sessions or Sessions()
    app.state.verified = {}
    return app
