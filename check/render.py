"""The output formats by name."""

from __future__ import annotations

from collections.abc import Callable

from . import json_, sarif, text
from .model import CheckReport

__all__ = ["FORMATS", "render"]

FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "text": text.render,
    "json": json_.render,
    "sarif": sarif.render,
}


def render(report: CheckReport, format_: str) -> str:
    """``report`` in the format named ``format_`` (one of ``FORMATS``)."""
    return FORMATS[format_](report)
