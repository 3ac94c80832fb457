"""``accord org …`` (run and administer the org server), ``accord login`` and ``accord approvals``.

Administration (``init``, ``user``, ``token``, ``revoke``) works on the store directly, as the
server's operator; ``login`` and ``approvals`` talk to a running server as a user.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from accord.cli.exits import FAILED, USAGE, Outcome, guarded
from accord.org.client import OrgClient, OrgError, OrgUnreachable, UntrustedServer
from accord.org.credentials import (
    Login,
    LoginError,
    credentials_path,
    load_login,
    open_session,
    save_login,
)
from accord.org.keyring import KeyRing
from accord.org.limit_options import add_limit_options, limits_from
from accord.org.rbac import valid_roles
from accord.org.records import Organisation, User
from accord.org.security_commands import keys_to_pin, rotate_key
from accord.org.store import Conflict, OrgStore
from accord.org.store.opening import StoreUnavailable, StoreUrlError, opened_store
from accord.org.tokens import TokenIssuer
from accord.protocol.org import (
    ApprovalDecide,
    ApprovalList,
    ApprovalListed,
    ApprovalRef,
    ApprovalView,
    Authenticate,
    Authenticated,
    Empty,
    OrgKeys,
    TokenPair,
    TokenRefresh,
)

__all__ = ["add_approvals", "add_login", "add_org"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


class CliError(Exception):
    """A usage problem, printed as one line; exit status 2."""


def _run(
    job: Callable[[argparse.Namespace], Coroutine[Any, Any, int]],
) -> Callable[[argparse.Namespace], int]:
    def runner(options: argparse.Namespace) -> int:
        return guarded(
            "accord",
            lambda: asyncio.run(job(options)),
            Outcome((CliError, StoreUrlError, LoginError), USAGE),
            Outcome((OrgUnreachable, UntrustedServer), FAILED, "{command}: {error}"),
            Outcome((OrgError,), FAILED, "{command}: the org server refused: {error}"),
            Outcome((StoreUnavailable,), FAILED, "{command}: {error}"),
        )

    return runner


# --- accord org ---------------------------------------------------------------------------


def add_org(commands: Commands) -> None:
    org = commands.add_parser("org", help="run and administer the org server")
    sub = org.add_subparsers(dest="org_command", metavar="SUBCOMMAND", required=True)

    serve = sub.add_parser(
        "serve", help="run the org server (WebSocket JSON-RPC, /metrics, /healthz)"
    )
    _store_option(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks one)")
    serve.add_argument(
        "--bus",
        metavar="URL",
        help="redis://HOST:PORT/DB: share pushes with the other replicas of the store (default: one process, no bus)",
    )
    serve.add_argument(
        "--reuse-port",
        action="store_true",
        help="share the port with other processes (SO_REUSEPORT)",
    )
    serve.add_argument(
        "--auth-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="close connections that do not authenticate in time (default 5)",
    )
    serve.add_argument(
        "--history",
        type=int,
        default=1000,
        metavar="N",
        help="events kept per room for resuming (default 1000)",
    )
    serve.add_argument(
        "--tick",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how often deadlines are enforced (default 1)",
    )
    serve.add_argument(
        "--tls-cert", metavar="FILE", help="serve wss:// with this certificate chain (PEM)"
    )
    serve.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    serve.add_argument("--log-format", choices=("text", "json"), default="text")
    serve.add_argument(
        "--console-port", type=int, metavar="N", help="serve the web console on this port too"
    )
    serve.add_argument(
        "--console-session",
        type=float,
        default=8 * 3600.0,
        metavar="SECONDS",
        help="how long a console login lasts (default 8 hours)",
    )
    add_limit_options(serve)
    serve.set_defaults(run=_serve)

    init = sub.add_parser(
        "init", help="create an organisation and its first admin; prints a login token"
    )
    _store_option(init)
    init.add_argument("--name", required=True, help="the organisation's name")
    init.add_argument("--admin", required=True, metavar="EMAIL", help="the first admin's email")
    init.add_argument(
        "--role", action="append", default=[], help="more roles for the admin (repeatable)"
    )
    init.set_defaults(run=_run(_init))

    user = sub.add_parser("user", help="manage users and their roles")
    users = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = users.add_parser("add", help="add a user; prints their login token")
    add.add_argument("email")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        help="a role (repeatable): developer, tech_lead, manager, security_team, cto, admin",
    )
    _tenant_options(add)
    add.set_defaults(run=_run(_user_add))
    listing = users.add_parser("list", help="list the organisation's users")
    _tenant_options(listing)
    listing.set_defaults(run=_run(_user_list))
    roles = users.add_parser("roles", help="replace a user's roles")
    roles.add_argument("email")
    roles.add_argument("--role", action="append", required=True)
    _tenant_options(roles)
    roles.set_defaults(run=_run(_user_roles))
    remove = users.add_parser("remove", help="deactivate a user and revoke their tokens")
    remove.add_argument("email")
    _tenant_options(remove)
    remove.set_defaults(run=_run(_user_remove))

    token = sub.add_parser("token", help="print a new login token for a user")
    token.add_argument("email")
    _tenant_options(token)
    token.set_defaults(run=_run(_token))
    revoke = sub.add_parser("revoke", help="revoke every token a user holds")
    revoke.add_argument("email")
    _tenant_options(revoke)
    revoke.set_defaults(run=_run(_revoke))

    keys = sub.add_parser("keys", help="the organisation's signing key")
    key_actions = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    rotate = key_actions.add_parser(
        "rotate", help="make a new signing key (endorsed by the old one, which stays verifiable)"
    )
    _tenant_options(rotate)
    rotate.set_defaults(run=_run(_keys_rotate))
    from accord.cli.org_notify import add_org_notify

    add_org_notify(sub)
    from accord.cli.org_sso import add_org_sso

    add_org_sso(sub)

    from accord.cli.org_room import add_room

    add_room(sub)
    from accord.cli.org_projects import add_projects

    add_projects(sub)
    from accord.cli.org_admin import add_org_admin  # policy, audit, usage, users, approvals

    add_org_admin(sub)


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="URL",
        help="sqlite:///PATH or postgresql://USER@HOST:PORT/DB (default: $XDG_DATA_HOME/accord/org.db)",
    )


def _tenant_options(parser: argparse.ArgumentParser) -> None:
    _store_option(parser)
    parser.add_argument(
        "--org", metavar="ID", help="the organisation (needed when the store has several)"
    )


def _serve(options: argparse.Namespace) -> int:
    from accord.org.app import ServerOptions, StartupError, run
    from accord.org.bus import BusError
    from accord.org.logs import configure

    configure(options.log_format)
    if (options.tls_cert is None) != (options.tls_key is None):
        print("accord: error: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    server = ServerOptions(
        store=options.store,
        bus=options.bus,
        host=options.host,
        port=options.port,
        limits=limits_from(options),
        history=options.history,
        history_bytes=options.history_bytes,
        access_ttl=timedelta(seconds=options.access_ttl),
        tick_seconds=options.tick,
        reuse_port=options.reuse_port,
        tls_cert=options.tls_cert,
        tls_key=options.tls_key,
        console_port=options.console_port,
        console_session_seconds=options.console_session,
    )
    try:
        asyncio.run(run(server, ready=lambda line: print(line, flush=True)))
    except (StoreUrlError, BusError) as error:
        print(f"accord: error: {error}", file=sys.stderr)
        return 2
    except (StartupError, StoreUnavailable) as error:
        print(f"accord org serve: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"accord org serve: cannot listen on {options.host}:{options.port}: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0


async def _login_token(store: OrgStore, user: User) -> str:
    """A one-time login token (a refresh token) for ``user``."""
    issued = TokenIssuer(await store.signing_key()).issue(
        user.id, user.org_id, "refresh", user.token_epoch
    )
    await store.save_refresh(issued.claims.jti, user.id, issued.claims.expires_at)
    return issued.token


def _print_token(user: User, token: str) -> None:
    print(f"login token for {user.email} (single use, valid 30 days):")
    print(token)
    print(f"on their machine: accord login ws://HOST:PORT --token {token[:12]}…")


async def _init(options: argparse.Namespace) -> int:
    roles = _roles(["admin", *options.role])
    store = await opened_store(options.store)
    try:
        org = await store.create_org(options.name)
        admin = await store.add_user(org.id, options.admin, roles)
        key = await KeyRing(store).current(org.id)
        print(f"organisation {org.name!r}: {org.id}")
        print(f"signing key {key.key_id} (give it out for `accord login --org-key {key.key_id}`)")
        _print_token(admin, await _login_token(store, admin))
    finally:
        await store.close()
    return 0


def _roles(given: Sequence[str]) -> tuple[str, ...]:
    try:
        return valid_roles(given)
    except ValueError as error:
        raise CliError(str(error)) from None


async def _org(store: OrgStore, org_id: str | None) -> Organisation:
    orgs = await store.list_orgs()
    if org_id is not None:
        found = [o for o in orgs if o.id == org_id]
        if not found:
            raise CliError(f"no organisation {org_id} in this store")
        return found[0]
    if len(orgs) != 1:
        detail = "none: run `accord org init` first" if not orgs else "several: pass --org ID"
        raise CliError(f"which organisation? the store holds {detail}")
    return orgs[0]


async def _member(store: OrgStore, options: argparse.Namespace) -> User:
    org = await _org(store, options.org)
    user = await store.user_by_email(org.id, options.email)
    if user is None:
        raise CliError(f"{options.email} is not a member of {org.name}")
    return user


async def _with_store(
    options: argparse.Namespace, job: Callable[[OrgStore], Awaitable[int]]
) -> int:
    store = await opened_store(options.store)
    try:
        return await job(store)
    finally:
        await store.close()


async def _user_add(options: argparse.Namespace) -> int:
    roles = _roles(options.role)

    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        try:
            user = await store.add_user(org.id, options.email, roles)
        except Conflict:
            raise CliError(f"{options.email} is already a member of {org.name}") from None
        print(f"added {user.email} to {org.name} as {', '.join(roles)}")
        _print_token(user, await _login_token(store, user))
        return 0

    return await _with_store(options, job)


async def _user_list(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        for user in await store.list_users(org.id):
            state = "" if user.active else "  (removed)"
            print(f"{user.email}\t{', '.join(user.roles)}{state}")
        return 0

    return await _with_store(options, job)


async def _user_roles(options: argparse.Namespace) -> int:
    roles = _roles(options.role)

    async def job(store: OrgStore) -> int:
        user = await _member(store, options)
        await store.update_user(replace(user, roles=roles))
        print(f"{user.email}: {', '.join(roles)}")
        return 0

    return await _with_store(options, job)


async def _user_remove(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        user = await _member(store, options)
        await store.update_user(replace(user, active=False, token_epoch=user.token_epoch + 1))
        print(f"removed {user.email}; their tokens no longer work")
        return 0

    return await _with_store(options, job)


async def _token(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        user = await _member(store, options)
        _print_token(user, await _login_token(store, user))
        return 0

    return await _with_store(options, job)


async def _revoke(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        user = await _member(store, options)
        await store.update_user(replace(user, token_epoch=user.token_epoch + 1))
        print(f"revoked every token of {user.email}")
        return 0

    return await _with_store(options, job)


async def _keys_rotate(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        previous, new = await rotate_key(store, org.id)
        print(f"{org.name}: new signing key {new}, endorsed by {previous} (kept for verifying)")
        return 0

    return await _with_store(options, job)


# --- accord login ---------------------------------------------------------------------------


def add_login(commands: Commands) -> None:
    login = commands.add_parser("login", help="log in to an org server with a login token")
    login.add_argument("url", metavar="URL", help="the org server, e.g. ws://127.0.0.1:8765")
    login.add_argument("--token", help="the login token printed by `accord org user add`")
    login.add_argument(
        "--ca",
        metavar="FILE",
        help="verify a wss:// server against this CA (PEM), not the system's",
    )
    login.add_argument(
        "--org-key",
        metavar="KEY_ID",
        help="the org's first signing key id (printed by `accord org init`); default: trust the "
        "key the server shows now",
    )
    from accord.cli.org_sso import add_login_sso

    add_login_sso(login)
    login.set_defaults(run=_run(_login))


def _absolute(path: str | None) -> str | None:
    """``path`` made absolute (the language server runs elsewhere)."""
    return os.path.abspath(path) if path else None


def _same_org_keys(options: argparse.Namespace, org_id: str, keys: dict[str, str]) -> None:
    """Refuse a login that would swap the keys pinned for this organisation for unrelated ones
    (unless ``--org-key`` vouches for the new ones)."""
    try:
        previous = load_login(options.url)
    except (LoginError, KeyError, ValueError):
        return
    unrelated = previous.keys and not previous.keys.keys() & keys.keys()
    if previous.org_id == org_id and unrelated and options.org_key is None:
        raise CliError(
            f"{options.url} now shows signing keys unrelated to the ones pinned for this "
            "organisation; if the org really replaced its key, log in with --org-key KEY_ID"
        )


async def _login(options: argparse.Namespace) -> int:
    ca = _absolute(options.ca)
    if not options.token and not options.sso:
        raise CliError("login: give --token TOKEN, or --sso to sign in through your provider")
    from accord.cli.org_sso import sso_login

    sso = await sso_login(options, ca) if options.sso else None
    async with OrgClient(options.url, ca=ca) as client:
        pair = sso.pair if sso is not None and sso.pair else None
        pair = pair or await client.request(
            "token.refresh", TokenRefresh(refresh_token=options.token), TokenPair
        )
        hello = await client.request(
            "authenticate",
            Authenticate(token=pair.access_token, client="accord login"),
            Authenticated,
        )
        offered = await client.request("org.keys", Empty(), OrgKeys)
    try:
        keys = keys_to_pin(offered, options.org_key)
    except ValueError as error:
        raise CliError(str(error)) from None
    _same_org_keys(options, hello.identity.org_id, keys)
    save_login(Login(options.url, pair, hello.identity.email, hello.identity.org_id, keys, ca))
    identity = hello.identity
    print(
        f"logged in to {options.url} as {identity.email} ({', '.join(identity.roles)}) of {identity.org_name}"
    )
    print(f"pinned the org's signing keys: {', '.join(keys)}")
    print(f"credentials: {credentials_path()}")
    return 0


# --- accord approvals -----------------------------------------------------------------------


def add_approvals(commands: Commands) -> None:
    approvals = commands.add_parser(
        "approvals", help="list and decide approval requests on the org server"
    )
    sub = approvals.add_subparsers(dest="approvals_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="requests you can decide (or --all)")
    listing.add_argument(
        "--all", action="store_true", help="every request, not only yours to decide"
    )
    listing.add_argument("--state", help="only requests in this state")
    listing.add_argument("--project", help="only this project's requests")
    listing.set_defaults(run=_run(_approvals_list))
    show = sub.add_parser("show", help="one request, with its diff")
    show.add_argument("id")
    show.set_defaults(run=_run(_approvals_show))
    for name, text in (("approve", "approve a request"), ("reject", "reject a request")):
        decide = sub.add_parser(name, help=text)
        decide.add_argument("id")
        decide.add_argument("--comment", default="")
        decide.set_defaults(run=_run(_approvals_decide), decision=name)
    for parser in (listing, show, *(sub.choices[n] for n in ("approve", "reject"))):
        parser.add_argument(
            "--server",
            metavar="URL",
            help="the org server (default: your only login, or $ACCORD_ORG_URL)",
        )


def _server_url(options: argparse.Namespace) -> str:
    import json
    import os

    if options.server:
        return str(options.server)
    if env := os.environ.get("ACCORD_ORG_URL"):
        return env
    path = credentials_path()
    try:
        urls = list(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        urls = []
    if len(urls) != 1:
        raise CliError(
            "which org server? pass --server URL"
            + ("" if urls else " (and run `accord login` first)")
        )
    return str(urls[0])


async def _session(options: argparse.Namespace) -> OrgClient:
    client, _ = await open_session(_server_url(options), client_name="accord approvals")
    return client


def _line(view: ApprovalView) -> str:
    missing = f" needs {', '.join(view.missing_roles)}" if view.missing_roles else ""
    return (
        f"{view.id}  {view.state:<9} risk {view.risk.score:>4g}  {view.project}: "
        f"{view.proposal.title} (by {view.requester_email}){missing}"
    )


async def _approvals_list(options: argparse.Namespace) -> int:
    client = await _session(options)
    try:
        query = ApprovalList(
            actionable=not options.all, state=options.state, project=options.project
        )
        listed = await client.request("approval.list", query, ApprovalListed)
    finally:
        await client.close()
    for view in listed.approvals:
        print(_line(view))
    if not listed.approvals:
        print("nothing to decide" if not options.all else "no approval requests")
    return 0


async def _approvals_show(options: argparse.Namespace) -> int:
    client = await _session(options)
    try:
        view = await client.request(
            "approval.get", ApprovalRef(approval_id=options.id), ApprovalView
        )
    finally:
        await client.close()
    print(_line(view))
    print(f"workflow: {view.workflow}; deadline: {view.deadline or 'none'}")
    print(f"risk: {view.risk.reasons}")
    for vote in view.approvals:
        print(f"approved by {vote.email} ({', '.join(vote.roles)}) at {vote.at:%Y-%m-%d %H:%M}")
    print(f"rationale: {view.proposal.rationale}")
    print(view.proposal.diff)
    return 0


async def _approvals_decide(options: argparse.Namespace) -> int:
    client = await _session(options)
    try:
        view = await client.request(
            "approval.get", ApprovalRef(approval_id=options.id), ApprovalView
        )
        decided = await client.request(
            "approval.decide",
            ApprovalDecide(
                approval_id=view.id,
                decision=options.decision,
                content_hash=view.proposal.content_hash,
                comment=options.comment,
            ),
            ApprovalView,
        )
    finally:
        await client.close()
    print(_line(decided))
    return 0
