"""Presence as people join: what ``--members`` developers joining one room cost the room.

``accord org serve`` runs on a fresh SQLite store. Client subprocesses open one connection per
developer, authenticate and join the room, concurrently; once the last has joined and presence
has settled, the clients say how many bytes they received in all (answers and pushes).
Run twice: with the whole online list in every push (``presence: "full"``, what clients before
deltas get) and with deltas (``presence: "delta"``: the join's answer is the snapshot, then
only who came and went). The first is what a user gets without deltas: the ratio is against it.

    python benchmarks/org_presence.py [--members 1000] [--clients 2]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from org_wire import authenticate, developers, join, org_server, raise_fd_limit, start_swarms

SETTLE = 1.5
"""Seconds after the last join for the last presence pushes to arrive."""


async def measure(members: int, clients: int, presence: str) -> tuple[float, int, int]:
    """Seconds to join, bytes received, presence pushes received."""
    users = developers(members)
    async with org_server(users) as org:
        plans = [[authenticate(org.tokens[email]), join("bench", presence)] for email in users]
        started = time.monotonic()
        swarms = await start_swarms(org, plans, clients, '"method":"presence')
        took = time.monotonic() - started
        await asyncio.sleep(SETTLE)
        received = sum([await one.count("bytes") for one in swarms])
        pushes = sum([await one.count() for one in swarms])
        for one in swarms:
            await one.finish()
    return took, received, pushes


async def main(args: argparse.Namespace) -> None:
    raise_fd_limit()
    rows = {mode: await measure(args.members, args.clients, mode) for mode in ("full", "delta")}
    print(f"{args.members} developers join one room ({args.clients} client processes)\n")
    print(f"{'presence':<10}{'join s':>8}{'MB received':>13}{'pushes':>10}{'bytes/member':>14}")
    for mode, (took, received, pushes) in rows.items():
        print(
            f"{mode:<10}{took:>8.1f}{received / 2**20:>13.2f}{pushes:>10,}"
            f"{received / args.members:>14,.0f}"
        )
    full, delta = rows["full"][1], rows["delta"][1]
    print(f"\ndeltas: {full / delta:.1f}x fewer bytes than whole lists")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    asyncio.run(main(parser.parse_args()))
