"""``local``: the offline, deterministic provider every action works with (no key, no network).

It answers from the request's structured task with the action's own ``local_answer`` (built
on the analyzers' syntax trees and templates), in the format a remote model is asked for.
"""

from __future__ import annotations

import asyncio

from accord.agents.actions import action_for
from accord.agents.exceptions import MalformedResponse
from accord.config import ProviderSettings

from .render import user_text
from .types import OnText, ProviderRequest, ProviderResponse, Usage

__all__ = ["LocalProvider"]


class LocalProvider:
    def __init__(self, name: str, settings: ProviderSettings) -> None:
        self.name = name
        self.settings = settings

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse:
        """The action's offline answer.

        Raises:
            MalformedResponse: the request carries no task to answer from.
            ActionFailed: the action cannot handle the target offline.
        """
        if request.task is None:
            raise MalformedResponse(self.name, "the local provider answers structured tasks only")
        # In a worker thread: an answer may run the project's code (Generate tests records calls).
        text = await asyncio.to_thread(action_for(request.task.kind).local_answer, request.task)
        if on_text is not None:
            on_text(text)
        prompt = f"{request.system}\n{user_text(request.messages)}"
        usage = Usage(input_tokens=len(prompt.split()), output_tokens=len(text.split()))
        return ProviderResponse(text=text, provider=self.name, model="local", usage=usage)
