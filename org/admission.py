"""How many connections may wait unauthenticated: per client address and in all (pure).

A connection counts from its handshake until it authenticates or closes. Addresses are IPv4
addresses, or IPv6 /64 networks (one host is given a whole /64). Behind a reverse proxy every
client has the proxy's address: raise the per-address cap there.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["PER_ADDRESS", "TOTAL", "Admission", "address_key"]

PER_ADDRESS = 128
"""Default: connections that may wait unauthenticated from one address."""
TOTAL = 2048
"""Default: connections that may wait unauthenticated in all."""

Refusal = Literal["per_address", "total"]


def address_key(host: str) -> str:
    """The unit an address is counted in: itself, or its /64 for IPv6."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(slots=True)
class Admission:
    """Counts of unauthenticated connections, and the caps they are held to."""

    per_address: int
    total: int
    _counts: Counter[str] = field(default_factory=Counter)
    _all: int = 0

    def refusal(self, host: str) -> Refusal | None:
        """Why one more connection from ``host`` would be over a cap (None: it would not)."""
        if self._all >= self.total:
            return "total"
        if self._counts[address_key(host)] >= self.per_address:
            return "per_address"
        return None

    def enter(self, host: str) -> Refusal | None:
        """Count a new connection from ``host``, unless it is over a cap (then say which)."""
        refused = self.refusal(host)
        if refused is None:
            self._counts[address_key(host)] += 1
            self._all += 1
        return refused

    def leave(self, host: str) -> None:
        """Stop counting one of ``host``'s connections (it authenticated or closed)."""
        key = address_key(host)
        if self._counts[key] <= 1:
            del self._counts[key]
        else:
            self._counts[key] -= 1
        self._all -= 1

    @property
    def waiting(self) -> int:
        """Unauthenticated connections now."""
        return self._all
