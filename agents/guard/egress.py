"""``prepare_egress``: the one gate every request passes before it is sent to a provider.

For a ``local`` provider (it runs in this process) the request is returned unchanged: nothing
leaves the machine, so nothing is dropped or redacted. For any other provider:

1. the task's own target file must be sendable — a never-sent file (ignored, ``.env*``, key
   files, ``never-send``), or a confidential file for an ``external`` provider, raises
   ``EgressDenied`` and nothing is sent;
2. context items from files that may not go to this provider are dropped, and so are their
   paths; a refused path in ``request.paths`` that no context item accounts for means its
   content rides in the messages, which cannot be cut out, so that raises ``EgressDenied``;
3. secrets (ACC003's detector, ``accord.analyzers.secrets``) in every remaining text — system
   prompt, messages and their tool results, context items (history and symbol outlines
   included), the task's source, instructions and message — are replaced by ``REDACTED``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from accord.agents.exceptions import EgressDenied
from accord.agents.providers.types import ContextItem, Message, ProviderRequest
from accord.agents.tasks import Task
from accord.analyzers.secrets import redact
from accord.config import EgressSettings, ProviderSettings

from .rules import Verdict, judge

__all__ = ["REDACTED", "Deployment", "egress_allowed", "prepare_egress", "refusal"]

Deployment = Literal["local", "on_premise", "external"]
# What a secret's characters become in text sent to a provider.
REDACTED = "«redacted:ACC003»"
# Why a path may not be sent, or None when it may.
_Refuser = Callable[[str], "str | None"]


def refusal(
    path: str | Path, root: Path | None, settings: EgressSettings, deployment: Deployment
) -> str | None:
    """Why ``path`` may not go to a provider deployed as ``deployment``; None when it may."""
    if deployment == "local":
        return None
    verdict, reason = judge(path, root, settings)
    if verdict is Verdict.NEVER or (verdict is Verdict.CONFIDENTIAL and deployment == "external"):
        return reason
    return None


def egress_allowed(
    path: str | Path, root: Path | None, settings: EgressSettings, deployment: Deployment
) -> bool:
    """Whether content of ``path`` may go to a provider deployed as ``deployment``.

    ``deployment="on_premise"`` asks the strictest question that still admits confidential
    files: whether the file may leave the machine at all (the symbol map and history use it).
    """
    return refusal(path, root, settings, deployment) is None


def prepare_egress(
    request: ProviderRequest,
    provider: ProviderSettings,
    root: Path | None,
    settings: EgressSettings,
) -> ProviderRequest:
    """The request as it may be sent to ``provider``: see the module docs for the rules.

    Raises:
        EgressDenied: the task's target (or content carried in the messages) may not be sent.
    """
    deployment = provider.deployment
    if deployment == "local":
        return request  # runs in this process: nothing leaves the machine

    def refused(path: str) -> str | None:
        return refusal(path, root, settings, deployment)

    if request.task is not None and (reason := refused(request.task.target.path)):
        raise EgressDenied(f"not sent to {provider.kind} provider: {reason}")
    context = tuple(item for item in request.context if item.path is None or not refused(item.path))
    _check_paths(request.paths, request.context, refused)
    return request.model_copy(
        update={
            "system": _clean(request.system),
            "messages": tuple(_message(message) for message in request.messages),
            "context": tuple(_item(item) for item in context),
            "task": None if request.task is None else _task(request.task),
            "paths": tuple(path for path in request.paths if not refused(path)),
        }
    )


def _check_paths(paths: Iterable[str], context: Iterable[ContextItem], refused: _Refuser) -> None:
    carried = {item.path for item in context}
    for path in paths:
        if path not in carried and (reason := refused(path)):
            raise EgressDenied(f"the request carries a file that may not be sent: {reason}")


def _clean(text: str) -> str:
    return redact(text, REDACTED)


def _message(message: Message) -> Message:
    results = tuple(
        r.model_copy(update={"content": _clean(r.content)}) for r in message.tool_results
    )
    return message.model_copy(update={"content": _clean(message.content), "tool_results": results})


def _item(item: ContextItem) -> ContextItem:
    return item.model_copy(update={"text": _clean(item.text)})


def _task(task: Task) -> Task:
    target = task.target
    message = None if target.message is None else _clean(target.message)
    return task.model_copy(
        update={
            "instructions": _clean(task.instructions),
            "target": target.model_copy(
                update={"source": _clean(target.source), "message": message}
            ),
        }
    )
