from __future__ import annotations

from collections.abc import Iterator

import pytest

from .idp import Provider


@pytest.fixture
def idp() -> Iterator[Provider]:
    """A real OIDC provider on 127.0.0.1 (Authlib's authorization server)."""
    provider = Provider()
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
