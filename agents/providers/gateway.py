"""The provider gateway: routing, failover, circuit breakers, rate limits, the data guard, costs.

For a request needing capability C, the candidates are the enabled providers listing C, by
priority (lower first). After a provider fails, its ``fallback-providers`` are tried next,
then the rest by priority. A provider is skipped while its breaker is open, while it is cooling
down after a 429 (its Retry-After), or when its token bucket is empty; and when the data guard
refuses the request for it (``EgressDenied``: e.g. a confidential file and an external
provider). Every call's usage and price go to the cost ledger. When no candidate succeeds the
gateway raises ``NoProvider`` listing why each one failed. A 429 from the last candidate is
waited out once (at most ``MAX_RETRY_AFTER`` seconds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.agents.exceptions import (
    CircuitOpen,
    EgressDenied,
    NoProvider,
    ProviderError,
    RateLimited,
)
from accord.config import ProviderSettings, Settings

from .breaker import Breaker
from .ledger import Ledger
from .ratelimit import TokenBucket
from .tally import count
from .types import OnText, Provider, ProviderRequest, ProviderResponse

__all__ = ["Gateway", "Guard", "build_gateway", "make_provider"]

# Called before each provider call with the provider's settings; returns what may be sent.
Guard = Callable[[ProviderRequest, ProviderSettings], ProviderRequest]

MAX_RETRY_AFTER = 30.0


def make_provider(name: str, settings: ProviderSettings) -> Provider:
    """The provider object for one configured provider (SDKs are imported on first use)."""
    if settings.kind == "anthropic":
        from .anthropic_ import AnthropicProvider

        return AnthropicProvider(name, settings)
    if settings.kind == "litellm":
        from .litellm_ import LiteLLMProvider

        return LiteLLMProvider(name, settings)
    from .local import LocalProvider

    return LocalProvider(name, settings)


def build_gateway(settings: Settings, root: Path, user: str, guard: Guard | None = None) -> Gateway:
    """A gateway over ``settings.providers`` with its ledger in ``root/.accord/accord.db``."""
    providers = {
        name: make_provider(name, provider)
        for name, provider in settings.providers.items()
        if provider.enabled
    }
    ledger = Ledger(root / ".accord" / "accord.db")
    return Gateway(providers, settings, ledger, user=user, project=str(root), guard=guard)


class Gateway:
    def __init__(
        self,
        providers: dict[str, Provider],
        settings: Settings,
        ledger: Ledger | None = None,
        *,
        user: str = "",
        project: str = "",
        guard: Guard | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.providers = providers
        self.settings = {name: settings.providers[name] for name in providers}
        self.ledger, self.user, self.project = ledger, user, project
        self.guard: Guard = guard or (lambda request, _: request)
        self.clock, self.sleep = clock, sleep
        self.breakers = {
            name: Breaker(s.breaker.failure_threshold, s.breaker.cool_down, clock)
            for name, s in self.settings.items()
        }
        self.buckets = {
            name: TokenBucket(s.rate_limit.requests_per_minute / 60, s.rate_limit.burst, clock)
            for name, s in self.settings.items()
            if s.rate_limit is not None
        }
        # Providers answering 429, and when they may be asked again (clock seconds).
        self.cooling: dict[str, float] = {}
        self.spent: dict[str, float] = dict.fromkeys(providers, 0.0)

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse:
        """The first successful answer among the candidates for ``request.capability``.

        Raises:
            NoProvider: every candidate failed or was skipped (``failures`` says why).
        """
        failures: list[ProviderError] = []
        queue = self.candidates(request.capability)
        if not queue:
            raise NoProvider(f"no enabled provider offers {request.capability!r}")
        tried: set[str] = set()
        while queue:
            name = queue.pop(0)
            if name in tried:
                continue
            tried.add(name)
            try:
                return await self._call(name, request, on_text, last=not queue)
            except ProviderError as error:
                failures.append(error)
                fallbacks = [
                    f
                    for f in self.settings[name].fallback_providers
                    if f in self.providers and f not in tried
                ]
                queue = fallbacks + [q for q in queue if q not in fallbacks]
        reasons = "; ".join(str(f) for f in failures)
        raise NoProvider(f"every provider failed: {reasons}", tuple(failures))

    def candidates(self, capability: str) -> list[str]:
        """Providers offering ``capability``, by priority then name."""
        fit = [n for n, s in self.settings.items() if capability in s.capabilities]
        return sorted(fit, key=lambda n: (self.settings[n].priority, n))

    async def aclose(self) -> None:
        """Close the providers' HTTP connections."""
        for provider in self.providers.values():
            close = getattr(provider, "aclose", None)
            if close is not None:
                await close()

    def status(self) -> list[dict[str, Any]]:
        """Each provider's breaker, failures and spend, for ``accord.agents.status``."""
        return [
            {
                "name": name,
                "kind": self.settings[name].kind,
                "state": self.breakers[name].state.value,
                "failures": self.breakers[name].failures,
                "cost_usd": round(self.spent[name], 6),
            }
            for name in self.providers
        ]

    async def _call(
        self, name: str, request: ProviderRequest, on_text: OnText | None, last: bool
    ) -> ProviderResponse:
        try:
            guarded = self.guard(request, self.settings[name])
        except EgressDenied as error:
            raise ProviderError(name, f"not sent: {error}") from error
        self._admit(name)
        breaker = self.breakers[name]
        try:
            response = await self._ask(name, guarded, on_text, last)
        except ProviderError:
            breaker.failed()
            raise
        breaker.succeeded()
        self._record(response)
        return response

    async def _ask(
        self, name: str, request: ProviderRequest, on_text: OnText | None, last: bool
    ) -> ProviderResponse:
        try:
            return await self.providers[name].complete(request, on_text)
        except RateLimited as error:
            wait = error.retry_after
            self.cooling[name] = self.clock() + (wait or 0.0)
            if not last or wait is None or wait > MAX_RETRY_AFTER:
                raise
            await self.sleep(wait)
            return await self.providers[name].complete(request, on_text)

    def _admit(self, name: str) -> None:
        if not self.breakers[name].allow():
            raise CircuitOpen(name, f"circuit open after {self.breakers[name].failures} failures")
        until = self.cooling.get(name, 0.0)
        if until > self.clock():
            raise RateLimited(name, "cooling down after a 429", until - self.clock())
        bucket = self.buckets.get(name)
        if bucket is not None and (wait := bucket.take()) > 0:
            raise RateLimited(name, f"rate limit reached; next call in {wait:.1f} s", wait)

    def _record(self, response: ProviderResponse) -> None:
        self.spent[response.provider] = self.spent.get(response.provider, 0.0) + response.cost_usd
        count(response)
        if self.ledger is not None:
            self.ledger.record(self.user, self.project, response)
