"""``accord org policy|audit|usage|users|approvals …``: the organisation's admin commands.

Each talks to a running org server with the caller's login (``--server URL``, or the only
login), or, with ``--store URL``, to the store directly as its operator (then ``--as EMAIL`` names
the actor the audit chain records; a policy set that way reaches editors when they next
reconnect). Output is a table, or JSON with ``--json``. A caller without the role gets the
server's refusal and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console
from rich.table import Table

from accord.cli.exits import FAILED, USAGE, Outcome, guarded

if TYPE_CHECKING:
    from accord.org.admin_access import AdminAccess
    from accord.protocol.org import Message

__all__ = ["add_org_admin"]

Commands = Any  # argparse's private sub-parsers action
M = TypeVar("M", bound="Message")


class CliError(Exception):
    """A usage problem, printed as one line; exit status 2."""


def _run(job: Callable[[argparse.Namespace], Coroutine[Any, Any, int]]) -> Callable[..., int]:
    def runner(options: argparse.Namespace) -> int:
        from accord.org.admin_access import AccessError
        from accord.org.client import OrgError, OrgUnreachable, UntrustedServer
        from accord.org.credentials import LoginError
        from accord.org.store.opening import StoreUnavailable, StoreUrlError

        status: int = guarded(
            f"accord org {options.org_command}",
            lambda: int(asyncio.run(job(options))),
            Outcome((CliError, StoreUrlError, LoginError), USAGE),
            Outcome((OrgUnreachable, UntrustedServer, StoreUnavailable), FAILED),
            Outcome((OrgError, AccessError), FAILED, "{command}: refused: {error}"),
        )
        return status

    return runner


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _access_options(parser: argparse.ArgumentParser, json_output: bool = True) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--server", metavar="URL", help="the org server (default: your only login)")
    where.add_argument("--store", metavar="URL", help="work on the store directly, as its operator")
    parser.add_argument("--org", metavar="ID", help="with --store: the organisation")
    parser.add_argument(
        "--as",
        dest="acting_as",
        default="operator",
        metavar="EMAIL",
        help="with --store: who the audit records as acting (default: operator)",
    )
    if json_output:
        parser.add_argument("--json", action="store_true", help="JSON for scripts")


def _group(sub: Commands, name: str, text: str) -> Commands:
    parser = sub.add_parser(name, help=text)
    return parser.add_subparsers(dest=f"{name}_action", metavar="ACTION", required=True)


def _action(
    actions: Commands, name: str, text: str, job: Callable[..., Coroutine[Any, Any, int]]
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, help=text)
    _access_options(parser)
    parser.set_defaults(run=_run(job))
    return parser


def add_org_admin(sub: Commands) -> None:
    """Add the admin commands to ``accord org``'s sub-commands."""
    policy = _group(sub, "policy", "the organisation's policy: get, set, diff, history, rollback")
    get = _action(policy, "get", "print the current policy (or --revision N)", _policy_get)
    get.add_argument("--revision", type=int, default=0, metavar="N")
    put = _action(policy, "set", "validate a policy file and make it the org's", _policy_set)
    put.add_argument("file", type=Path, metavar="FILE")
    diff = _action(policy, "diff", "what setting FILE would change", _policy_diff)
    diff.add_argument("file", type=Path, metavar="FILE")
    _action(policy, "history", "every revision: when and by whom", _policy_history)
    back = _action(policy, "rollback", "store revision REV again as the newest", _policy_rollback)
    back.add_argument("revision", type=int, metavar="REV")

    audit = _group(sub, "audit", "the organisation's audit chain: query, export, verify")
    query = _action(audit, "query", "events, filtered", _audit_query)
    query.add_argument("--type")
    query.add_argument("--actor", metavar="EMAIL")
    query.add_argument("--project")
    query.add_argument("--since", type=_when, metavar="WHEN", help="ISO date or time (UTC)")
    query.add_argument("--until", type=_when, metavar="WHEN")
    query.add_argument("--limit", type=int, default=100, metavar="N")
    export = _action(
        audit, "export", "the chain and its signed checkpoint, for offline checks", _audit_export
    )
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="default: stdout (jsonl only)"
    )
    verify = _action(
        audit, "verify", "check the chain (of the org, or of an export --file)", _audit_verify
    )
    verify.add_argument("--file", type=Path, metavar="EXPORT", help="verify an export offline")
    verify.add_argument(
        "--org-key", metavar="KEY_ID", help="with --file: the org's first key id, to trust"
    )

    usage = sub.add_parser("usage", help="agent usage: events, tokens and cost")
    _access_options(usage)
    usage.add_argument(
        "--by", choices=("user", "project", "provider", "action", "day"), default="user"
    )
    usage.add_argument("--since", type=_when, metavar="WHEN")
    usage.set_defaults(run=_run(_usage))

    users = _group(sub, "users", "members and their roles")
    _action(users, "list", "every member", _users_list)
    roles = _action(users, "roles", "replace a member's roles", _users_roles)
    roles.add_argument("email")
    roles.add_argument("--role", action="append", required=True)
    remove = _action(users, "remove", "deactivate a member and revoke their tokens", _users_remove)
    remove.add_argument("email")

    approvals = _group(sub, "approvals", "the whole organisation's approval requests")
    listing = _action(approvals, "list", "every request, newest first", _approvals_list)
    listing.add_argument("--state")
    listing.add_argument("--project")
    listing.add_argument("--limit", type=int, default=100, metavar="N")
    show = _action(approvals, "show", "one request with its diff and risk", _approvals_show)
    show.add_argument("id")


# --- plumbing -------------------------------------------------------------------------------


async def _open(options: argparse.Namespace) -> AdminAccess:
    from accord.org.admin_access import local_access, remote_access

    if options.store is not None:
        return await local_access(options.store, options.org, options.acting_as)
    return await remote_access(_server_url(options.server))


def _server_url(given: str | None) -> str:
    import os

    from accord.org.credentials import credentials_path

    if given:
        return given
    if env := os.environ.get("ACCORD_ORG_URL"):
        return env
    try:
        urls = list(json.loads(credentials_path().read_text("utf-8")))
    except (OSError, ValueError):
        urls = []
    if len(urls) != 1:
        raise CliError(
            "which org server? pass --server URL (or --store URL)"
            + ("" if urls else " and run `accord login` first")
        )
    return str(urls[0])


async def _call(options: argparse.Namespace, method: str, params: Message, result: type[M]) -> M:
    access = await _open(options)
    try:
        answer: M = await access.call(method, params, result)
        return answer
    finally:
        await access.close()


def _emit(options: argparse.Namespace, value: Message, table: Callable[[], Table | str]) -> int:
    if options.json:
        print(value.model_dump_json(indent=2))
    else:
        Console(soft_wrap=True).print(table())
    return 0


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    return table


def _read(file: Path) -> str:
    try:
        return file.read_text("utf-8")
    except OSError as error:
        raise CliError(f"cannot read {file}: {error.strerror}") from None


def _write(file: Path, text: str) -> None:
    try:
        file.write_text(text, "utf-8")
    except OSError as error:
        raise CliError(f"cannot write {file}: {error.strerror}") from None


def _valid_policy(file: Path) -> str:
    """The file's text, validated as a policy (the error names the line)."""
    from accord.policy.loading import PolicyError, parse_yaml_policy

    text = _read(file)
    try:
        parse_yaml_policy(text, str(file))
    except PolicyError as error:
        raise CliError(f"invalid policy, nothing was pushed: {error}") from None
    return text


# --- policy ---------------------------------------------------------------------------------


async def _policy_get(options: argparse.Namespace) -> int:
    from accord.protocol.org_admin import PolicyRevisionRef, PolicyText

    text = await _call(
        options, "admin.policy.get", PolicyRevisionRef(revision=options.revision), PolicyText
    )
    if options.json:
        print(text.model_dump_json(indent=2))
    else:
        sys.stdout.write(text.yaml)
    return 0


async def _policy_set(options: argparse.Namespace) -> int:
    from accord.protocol.org import PolicyDocument, PolicySet

    document = await _call(
        options, "policy.set", PolicySet(yaml=_valid_policy(options.file)), PolicyDocument
    )
    return _emit(options, document, lambda: f"policy revision {document.revision} is the org's now")


async def _policy_diff(options: argparse.Namespace) -> int:
    from accord.org.admin_queries import policy_diff
    from accord.protocol.org_admin import PolicyRevisionRef, PolicyText

    proposed = _valid_policy(options.file)
    current = await _call(options, "admin.policy.get", PolicyRevisionRef(), PolicyText)
    diff = policy_diff(current.yaml, proposed, f"revision {current.revision}", str(options.file))
    if options.json:
        print(json.dumps({"revision": current.revision, "diff": diff}))
    else:
        sys.stdout.write(diff or f"{options.file} is the same as revision {current.revision}\n")
    return 0


async def _policy_history(options: argparse.Namespace) -> int:
    from accord.protocol.org import Empty
    from accord.protocol.org_admin import PolicyHistory

    history = await _call(options, "admin.policy.history", Empty(), PolicyHistory)
    rows = [(r.revision, f"{r.created_at:%Y-%m-%d %H:%M:%S}", r.actor) for r in history.revisions]
    return _emit(
        options,
        history,
        lambda: (
            _table("policy revisions", ("revision", "stored (UTC)", "by"), rows)
            if rows
            else "no policy stored: the built-in default applies (revision 0)"
        ),
    )


async def _policy_rollback(options: argparse.Namespace) -> int:
    from accord.protocol.org import PolicyDocument
    from accord.protocol.org_admin import PolicyRollback

    document = await _call(
        options, "admin.policy.rollback", PolicyRollback(revision=options.revision), PolicyDocument
    )
    return _emit(
        options,
        document,
        lambda: f"revision {options.revision} is back, as revision {document.revision}",
    )


# --- audit ----------------------------------------------------------------------------------


async def _audit_query(options: argparse.Namespace) -> int:
    from accord.protocol.org import AuditEvents
    from accord.protocol.org_admin import AuditSearch

    search = AuditSearch(
        project=options.project,
        type=options.type,
        actor=options.actor,
        since=options.since,
        until=options.until,
        limit=max(1, min(options.limit, 1000)),
    )
    found = await _call(options, "admin.audit.search", search, AuditEvents)
    rows = [
        (e["seq"], e["ts"], e["type"], e["actor"], e["project"], e.get("proposal_id") or "")
        for e in found.events
    ]
    columns = ("seq", "when (UTC)", "type", "actor", "project", "proposal")
    return _emit(options, found, lambda: _table("audit events", columns, rows))


async def _audit_export(options: argparse.Namespace) -> int:
    from accord.org.audit_export import ExportHeader, csv_rows, header_line

    if options.format == "csv" and options.output is None:
        raise CliError("--format csv needs --output FILE (the checkpoint goes beside it)")
    access = await _open(options)
    try:
        header, bodies = await access.export()
    finally:
        await access.close()
    head = header_line(ExportHeader(header.org_id, header.checkpoint, header.keys))
    if options.output is None:
        sys.stdout.write(head + "\n" + "".join(body + "\n" for body in bodies))
        return 0
    if options.format == "jsonl":
        _write(options.output, head + "\n" + "".join(b + "\n" for b in bodies))
    else:
        _write(options.output, "".join(csv_rows(bodies)))
        _write(Path(f"{options.output}.checkpoint.json"), head + "\n")
    print(
        f"exported {len(bodies)} events to {options.output} "
        f"(checkpoint seq {header.checkpoint.seq}, key {header.checkpoint.key_id})",
        file=sys.stderr,
    )
    return 0


async def _audit_verify(options: argparse.Namespace) -> int:
    if options.file is not None:
        return _verify_file(options)
    access = await _open(options)
    try:
        count, covered, findings = await access.verify()
    finally:
        await access.close()
    return _verdict(options, count, covered, findings)


def _verify_file(options: argparse.Namespace) -> int:
    from accord.org.audit_export import read_csv, read_jsonl, verify_export

    file: Path = options.file
    try:
        if file.suffix == ".csv":
            header, bodies = read_csv(_read(file), _read(Path(f"{file}.checkpoint.json")))
        else:
            header, bodies = read_jsonl(_read(file))
        report = verify_export(header, bodies, options.org_key)
    except ValueError as error:
        raise CliError(f"{file}: {error}") from None
    checkpoint = report.checkpoint
    covered = "none" if checkpoint is None else f"seq {checkpoint.seq}, signed {checkpoint.ts}"
    return _verdict(options, report.count, covered, report.findings)


def _verdict(options: argparse.Namespace, count: int, covered: str, findings: Sequence[str]) -> int:
    if options.json:
        print(
            json.dumps(
                {
                    "ok": not findings,
                    "count": count,
                    "checkpoint": covered,
                    "findings": list(findings),
                }
            )
        )
    else:
        for finding in findings:
            print(finding)
        verdict = "FAILED" if findings else "ok"
        print(f"{count} events, checkpoint {covered}: {verdict}")
    return 1 if findings else 0


# --- usage, users, approvals ---------------------------------------------------------------


async def _usage(options: argparse.Namespace) -> int:
    from accord.protocol.org_admin import UsageQuery, UsageSummary

    summary = await _call(
        options, "admin.usage", UsageQuery(by=options.by, since=options.since), UsageSummary
    )
    rows = [
        (b.key, b.events, b.input_tokens, b.output_tokens, f"${b.cost_usd:,.4f}")
        for b in summary.buckets
    ]
    columns = (options.by, "events", "input tokens", "output tokens", "cost")
    return _emit(options, summary, lambda: _table("usage", columns, rows))


async def _users_list(options: argparse.Namespace) -> int:
    from accord.protocol.org import Empty
    from accord.protocol.org_admin import Users

    found = await _call(options, "admin.users.list", Empty(), Users)
    rows = [(u.email, ", ".join(u.roles), "active" if u.active else "removed") for u in found.users]
    return _emit(options, found, lambda: _table("members", ("email", "roles", "state"), rows))


async def _users_roles(options: argparse.Namespace) -> int:
    from accord.protocol.org_admin import UserChange, UserView

    user = await _call(
        options,
        "admin.users.roles",
        UserChange(email=options.email, roles=tuple(options.role)),
        UserView,
    )
    return _emit(options, user, lambda: f"{user.email}: {', '.join(user.roles)}")


async def _users_remove(options: argparse.Namespace) -> int:
    from accord.protocol.org_admin import UserRef, UserView

    user = await _call(options, "admin.users.remove", UserRef(email=options.email), UserView)
    return _emit(options, user, lambda: f"removed {user.email}; their tokens no longer work")


async def _approvals_list(options: argparse.Namespace) -> int:
    from accord.protocol.org import ApprovalListed
    from accord.protocol.org_admin import AdminApprovals

    query = AdminApprovals(state=options.state, project=options.project, limit=options.limit)
    listed = await _call(options, "admin.approvals.list", query, ApprovalListed)
    rows = [
        (
            a.id,
            a.state,
            f"{a.risk.score:g}",
            a.project,
            a.proposal.title,
            a.requester_email,
            ", ".join(a.missing_roles),
        )
        for a in listed.approvals
    ]
    columns = ("id", "state", "risk", "project", "title", "requester", "needs")
    return _emit(options, listed, lambda: _table("approval requests", columns, rows))


async def _approvals_show(options: argparse.Namespace) -> int:
    from accord.protocol.org import ApprovalRef, ApprovalView

    shown = await _call(
        options, "admin.approvals.get", ApprovalRef(approval_id=options.id), ApprovalView
    )
    if options.json:
        print(shown.model_dump_json(indent=2))
        return 0
    votes = "; ".join(f"{v.email} ({', '.join(v.roles)})" for v in shown.approvals) or "none"
    print(f"{shown.id}  {shown.state}  {shown.project}: {shown.proposal.title}")
    print(f"requested by {shown.requester_email}; workflow {shown.workflow}")
    print(f"needs: {', '.join(shown.missing_roles) or 'nothing more'}; approvals: {votes}")
    print(f"risk {shown.risk.score:g}: {shown.risk.reasons}")
    print(shown.proposal.diff)
    return 0
