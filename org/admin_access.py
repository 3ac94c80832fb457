"""How an admin command reaches the organisation: through a running org server with the
caller's login (:func:`remote_access`), or straight to the store as its operator
(:func:`local_access`). Both answer the same methods with the same models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from accord.audit.chain import canonical_json
from accord.protocol.org import (
    AuditCheckpoint,
    AuditEvents,
    AuditVerified,
    Empty,
    Identity,
    Message,
    OrgKeys,
    PolicySet,
)
from accord.protocol.org_admin import AuditSearch

from .admin import AdminDesk
from .checkpoints import latest_checkpoint, to_wire
from .client import OrgClient
from .errors import NotFound
from .keyring import KeyRing, public_keys
from .policies import PolicyBook
from .rbac import Forbidden
from .security_commands import audit_report
from .store import Conflict, OrgStore

__all__ = [
    "AccessError",
    "AdminAccess",
    "ExportSource",
    "export_from_store",
    "local_access",
    "remote_access",
]

M = TypeVar("M", bound=Message)


class AccessError(Exception):
    """The store refused the operation (not found, not allowed, invalid, a conflict)."""


@dataclass(frozen=True, slots=True)
class ExportSource:
    org_id: str
    checkpoint: AuditCheckpoint
    keys: OrgKeys


class AdminAccess(Protocol):
    async def call(self, method: str, params: Message, result: type[M]) -> M: ...

    async def export(self) -> tuple[ExportSource, list[str]]:
        """The signed checkpoint, the org's keys and every event's sealed body up to it."""
        ...

    async def verify(self) -> tuple[int, str, tuple[str, ...]]:
        """(events, what the checkpoint covers, findings) of the organisation's chain."""
        ...

    async def close(self) -> None: ...


class _Remote:
    def __init__(self, client: OrgClient) -> None:
        self._client = client

    async def call(self, method: str, params: Message, result: type[M]) -> M:
        return await self._client.request(method, params, result)

    async def export(self) -> tuple[ExportSource, list[str]]:
        page = await self._page(0)  # refused here unless the caller may export
        checkpoint = await self.call("audit.checkpoint", Empty(), AuditCheckpoint)
        keys = await self.call("org.keys", Empty(), OrgKeys)
        bodies: list[str] = []
        while True:
            bodies += [canonical_json(e) for e in page.events if _seq(e) <= checkpoint.seq]
            if not page.events or page.last_seq >= checkpoint.seq:
                break
            page = await self._page(page.last_seq)
        return ExportSource(checkpoint.org_id, checkpoint, keys), bodies

    async def _page(self, after: int) -> AuditEvents:
        return await self.call(
            "admin.audit.export", AuditSearch(after_seq=after, limit=1000), AuditEvents
        )

    async def verify(self) -> tuple[int, str, tuple[str, ...]]:
        verified = await self.call("audit.verify", Empty(), AuditVerified)
        checkpoint = await self.call("audit.checkpoint", Empty(), AuditCheckpoint)
        covered = f"seq {checkpoint.seq}, signed {checkpoint.ts.isoformat()}"
        return verified.count, covered, verified.findings

    async def close(self) -> None:
        await self._client.close()


def _seq(event: Any) -> int:
    return int(event["seq"]) if isinstance(event, dict) else 0


class _Local:
    def __init__(self, store: OrgStore, identity: Identity) -> None:
        self._store, self._identity = store, identity
        self._desk = AdminDesk(store, PolicyBook(store))
        self._handlers = self._desk.handlers()

    async def call(self, method: str, params: Message, result: type[M]) -> M:
        try:
            answer = await self._answer(method, params)
        except (NotFound, Forbidden, Conflict, ValueError) as error:
            raise AccessError(str(error)) from None
        if not isinstance(answer, result):
            raise TypeError(f"{method} answered {type(answer).__name__}")
        return answer

    async def _answer(self, method: str, params: Message) -> Message:
        if method == "policy.set" and isinstance(params, PolicySet):
            return await self._desk.policy_set(self._identity, params.yaml)
        return await self._handlers[method](self._identity, params)

    async def export(self) -> tuple[ExportSource, list[str]]:
        return await export_from_store(self._store, self._desk, self._identity)

    async def verify(self) -> tuple[int, str, tuple[str, ...]]:
        report = await audit_report(self._store, self._identity.org_id)
        return report.count, report.checkpoint, report.findings

    async def close(self) -> None:
        await self._store.close()


async def export_from_store(
    store: OrgStore, desk: AdminDesk, caller: Identity
) -> tuple[ExportSource, list[str]]:
    """The export of ``caller``'s organisation read from the store (audited with the caller)."""
    org_id = caller.org_id
    ring = KeyRing(store)
    await desk.audited(caller, "audit.export")
    checkpoint = await latest_checkpoint(store, ring, org_id)
    rows = await store.audit_rows(org_id)
    keys = public_keys(org_id, await ring.keys(org_id))
    bodies = [row.body for row in rows if row.seq <= checkpoint.seq]
    return ExportSource(org_id, to_wire(org_id, checkpoint), keys), bodies


async def remote_access(url: str) -> AdminAccess:
    from .credentials import open_session

    client, _ = await open_session(url, client_name="accord org admin")
    return _Remote(client)


async def local_access(store_url: str, org_id: str | None, actor: str) -> AdminAccess:
    """The store at ``store_url`` as its operator, acting as ``actor`` (an admin)."""
    from .store.opening import opened_store

    store = await opened_store(store_url)
    try:
        orgs = await store.list_orgs()
        found = [o for o in orgs if org_id is None or o.id == org_id]
        if len(found) != 1:
            detail = "no such organisation" if org_id else f"{len(orgs)} organisations: pass --org"
            raise AccessError(f"which organisation? the store holds {detail}")
    except BaseException:
        await store.close()
        raise
    org = found[0]
    identity = Identity(user_id="", email=actor, org_id=org.id, org_name=org.name, roles=("admin",))
    return _Local(store, identity)
