"""The cost ledger: every provider call's token usage and price, in ``.accord/accord.db``."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from .types import ProviderResponse

__all__ = ["Ledger"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS costs (
    ts REAL NOT NULL,
    user TEXT NOT NULL,
    project TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL
)
"""


class Ledger:
    """Appends one row per call; totals group by user, project or provider."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)

    def record(self, user: str, project: str, response: ProviderResponse) -> None:
        usage = response.usage
        with self._connect() as db:
            db.execute(
                "INSERT INTO costs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    user,
                    project,
                    response.provider,
                    response.model,
                    usage.input_tokens,
                    usage.output_tokens,
                    response.cost_usd,
                ),
            )

    def totals(self, by: str) -> dict[str, tuple[int, int, float]]:
        """``{key: (input tokens, output tokens, USD)}`` grouped ``by`` user/project/provider."""
        if by not in ("user", "project", "provider"):
            raise ValueError(f"cannot group costs by {by!r}")
        query = (
            f"SELECT {by}, SUM(input_tokens), SUM(output_tokens), SUM(cost_usd) "
            f"FROM costs GROUP BY {by}"
        )
        with self._connect() as db:
            return {row[0]: (row[1], row[2], row[3]) for row in db.execute(query)}

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db
