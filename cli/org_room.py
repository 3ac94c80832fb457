"""``accord org room watch PROJECT``: a project room's live events on the command line.

Connects with the user's saved login (``accord login``), joins the room and prints each event as
one line (``--json``: one JSON object a line, ``{"type": "event" | "presence", ...}``): teammates'
agents at work, suggestions and what became of them, mode changes, who joins and leaves.
``--last N`` first prints the N events before now; ``--count N`` stops after N events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from accord.org.credentials import open_session
from accord.protocol.org import (
    Message,
    Presence,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomResume,
)

from .org import _run, _server_url

__all__ = ["add_room", "describe"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_room(commands: Commands) -> None:
    """Register ``accord org room watch`` under ``accord org``."""
    room = commands.add_parser("room", help="a project room on the org server")
    actions = room.add_subparsers(dest="room_command", metavar="ACTION", required=True)
    watch = actions.add_parser("watch", help="print a project room's events as they happen")
    watch.add_argument("project", metavar="PROJECT", help="the project (its room's name)")
    watch.add_argument("--json", action="store_true", help="one JSON object a line")
    watch.add_argument(
        "--last", type=_count, default=0, metavar="N", help="first print the N events before now"
    )
    watch.add_argument(
        "--count", type=_count, default=0, metavar="N", help="stop after N events (default: never)"
    )
    watch.add_argument("--server", metavar="URL", help="the org server (default: your only login)")
    watch.set_defaults(run=_run(_watch))


def _count(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of events (0 or more)")
    return number


def describe(event: RoomEvent) -> str:
    """One line for a room event: when, who, what."""
    return f"{event.ts:%H:%M:%S} #{event.offset} {event.actor} {event.kind}: {_what(event)}"


def _what(event: RoomEvent) -> str:
    data = event.data
    if event.kind == "agent_action" and isinstance(action := data.get("action"), dict):
        details = action.get("data") if isinstance(action.get("data"), dict) else {}
        assert isinstance(details, dict)
        path = str(details.get("file_path") or "").rsplit("/", 1)[-1]
        about = " ".join(str(p) for p in (details.get("action"), path) if p)
        return f"{about + ': ' if about else ''}{action.get('type')} {action.get('status')}"
    if event.kind == "suggestion":
        where = f" (on {data['file']})" if isinstance(data.get("file"), str) else ""
        return f"{data.get('text', '')}{where}"
    if event.kind == "suggestion.decision":
        return f"{data.get('author')}'s suggestion {data.get('decision')}"
    if event.kind == "mode":
        return f"mode {data.get('mode')} (was {data.get('previous')})"
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _presence_line(presence: Presence) -> str:
    return f"{presence.email} {presence.state} (online: {', '.join(presence.online) or 'nobody'})"


class _Printer:
    """Prints what the room sends, once per event, and counts down ``--count``."""

    def __init__(self, as_json: bool, count: int) -> None:
        self.as_json, self.left = as_json, count or -1
        self.last_offset = 0
        self.done = asyncio.Event()

    def event(self, event: RoomEvent) -> None:
        if event.offset <= self.last_offset or self.done.is_set():
            return
        self.last_offset = event.offset
        if self.as_json:
            self._out({"type": "event", **event.model_dump(mode="json")})
        else:
            self._out(describe(event))
        self.left -= 1
        if self.left == 0:
            self.done.set()

    def presence(self, presence: Presence) -> None:
        if self.as_json:
            self._out({"type": "presence", **presence.model_dump(mode="json")})
        else:
            self._out(_presence_line(presence))

    def _out(self, line: str | dict[str, Any]) -> None:
        text = line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
        print(text, flush=True)


async def _watch(options: argparse.Namespace) -> int:
    printer = _Printer(options.json, options.count)
    backlog: list[Message] = []
    joined = False

    async def on_push(method: str, message: Message) -> None:
        if not joined:
            backlog.append(message)
        else:
            _show(printer, options.project, message)

    url = _server_url(options)
    client, hello = await open_session(url, on_push, client_name="accord org room watch")
    try:
        room = await client.request("room.join", RoomJoin(project=options.project), RoomJoined)
        print(
            f"watching {options.project} on {url} as {hello.identity.email}; "
            f"online: {', '.join(room.presence) or 'nobody'}",
            file=sys.stderr,
            flush=True,
        )
        if options.last:
            since = max(0, room.offset - options.last)
            earlier = await client.request(
                "room.resume",
                RoomResume(project=options.project, epoch=room.epoch, since=since),
                RoomJoined,
            )
            for event in earlier.events:
                printer.event(event)
        joined = True
        for message in backlog:
            _show(printer, options.project, message)
        ended = asyncio.ensure_future(client.closed.wait())
        counted = asyncio.ensure_future(printer.done.wait())
        await asyncio.wait([ended, counted], return_when=asyncio.FIRST_COMPLETED)
        ended.cancel()
        counted.cancel()
        if ended.done() and not printer.done.is_set():
            print("accord org room watch: the org server closed the connection", file=sys.stderr)
            return 1
        return 0
    finally:
        await client.close()


def _show(printer: _Printer, project: str, message: Message) -> None:
    if isinstance(message, RoomEvent) and message.project == project:
        printer.event(message)
    elif isinstance(message, Presence) and message.project == project:
        printer.presence(message)
