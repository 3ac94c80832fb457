"""What the tests need from the machine, and what a missing piece means.

A test that needs a service, an editor or a compiler the machine lacks is skipped with the reason
(``pytest -rs`` lists them). With ``ACCORD_REQUIRE_SERVICES=1`` (set by ``.ci/run``) every such
skip is a failure instead, so a green CI run proves that PostgreSQL, Redis, the editors and the
compilers were really there. Only skips made through :func:`optional` (data a machine may lack
by nature, such as a corpus of another language's sources) stay skips.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

__all__ = ["OPTIONAL", "REQUIRED", "optional"]

REQUIRED = os.environ.get("ACCORD_REQUIRE_SERVICES") == "1"
# The prefix of the reason of a skip that stays a skip when REQUIRED.
OPTIONAL = "optional: "


def optional(reason: str) -> NoReturn:
    """Skip the test for data this machine may lack by nature, even when services are required."""
    pytest.skip(OPTIONAL + reason)
