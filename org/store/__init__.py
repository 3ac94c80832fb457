"""What the org server needs from its store: :mod:`accord.org.store.sqlite` (the embedded default) and
:mod:`accord.org.store.postgres` (many replicas).

Every write that must survive together (an approval's new state and its audit event) is one
method, hence one transaction: a caller is answered only after the commit, so an acknowledged
decision is never lost. Every read and write is scoped by organisation id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pydantic import JsonValue

from accord.audit.chain import Head, StoredRow
from accord.audit.events import Event, EventDraft
from accord.protocol.org import RoomEvent

from ..projects import Project
from ..records import ApprovalRecord, Organisation, User
from ..signing import Checkpoint, OrgKey
from .outbox import NotifyStore

__all__ = [
    "AuditFilter",
    "Conflict",
    "OrgStore",
    "PolicyRevision",
    "PolicySigner",
    "RoomState",
    "StoredPolicy",
    "UsageRow",
]

PolicySigner = Callable[[int], tuple[str, str]]
"""Signs the revision about to be stored: given its number, returns (key id, signature)."""


@dataclass(frozen=True, slots=True)
class StoredPolicy:
    """An organisation's latest policy revision and its signature ("" when stored unsigned)."""

    revision: int
    document: JsonValue
    key_id: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class PolicyRevision:
    """One stored revision of an organisation's policy, as written."""

    revision: int
    yaml: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit events an admin asks for (every field optional; ``since`` inclusive,
    ``until`` exclusive)."""

    project: str | None = None
    type: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One stored usage event (seed §7.3)."""

    user_id: str | None
    project: str | None
    event_type: str
    data: dict[str, JsonValue]
    at: datetime


class Conflict(Exception):
    """A write lost a race or broke a uniqueness rule (same email twice, stale version)."""


@dataclass(frozen=True, slots=True)
class RoomState:
    """A room's stream position: its epoch, last offset and the first offset still in history."""

    epoch: str
    offset: int
    first: int


class OrgStore(NotifyStore, Protocol):
    """The org server's persistence."""

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def signing_key(self) -> bytes:
        """The token signing key, created on first use and kept in the store."""
        ...

    async def setting(self, name: str, first: bytes) -> bytes:
        """The stored value of ``name``, storing ``first`` when there is none yet (the first
        replica to ask wins; the others read what it stored)."""
        ...

    async def create_org(self, name: str) -> Organisation: ...

    async def get_org(self, org_id: str) -> Organisation | None: ...

    async def list_orgs(self) -> list[Organisation]: ...

    async def org_setting(self, org_id: str, name: str) -> JsonValue:
        """The organisation's setting ``name`` (None when unset or the organisation is unknown)."""
        ...

    async def put_org_setting(self, org_id: str, name: str, value: JsonValue) -> bool:
        """Set (None: remove) the organisation's setting ``name``; False when there is no such
        organisation."""
        ...

    async def add_user(self, org_id: str, email: str, roles: tuple[str, ...]) -> User: ...

    async def get_user(self, user_id: str) -> User | None: ...

    async def user_by_email(self, org_id: str, email: str) -> User | None: ...

    async def list_users(self, org_id: str) -> list[User]: ...

    async def update_user(self, user: User) -> User: ...

    async def save_refresh(self, jti: str, user_id: str, expires_at: datetime) -> None: ...

    async def consume_refresh(self, jti: str) -> bool:
        """Mark a refresh token used; False when unknown, used already or revoked."""
        ...

    async def revoke_token(self, jti: str, expires_at: datetime) -> None: ...

    async def is_revoked(self, jti: str) -> bool: ...

    async def put_policy(
        self, org_id: str, yaml_text: str, document: JsonValue, sign: PolicySigner | None = None
    ) -> int:
        """Store a new policy revision (signed by ``sign``, in the same transaction) and return
        its number (1, 2, …)."""
        ...

    async def policy(self, org_id: str) -> StoredPolicy | None: ...

    async def org_keys(self, org_id: str) -> list[OrgKey]:
        """The organisation's signing keys, oldest generation first (the last is current)."""
        ...

    async def add_org_key(self, org_id: str, key: OrgKey) -> bool:
        """Store a key of the next generation; False when that generation exists already
        (another process made it first)."""
        ...

    async def save_checkpoint(self, org_id: str, checkpoint: Checkpoint) -> None:
        """Keep a signed audit checkpoint (one per seq; the first one stored stays)."""
        ...

    async def checkpoint(self, org_id: str) -> Checkpoint | None:
        """The organisation's signed checkpoint of the highest seq."""
        ...

    async def insert_approval(self, record: ApprovalRecord, audit: list[EventDraft]) -> None: ...

    async def save_approval(
        self, record: ApprovalRecord, expected_version: int, audit: list[EventDraft]
    ) -> None:
        """Replace the record if it is still at ``expected_version`` (else :class:`Conflict`),
        appending ``audit`` to the organisation's chain in the same transaction."""
        ...

    async def get_approval(self, org_id: str, approval_id: str) -> ApprovalRecord | None: ...

    async def find_approval(
        self, org_id: str, proposal_id: str, content_hash: str
    ) -> ApprovalRecord | None: ...

    async def list_approvals(
        self, org_id: str, state: str | None, project: str | None, limit: int
    ) -> list[ApprovalRecord]: ...

    async def open_approvals(self, due_before: datetime | None = None) -> list[ApprovalRecord]:
        """Pending or escalated approvals of every organisation (with a deadline before
        ``due_before`` when given)."""
        ...

    async def append_audit(
        self, org_id: str, drafts: list[EventDraft], origins: list[str | None] | None = None
    ) -> list[Event | None]:
        """Seal ``drafts`` into the organisation's chain; an origin id seen before is skipped
        (None in the answer)."""
        ...

    async def audit_events(
        self, org_id: str, project: str | None, type_: str | None, after_seq: int, limit: int
    ) -> list[Event]: ...

    async def audit_rows(self, org_id: str) -> list[StoredRow]: ...

    async def audit_head(self, org_id: str) -> Head | None:
        """The seq and hash of the organisation's last event, kept beside the chain."""
        ...

    async def room_state(self, org_id: str, project: str) -> RoomState: ...

    async def append_room_event(
        self,
        org_id: str,
        project: str,
        kind: str,
        actor: str,
        data: dict[str, JsonValue],
        keep: int,
        keep_bytes: int | None = None,
    ) -> RoomEvent:
        """Number and store the next event of a room, keeping the last ``keep`` events and,
        when ``keep_bytes`` is given, of those only as many (the newest first, the newest
        always) as fit it."""
        ...

    async def room_events(
        self, org_id: str, project: str, after: int, limit: int
    ) -> list[RoomEvent]: ...

    async def record_usage(
        self,
        org_id: str,
        user_id: str,
        project: str | None,
        event_type: str,
        data: dict[str, JsonValue],
    ) -> str: ...

    async def create_project(
        self,
        org_id: str,
        name: str,
        repositories: tuple[str, ...],
        settings: dict[str, JsonValue],
        created_by: str,
        description: str = "",
    ) -> Project:
        """A new project (no members yet); :class:`Conflict` when the name is taken."""
        ...

    async def get_project(self, org_id: str, name: str) -> Project | None: ...

    async def list_projects(self, org_id: str) -> list[Project]: ...

    async def set_project_member(
        self, project: Project, user_id: str, roles: tuple[str, ...], owner: bool
    ) -> None:
        """Add ``user_id`` to the project, or replace their roles and ownership."""
        ...

    async def remove_project_member(self, project: Project, user_id: str) -> bool:
        """False when they were not a member."""
        ...

    async def record_performance(
        self, service: str, metric: str, value: float, tags: dict[str, JsonValue]
    ) -> str: ...

    async def policy_revisions(self, org_id: str) -> list[PolicyRevision]:
        """Every stored revision of the organisation's policy, newest first."""
        ...

    async def audit_search(
        self, org_id: str, where: AuditFilter, after_seq: int, limit: int
    ) -> list[Event]:
        """The organisation's events after ``after_seq`` that ``where`` selects, in seq order."""
        ...

    async def usage_events(self, org_id: str, since: datetime | None) -> list[UsageRow]:
        """The organisation's usage events (from ``since`` on), oldest first."""
        ...
