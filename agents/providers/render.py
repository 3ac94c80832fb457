"""How context items and messages read to a remote model (one renderer for every provider)."""

from __future__ import annotations

from .types import ContextItem, Message, ProviderRequest

__all__ = ["context_text", "render_messages", "user_text"]


def render_messages(request: ProviderRequest) -> list[dict[str, str]]:
    """The conversation as ``{"role", "content"}`` dicts, context ahead of the last user turn."""
    messages = [{"role": m.role, "content": m.content} for m in request.messages]
    if request.context and messages:
        context = context_text(request.context)
        last = messages[-1]
        last["content"] = f"Context from the workspace:\n\n{context}\n\n---\n\n{last['content']}"
    return messages


def context_text(items: tuple[ContextItem, ...]) -> str:
    """The context items as one text, each headed by its kind and file."""
    return "\n\n".join(_item(item) for item in items)


def _item(item: ContextItem) -> str:
    where = f" {item.path}" if item.path else ""
    return f"[{item.kind.value}{where}]\n{item.text}"


def user_text(messages: tuple[Message, ...]) -> str:
    return "\n\n".join(m.content for m in messages if m.role == "user")
