"""``accord org serve``'s options for the limits that hold against hostile clients."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .admission import PER_ADDRESS, TOTAL
from .paging import HISTORY_BYTES
from .quotas import DEFAULT_QUOTAS, Quota, parse_quota
from .tokens import ACCESS_TTL

if TYPE_CHECKING:
    from .connection import Limits

__all__ = ["add_limit_options", "limits_from"]


def _quota(text: str) -> tuple[str, Quota]:
    try:
        return parse_quota(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """Add the limit options to ``serve``."""
    group = parser.add_argument_group("limits")
    group.add_argument(
        "--max-unauthenticated",
        type=int,
        default=TOTAL,
        metavar="N",
        help=f"connections that may wait unauthenticated in all (default {TOTAL})",
    )
    group.add_argument(
        "--max-unauthenticated-per-address",
        type=int,
        default=PER_ADDRESS,
        metavar="N",
        help="… from one client address or IPv6 /64 (default "
        f"{PER_ADDRESS}; raise it behind a reverse proxy)",
    )
    group.add_argument(
        "--quota",
        type=_quota,
        action="append",
        default=[],
        metavar="METHOD=EVENTS/BYTES",
        help="a user's events and bytes per second for audit.append or room.publish "
        "(repeatable; defaults: "
        + ", ".join(
            f"{m}={q.events_per_second:g}/{q.bytes_per_second:g}" for m, q in DEFAULT_QUOTAS.items()
        )
        + ")",
    )
    group.add_argument(
        "--history-bytes",
        type=int,
        default=HISTORY_BYTES,
        metavar="BYTES",
        help=f"bytes of events kept per room for resuming (default {HISTORY_BYTES})",
    )
    group.add_argument(
        "--access-ttl",
        type=float,
        default=ACCESS_TTL.total_seconds(),
        metavar="SECONDS",
        help="how long an access token (and a session not renewed) lasts "
        f"(default {ACCESS_TTL.total_seconds():g})",
    )


def limits_from(options: argparse.Namespace) -> Limits:
    """The limits the parsed options ask for."""
    from .connection import Limits

    return Limits(
        auth_timeout=options.auth_timeout,
        unauthenticated_total=options.max_unauthenticated,
        unauthenticated_per_address=options.max_unauthenticated_per_address,
        quotas={**DEFAULT_QUOTAS, **dict(options.quota)},
    )
