"""Plain HTTP to the org server: its probes and /metrics."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request


def http_get(url: str) -> tuple[int, list[str], str]:
    """Status, Content-Type headers and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            kinds = response.headers.get_all("Content-Type") or []
            return response.status, kinds, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Content-Type") or [], error.read().decode()


def metric_samples(text: str) -> dict[str, float]:
    """The exposition's samples: ``name{labels}`` → value."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


async def scraped(port: int) -> dict[str, float]:
    """The samples the org server on ``port`` exposes at /metrics now."""
    status, _, text = await asyncio.to_thread(http_get, f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    return metric_samples(text)
