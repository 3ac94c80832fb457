"""The language server's link to the org server (``[tool.accord.org] url``).

Connects with the user's stored login (``accord login``), reconnects with backoff and, once
connected: adopts the org's policy when the org signed it (kept on disk, so the last good revision
is used offline; see :mod:`accord.server.org_trust`),
rejoins the project room after the last offset it saw (no gap, no duplicate; a re-sync notice
when the history no longer reaches back), sends the proposals it queued while offline, applies
proposals approved meanwhile, offers the user the approvals they can decide, and syncs the local
audit log up.

Routing: a proposal that needs approval goes to the org server as ``approval.request``; when the
server says it is approved, this link applies it (unless its files changed since: then it is
reported stale). Offline, such proposals are queued on disk (fail closed); only low-risk ones,
which the policy auto-approves, proceed.

Files under ``<root>/.accord/org/``: ``policy.json`` (the cached revision), ``room.json`` (the
room position), ``pending/<proposal>.json`` (proposals waiting for approval), ``audit.synced``,
``checkpoint.json`` (the last signed audit checkpoint seen).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from lsprotocol import types

from accord.agents.providers.tally import Tally
from accord.audit import AuditStore, EventFilter
from accord.org.client import OrgClient, OrgError, UntrustedServer
from accord.org.credentials import LoginError, open_session, renew_session
from accord.policy.model import CollaborationMode, Policy
from accord.policy.overrides import for_project
from accord.protocol import Proposal
from accord.protocol.org import (
    CLIENT_EVENT_TYPES,
    ApprovalApplied,
    ApprovalDecide,
    ApprovalList,
    ApprovalListed,
    ApprovalRef,
    ApprovalRequestParams,
    ApprovalUpdated,
    ApprovalView,
    AuditAppend,
    AuditAppended,
    AuditCheckpoint,
    Authenticated,
    Empty,
    FileChange,
    Identity,
    Message,
    OrgKeys,
    PolicyDocument,
    PolicyGet,
    Presence,
    PresenceDelta,
    ProposalSummary,
    Recorded,
    RiskSummary,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomPublish,
    RoomResume,
    UsageReport,
    changes_hash,
)
from accord.protocol.projects import ProjectResolve, ProjectResolved
from accord.protocol.rpc import ErrorCode

from .durable import write_json
from .org_trust import OrgTrust
from .pending_queue import PendingQueue
from .room_cursor import load_cursor, save_cursor
from .room_presence import RoomPresence
from .workspace_remote import origin_remote

if TYPE_CHECKING:
    from .app import AccordServer

__all__ = ["OrgLink", "Routed"]

log = logging.getLogger(__name__)

ROOM_EVENT = "accord/roomEvent"
ROOM_RESYNC = "accord/roomResync"
PRESENCE = "accord/presence"
APPROVAL_UPDATED = "accord/approvalUpdated"
POLICY_CHANGED = "accord/policyChanged"
APPROVE, REJECT, SHOW_DIFF = "Approve", "Reject", "Show diff"
CONTINUE, STOP = "Continue", "Stop"
_MAX_DELAY = 30.0
_AUDIT_BATCH = 500
_CLIENT = "accord lsp"


@dataclass(frozen=True, slots=True)
class Routed:
    """Where a routed proposal stands: sent (with its approval) or queued while offline."""

    state: str
    approval: ApprovalView | None = None


ApplyApproved = Callable[["AccordServer", Proposal, dict[str, str]], Awaitable[tuple[bool, bool]]]
# Told of each room answer, room event, presence and approval push a link takes in (``team``).
Observe = Callable[["OrgLink", Message], None]


@dataclass
class LinkHooks:
    """What the features give every org link at setup, so the link imports no feature: the
    session's collaboration mode (``collaboration``), and how an approved proposal of ours is
    applied (``agent_commands``: through the gate's stale check), answering (applied, stale);
    and who watches the room (``team``: the Team view)."""

    mode: Callable[[], CollaborationMode] | None = None
    apply_approved: ApplyApproved | None = None
    observe: Observe | None = None

    def tell(self, link: OrgLink, message: Message) -> None:
        if self.observe is not None:
            self.observe(link, message)

    def current_mode(self) -> CollaborationMode:
        if self.mode is None:
            raise RuntimeError("no feature registered the collaboration mode")
        return self.mode()

    async def apply(
        self, server: AccordServer, proposal: Proposal, hashes: dict[str, str]
    ) -> tuple[bool, bool]:
        if self.apply_approved is None:
            raise RuntimeError("no feature registered how approved proposals are applied")
        return await self.apply_approved(server, proposal, hashes)


class OrgLink:
    """One workspace root's connection to its org server."""

    def __init__(
        self, server: AccordServer, root: Path, url: str, project: str, by_remote: bool = False
    ) -> None:
        self.server, self.root, self.url, self.project = server, root, url, project
        # No project named in the settings: the org resolves it from the git remote.
        self.by_remote = by_remote
        # Whether the project room let us in (False: not a member of the project).
        self.in_room = False
        self.folder = root / ".accord" / "org"
        self.client: OrgClient | None = None
        self.identity: Identity | None = None
        self.trust = OrgTrust(url, self.folder)
        self._told: set[str] = set()
        self._cache_problem: str | None = None
        self.policy, self.revision = self._cached_policy()
        # Where we are in the project room's stream, saved as it moves.
        self.room = load_cursor(self.folder / "room.json")
        # Who is in the room: the join's snapshot, kept current by the server's deltas.
        self.presence = RoomPresence(project)
        # Proposals routed to the org and not settled yet, kept across restarts.
        self.pending = PendingQueue(self.folder / "pending")
        self._prompted: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._told_login = False
        self._sync_lock = asyncio.Lock()
        # Control mode: agent steps waiting for the controller's answer, by request id.
        self._steps: dict[str, tuple[str, asyncio.Future[bool]]] = {}
        self.connected = asyncio.Event()

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        if self._cache_problem is not None:
            self._warn(self._cache_problem)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.client is not None:
            await self.client.close()

    @property
    def online(self) -> bool:
        return self.client is not None and self.client.connected and self.identity is not None

    async def _run(self) -> None:
        delay = 0.2
        while True:
            try:
                client, hello = await open_session(self.url, self._on_push, client_name=_CLIENT)
            except LoginError as error:
                self._tell_once(f"Accord: {error}")
            except UntrustedServer as error:
                self._warn(f"Accord: {error.message}")
            except OrgError as error:
                log.info("org server unreachable: %s", error)
            else:
                delay = 0.2
                await self._connected(client, hello)
            await asyncio.sleep(delay * (1 + random.random() / 2))
            delay = min(delay * 2, _MAX_DELAY)

    async def _connected(self, client: OrgClient, hello: Authenticated) -> None:
        self.client, self.identity = client, hello.identity
        self.server.agents.user = hello.identity.email
        renewing = asyncio.create_task(self._renew(client, hello))
        try:
            self.trust.learn(await self._call("org.keys", Empty(), OrgKeys))
            if self.by_remote:
                await self._resolve_project()
            await self._refresh_policy()
            await self._enter_room()
            self.connected.set()
            await self._send_queued()
            await self._settle_pending()
            await self._offer_actionable()
            await self.sync_audit()
            await self._check_checkpoint()
            await client.closed.wait()
        except OrgError as error:
            log.info("org link dropped: %s", error)
        finally:
            renewing.cancel()
            self.connected.clear()
            self.presence.ready = False
            self.client = None
            await client.close()

    async def _resolve_project(self) -> None:
        """Take the project the org recognises this workspace's ``origin`` remote as."""
        remote = await origin_remote(self.root)
        if remote is None:
            return
        try:
            found = await self._call(
                "project.resolve", ProjectResolve(remote=remote), ProjectResolved
            )
        except OrgError as error:  # an older org server: keep the folder's name
            log.info("the org server cannot resolve projects: %s", error)
            return
        if found.project is not None and found.project != self.project:
            log.info("workspace %s is project %s (remote %s)", self.root, found.project, remote)
            self.project = found.project

    @property
    def project_policy(self) -> Policy | None:
        """The org policy with this workspace's project's overrides (what its gate and its
        agents' egress follow); None until the org's policy is known."""
        return None if self.policy is None else for_project(self.policy, self.project)

    async def _renew(self, client: OrgClient, hello: Authenticated) -> None:
        """Renew the session before its access token expires (the server ends it then)."""
        try:
            await renew_session(client, self.url, hello.access_expires_at, client_name=_CLIENT)
        except (OrgError, LoginError) as error:
            log.warning(
                "could not renew the org session (it ends when its token expires): %s", error
            )

    def _tell_once(self, message: str) -> None:
        if not self._told_login:
            self._told_login = True
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )

    def _warn(self, message: str) -> None:
        """Tell the user (once per distinct message) and log it."""
        log.warning("%s", message)
        self.server.window_log_message(
            types.LogMessageParams(type=types.MessageType.Error, message=message)
        )
        if message not in self._told:
            self._told.add(message)
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )

    # --- policy -----------------------------------------------------------------------------

    def _cached_policy(self) -> tuple[Policy | None, int | None]:
        """The cached revision, if the org's pinned key signed it (else None, and the reason is
        told once the link starts)."""
        try:
            cached = json.loads((self.folder / "policy.json").read_text("utf-8"))
            if cached.get("url") != self.url:
                return None, None
            document = PolicyDocument.model_validate(
                {
                    k: cached.get(k, "")
                    for k in ("revision", "etag", "policy", "key_id", "signature")
                }
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None, None
        problem = self.trust.policy_problem(document)
        if problem is not None:
            self._cache_problem = (
                f"Accord: ignored the cached org policy {self.folder / 'policy.json'}: {problem}; "
                "it was edited or not signed by the org"
            )
            return None, None
        return Policy.model_validate(document.policy), document.revision

    async def _refresh_policy(self) -> None:
        document = await self._call(
            "policy.get", PolicyGet(known_revision=self.revision), PolicyDocument
        )
        await self._take(document)

    async def _take(self, document: PolicyDocument) -> None:
        """:meth:`_adopt`, after learning the org's keys when a key it names is not pinned
        (the org rotated its key since)."""
        if document.key_id and document.key_id not in self.trust.pins()[1] and self.online:
            self.trust.learn(await self._call("org.keys", Empty(), OrgKeys))
        self._adopt(document)

    def _adopt(self, document: PolicyDocument) -> None:
        """Take a revision the org signed; refuse (and say so) one it did not, or an older one."""
        if document.policy is None and document.revision == self.revision:
            return
        problem = self.trust.policy_problem(document)
        if problem is None and self.revision is not None and document.revision < self.revision:
            problem = f"revision {document.revision} is older than revision {self.revision}"
        if problem is not None:
            keeping = f"revision {self.revision}" if self.revision is not None else "local policy"
            self._warn(
                f"Accord: refused a policy from the org server: {problem}; keeping the {keeping}."
            )
            return
        if document.revision == self.revision:
            return
        self.policy = Policy.model_validate(document.policy)
        self.revision = document.revision
        write_json(
            self.folder / "policy.json",
            {
                "url": self.url,
                "revision": document.revision,
                "etag": document.etag,
                "policy": document.policy,
                "key_id": document.key_id,
                "signature": document.signature,
            },
        )
        self.server.protocol.notify(
            POLICY_CHANGED, {"revision": document.revision, "etag": document.etag}
        )

    # --- rooms ------------------------------------------------------------------------------

    def _moved_to(self, epoch: str, offset: int) -> None:
        self.room.moved_to(epoch, offset)
        save_cursor(self.folder / "room.json", self.room)

    async def _enter_room(self) -> None:
        """Rejoin the project room; a project this user is not a member of is said once, and
        the rest of the link (policy, approvals, audit) works on without its room."""
        try:
            await self._rejoin()
        except OrgError as error:
            if error.code != ErrorCode.FORBIDDEN:
                raise
            self.in_room = False
            self._warn(f"Accord: not in the {self.project} room: {error.message}")
        else:
            self.in_room = True

    async def _rejoin(self) -> None:
        where = {"project": self.project, "epoch": self.room.epoch, "offset": self.room.offset}
        try:
            joined = await self._call("room.join", RoomJoin(**where, presence="delta"), RoomJoined)
        except OrgError as error:
            if error.code != ErrorCode.INVALID_PARAMS or "presence" not in error.message:
                raise
            # A server from before presence deltas: it pushes whole lists (``presence``).
            joined = await self._call("room.join", RoomJoin(**where), RoomJoined)
        if self._absorb(joined) and joined.more:
            await self._fill_gap()

    def _absorb(self, joined: RoomJoined) -> bool:
        """Take in a join or resume answer; False (after a re-sync notice) when the missed
        events could not be recovered."""
        outcome = self.room.absorb(joined)
        save_cursor(self.folder / "room.json", self.room)
        self.presence.reset(joined.presence)
        self._show_presence()
        self.server.link_hooks.tell(self, joined)
        if outcome.resync:
            self.server.protocol.notify(
                ROOM_RESYNC,
                {"project": self.project, "epoch": joined.epoch, "offset": joined.offset},
            )
        if not outcome.recovered:
            return False
        for event in joined.events:
            self._deliver(event)
        return True

    async def _fill_gap(self) -> None:
        """Resume until caught up (an answer holds at most a page of events, cut by count and
        by bytes: ``more`` says another page follows)."""
        while self.room.epoch is not None and self.room.offset is not None:
            joined = await self._call(
                "room.resume",
                RoomResume(project=self.project, epoch=self.room.epoch, since=self.room.offset),
                RoomJoined,
            )
            if not self._absorb(joined) or not joined.events or not joined.more:
                return

    async def _presence_delta(self, delta: PresenceDelta) -> None:
        """Apply a presence delta and tell the editor the whole list; re-read the snapshot
        (``room.resume``) when the server's count says one was missed."""
        if delta.project != self.project:
            return
        if not self.presence.apply(delta) and self.presence.ready and self.room.epoch:
            joined = await self._call(
                "room.resume",
                RoomResume(
                    project=self.project, epoch=self.room.epoch, since=self.room.offset or 0
                ),
                RoomJoined,
            )
            self._absorb(joined)
        self._show_presence()

    def _show_presence(self) -> None:
        """Tell the editor, and the features listening to the link, the whole online list."""
        if (shown := self.presence.shown()) is not None:
            self.server.protocol.notify(PRESENCE, shown.model_dump(mode="json"))
            self.server.link_hooks.tell(self, shown)

    def _deliver(self, event: RoomEvent) -> None:
        """Forward one room event, once and in order."""
        if not self.room.fresh(event):
            return
        self._moved_to(event.epoch, event.offset)
        self.server.protocol.notify(ROOM_EVENT, event.model_dump(mode="json"))
        self.server.link_hooks.tell(self, event)
        me = self.identity.email if self.identity else None
        if event.kind == "suggestion" and event.actor != me:
            self._take_suggestion(event)
        elif event.kind == "step.request" and event.data.get("controller") == me:
            asyncio.ensure_future(self._decide_step(event))
        elif event.kind == "step.decision":
            controller, waiting = self._steps.get(str(event.data.get("id")), (None, None))
            if waiting is not None and not waiting.done() and event.actor == controller:
                waiting.set_result(event.data.get("approve") is True)

    async def ask_controller(self, controller: str, step: str, timeout: float = 300.0) -> bool:
        """Control mode: ask the controller (through the room) whether the agent may run
        ``step``; False when they stop it, or do not answer within ``timeout`` seconds."""
        request_id = uuid4().hex
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._steps[request_id] = (controller, answer)
        try:
            await self._call(
                "room.publish",
                RoomPublish(
                    project=self.project,
                    kind="step.request",
                    data={"id": request_id, "step": step, "controller": controller},
                ),
                None,
            )
            async with asyncio.timeout(timeout):
                return await answer
        except (OrgError, TimeoutError):
            return False
        finally:
            self._steps.pop(request_id, None)

    async def _decide_step(self, event: RoomEvent) -> None:
        """We control a teammate's agent: ask our user, and answer in the room."""
        step = str(event.data.get("step", "next")).replace("_", " ")
        picked = await self.server.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Info,
                message=f"Accord (control mode): {event.actor}'s agent wants to run the {step} step.",
                actions=[types.MessageActionItem(title=t) for t in (CONTINUE, STOP)],
            )
        )
        approve = picked is not None and picked.title == CONTINUE
        await self.publish("step.decision", {"id": event.data.get("id"), "approve": approve})

    def _take_suggestion(self, event: RoomEvent) -> None:
        """Guidance (and control): a teammate's suggestion joins the agents' context; in
        observation and autonomous modes it is only shown."""
        text = str(event.data.get("text", "")).strip()
        mode = self.server.link_hooks.current_mode()
        if text and mode in {CollaborationMode.GUIDANCE, CollaborationMode.CONTROL}:
            self.server.agents.suggest(self.root, event.actor, text)

    async def publish(self, kind: str, data: dict[str, Any]) -> None:
        """Publish into the project room (dropped while offline: the room is live, not a log)."""
        if not self.online:
            return
        try:
            await self._call(
                "room.publish", RoomPublish(project=self.project, kind=kind, data=data), None
            )
        except OrgError as error:
            log.info("room.publish failed: %s", error)

    async def project_approvals(self) -> tuple[ApprovalView, ...]:
        """The project's approval requests (the most recent first)."""
        listed = await self._call(
            "approval.list", ApprovalList(project=self.project, limit=200), ApprovalListed
        )
        return tuple(listed.approvals)

    async def report_usage(self, proposal: Proposal) -> None:
        """A usage event (seed §7.3) for an agent's proposal; dropped while offline."""
        data: dict[str, Any] = {
            "action": proposal.action,
            "agent": proposal.agent,
            "provider": proposal.provider,
            "model": proposal.model,
            "files": len(proposal.files),
            "input_tokens": proposal.input_tokens,
            "output_tokens": proposal.output_tokens,
            "cost_usd": proposal.cost_usd,
        }
        await self._report("agent.proposal", data)

    async def report_spend(self, action: str, spent: Tally, outcome: str) -> None:
        """A usage event for an agent run that ended without a proposal (failed or cancelled)
        after providers answered: what it cost counts too."""
        data: dict[str, Any] = {
            "action": action,
            "provider": spent.provider,
            "model": spent.model,
            "outcome": outcome,
            **spent.fields(),
        }
        await self._report(f"agent.{outcome}", data)

    async def _report(self, event_type: str, data: dict[str, Any]) -> None:
        if not self.online:
            return
        try:
            await self._call(
                "usage.report",
                UsageReport(project=self.project, event_type=event_type, event_data=data),
                Recorded,
            )
        except OrgError as error:
            log.info("usage.report failed: %s", error)

    # --- approvals --------------------------------------------------------------------------

    async def route(
        self, proposal: Proposal, hashes: dict[str, str], score: float, reasons: str, diff: str
    ) -> Routed:
        """Send a proposal for approval, or queue it on disk while offline."""
        entry = {
            "proposal": proposal.model_dump(mode="json"),
            "hashes": hashes,
            "risk": {"score": score, "reasons": reasons},
            "diff": diff,
            "before": {
                f.path: self.server.session.current_text(f.path) or ""
                for f in proposal.files
                if not f.create
            },
            "approval_id": None,
        }
        self.pending.save(proposal.id, entry)
        if not self.online:
            return Routed("queued")
        view = await self._request(entry)
        return Routed(view.state, view)

    async def _request(self, entry: dict[str, Any]) -> ApprovalView:
        proposal = Proposal.model_validate(entry["proposal"])
        changes = self._changes(proposal, entry)
        params = ApprovalRequestParams(
            project=self.project,
            proposal=ProposalSummary(
                proposal_id=str(proposal.id),
                title=proposal.title,
                action=proposal.action,
                rationale=proposal.rationale[:20_000],
                files=tuple(self._relative(f.path) for f in proposal.files),
                diff=entry["diff"][:512_000],
                content_hash=changes_hash(changes),
                changes=changes,
            ),
            risk=RiskSummary.model_validate(entry["risk"]),
            hashes={self._relative(path): digest for path, digest in entry["hashes"].items()},
        )
        view: ApprovalView = await self._call("approval.request", params, ApprovalView)
        entry["approval_id"] = view.id
        self.pending.save(proposal.id, entry)
        await self.publish("approval", {"id": view.id, "state": view.state})  # teammates' views
        return view

    def _changes(self, proposal: Proposal, entry: dict[str, Any]) -> tuple[FileChange, ...]:
        """The proposal's files as the org server reviews them: relative paths, edits, and each
        file's text before the edits (as hashed when it was proposed)."""
        before: dict[str, str] = entry.get("before") or {}
        return tuple(
            FileChange(
                path=self._relative(f.path),
                create=f.create,
                edits=f.edits,
                before_hash=entry["hashes"][f.path],
                before=None if f.create else before.get(f.path, ""),
            )
            for f in proposal.files
        )

    async def _send_queued(self) -> None:
        for entry in self.pending.entries():
            if entry["approval_id"] is None:
                await self._request(entry)

    async def _settle_pending(self) -> None:
        for entry in self.pending.entries():
            if entry["approval_id"] is not None:
                view = await self._call(
                    "approval.get", ApprovalRef(approval_id=entry["approval_id"]), ApprovalView
                )
                await self._requester_update(view)

    async def _offer_actionable(self) -> None:
        listed = await self._call("approval.list", ApprovalList(actionable=True), ApprovalListed)
        for view in listed.approvals:
            self._offer(view)

    async def _on_push(self, method: str, message: Message) -> None:
        if isinstance(message, PolicyDocument):
            await self._take(message)
        elif isinstance(message, RoomEvent):
            if message.project != self.project:
                return
            if self.room.gap_before(message):
                await self._fill_gap()
            self._deliver(message)
        elif isinstance(message, Presence):
            self.server.protocol.notify(PRESENCE, message.model_dump(mode="json"))
            self.server.link_hooks.tell(self, message)
        elif isinstance(message, PresenceDelta):
            await self._presence_delta(message)
        elif isinstance(message, ApprovalUpdated):
            self.server.protocol.notify(APPROVAL_UPDATED, message.model_dump(mode="json"))
            self.server.link_hooks.tell(self, message)
            view = message.approval
            if self.identity is not None and view.requester_email == self.identity.email:
                await self.publish("approval", {"id": view.id, "state": view.state})
                await self._requester_update(view)
            elif message.actionable:
                self._offer(view)

    async def _requester_update(self, view: ApprovalView) -> None:
        """Apply an approved proposal of ours; drop one that was rejected or expired."""
        entry = self.pending.by_approval(view.id)
        if entry is None:
            return
        proposal = Proposal.model_validate(entry["proposal"])
        if view.state == "approved":
            hooks = self.server.link_hooks
            applied, stale = await hooks.apply(self.server, proposal, entry["hashes"])
            if applied or stale:
                self.pending.drop(proposal.id)
                await self._call(
                    "approval.applied",
                    ApprovalApplied(
                        approval_id=view.id, content_hash=view.proposal.content_hash, stale=stale
                    ),
                    ApprovalView,
                )
        elif view.state in {"rejected", "expired", "stale", "applied"}:
            self.pending.drop(proposal.id)
            if view.state in {"rejected", "expired"}:
                by = f" by {view.decided_by}" if view.decided_by else ""
                self.server.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Warning,
                        message=f"Accord: {view.proposal.title} was {view.state}{by}; nothing applied.",
                    )
                )

    def _offer(self, view: ApprovalView) -> None:
        """Ask the user (once per approval) to approve or reject a request routed to them."""
        if view.id in self._prompted:
            return
        self._prompted.add(view.id)
        asyncio.ensure_future(self._ask(view))

    async def _ask(self, view: ApprovalView) -> None:
        needs = ", ".join(view.missing_roles)
        message = (
            f"Accord: {view.requester_email} asks approval for “{view.proposal.title}” in "
            f"{view.project} — risk {view.risk.score:g}/10, {view.workflow.replace('_', ' ')}, "
            f"needs {needs}. {view.risk.reasons}"
        )
        actions = [types.MessageActionItem(title=t) for t in (APPROVE, REJECT, SHOW_DIFF)]
        while True:
            picked = await self.server.window_show_message_request_async(
                types.ShowMessageRequestParams(
                    type=types.MessageType.Info, message=message, actions=actions
                )
            )
            if picked is None or picked.title != SHOW_DIFF:
                break
            await self._show_diff(view)
            actions = actions[:2]
        if picked is None:
            self._prompted.discard(view.id)
            return
        decision = "approve" if picked.title == APPROVE else "reject"
        try:
            await self._call(
                "approval.decide",
                ApprovalDecide(
                    approval_id=view.id, decision=decision, content_hash=view.proposal.content_hash
                ),
                ApprovalView,
            )
        except OrgError as error:
            self.server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"Accord: {error.message}"
                )
            )

    async def _show_diff(self, view: ApprovalView) -> None:
        target = self.root / ".accord" / "approvals" / f"{view.id}.diff"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(view.proposal.diff, "utf-8")
        await self.server.window_show_document_async(
            types.ShowDocumentParams(uri=target.as_uri(), take_focus=True)
        )

    # --- audit ------------------------------------------------------------------------------

    async def sync_audit(self) -> None:
        """Send the local audit events the org server has not had yet (each is kept once)."""
        if not self.online:
            return
        async with self._sync_lock:
            marker = self.folder / "audit.synced"
            try:
                synced = int(marker.read_text("utf-8"))
            except (OSError, ValueError):
                synced = 0
            local = [
                e
                for e in await asyncio.to_thread(AuditStore(self.root).events, EventFilter())
                if e.seq > synced
            ]
            # Only our own activity goes up: the org server writes the governance events.
            events = [e for e in local if e.type.value in CLIENT_EVENT_TYPES]
            for start in range(0, len(events), _AUDIT_BATCH):
                batch = events[start : start + _AUDIT_BATCH]
                await self._within_quota(
                    "audit.append",
                    AuditAppend(events=tuple(e.model_dump(mode="json") for e in batch)),
                    AuditAppended,
                )
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(str(batch[-1].seq), "utf-8")
            if local:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(str(local[-1].seq), "utf-8")

    async def _check_checkpoint(self) -> None:
        """Fetch the org's signed audit checkpoint; report a rollback or a truncated chain."""
        try:
            checkpoint = await self._call("audit.checkpoint", Empty(), AuditCheckpoint)
        except OrgError as error:
            if error.code != ErrorCode.CONFLICT:  # the server found its chain behind a checkpoint
                raise
            self._warn(f"Accord: the org's audit log failed its check: {error.message}")
            return
        problem = self.trust.checkpoint_problem(checkpoint)
        if problem is not None:
            self._warn(f"Accord: the org's audit log failed its check: {problem}")

    # --- plumbing ---------------------------------------------------------------------------

    async def _within_quota(self, method: str, params: Message, result: type[Any]) -> Any:
        """:meth:`_call`, waiting as told and trying again while over the user's quota."""
        while True:
            try:
                return await self._call(method, params, result)
            except OrgError as error:
                if error.retry_after is None:
                    raise
                await asyncio.sleep(min(error.retry_after, _MAX_DELAY))

    async def _call(self, method: str, params: Message, result: type[Any] | None) -> Any:
        client = self.client
        if client is None:
            raise OrgError(-32050, "not connected to the org server", method)
        if result is None:
            return await client.call(method, params)
        return await client.request(method, params, result)

    def _relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return path
