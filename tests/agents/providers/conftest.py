"""Provider tests talk to fake servers over real HTTP; keys come from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .fakes import KEY, FakeProvider, fake_provider

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_KEY", KEY)


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def second() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server
