"""Running agent actions: ``workspace/executeCommand`` → orchestrator → a Proposal → the editor.

``accord.agents.run`` takes the ``data`` of a code action (see ``code_actions``), reads the
document as it is now (a snapshot; nothing here mutates the session), runs the task on the
orchestrator with a cancellable ``$/progress``, sends each step as an ``accord/agentAction``
notification (the envelope of seed spec §11.2), and hands the resulting Proposal on: edits to
the approval gate (``approval_prompts``: scored, approved as the policy requires, then
``workspace/applyEdit``), explanations to ``window/showDocument`` (or a message where the client
cannot show documents). ``accord.agents.ask`` runs a task in the user's words over a scope
(see ``asking``) the same way. ``accord.agents.status`` reports the pool and providers.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pydantic import ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcRequestCancelled

from accord.agents.exceptions import AgentError, ProposalWithdrawn
from accord.agents.providers.tally import Tally, tallying
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import language_for
from accord.audit import AgentAction as AuditAgentAction
from accord.audit import AuditStore, EventDraft, EventType
from accord.check.discovery import discover
from accord.protocol import AgentActionEnvelope, Proposal

from ..asking import ASK, ask_task_for
from ..evidence import evidence_marks
from ..offers import OfferData, StaleOffer, task_for, tasks_for_file
from ..session import path_of
from ..written_requests import with_request_removed
from . import RAISE, guarded
from .approval_prompts import apply_approved, through_gate
from .collaboration import checkpoint_for, mode_of, notifies

if TYPE_CHECKING:
    from ..app import AccordServer

__all__ = ["AGENT_ACTION", "RUN", "RUN_MANY", "STATUS", "setup"]

logger = logging.getLogger(__name__)

RUN = "accord.agents.run"
# Several files at once: {"kind": "document" | "generate_tests", "uris": [files or folders]}; the
# architect splits the request across them and the merged proposal is gated once.
RUN_MANY = "accord.agents.runMany"
MAX_FILES = 200
STATUS = "accord.agents.status"
AGENT_ACTION = "accord/agentAction"

_tokens = itertools.count(1)


class ActionError(JsonRpcException):
    """An agent action that could not complete (LSP RequestFailed, -32803)."""

    CODE = -32803


class StaleRequest(JsonRpcException):
    """The document changed since the action was listed (LSP ContentModified, -32801)."""

    CODE = -32801


def setup(server: AccordServer) -> None:
    server.link_hooks.apply_approved = apply_approved

    @server.command(RUN)
    @guarded("agent_commands", fallback=RAISE)
    async def run(data: Any) -> dict[str, Any]:
        task = _task(server, _offer(data))
        proposal = await _run_with_progress(server, [task], task.kind.value)
        return await _deliver(server, proposal)

    @server.command(RUN_MANY)
    @guarded("agent_commands", fallback=RAISE)
    async def run_many(request: dict[str, Any]) -> dict[str, Any]:
        kind, tasks = _tasks_for_files(server, request)
        title = f"Accord: {kind.value.replace('_', ' ')} {len(tasks)} functions"
        proposal = await _run_with_progress(server, tasks, title)
        return await _deliver(server, proposal)

    @server.command(ASK)
    @guarded("agent_commands", fallback=RAISE)
    async def ask(argument: Any) -> dict[str, Any]:
        task = ask_task_for(server.session, argument)
        proposal = await _run_with_progress(server, [task], task.kind.value)
        return await _deliver(server, with_request_removed(task, argument, proposal))

    @server.command(STATUS)
    @guarded("agent_commands", fallback=dict)
    def status() -> dict[str, Any]:
        return server.agents.status()


def _offer(data: Any) -> OfferData:
    try:
        return OfferData.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'argument'}: {e['msg']}"
            for e in error.errors()
        )
        raise JsonRpcInvalidParams(
            message=f"{RUN} takes a code action's data: {problems}"
        ) from error


def _task(server: AccordServer, data: OfferData) -> Task:
    document = server.session.documents.get(data.uri)
    if document is None or document.source is None:
        raise JsonRpcException(message=f"{data.uri} is not open or not analysed")
    path = path_of(data.uri) or data.uri
    try:
        return task_for(data, document, str(server.session.root_of(path)), server.session.encoding)
    except StaleOffer as error:
        raise StaleRequest(message=str(error)) from error


def _tasks_for_files(
    server: AccordServer, request: dict[str, Any]
) -> tuple[ActionKind, list[Task]]:
    try:
        kind = ActionKind(str(request["kind"]))
        uris = [str(uri) for uri in request["uris"]]
    except (KeyError, TypeError, ValueError) as error:
        raise JsonRpcInvalidParams(
            message=f"{RUN_MANY} takes {{'kind': {[k.value for k in ActionKind]}, 'uris': [...]}}"
        ) from error
    tasks: list[Task] = []
    for path in _files_of(server, uris):
        uri = Path(path).as_uri()
        text, spec = server.session.current_text(path), language_for(None, path)
        if text is None or spec is None:
            raise JsonRpcInvalidParams(message=f"{uri}: not a readable file in a known language")
        root = str(server.session.root_of(path))
        tasks += tasks_for_file(kind, path, text, spec, root)
    if not tasks:
        raise JsonRpcInvalidParams(message="no functions in the given files")
    return kind, tasks


def _files_of(server: AccordServer, uris: list[str]) -> list[str]:
    """The files the URIs name: a file as is, a folder as its files in known languages (as
    ``accord check`` finds them: no hidden, excluded or git-ignored ones), at most MAX_FILES."""
    files: list[str] = []
    for uri in uris:
        path = Path(path_of(uri) or uri)
        if not path.is_dir():
            files.append(str(path))
            continue
        root = Path(server.session.root_of(str(path)))
        settings = server.session.settings_for(str(path / "accord.toml")).settings
        found, _ = discover([path], root if path.is_relative_to(root) else path, settings)
        files += [str(f.path) for f in found if language_for(None, f.rel) is not None]
    unique = list(dict.fromkeys(files))
    if len(unique) > MAX_FILES:
        raise JsonRpcInvalidParams(
            message=f"{len(unique)} files: {RUN_MANY} takes at most {MAX_FILES}; pick a smaller folder"
        )
    return unique


async def _run_with_progress(server: AccordServer, tasks: list[Task], title: str) -> Proposal:
    task = tasks[0]
    token = f"accord-{task.kind.value}-{next(_tokens)}"
    progress = await _begin(server, token, task)
    running = asyncio.current_task()
    if progress is not None and running is not None:
        progress.add_done_callback(lambda _: running.cancel())
    outcome, started = "failed", time.perf_counter()
    failure: AgentError | None = None
    spent = Tally()
    try:
        report = functools.partial(_report, server, token)
        with tallying() as spent:
            if len(tasks) == 1:
                proposal = await server.agents.run(task, report, checkpoint_for(server))
            else:
                proposal = await server.agents.run_many(tasks, report, title)
        outcome = "done"
        return proposal
    except asyncio.CancelledError as cancelled:
        outcome = "cancelled"
        raise JsonRpcRequestCancelled(message="Accord: action cancelled") from cancelled
    except AgentError as error:
        failure = error
        raise ActionError(message=str(error)) from error
    finally:
        server.work_done_progress.tokens.pop(token, None)
        server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=outcome))
        _audit_action(server, tasks, outcome, time.perf_counter() - started, failure)
        if outcome != "done" and spent.spent:  # a proposal reports its own (_deliver)
            for link in server.org_links.values():
                asyncio.ensure_future(link.report_spend(task.kind.value, spent, outcome))


def _audit_action(
    server: AccordServer,
    tasks: list[Task],
    outcome: str,
    seconds: float,
    failure: AgentError | None,
) -> None:
    """The agent action as an audit event, with the seed §7 agent_actions fields."""
    task = tasks[0]
    root = Path(task.root) if task.root else Path(server.session.root_of(None))
    action = AuditAgentAction(
        action_type=task.kind.value,
        input_data={
            "targets": [
                {
                    "path": t.target.path,
                    "symbol": t.target.symbol,
                    "range": t.target.range.model_dump(),
                }
                for t in tasks
            ]
        },
        output_data={"outcome": outcome}
        | (
            {"evidence": [c.model_dump(mode="json") for c in failure.evidence]}
            if isinstance(failure, ProposalWithdrawn)
            else {}
        ),
        execution_time_ms=round(seconds * 1000),
        success=outcome == "done",
        error_message=None if outcome == "done" else str(failure or outcome),
    )
    AuditStore(root).append(
        EventDraft(
            type=EventType.AGENT_ACTION,
            actor=server.agents.user,
            project=root.name,
            agent_action=action,
        )
    )


async def _begin(server: AccordServer, token: str, task: Task) -> Any:
    """Create and begin a cancellable progress; its cancel future, or None without support."""
    window = server.client_capabilities.window
    if window is None or not window.work_done_progress:
        return None
    await server.work_done_progress.create_async(token)
    title = f"Accord: {task.kind.value.replace('_', ' ')}"
    begin = types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
    server.work_done_progress.begin(token, begin)
    return server.work_done_progress.tokens.get(token)


def _report(server: AccordServer, token: str, envelope: AgentActionEnvelope) -> None:
    if notifies(mode_of(server), envelope):
        server.protocol.notify(AGENT_ACTION, envelope.model_dump(mode="json"))
    for link in server.org_links.values():
        asyncio.ensure_future(link.publish("agent_action", envelope.model_dump(mode="json")))
    if token not in server.work_done_progress.tokens:
        return
    action = envelope.action
    progress = action.data.get("progress")
    message = f"{action.type.replace('_', ' ')} ({action.status.value})"
    if action.type == "checks" and action.data.get("evidence"):
        message += f": {evidence_marks(action.data['evidence'])}"
    report = types.WorkDoneProgressReport(
        message=message, percentage=int(progress) if isinstance(progress, int | float) else None
    )
    server.work_done_progress.report(token, report)


async def _deliver(server: AccordServer, proposal: Proposal) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "proposal": str(proposal.id),
        "title": proposal.title,
        "rationale": proposal.rationale,
        "files": [file.path for file in proposal.files],
        "applied": False,
    }
    for link in server.org_links.values():
        asyncio.ensure_future(link.report_usage(proposal))
    if proposal.markdown:
        summary["shown"] = await _show(server, proposal)
    if proposal.files:
        summary |= await through_gate(server, proposal)
    elif not proposal.markdown:
        # Nothing to change (Document on a complete doc comment): say so.
        message = f"Accord: {proposal.title}. {proposal.rationale}"
        server.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )
    return summary


async def _show(server: AccordServer, proposal: Proposal) -> str:
    """Show an explanation: as a Markdown document when the client can, else as a message."""
    window = server.client_capabilities.window
    root = Path(server.session.root_of(None))
    if window is not None and window.show_document is not None and window.show_document.support:
        target = root / ".accord" / "explanations" / f"{proposal.id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(proposal.markdown, "utf-8")
        params = types.ShowDocumentParams(uri=target.as_uri(), take_focus=True)
        await server.window_show_document_async(params)
        return target.as_uri()
    server.window_show_message(
        types.ShowMessageParams(type=types.MessageType.Info, message=proposal.markdown)
    )
    return "message"
