"""What goes to a provider and what comes back, independent of any SDK."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Literal, Protocol

from accord.agents.tasks import Task
from pydantic import BaseModel, ConfigDict

__all__ = [
    "ContextItem",
    "ContextKind",
    "Message",
    "OnText",
    "Provider",
    "ProviderRequest",
    "ProviderResponse",
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


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    content: str


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


class Provider(Protocol):
    """One configured provider. ``complete`` raises ``ProviderError`` subclasses on failure."""

    name: str

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse: ...
