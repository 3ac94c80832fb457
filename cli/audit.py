"""``accord audit show`` (list events) and ``accord audit verify`` (prove the log untampered).

``verify`` exits 0 when the log is intact and 1 when it is not (or cannot be read), printing one
finding per line as ``seq N: KIND: what was found``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from accord.audit.events import Event, EventType

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit show`` and ``audit verify`` to the ``accord`` command's sub-commands."""
    audit = commands.add_parser("audit", help="show and verify the tamper-evident audit trail")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    actions.required = True
    _add_show(actions)
    _add_verify(actions)


def _add_show(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    show = actions.add_parser("show", help="list audit events (a table, or JSON lines)")
    _add_root(show)
    show.add_argument("--project", help="only this project's events")
    show.add_argument("--type", choices=[t.value for t in EventType], help="only this type")
    show.add_argument("--since", type=_since, metavar="WHEN", help="ISO date or time (UTC)")
    show.add_argument("--limit", type=_positive, metavar="N", help="only the latest N events")
    show.add_argument("--json", action="store_true", help="one JSON object per line")
    show.set_defaults(run=_run_show)


def _add_verify(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = actions.add_parser(
        "verify",
        help="check the hash chain and the anchored head",
        description="Exit status: 0 the log is intact, 1 it was tampered with or is unreadable, "
        "2 a usage error.",
    )
    _add_root(verify)
    verify.add_argument(
        "--key-file",
        type=Path,
        metavar="PATH",
        help="the checkpoint key the log was written with: the head must be signed with it",
    )
    verify.set_defaults(run=_run_verify)


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=Path("."), metavar="PATH", help="project root (default: .)"
    )


def _since(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _run_show(options: argparse.Namespace) -> int:
    from accord.audit.exceptions import StoreError
    from accord.audit.store import DATABASE, FOLDER, AuditStore, EventFilter

    if not (options.root / FOLDER / DATABASE).exists():
        # As `audit verify` does: no log yet is an empty log, not an error.
        print(f"no audit events under {options.root} yet", file=sys.stderr)
        return 0
    kind = EventType(options.type) if options.type else None
    selection = EventFilter(options.project, kind, options.since, options.limit)
    try:
        events = AuditStore(options.root).events(selection)
    except StoreError as error:
        print(f"accord audit: error: {error}", file=sys.stderr)
        return 2
    if options.json:
        sys.stdout.writelines(event.model_dump_json() + "\n" for event in events)
    elif sys.stdout.isatty():
        _print_table(events)
    else:
        sys.stdout.writelines("\t".join(_cells(event)) + "\n" for event in events)
    return 0


def _print_table(events: list[Event]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for title in ("seq", "time (UTC)", "type"):
        table.add_column(title, no_wrap=True)
    for title in ("actor", "project", "proposal", "details"):
        table.add_column(title, overflow="fold")
    for event in events:
        table.add_row(*_cells(event))
    Console(soft_wrap=False).print(table)


def _cells(event: Event) -> tuple[str, ...]:
    """An event's columns: seq, time (UTC), type, actor, project, proposal, details."""
    when = event.ts.strftime("%Y-%m-%d %H:%M:%S")
    proposal = event.proposal_id or ""
    return (
        str(event.seq),
        when,
        event.type.value,
        event.actor,
        event.project,
        proposal,
        _details(event),
    )


def _details(event: Event) -> str:
    from accord.audit.chain import canonical_json

    action = event.agent_action
    if action is None:
        return canonical_json(event.payload)
    outcome = "ok" if action.success else f"failed: {action.error_message or '?'}"
    took = f" {action.execution_time_ms} ms" if action.execution_time_ms is not None else ""
    return f"{action.action_type} {outcome}{took}"


def _run_verify(options: argparse.Namespace) -> int:
    from accord.audit.exceptions import StoreError
    from accord.audit.store import verify_root

    try:
        key = options.key_file.read_bytes() if options.key_file else None
        outcome = verify_root(options.root, key)
    except OSError as error:
        print(f"accord audit: error: {options.key_file}: {error.strerror}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"unreadable: {error}")
        return 1
    if outcome.ok:
        print(f"OK: {outcome.count} events, head {outcome.last_hash or 'none (empty log)'}")
        return 0
    for finding in outcome.findings:
        print(finding)
    return 1
