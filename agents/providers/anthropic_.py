"""``anthropic``: Claude through the official SDK (Messages API, streaming or not, tool use).

The SDK's own retries are off: the gateway decides about failover. Errors become the agents'
error tree (429 → ``RateLimited`` with Retry-After, 5xx and connection failures →
``ProviderUnavailable``, timeouts → ``ProviderTimeout``, unreadable answers →
``MalformedResponse``). Cancelling the awaiting task cancels the HTTP request.
"""

from __future__ import annotations

import os
from typing import Any

import anthropic

from accord.agents.exceptions import (
    MalformedResponse,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
)
from accord.config import ProviderSettings

from .pricing import cost_of
from .render import render_messages
from .tool_use import anthropic_calls, anthropic_messages, anthropic_tools
from .types import OnText, ProviderRequest, ProviderResponse, Usage

__all__ = ["AnthropicProvider", "retry_after"]


class AnthropicProvider:
    def __init__(self, name: str, settings: ProviderSettings) -> None:
        self.name = name
        self.settings = settings
        self._client: anthropic.AsyncAnthropic | None = None

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse:
        """Ask the model; stream text to ``on_text`` when the request streams."""
        arguments: dict[str, Any] = {
            "model": self.settings.model,
            "max_tokens": request.max_tokens,
            "system": request.system,
            "messages": render_messages(request),
        }
        if request.tools:
            arguments["messages"] = anthropic_messages(request)
            arguments["tools"] = anthropic_tools(request.tools)
        try:
            if request.stream and not request.tools:
                message = await self._stream(arguments, on_text)
            else:
                message = await self.client.messages.create(**arguments)
        except anthropic.APIError as error:
            raise _mapped(self.name, error) from error
        except ValueError as error:
            raise MalformedResponse(self.name, f"unreadable answer: {error}") from error
        return self._response(message)

    async def aclose(self) -> None:
        """Close the client's connections (it is made again on the next call)."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    @property
    def client(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            self._client = anthropic.AsyncAnthropic(
                api_key=_key(self.name, self.settings),
                base_url=self.settings.base_url,
                timeout=self.settings.timeout,
                max_retries=0,
            )
        return self._client

    async def _stream(self, arguments: dict[str, Any], on_text: OnText | None) -> Any:
        async with self.client.messages.stream(**arguments) as stream:
            async for text in stream.text_stream:
                if on_text is not None:
                    on_text(text)
            return await stream.get_final_message()

    def _response(self, message: Any) -> ProviderResponse:
        try:
            text = "".join(block.text for block in message.content if block.type == "text")
            calls = anthropic_calls(message.content)
            usage = Usage(
                input_tokens=message.usage.input_tokens, output_tokens=message.usage.output_tokens
            )
        except (AttributeError, TypeError) as error:
            raise MalformedResponse(self.name, f"unexpected answer shape: {error}") from error
        return ProviderResponse(
            text=text,
            provider=self.name,
            model=str(message.model),
            usage=usage,
            cost_usd=cost_of(self.settings, usage),
            tool_calls=calls,
        )


def _key(name: str, settings: ProviderSettings) -> str:
    variable = settings.api_key_env or "ANTHROPIC_API_KEY"
    key = os.environ.get(variable)
    if not key:
        raise ProviderError(name, f"no API key: set the environment variable {variable}")
    return key


def retry_after(headers: Any) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), if present and readable."""
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _mapped(name: str, error: anthropic.APIError) -> ProviderError:
    if isinstance(error, anthropic.APITimeoutError):
        return ProviderTimeout(name, "no answer in time")
    if isinstance(error, anthropic.APIConnectionError):
        return ProviderUnavailable(name, f"connection failed: {error}")
    if isinstance(error, anthropic.RateLimitError):
        return RateLimited(name, "rate limited (429)", retry_after(error.response.headers))
    if isinstance(error, anthropic.APIStatusError) and error.status_code >= 500:
        return ProviderUnavailable(name, f"server error {error.status_code}")
    if isinstance(error, anthropic.APIResponseValidationError):
        return MalformedResponse(name, f"unexpected answer: {error}")
    return ProviderError(name, str(error))
