"""What a notice says, and its shape on each channel (pure).

Secrets never leave in a notice: the proposal's diff is summarised (files with lines added and
removed, then the first changed lines) after the secrets detector has redacted it, and the
title and the finished text are redacted again.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from accord.analyzers.secrets import redact

from ..records import ApprovalRecord

__all__ = [
    "Kind",
    "Notice",
    "email_message",
    "notice",
    "slack_payload",
    "summarise",
    "teams_payload",
]

Kind = Literal["requested", "reminder", "escalated", "outcome"]
MASK = "[REDACTED]"
SHOWN_LINES = 12
LINE_WIDTH = 120


class Notice(BaseModel):
    """One thing to tell about one approval (stored in the outbox as JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    approval_id: str
    project: str
    title: str
    requester: str
    state: str
    workflow: str
    missing_roles: tuple[str, ...] = ()
    risk: float = 0.0
    deadline: datetime | None = None
    summary: str = ""
    link: str = ""
    command: str = ""

    @property
    def subject(self) -> str:
        needs = ", ".join(self.missing_roles) or "an approver"
        if self.kind == "requested":
            return f"[Accord] Approval needed ({needs}): {self.title}"
        if self.kind == "reminder":
            when = f" by {self.deadline:%Y-%m-%d %H:%M} UTC" if self.deadline else ""
            return f"[Accord] Reminder: approval needed{when}: {self.title}"
        if self.kind == "escalated":
            return f"[Accord] Escalated, now needs {needs}: {self.title}"
        return f"[Accord] {self.title} was {self.state}"

    def text(self) -> str:
        """The plain-text body (what an e-mail says; the webhooks say the same)."""
        lines = [
            self.subject.removeprefix("[Accord] "),
            "",
            f"Project: {self.project}",
            f"Requested by: {self.requester}",
            f"State: {self.state} (workflow {self.workflow}, risk {self.risk:.1f}/10)",
        ]
        if self.missing_roles:
            lines.append(f"Still needs: {', '.join(self.missing_roles)}")
        if self.deadline is not None:
            lines.append(f"Deadline: {self.deadline:%Y-%m-%d %H:%M} UTC")
        lines += ["", "Changes (secrets redacted):", self.summary or "(no diff)", ""]
        if self.link:
            lines.append(f"Review it: {self.link}")
        lines.append(f"Or run: {self.command}")
        return str(redact("\n".join(lines), MASK))


def summarise(diff: str) -> str:
    """Files with the lines added and removed, then the first changed lines: all of it from
    the diff with its secrets redacted."""
    clean = redact(diff, MASK)
    counts: dict[str, list[int]] = {}
    changed: list[str] = []
    current = ""
    for line in clean.splitlines():
        if line.startswith("+++ "):
            current = line[4:].removeprefix("b/")
            counts.setdefault(current, [0, 0])
        elif line.startswith("--- "):
            continue
        elif line.startswith(("+", "-")) and current:
            counts[current][0 if line[0] == "+" else 1] += 1
            if len(changed) < SHOWN_LINES:
                changed.append(line[:LINE_WIDTH])
    files = [f"  {path}: +{added} -{removed}" for path, (added, removed) in counts.items()]
    more = sum(a + r for a, r in counts.values()) - len(changed)
    tail = [f"  … {more} more changed lines"] if more > 0 else []
    return "\n".join([*files, *(f"  {line}" for line in changed), *tail])


def notice(kind: Kind, record: ApprovalRecord, missing: tuple[str, ...], base_url: str) -> Notice:
    """The notice of ``kind`` about ``record`` (``missing``: the roles it still needs)."""
    request = record.request
    return Notice(
        kind=kind,
        approval_id=record.id,
        project=record.project,
        title=redact(record.proposal.title, MASK),
        requester=request.requester,
        state="applied" if record.applied else request.state.value,
        workflow=request.workflow_name,
        missing_roles=missing,
        risk=record.risk.score,
        deadline=request.deadline,
        summary=summarise(record.proposal.diff),
        link=f"{base_url}/console/approvals/{record.id}" if base_url else "",
        command=f"accord approvals show {record.id}",
    )


def slack_payload(item: Notice) -> dict[str, Any]:
    """A Slack incoming-webhook message (``text`` for notifications, blocks for the body)."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{item.subject}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"```{item.text()}```"}},
    ]
    if item.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Review"},
                        "url": item.link,
                    }
                ],
            }
        )
    return {"text": item.subject, "blocks": blocks}


def teams_payload(item: Notice) -> dict[str, Any]:
    """A Microsoft Teams workflow-webhook message carrying an Adaptive Card."""
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": item.subject, "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": item.text(), "wrap": True, "fontType": "Monospace"},
        ],
    }
    if item.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Review", "url": item.link}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


def email_message(item: Notice, sender: str, to: str, now: datetime) -> EmailMessage:
    """The e-mail of a notice to one person."""
    message = EmailMessage()
    message["Subject"] = item.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="accord.invalid")
    message["X-Accord-Approval"] = item.approval_id
    message.set_content(item.text())
    return message
