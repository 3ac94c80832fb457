"""What the trust tests read back from a real org server: its metrics and its audit chain, as an
auditor (a user with an auditing role) would."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from accord.protocol.org import AuditEvents, AuditQuery, AuditVerified, AuditVerify

from ..org.server import OrgServer

AUDITOR = "admin@acme.test"


@asynccontextmanager
async def running_org(folder: Path) -> AsyncIterator[OrgServer]:
    """The org server of ``tests/org`` (two organisations seeded, SQLite in ``folder``)."""
    server = OrgServer(folder / "org.db", extra_args=("--tick", "0.2", "--auth-timeout", "1"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())


async def metric(org: OrgServer, name: str, **labels: str) -> float:
    """The value of one sample of the server's ``/metrics`` (0 when it is not there yet)."""
    text = await asyncio.to_thread(_fetch, f"http://127.0.0.1:{org.port}/metrics")
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def audit(org: OrgServer, kind: str | None = None) -> list[dict[str, Any]]:
    """The organisation's audit events (of one type), after checking the chain verifies."""
    auditor = await org.client(AUDITOR)
    try:
        verified = await auditor.request("audit.verify", AuditVerify(), AuditVerified)
        assert verified.ok, verified.findings
        found = await auditor.request("audit.query", AuditQuery(type=kind, limit=1000), AuditEvents)
    finally:
        await auditor.close()
    return [dict(e) for e in found.events]
