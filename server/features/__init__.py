"""LSP features, one module each, set up in order by ``accord.server.app``.

A handler that fails is logged with its feature's name and the server keeps going: a
notification is dropped, a request answers with the feature's fallback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

__all__ = ["guarded"]

logger = logging.getLogger("accord.server")

P = ParamSpec("P")
R = TypeVar("R")


def guarded(
    feature: str, fallback: Callable[[], Any] = lambda: None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Log a failing handler as ``Error in '<feature>.<handler>'`` and return ``fallback()``."""

    def decorate(handler: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(handler)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return handler(*args, **kwargs)
            except Exception:
                logger.exception("Error in '%s.%s' handler", feature, handler.__name__)
                result: R = fallback()
                return result

        return run

    return decorate
