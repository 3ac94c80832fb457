"""``litellm``: any LiteLLM model string (``openrouter/…``, ``ollama/…``, ``openai/…``), with
function calling when the request offers tools.

LiteLLM is an optional extra (``accord[litellm]``) and heavy to import (seconds, hundreds of
MB), so it is imported here, on the first call, never when the server starts. It would fetch a
model price map from the internet at import; ``LITELLM_LOCAL_MODEL_COST_MAP`` keeps it offline.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from accord.agents.exceptions import (
    MalformedResponse,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
)
from accord.config import ProviderSettings

from .anthropic_ import retry_after
from .pricing import cost_of
from .render import render_messages
from .tool_use import openai_calls, openai_messages, openai_tools
from .types import OnText, ProviderRequest, ProviderResponse, ToolCall, Usage

__all__ = ["LiteLLMProvider", "load_litellm"]


def load_litellm() -> ModuleType:
    """Import LiteLLM offline.

    Raises:
        ProviderError: it is not installed (install ``accord[litellm]``).
    """
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm
    except ImportError as error:
        raise ProviderError(
            "litellm", "not installed: install Accord with its litellm extra (README, Providers)"
        ) from error
    return litellm


class LiteLLMProvider:
    def __init__(self, name: str, settings: ProviderSettings) -> None:
        self.name = name
        self.settings = settings

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse:
        litellm = load_litellm()
        arguments: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [{"role": "system", "content": request.system}, *render_messages(request)],
            "max_tokens": request.max_tokens,
            "timeout": self.settings.timeout,
            "num_retries": 0,
            "api_base": self.settings.base_url,
            "api_key": _key(self.settings),
        }
        calls: tuple[ToolCall, ...] = ()
        if request.tools:
            arguments["messages"] = openai_messages(request)
            arguments["tools"] = openai_tools(request.tools)
        try:
            if request.stream and not request.tools:
                text, usage, model = await self._stream(litellm, arguments, on_text)
            else:
                answer = await litellm.acompletion(**arguments)
                text, usage, model = _read(answer)
                calls = openai_calls(answer.choices[0].message)
        except Exception as error:
            raise _mapped(litellm, self.name, error) from error
        cost = cost_of(self.settings, usage, _litellm_cost(litellm, model, usage))
        return ProviderResponse(
            text=text, provider=self.name, model=model, usage=usage, cost_usd=cost, tool_calls=calls
        )

    async def _stream(
        self, litellm: ModuleType, arguments: dict[str, Any], on_text: OnText | None
    ) -> tuple[str, Usage, str]:
        stream = await litellm.acompletion(
            **arguments, stream=True, stream_options={"include_usage": True}
        )
        parts: list[str] = []
        usage, model = Usage(), str(arguments["model"])
        async for chunk in stream:
            model = getattr(chunk, "model", None) or model
            for choice in chunk.choices or ():
                if text := getattr(choice.delta, "content", None):
                    parts.append(text)
                    if on_text is not None:
                        on_text(text)
            if reported := getattr(chunk, "usage", None):
                usage = Usage(
                    input_tokens=reported.prompt_tokens or 0,
                    output_tokens=reported.completion_tokens or 0,
                )
        return "".join(parts), usage, model


def _key(settings: ProviderSettings) -> str | None:
    if settings.api_key_env is None:
        return None
    key = os.environ.get(settings.api_key_env)
    if not key:
        raise ProviderError(
            "litellm", f"no API key: set the environment variable {settings.api_key_env}"
        )
    return key


def _read(answer: Any) -> tuple[str, Usage, str]:
    try:
        text = answer.choices[0].message.content or ""
        usage = Usage(
            input_tokens=answer.usage.prompt_tokens, output_tokens=answer.usage.completion_tokens
        )
    except (AttributeError, IndexError, TypeError) as error:
        raise ValueError(f"unexpected answer shape: {error}") from error
    return text, usage, str(answer.model)


def _litellm_cost(litellm: ModuleType, model: str, usage: Usage) -> float:
    try:
        prompt, completion = litellm.cost_per_token(
            model=model, prompt_tokens=usage.input_tokens, completion_tokens=usage.output_tokens
        )
    except Exception:
        return 0.0
    return float(prompt + completion)


def _mapped(litellm: ModuleType, name: str, error: Exception) -> ProviderError:
    exceptions = litellm.exceptions
    if isinstance(error, exceptions.RateLimitError):
        response = getattr(error, "response", None)
        return RateLimited(
            name, "rate limited (429)", retry_after(getattr(response, "headers", None))
        )
    if isinstance(error, exceptions.Timeout):
        return ProviderTimeout(name, "no answer in time")
    if isinstance(
        error,
        exceptions.APIConnectionError
        | exceptions.ServiceUnavailableError
        | exceptions.InternalServerError,
    ):
        return ProviderUnavailable(name, str(error).splitlines()[0])
    if isinstance(error, ValueError | KeyError | exceptions.JSONSchemaValidationError):
        return MalformedResponse(name, f"unreadable answer: {error}")
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and status >= 500:
        return ProviderUnavailable(name, f"server error {status}")
    return ProviderError(name, str(error).splitlines()[0] if str(error) else type(error).__name__)
