"""The org link's messages: every method's params and result, and every push, as versioned models.

One source of truth for both ends: the org server validates what it receives and what it sends
with these models, and so does the language server's client. :data:`METHODS` maps each method to
its params and result models; :data:`PUSHES` maps each server push (a notification) to its model.

Versioning: :data:`ORG_PROTOCOL_VERSION` is exchanged in ``authenticate``; it is bumped when a
field changes meaning or goes away, while new optional fields keep it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from .proposal import TextEdit

__all__ = [
    "CLIENT_EVENT_TYPES",
    "METHODS",
    "ORG_PROTOCOL_VERSION",
    "PUSHES",
    "OrgKeyView",
    "OrgKeys",
    "ApprovalApplied",
    "ApprovalDecide",
    "ApprovalList",
    "ApprovalListed",
    "ApprovalRef",
    "ApprovalRequestParams",
    "ApprovalUpdated",
    "ApprovalView",
    "ApprovalVote",
    "AuditAppend",
    "AuditCheckpoint",
    "AuditAppended",
    "AuditEvents",
    "AuditQuery",
    "AuditVerified",
    "AuditVerify",
    "Authenticate",
    "Authenticated",
    "Empty",
    "FileChange",
    "Identity",
    "Message",
    "PerformanceReport",
    "PolicyDocument",
    "PolicyGet",
    "PolicySet",
    "Presence",
    "PresenceChange",
    "PresenceDelta",
    "NotifyPrefs",
    "QuietHours",
    "ProposalSummary",
    "Recorded",
    "RiskSummary",
    "RoomEvent",
    "RoomJoin",
    "RoomJoined",
    "RoomLeave",
    "RoomMode",
    "RoomPublish",
    "RoomPublished",
    "RoomResume",
    "SsoConfig",
    "SsoDevice",
    "SsoExchange",
    "SsoExchanged",
    "SsoOrg",
    "TokenPair",
    "TokenRefresh",
    "UsageReport",
    "changes_hash",
]

ORG_PROTOCOL_VERSION = 2
"""2: a proposal carries its changes (edits and pre-edit texts); the server derives its hash,
its diff and its risk from them."""

_HASH = r"^[0-9a-f]{64}$"
_NAME = Field(min_length=1, max_length=255)


class Message(BaseModel):
    """Base of every org message: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Empty(Message):
    """No parameters, or an acknowledgement with nothing to say."""


# --- authentication -----------------------------------------------------------------------


class Authenticate(Message):
    """The first call on a connection (within the server's deadline, or it closes)."""

    token: str = Field(min_length=1, max_length=4096)
    client: str = Field(default="", max_length=200)
    protocol: int = ORG_PROTOCOL_VERSION


class Identity(Message):
    """Who a connection speaks for."""

    user_id: str
    email: str
    org_id: str
    org_name: str
    roles: tuple[str, ...]


class Authenticated(Message):
    identity: Identity
    session_id: str
    protocol: int
    server: str
    access_expires_at: datetime


class TokenRefresh(Message):
    """Trade a refresh token for a new pair (allowed before ``authenticate``)."""

    refresh_token: str = Field(min_length=1, max_length=4096)


class TokenPair(Message):
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime


# --- policy ---------------------------------------------------------------------------------


class PolicyGet(Message):
    """``known_revision``: the revision the client holds; unchanged policies are not resent."""

    known_revision: int | None = Field(default=None, ge=0)


class PolicyDocument(Message):
    """A policy revision (also the ``policy.changed`` push). ``policy`` is None when the
    client already holds this revision. Revision 0 is the built-in default."""

    revision: int = Field(ge=0)
    etag: str
    policy: dict[str, JsonValue] | None = None
    key_id: str = ""
    """The org key that signed this revision (see :mod:`accord.org.signing`)."""
    signature: str = ""
    """Ed25519 signature (base64) of the revision; empty when ``policy`` is None."""


class PolicySet(Message):
    """Replace the organisation's policy (admins only); the YAML is validated first."""

    yaml: str = Field(min_length=1, max_length=1_000_000)


# --- approvals ------------------------------------------------------------------------------


class FileChange(Message):
    """One file of a proposal: its edits (as in :class:`~accord.protocol.proposal.FileEdit`, the
    path relative to the project root) and the SHA-256 of its text before them (of "" for a new
    file). ``before`` is that text: the requester sends it so the server can derive the change;
    the server never stores or shows it back."""

    path: str = Field(min_length=1, max_length=1000)
    create: bool = False
    edits: tuple[TextEdit, ...] = Field(default=(), max_length=2000)
    before_hash: str = Field(pattern=_HASH)
    before: str | None = Field(default=None, max_length=4_000_000)


def changes_hash(changes: Sequence[FileChange]) -> str:
    """The content hash of a proposal: SHA-256 of its changes as canonical JSON (sorted keys,
    no spaces, UTF-8), without the pre-edit texts (their hashes stand for them)."""
    files = [c.model_dump(mode="json", exclude={"before"}) for c in changes]
    text = json.dumps(files, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ProposalSummary(Message):
    """What an approver sees of a proposal; ``content_hash`` binds approvals to this content.

    The server derives ``files``, ``diff`` and ``content_hash`` from ``changes`` (refusing a
    ``content_hash`` that is not :func:`changes_hash` of them): what approvers see is what the
    approval binds to."""

    proposal_id: str = Field(min_length=1, max_length=100)
    title: str = Field(max_length=500)
    action: str = Field(max_length=100)
    rationale: str = Field(default="", max_length=20_000)
    files: tuple[str, ...] = Field(default=(), max_length=500)
    diff: str = Field(default="", max_length=512_000)
    content_hash: str = Field(pattern=_HASH)
    changes: tuple[FileChange, ...] = Field(default=(), max_length=500)


class RiskSummary(Message):
    """A risk score; in a request, the requester's claim (the server scores the change itself
    and never uses less than its own score)."""

    score: float = Field(ge=0, le=10)
    reasons: str = Field(default="", max_length=5_000)


class ApprovalRequestParams(Message):
    """Open (or find again) the approval request of a proposal in ``project``. ``hashes`` is
    not used since protocol 2 (the pre-edit hashes are the changes' ``before_hash``)."""

    project: str = _NAME
    proposal: ProposalSummary
    risk: RiskSummary
    hashes: dict[str, str] = Field(default_factory=dict, max_length=500)


class ApprovalVote(Message):
    email: str
    roles: tuple[str, ...]
    at: datetime


class ApprovalView(Message):
    """An approval request as the org server holds it."""

    id: str
    project: str
    proposal: ProposalSummary
    risk: RiskSummary
    requester_email: str
    workflow: str
    state: str
    missing_roles: tuple[str, ...]
    approvals: tuple[ApprovalVote, ...]
    deadline: datetime | None
    created_at: datetime
    updated_at: datetime
    decided_by: str | None = None
    version: int = Field(ge=1)


class ApprovalDecide(Message):
    """Approve or reject; ``content_hash`` must be the content the decider reviewed."""

    approval_id: str = Field(min_length=1, max_length=100)
    decision: Literal["approve", "reject"]
    content_hash: str = Field(pattern=_HASH)
    comment: str = Field(default="", max_length=5_000)


class ApprovalRef(Message):
    approval_id: str = Field(min_length=1, max_length=100)


class ApprovalApplied(Message):
    """The requester's report: the approved edit was applied, or found stale and not applied."""

    approval_id: str = Field(min_length=1, max_length=100)
    content_hash: str = Field(pattern=_HASH)
    stale: bool = False


class ApprovalList(Message):
    """Approvals in the caller's organisation; ``actionable``: only those the caller can decide."""

    state: str | None = None
    project: str | None = None
    actionable: bool = False
    limit: int = Field(default=100, ge=1, le=1000)


class ApprovalListed(Message):
    approvals: tuple[ApprovalView, ...]


class ApprovalUpdated(Message):
    """Push: an approval changed; ``actionable`` says whether the recipient can decide it now."""

    approval: ApprovalView
    actionable: bool = False


# --- rooms ------------------------------------------------------------------------------------


class RoomMode(StrEnum):
    """A room's collaboration mode (seed §6.2)."""

    OBSERVATION = "observation"
    GUIDANCE = "guidance"
    CONTROL = "control"
    AUTONOMOUS = "autonomous"


class RoomEvent(Message):
    """One event of a room's stream (also the ``room.event`` push). ``offset`` counts from 1 in
    ``epoch``; an epoch changes when the room's history is lost."""

    project: str
    epoch: str
    offset: int = Field(ge=1)
    kind: str
    actor: str
    ts: datetime
    data: dict[str, JsonValue] = Field(default_factory=dict)


class RoomJoin(Message):
    """Join a project's room; with ``epoch`` and ``offset``, resume after that offset.

    ``presence``: ``full`` (the default, what clients before deltas get) pushes ``presence``
    with the room's whole online list on every change; ``delta`` pushes ``presence.delta``
    (only who came and went) instead: the answer's ``presence`` is the snapshot to apply them
    to, and ``room.resume`` gives a fresh one."""

    project: str = _NAME
    epoch: str | None = None
    offset: int | None = Field(default=None, ge=0)
    presence: Literal["full", "delta"] = "full"

    @model_serializer(mode="wrap")
    def _without_default_presence(self, handler: SerializerFunctionWrapHandler) -> Any:
        """``presence`` is left out when ``full``: a server from before deltas takes the join."""
        data = handler(self)
        if isinstance(data, dict) and data.get("presence") == "full":
            del data["presence"]
        return data


class RoomResume(Message):
    """Events after ``since`` in ``epoch`` (for a client already in the room)."""

    project: str = _NAME
    epoch: str
    since: int = Field(ge=0)


class RoomJoined(Message):
    """The room's position and, when resuming, what was missed. ``recovered`` is False when
    the history no longer reaches back to the offset or the epoch changed: re-sync then.
    ``more``: the missed events did not fit one answer; resume after the last one."""

    project: str
    epoch: str
    offset: int = Field(ge=0)
    recovered: bool
    events: tuple[RoomEvent, ...] = ()
    presence: tuple[str, ...] = ()
    mode: RoomMode = RoomMode.GUIDANCE
    more: bool = False


class RoomLeave(Message):
    project: str = _NAME


class RoomPublish(Message):
    """Publish into a room: ``agent_action`` envelopes, ``suggestion`` (guidance), ``mode`` …"""

    project: str = _NAME
    kind: str = Field(min_length=1, max_length=100)
    data: dict[str, JsonValue] = Field(default_factory=dict)


class RoomPublished(Message):
    epoch: str
    offset: int


class PresenceChange(Message):
    email: str
    state: Literal["joined", "left"]


class Presence(Message):
    """Push: who is in a room now, after ``email`` joined or left.

    In a large room the changes of a short window go out as one push: when there are several,
    ``changes`` lists them in order and ``email``/``state`` repeat the last. In a small room each
    change is a push of its own and ``changes`` is empty."""

    project: str
    email: str
    state: Literal["joined", "left"]
    online: tuple[str, ...]
    changes: tuple[PresenceChange, ...] = ()


class PresenceDelta(Message):
    """Push to a client that joined with ``presence: "delta"``: who came and who went.

    Set semantics, so applying one twice is harmless: add ``joined``, remove ``left`` (an email
    listed is one whose connections changed; it is in ``joined`` when it is online now). ``count``
    is how many are online after it: a client whose set has another size missed something and
    re-reads the snapshot (``room.resume``). Its size is bounded by the changes, not the room."""

    project: str
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    count: int = Field(ge=0)


# --- audit ------------------------------------------------------------------------------------


class AuditQuery(Message):
    project: str | None = None
    type: str | None = None
    after_seq: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=1000)


class AuditEvents(Message):
    """Sealed events (the audit event JSON) in seq order; ``more``: the page was cut (by count
    or bytes) and more may follow: query again after ``last_seq``."""

    events: tuple[dict[str, JsonValue], ...]
    last_seq: int
    more: bool = False


class AuditVerify(Message):
    """Verify the organisation's chain on the server."""


class AuditVerified(Message):
    ok: bool
    count: int
    last_hash: str | None
    findings: tuple[str, ...]


CLIENT_EVENT_TYPES = frozenset(
    {"agent.action", "proposal.applied", "proposal.stale", "mode.changed"}
)
"""The audit event types a client may append: its own activity. Proposals, risk, decisions,
approvals, policy and security events are the server's to write."""


class AuditCheckpoint(Message):
    """The head of the organisation's chain (``seq``, ``hash``) at ``ts``, signed with the
    org key (see :mod:`accord.org.signing`)."""

    org_id: str
    seq: int = Field(ge=0)
    hash: str
    ts: datetime
    key_id: str
    signature: str


class OrgKeyView(Message):
    """One generation of the organisation's public key; from the second on, ``endorsement`` is
    the previous generation's signature over it."""

    key_id: str
    public_key: str
    generation: int = Field(ge=1)
    endorsement: str = ""


class OrgKeys(Message):
    """The organisation's public keys, oldest first (the last signs what is pushed now)."""

    org_id: str
    keys: tuple[OrgKeyView, ...]


class AuditAppend(Message):
    """A language server's local events, synced up; each is recorded once (by its id). Only
    :data:`CLIENT_EVENT_TYPES` are accepted (a batch with another type is refused whole)."""

    events: tuple[dict[str, JsonValue], ...] = Field(max_length=500)


class AuditAppended(Message):
    accepted: int
    duplicates: int
    last_seq: int


# --- usage and performance (seed §7.3) --------------------------------------------------------


class UsageReport(Message):
    project: str | None = Field(default=None, max_length=255)
    event_type: str = Field(min_length=1, max_length=100)
    event_data: dict[str, JsonValue]

    @field_validator("event_data")
    @classmethod
    def _spend_is_a_count(cls, data: dict[str, JsonValue]) -> dict[str, JsonValue]:
        """What the usage pages add up (tokens, USD) must be a finite non-negative number."""
        for name in ("input_tokens", "output_tokens", "cost_usd"):
            value = data.get(name)
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value < 1e15
            ):
                raise ValueError(f"{name} must be a non-negative number, not {value!r}")
        return data


class PerformanceReport(Message):
    service_name: str = Field(min_length=1, max_length=100)
    metric_name: str = Field(min_length=1, max_length=100)
    metric_value: float
    tags: dict[str, JsonValue] = Field(default_factory=dict)


class Recorded(Message):
    id: str


# --- single sign-on (callable before ``authenticate``) -------------------------------------
# The client runs the user's side of an OIDC login (a browser on a loopback redirect, or the
# device authorization grant) and hands the org server what the identity provider gave it: an
# authorization code (with its PKCE verifier and nonce) or a device code. The org server redeems
# it at the provider itself and validates the ID token; it never takes the client's word.

_CODE = Field(default="", max_length=4096)


class SsoOrg(Message):
    """Which organisation to sign in to: its id or name (empty: the only one with SSO)."""

    org: str = Field(default="", max_length=255)


class SsoConfig(Message):
    """What a client needs to send the user to the organisation's identity provider."""

    org_id: str
    org_name: str
    issuer: str
    client_id: str
    authorization_endpoint: str
    scope: str


class SsoDevice(Message):
    """A device authorization the org server started at the provider (RFC 8628)."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str = ""
    expires_in: int
    interval: int = 5


class SsoExchange(Message):
    """Redeem an authorization ``code`` (with ``code_verifier``, ``redirect_uri`` and the
    ``nonce`` of the request) or a ``device_code`` for an Accord token pair."""

    org_id: str = Field(min_length=1, max_length=100)
    code: str = _CODE
    code_verifier: str = Field(default="", max_length=128)
    redirect_uri: str = Field(default="", max_length=2000)
    nonce: str = Field(default="", max_length=255)
    device_code: str = _CODE


class SsoExchanged(Message):
    """The new token pair, or ``pending`` (device grant: the user has not approved yet; ask
    again, 5 seconds less often when ``slow_down``)."""

    pair: TokenPair | None = None
    email: str = ""
    roles: tuple[str, ...] = ()
    pending: bool = False
    slow_down: bool = False


# --- notification preferences ------------------------------------------------------------

_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class QuietHours(Message):
    """When a user gets no e-mail: from ``start`` to ``end`` (``HH:MM``, in ``timezone``; an
    end before the start runs past midnight). E-mail due then goes out at the end."""

    start: str = Field(pattern=_CLOCK)
    end: str = Field(pattern=_CLOCK)
    timezone: str = Field(default="UTC", min_length=1, max_length=64)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Paris, UTC)") from None
        return value


class NotifyPrefs(Message):
    """A user's notification preferences (``notify.prefs.get`` / ``notify.prefs.set``):
    the channels they are reached on (``[]``: none) and their quiet hours."""

    channels: tuple[Literal["email"], ...] = ("email",)
    quiet_hours: QuietHours | None = None


METHODS: dict[str, tuple[type[Message], type[Message]]] = {
    "authenticate": (Authenticate, Authenticated),
    "token.refresh": (TokenRefresh, TokenPair),
    "policy.get": (PolicyGet, PolicyDocument),
    "policy.set": (PolicySet, PolicyDocument),
    "approval.request": (ApprovalRequestParams, ApprovalView),
    "approval.decide": (ApprovalDecide, ApprovalView),
    "approval.get": (ApprovalRef, ApprovalView),
    "approval.list": (ApprovalList, ApprovalListed),
    "approval.applied": (ApprovalApplied, ApprovalView),
    "room.join": (RoomJoin, RoomJoined),
    "room.resume": (RoomResume, RoomJoined),
    "room.leave": (RoomLeave, Empty),
    "room.publish": (RoomPublish, RoomPublished),
    "audit.query": (AuditQuery, AuditEvents),
    "audit.verify": (AuditVerify, AuditVerified),
    "audit.append": (AuditAppend, AuditAppended),
    "audit.checkpoint": (Empty, AuditCheckpoint),
    "org.keys": (Empty, OrgKeys),
    "usage.report": (UsageReport, Recorded),
    "performance.report": (PerformanceReport, Recorded),
    "sso.config": (SsoOrg, SsoConfig),
    "sso.device": (SsoOrg, SsoDevice),
    "sso.exchange": (SsoExchange, SsoExchanged),
    "notify.prefs.get": (Empty, NotifyPrefs),
    "notify.prefs.set": (NotifyPrefs, NotifyPrefs),
}
"""Every method a client may call: its params model and its result model."""

from .projects import ProjectResolve, ProjectResolved  # noqa: E402  (they build on Message)

METHODS["project.resolve"] = (ProjectResolve, ProjectResolved)

PUSHES: dict[str, type[Message]] = {
    "policy.changed": PolicyDocument,
    "approval.updated": ApprovalUpdated,
    "room.event": RoomEvent,
    "presence": Presence,
    "presence.delta": PresenceDelta,
}
"""Every notification the server pushes, and its model."""

from . import org_admin  # noqa: E402, F401  (adds the admin methods to METHODS)
