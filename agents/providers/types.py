"""What goes to a provider and what comes back, independent of any SDK."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from accord.agents.tasks import Task

__all__ = [
    "ContextItem",
    "ContextKind",
    "Message",
    "OnText",
    "Provider",
    "ProviderRequest",
    "ProviderResponse",
    "ToolCall",
    "ToolResult",
    "ToolSpec",
    "Usage",
]

# Called with each piece of text as a streaming answer arrives.
OnText = Callable[[str], None]


class ContextKind(StrEnum):
    FILE = "file"
    SYMBOL = "symbol"
    HISTORY = "history"


class ContextItem(BaseModel):
    """A piece of context taken from the workspace; ``path`` is what the data guard judges."""

    model_config = ConfigDict(frozen=True)

    kind: ContextKind
    text: str
    # The file the text comes from (absolute), or None for text not taken from a file.
    path: str | None = None


class ToolSpec(BaseModel):
    """A tool a model may call: its name, what it does, and its arguments' JSON schema."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    parameters: dict[str, Any]


class ToolCall(BaseModel):
    """A model's call of a tool; ``id`` pairs it with its result."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    arguments: dict[str, Any]


class ToolResult(BaseModel):
    """What a tool call returned (or why it was refused, ``is_error``)."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    content: str
    is_error: bool = False


class Message(BaseModel):
    """One turn: text, and for tool use the assistant's calls or the user's results."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_results: tuple[ToolResult, ...] = ()


class ProviderRequest(BaseModel):
    """A request to a model: system prompt, context items, the conversation, and the task.

    Providers render ``context`` ahead of the last user message. ``task`` is the structured form
    of the request, which the offline ``local`` provider answers from; remote providers ignore it.
    ``paths`` lists every file whose content the request carries (the data guard checks them).
    """

    model_config = ConfigDict(frozen=True)

    capability: str
    system: str
    messages: tuple[Message, ...]
    context: tuple[ContextItem, ...] = ()
    task: Task | None = None
    paths: tuple[str, ...] = ()
    max_tokens: int = 2048
    stream: bool = False
    # Tools the model may call (tool use / function calling); a streaming request has none.
    tools: tuple[ToolSpec, ...] = ()


class Usage(BaseModel):
    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0


class ProviderResponse(BaseModel):
    """A model's answer: its text, who answered, the token usage and what it cost."""

    model_config = ConfigDict(frozen=True)

    text: str
    provider: str
    model: str
    usage: Usage = Usage()
    cost_usd: float = 0.0
    # The tools the model called, to be answered with a ``Message`` of ``tool_results``.
    tool_calls: tuple[ToolCall, ...] = ()


class Provider(Protocol):
    """One configured provider. ``complete`` raises ``ProviderError`` subclasses on failure."""

    name: str

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse: ...
