"""The bounded tool-using loop: a model reads the workspace through tools, then proposes edits.

Each step sends the conversation so far (with the tools) through the provider gateway, so every
call passes the data guard, the failover and the cost ledger. The model's tool calls are run by
the ``ToolBox`` (confined to the workspace, refusals reported back) and their results become
the next user turn. ``propose`` ends the loop when its edits check out (``apply_proposed``);
otherwise the reason goes back as the tool's error and the model may try again. A model that
answers in plain text is asked once more to call ``propose``. The offline ``local`` provider
answers at once in the Answer form (no tool calls).

Limits: at most ``steps`` model calls, ``tokens`` tokens (input and output, summed over the
calls) and ``cost_usd``; passing one stops the task with ``ActionFailed`` naming the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import (
    Message,
    ProviderRequest,
    ProviderResponse,
    ToolCall,
    ToolResult,
    Usage,
)

from .answer import Answer, read_answer, write_answer
from .edits import apply_proposed, check_answer
from .tools import PROPOSE, SPECS, ToolBox

__all__ = ["Limits", "Note", "tool_loop"]

Complete = Callable[[ProviderRequest], Awaitable[ProviderResponse]]
# Told of each tool call: its name, arguments summary and whether it succeeded.
Note = Callable[..., None]

ASK_TO_PROPOSE = (
    "Do not answer in text: call the `propose` tool with your edits (or read more first). "
    "Problem with the answer: {problem}"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How far one task's loop may go."""

    steps: int = 12
    tokens: int = 200_000
    cost_usd: float = 1.0


@dataclass(slots=True)
class _Spent:
    steps: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    calls: list[str] = field(default_factory=list)

    def add(self, response: ProviderResponse) -> None:
        self.steps += 1
        self.input_tokens += response.usage.input_tokens
        self.output_tokens += response.usage.output_tokens
        self.cost_usd += response.cost_usd

    def over(self, limits: Limits) -> str | None:
        tokens = self.input_tokens + self.output_tokens
        if tokens > limits.tokens:
            return f"the token limit ({tokens} of {limits.tokens} tokens used)"
        if self.cost_usd > limits.cost_usd:
            return f"the cost limit (${self.cost_usd:.4f} of ${limits.cost_usd:g})"
        return None


async def tool_loop(
    complete: Complete,
    request: ProviderRequest,
    tools: ToolBox,
    scope: Mapping[str, str],
    limits: Limits,
    note: Note = lambda **_: None,
) -> ProviderResponse:
    """Converse until an accepted proposal; its Answer (JSON) is the response's text.

    Raises:
        ActionFailed: a limit was reached before an accepted proposal.
    """
    root = tools.root
    messages = list(request.messages)
    spent = _Spent()
    request = request.model_copy(
        update={"tools": SPECS, "max_tokens": max(request.max_tokens, 4096)}
    )
    while spent.steps < limits.steps:
        response = await complete(request.model_copy(update={"messages": tuple(messages)}))
        spent.add(response)
        if over := spent.over(limits):
            raise ActionFailed(f"stopped at {over} after {spent.steps} steps, with no proposal")
        answer, reply = await _step(response, tools, root, scope, note)
        if answer is not None:
            return _final(response, answer, spent)
        messages += reply
    raise ActionFailed(
        f"stopped at the step limit ({limits.steps} model calls) with no accepted proposal"
    )


async def _step(
    response: ProviderResponse,
    tools: ToolBox,
    root: Path,
    scope: Mapping[str, str],
    note: Note,
) -> tuple[Answer | None, list[Message]]:
    """The accepted answer, or the turns that continue the conversation."""
    if not response.tool_calls:
        try:
            return check_answer(read_answer(response.text), root, scope), []
        except ActionFailed as problem:
            nudge = ASK_TO_PROPOSE.format(problem=problem)
            return None, [
                Message(role="assistant", content=response.text or "(no answer)"),
                Message(role="user", content=nudge),
            ]
    results, accepted = [], None
    for call in response.tool_calls:
        result, answer = await _run(call, tools, root, scope)
        note(tool=call.name, ok=not result.is_error, detail=result.content[:120])
        results.append(result)
        accepted = accepted or answer
    if accepted is not None:
        return accepted, []
    turn = Message(role="assistant", content=response.text, tool_calls=response.tool_calls)
    return None, [turn, Message(role="user", content="", tool_results=tuple(results))]


async def _run(
    call: ToolCall, tools: ToolBox, root: Path, scope: Mapping[str, str]
) -> tuple[ToolResult, Answer | None]:
    if call.name != PROPOSE:
        return await asyncio.to_thread(tools.run, call), None
    try:
        answer = apply_proposed(call.arguments, root, scope)
    except ActionFailed as problem:
        tools.record(
            call.name,
            {"files": len(call.arguments.get("edits") or [])},
            {"ok": False, "refused": str(problem)},
        )
        return ToolResult(call_id=call.id, content=f"not accepted: {problem}", is_error=True), None
    tools.record(call.name, {"files": [p for p, _ in answer.files]}, {"ok": True})
    return ToolResult(call_id=call.id, content="accepted"), answer


def _final(response: ProviderResponse, answer: Answer, spent: _Spent) -> ProviderResponse:
    usage = Usage(input_tokens=spent.input_tokens, output_tokens=spent.output_tokens)
    return response.model_copy(
        update={
            "text": write_answer(answer),
            "usage": usage,
            "cost_usd": spent.cost_usd,
            "tool_calls": (),
        }
    )
