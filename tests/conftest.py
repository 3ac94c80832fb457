"""Hooks for the whole suite: a skip is a failure when ``ACCORD_REQUIRE_SERVICES=1``."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from tests.requirements import OPTIONAL, REQUIRED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[Any]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (REQUIRED and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if reason.removeprefix("Skipped: ").startswith(OPTIONAL):
        return
    report.outcome = "failed"
    report.longrepr = f"ACCORD_REQUIRE_SERVICES=1, yet the test was skipped: {reason}"
