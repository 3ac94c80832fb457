"""Exit statuses of every ``accord`` command, and the one place errors become them.

0: done, nothing to report; 1: done, and something failed or was found (a finding, a refusal, an
invalid file, an unreachable store); 2: a usage error (bad arguments, an unreadable file, bad
input). A command runs its work through :func:`guarded`, naming which errors mean what; each is
printed as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FAILED", "OK", "USAGE", "Outcome", "guarded"]

OK = 0
FAILED = 1
USAGE = 2


@dataclass(frozen=True)
class Outcome:
    """What an error of one of ``kinds`` means: the exit status and the line's wording
    (``{command}`` and ``{error}`` are filled in)."""

    kinds: tuple[type[BaseException], ...]
    status: int
    wording: str = "{command}: error: {error}"


def guarded(command: str, work: Callable[[], int], *outcomes: Outcome) -> int:
    """Run ``work``; an error named by one of ``outcomes`` is printed as one line and becomes
    that outcome's status (the first outcome that matches wins). Other errors propagate."""
    try:
        return work()
    except tuple(kind for outcome in outcomes for kind in outcome.kinds) as error:
        outcome = next(o for o in outcomes if isinstance(error, o.kinds))
        print(outcome.wording.format(command=command, error=error), file=sys.stderr)
        return outcome.status
