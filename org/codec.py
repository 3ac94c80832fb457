"""Approval records to and from the JSON the stores keep (pure; shared by every store)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from accord.audit.events import Event
from accord.policy.approval import Approval, ApprovalRequest, State
from accord.protocol.jsonlimits import salvage
from accord.protocol.org import ProposalSummary, RiskSummary, RoomEvent

from .records import ApprovalRecord

__all__ = [
    "approval_from_json",
    "approval_to_json",
    "audit_event_from_json",
    "iso",
    "parse_time",
    "room_event_from_json",
]


def audit_event_from_json(text: str) -> Event:
    """A stored audit event; one stored before the JSON limits held (nested too deep, lone
    surrogates) is read with those parts replaced, so it cannot fail every read of the chain
    (its stored body, which the chain's hashes cover, is left as it is)."""
    try:
        return Event.model_validate_json(text)
    except ValidationError:
        return Event.model_validate(salvage(text))


def room_event_from_json(text: str) -> RoomEvent:
    """A stored room event, read as :func:`audit_event_from_json` reads an audit event."""
    try:
        return RoomEvent.model_validate_json(text)
    except ValidationError:
        return RoomEvent.model_validate(salvage(text))


def iso(moment: datetime) -> str:
    """An aware datetime as ISO 8601 text (what the stores keep)."""
    return moment.isoformat()


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _opt_time(text: str | None) -> datetime | None:
    return None if text is None else parse_time(text)


def approval_to_json(record: ApprovalRecord) -> str:
    """The record as JSON text."""
    request = record.request
    body: dict[str, Any] = {
        "request": {
            "proposal_id": request.proposal_id,
            "requester": request.requester,
            "workflow_name": request.workflow_name,
            "created_at": iso(request.created_at),
            "deadline": None if request.deadline is None else iso(request.deadline),
            "hashes": dict(request.hashes),
            "state": request.state.value,
            "approvals": [
                {"person": a.person, "roles": sorted(a.roles), "at": iso(a.at)}
                for a in request.approvals
            ],
            "decided_by": request.decided_by,
        },
        "proposal": record.proposal.model_dump(mode="json"),
        "risk": record.risk.model_dump(mode="json"),
        "updated_at": iso(record.updated_at),
        "applied": record.applied,
    }
    return json.dumps(body, separators=(",", ":"))


def approval_from_json(
    approval_id: str, org_id: str, project: str, version: int, text: str
) -> ApprovalRecord:
    """The record stored as ``text``."""
    body = json.loads(text)
    raw = body["request"]
    request = ApprovalRequest(
        proposal_id=raw["proposal_id"],
        requester=raw["requester"],
        workflow_name=raw["workflow_name"],
        created_at=parse_time(raw["created_at"]),
        deadline=_opt_time(raw["deadline"]),
        hashes=raw["hashes"],
        state=State(raw["state"]),
        approvals=tuple(
            Approval(a["person"], frozenset(a["roles"]), parse_time(a["at"]))
            for a in raw["approvals"]
        ),
        decided_by=raw["decided_by"],
    )
    return ApprovalRecord(
        id=approval_id,
        org_id=org_id,
        project=project,
        request=request,
        proposal=ProposalSummary.model_validate(body["proposal"]),
        risk=RiskSummary.model_validate(body["risk"]),
        updated_at=parse_time(body["updated_at"]),
        version=version,
        applied=body["applied"],
    )
