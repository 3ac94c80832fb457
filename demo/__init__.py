"""``accord demo``: Accord's main job, end to end, on the embedded default (no key, no network)."""

from .story import run_demo

__all__ = ["run_demo"]
