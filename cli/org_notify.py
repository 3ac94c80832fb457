"""``accord org notify …`` (an organisation's notification channels, as the server's operator)
and ``accord notify prefs …`` (a user's own preferences, through the org server).

    accord org notify set --from notify.yaml [--store URL] [--org ID]
    accord org notify show [--store URL] [--org ID]        (secrets masked)
    accord org notify log [--approval ID] [--store URL]    (what was sent, retried, failed)
    accord notify prefs show [--server URL]
    accord notify prefs set [--email on|off] [--quiet 22:00-07:00 --timezone Europe/Paris]
                            [--no-quiet] [--server URL]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from accord.cli.org import CliError, _org, _run, _server_url, _tenant_options, _with_store
from accord.org.credentials import open_session
from accord.org.notify.prefs import get_org_settings, set_org_settings
from accord.org.notify.settings import OrgNotify
from accord.org.store import OrgStore
from accord.protocol.org import Empty, NotifyPrefs, QuietHours

__all__ = ["add_notify", "add_org_notify"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_org_notify(sub: Commands) -> None:
    """``accord org notify``: the organisation's channels (on the store, as its operator)."""
    notify = sub.add_parser("notify", help="the organisation's notification channels")
    actions = notify.add_subparsers(dest="notify_command", metavar="ACTION", required=True)
    put = actions.add_parser("set", help="replace the settings with a YAML or JSON file")
    put.add_argument("--from", dest="source", required=True, metavar="FILE", help="- for stdin")
    put.set_defaults(run=_run(_org_set))
    show = actions.add_parser("show", help="print the settings (secrets masked)")
    show.set_defaults(run=_run(_org_show))
    log = actions.add_parser("log", help="the notices queued, delivered and failed")
    log.add_argument("--approval", metavar="ID", help="only this approval's")
    log.add_argument("--limit", type=int, default=50)
    log.set_defaults(run=_run(_org_log))
    for parser in (put, show, log):
        _tenant_options(parser)


def add_notify(commands: Commands) -> None:
    """``accord notify prefs``: your own preferences, on the org server."""
    notify = commands.add_parser("notify", help="your notification preferences on the org server")
    groups = notify.add_subparsers(dest="notify_group", metavar="GROUP", required=True)
    prefs = groups.add_parser("prefs", help="the channels you are told on and your quiet hours")
    actions = prefs.add_subparsers(dest="prefs_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print your preferences")
    show.set_defaults(run=_run(_prefs_show))
    put = actions.add_parser("set", help="change your preferences (what is not given stays)")
    put.add_argument("--email", choices=("on", "off"), help="e-mail notices to you")
    put.add_argument("--quiet", metavar="HH:MM-HH:MM", help="no e-mail in these hours")
    put.add_argument("--timezone", metavar="ZONE", help="of the quiet hours (e.g. Europe/Paris)")
    put.add_argument("--no-quiet", action="store_true", help="remove your quiet hours")
    put.set_defaults(run=_run(_prefs_set))
    for parser in (show, put):
        parser.add_argument(
            "--server", metavar="URL", help="the org server (default: your only login)"
        )


# --- the organisation's channels ----------------------------------------------------------


def _read(source: str) -> OrgNotify:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
    except OSError as error:
        raise CliError(f"cannot read {source}: {error.strerror}") from None
    try:
        document = yaml.safe_load(text) or {}
        return OrgNotify.model_validate(document)
    except yaml.YAMLError as error:
        raise CliError(f"{source} is not YAML or JSON: {error}") from None
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "the document"
        raise CliError(f"{source}: {where}: {problem['msg']}") from None


async def _org_set(options: argparse.Namespace) -> int:
    settings = _read(options.source)

    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        await set_org_settings(store, org.id, settings)
        hooks = ", ".join(f"{h.name} ({h.format})" for h in settings.webhooks) or "no webhook"
        mail = f"e-mail via {settings.email.host}" if settings.email else "no e-mail"
        print(f"{org.name}: notifications by {hooks}; {mail}")
        return 0

    return int(await _with_store(options, job))


async def _org_show(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        print(json.dumps((await get_org_settings(store, org.id)).shown(), indent=2))
        return 0

    return int(await _with_store(options, job))


async def _org_log(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        for item in await store.notices(org.id, options.approval, options.limit):
            error = f"  ({item.last_error})" if item.last_error else ""
            print(
                f"{item.created_at:%Y-%m-%d %H:%M:%S} {item.approval_id} {item.kind:<9} "
                f"{item.channel:<7} {item.recipient:<28} {item.status:<9} "
                f"attempts {item.attempts}{error}"
            )
        return 0

    return int(await _with_store(options, job))


# --- a user's preferences -----------------------------------------------------------------


def _quiet(options: argparse.Namespace, current: QuietHours | None) -> QuietHours | None:
    if options.no_quiet:
        return None
    if options.quiet is None and options.timezone is None:
        return current
    start, _, end = (options.quiet or "").partition("-")
    if options.quiet is None and current is not None:
        start, end = current.start, current.end
    zone = options.timezone or (current.timezone if current else "UTC")
    try:
        return QuietHours(start=start, end=end, timezone=zone)
    except ValidationError as error:
        raise CliError(f"--quiet/--timezone: {error.errors()[0]['msg']}") from None


def _print_prefs(prefs: NotifyPrefs) -> None:
    print(f"channels: {', '.join(prefs.channels) or 'none'}")
    quiet = prefs.quiet_hours
    print(f"quiet hours: {f'{quiet.start}-{quiet.end} {quiet.timezone}' if quiet else 'none'}")


async def _prefs_show(options: argparse.Namespace) -> int:
    client, _ = await open_session(_server_url(options), client_name="accord notify")
    try:
        prefs = await client.request("notify.prefs.get", Empty(), NotifyPrefs)
    finally:
        await client.close()
    _print_prefs(prefs)
    return 0


async def _prefs_set(options: argparse.Namespace) -> int:
    client, _ = await open_session(_server_url(options), client_name="accord notify")
    try:
        current = await client.request("notify.prefs.get", Empty(), NotifyPrefs)
        channels = current.channels
        if options.email is not None:
            channels = ("email",) if options.email == "on" else ()
        wanted = NotifyPrefs(channels=channels, quiet_hours=_quiet(options, current.quiet_hours))
        prefs = await client.request("notify.prefs.set", wanted, NotifyPrefs)
    finally:
        await client.close()
    _print_prefs(prefs)
    return 0
