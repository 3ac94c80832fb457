"""Tool use on the wire: the conversation, tools and tool calls in Anthropic's and OpenAI's forms.

Anthropic (Messages API): an assistant turn holds ``tool_use`` blocks, the next user turn
``tool_result`` blocks with the same ids. OpenAI function calling (what LiteLLM speaks): an
assistant message holds ``tool_calls`` whose arguments are a JSON string, and each result is a
``role: tool`` message. Context items go ahead of the first user turn (later turns are tool
results). Arguments a model wrote that are not a JSON object are kept as ``{"_unreadable":
text}``, for the tool loop to refuse and tell the model.
"""

from __future__ import annotations

import json
from typing import Any

from .render import context_text
from .types import Message, ProviderRequest, ToolCall, ToolSpec

__all__ = [
    "anthropic_calls",
    "anthropic_messages",
    "anthropic_tools",
    "openai_calls",
    "openai_messages",
    "openai_tools",
]


def anthropic_tools(tools: tuple[ToolSpec, ...]) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools
    ]


def openai_tools(tools: tuple[ToolSpec, ...]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
        }
        for t in tools
    ]


def anthropic_messages(request: ProviderRequest) -> list[dict[str, Any]]:
    """The conversation as Messages API turns, with tool_use and tool_result blocks."""
    return [_anthropic(m, _prefix(request, i)) for i, m in enumerate(request.messages)]


def openai_messages(request: ProviderRequest) -> list[dict[str, Any]]:
    """The conversation as chat-completion messages (system first), with tool calls."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": request.system}]
    for index, message in enumerate(request.messages):
        messages += _openai(message, _prefix(request, index))
    return messages


def anthropic_calls(blocks: Any) -> tuple[ToolCall, ...]:
    """The tool calls among a Messages API answer's content blocks."""
    return tuple(
        ToolCall(id=str(b.id), name=str(b.name), arguments=_object(b.input))
        for b in blocks
        if b.type == "tool_use"
    )


def openai_calls(message: Any) -> tuple[ToolCall, ...]:
    """The tool calls of a chat-completion answer's message."""
    return tuple(
        ToolCall(id=str(c.id), name=str(c.function.name), arguments=_object(c.function.arguments))
        for c in getattr(message, "tool_calls", None) or ()
    )


def _prefix(request: ProviderRequest, index: int) -> str:
    """The context, ahead of the first user turn only."""
    first = next((i for i, m in enumerate(request.messages) if m.role == "user"), None)
    if index != first or not request.context:
        return ""
    return f"Context from the workspace:\n\n{context_text(request.context)}\n\n---\n\n"


def _anthropic(message: Message, prefix: str) -> dict[str, Any]:
    if not message.tool_calls and not message.tool_results:
        return {"role": message.role, "content": prefix + message.content}
    blocks: list[dict[str, Any]] = [
        {
            "type": "tool_result",
            "tool_use_id": r.call_id,
            "content": r.content,
            "is_error": r.is_error,
        }
        for r in message.tool_results
    ]
    if message.content:
        blocks.append({"type": "text", "text": prefix + message.content})
    blocks += [
        {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
        for c in message.tool_calls
    ]
    return {"role": message.role, "content": blocks}


def _openai(message: Message, prefix: str) -> list[dict[str, Any]]:
    if message.tool_calls:
        calls = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in message.tool_calls
        ]
        return [{"role": "assistant", "content": message.content or None, "tool_calls": calls}]
    turns: list[dict[str, Any]] = [
        {
            "role": "tool",
            "tool_call_id": r.call_id,
            "content": f"error: {r.content}" if r.is_error else r.content,
        }
        for r in message.tool_results
    ]
    if message.content or not message.tool_results:
        turns.append({"role": message.role, "content": prefix + message.content})
    return turns


def _object(arguments: Any) -> dict[str, Any]:
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError:
            return {"_unreadable": arguments}
    return dict(arguments) if isinstance(arguments, dict) else {"_unreadable": str(arguments)}
