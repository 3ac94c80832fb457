"""The gateway with the real anthropic and litellm clients against fake servers on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from accord.agents.exceptions import (
    EgressDenied,
    MalformedResponse,
    NoProvider,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
)
from accord.agents.providers.gateway import Gateway, build_gateway
from accord.agents.providers.ledger import Ledger
from accord.agents.providers.types import Message, ProviderRequest
from accord.config import ProviderSettings, Settings, resolve

from .fakes import Behaviour, FakeProvider

# LiteLLM caches its HTTP clients per event loop: one loop for the module keeps them valid.
pytestmark = pytest.mark.asyncio(loop_scope="module")

REQUEST = ProviderRequest(
    capability="code_generation",
    system="Be brief.",
    messages=(Message(role="user", content="Say hello."),),
)


def settings_for(**providers: dict[str, Any]) -> Settings:
    loaded = resolve([("test", {"providers": providers})])
    assert not loaded.errors, loaded.errors
    return loaded.settings


def anthropic(fake: FakeProvider, priority: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "anthropic",
        "model": "claude-fake",
        "base-url": fake.url,
        "api-key-env": "FAKE_KEY",
        "priority": priority,
        "timeout": 2.0,
        **extra,
    }


def litellm(fake: FakeProvider, priority: int = 2, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "litellm",
        "model": "openai/fake-model",
        "base-url": f"{fake.url}/v1",
        "api-key-env": "FAKE_KEY",
        "priority": priority,
        "timeout": 2.0,
        **extra,
    }


OPEN: list[Gateway] = []


@pytest.fixture(autouse=True)
async def close_gateways() -> AsyncIterator[None]:
    yield
    while OPEN:
        await OPEN.pop().aclose()


def gateway(tmp_path: Path, settings: Settings, **options: Any) -> Gateway:
    built = build_gateway(settings, tmp_path, "ada")
    for name, value in options.items():
        setattr(built, name, value)
    OPEN.append(built)
    return built


def state(built: Gateway, name: str) -> str:
    return next(str(p["state"]) for p in built.status() if p["name"] == name)


async def test_anthropic_answers_and_cost_is_recorded(tmp_path: Path, fake: FakeProvider) -> None:
    settings = settings_for(
        claude=anthropic(fake, **{"input-cost-per-mtok": 3.0, "output-cost-per-mtok": 15.0})
    )

    response = await gateway(tmp_path, settings).complete(REQUEST)

    assert (response.text, response.provider) == ("Hello from the fake.", "claude")
    assert (response.usage.input_tokens, response.usage.output_tokens) == (11, 7)
    assert response.cost_usd == pytest.approx((11 * 3 + 7 * 15) / 1e6)
    [seen] = fake.requests
    assert seen.path == "/v1/messages" and seen.headers["authorization"] == "Bearer test-key"
    assert seen.body["system"] == "Be brief."
    ledger = Ledger(tmp_path / ".accord" / "accord.db")
    assert ledger.totals("provider")["claude"] == (11, 7, pytest.approx(response.cost_usd))
    assert ledger.totals("user") == {"ada": (11, 7, pytest.approx(response.cost_usd))}


async def test_anthropic_streams(tmp_path: Path, fake: FakeProvider) -> None:
    pieces: list[str] = []
    request = REQUEST.model_copy(update={"stream": True})

    response = await gateway(tmp_path, settings_for(claude=anthropic(fake))).complete(
        request, pieces.append
    )

    assert len(pieces) == 4 and "".join(pieces) == response.text == "Hello from the fake."
    assert response.usage.output_tokens == 7


async def test_litellm_answers_and_streams(tmp_path: Path, fake: FakeProvider) -> None:
    built = gateway(tmp_path, settings_for(router=litellm(fake)))
    pieces: list[str] = []

    plain = await built.complete(REQUEST)
    streamed = await built.complete(REQUEST.model_copy(update={"stream": True}), pieces.append)

    assert plain.text == "Hello from the fake." and plain.usage.input_tokens == 11
    assert "".join(pieces).strip() == streamed.text.strip() == "Hello from the fake."
    assert streamed.usage.output_tokens == 7
    assert all(r.path == "/v1/chat/completions" for r in fake.requests)
    assert fake.requests[0].headers["authorization"] == "Bearer test-key"


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [
        (Behaviour("status", status=429, headers=(("retry-after", "7"),)), RateLimited),
        (Behaviour("status", status=500), ProviderUnavailable),
        (Behaviour("stall", seconds=5), ProviderTimeout),
        (Behaviour("malformed"), MalformedResponse),
    ],
)
async def test_failover_to_the_next_provider(
    tmp_path: Path,
    fake: FakeProvider,
    second: FakeProvider,
    behaviour: Behaviour,
    error: type[Exception],
) -> None:
    fake.then(behaviour)
    second.then(Behaviour(text="From the fallback."))
    settings = settings_for(claude=anthropic(fake, timeout=0.5), router=litellm(second))
    built = gateway(tmp_path, settings)
    failures: list[Exception] = []
    original = built._ask

    async def recording(*args: Any) -> Any:
        try:
            return await original(*args)
        except Exception as caught:
            failures.append(caught)
            raise

    built._ask = recording  # type: ignore[method-assign]

    response = await built.complete(REQUEST)

    assert (response.text, response.provider) == ("From the fallback.", "router")
    assert [type(f) for f in failures] == [error]
    if error is RateLimited:
        assert failures[0].retry_after == 7.0  # type: ignore[attr-defined]
        assert built.cooling["claude"] > built.clock()


async def test_fallback_providers_come_before_priority(
    tmp_path: Path, fake: FakeProvider, second: FakeProvider
) -> None:
    with __import__(
        "tests.agents.providers.fakes", fromlist=["fake_provider"]
    ).fake_provider() as third:
        fake.then(Behaviour("status", status=500))
        settings = settings_for(
            claude=anthropic(fake, 1, **{"fallback-providers": ["backup"]}),
            router=litellm(second, 2),
            backup=anthropic(third, 3),
        )
        response = await gateway(tmp_path, settings).complete(REQUEST)
    assert response.provider == "backup" and second.requests == []


async def test_breaker_opens_then_half_opens(
    tmp_path: Path, fake: FakeProvider, second: FakeProvider
) -> None:
    now = [0.0]
    settings = settings_for(
        claude=anthropic(fake, breaker={"failure-threshold": 2, "cool-down": 30}),
        router=litellm(second),
    )
    built = gateway(tmp_path, settings)
    built = Gateway(built.providers, settings, clock=lambda: now[0])
    fake.then(*[Behaviour("status", status=500)] * 2)

    for _ in range(3):
        assert (await built.complete(REQUEST)).provider == "router"
    assert len(fake.requests) == 2  # the third call skipped the open breaker
    assert state(built, "claude") == "open"

    now[0] = 31.0  # half-open: one trial goes through, and its success closes the breaker
    assert (await built.complete(REQUEST)).provider == "claude"
    assert state(built, "claude") == "closed"


async def test_no_provider_lists_every_failure(
    tmp_path: Path, fake: FakeProvider, second: FakeProvider
) -> None:
    fake.then(Behaviour("status", status=500))
    second.then(Behaviour("status", status=503))
    settings = settings_for(
        claude=anthropic(fake), router=litellm(second), local={"kind": "local", "enabled": False}
    )

    with pytest.raises(NoProvider) as raised:
        await gateway(tmp_path, settings).complete(REQUEST)

    assert [f.provider for f in raised.value.failures] == ["claude", "router"]


async def test_429_from_the_last_provider_is_waited_out_once(
    tmp_path: Path, fake: FakeProvider
) -> None:
    fake.then(Behaviour("status", status=429, headers=(("retry-after", "2"),)))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    settings = settings_for(claude=anthropic(fake), local={"kind": "local", "enabled": False})
    response = await gateway(tmp_path, settings, sleep=sleep).complete(REQUEST)

    assert response.provider == "claude" and waits == [2.0] and len(fake.requests) == 2


async def test_cancelling_closes_the_http_request(tmp_path: Path, fake: FakeProvider) -> None:
    fake.then(Behaviour("stall", seconds=10))
    call = asyncio.ensure_future(
        gateway(tmp_path, settings_for(claude=anthropic(fake, timeout=20))).complete(REQUEST)
    )
    while not fake.requests:
        await asyncio.sleep(0.01)

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    for _ in range(100):
        if fake.disconnects:
            break
        await asyncio.sleep(0.02)
    assert fake.disconnects == 1


async def test_the_guard_runs_before_each_provider(
    tmp_path: Path, fake: FakeProvider, second: FakeProvider
) -> None:
    def guard(request: ProviderRequest, provider: ProviderSettings) -> ProviderRequest:
        if provider.kind == "anthropic":
            raise EgressDenied("confidential file")
        return request.model_copy(update={"system": "guarded"})

    settings = settings_for(claude=anthropic(fake), router=litellm(second))
    built = gateway(tmp_path, settings, guard=guard)

    response = await built.complete(REQUEST)

    assert response.provider == "router" and fake.requests == []
    assert second.requests[0].body["messages"][0] == {"role": "system", "content": "guarded"}


async def test_a_missing_key_names_the_variable(
    tmp_path: Path, fake: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKE_KEY")
    settings = settings_for(claude=anthropic(fake), local={"kind": "local", "enabled": False})
    with pytest.raises(NoProvider, match="set the environment variable FAKE_KEY"):
        await gateway(tmp_path, settings).complete(REQUEST)
