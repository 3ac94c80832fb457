"""LSP features, one module each, set up in order by ``accord.server.app``.

A handler that fails is logged with its feature's name and the server keeps going: a
notification is dropped, a request answers with the feature's fallback, or, for a command with
no fallback, with an InternalError naming the handler. JSON-RPC errors a handler raises on
purpose (InvalidParams…) are the answer and pass through. Each feature keeps its own state in a
dataclass of its module (:func:`state_of`), not on the server object.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from pygls.exceptions import JsonRpcException, JsonRpcInternalError

if TYPE_CHECKING:
    from ..app import AccordServer

__all__ = ["RAISE", "guarded", "state_of"]

logger = logging.getLogger("accord.server")

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


def _raise() -> Any:
    raise AssertionError("RAISE is a marker, never called")


# The fallback of a request that should fail loudly: an InternalError naming the handler.
RAISE: Callable[[], Any] = _raise


def guarded(
    feature: str, fallback: Callable[[], Any] = lambda: None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Log a failing handler (sync or async) as ``Error in '<feature>.<handler>'`` and answer
    ``fallback()``, or an InternalError with ``fallback=RAISE``."""

    def decorate(handler: Callable[P, R]) -> Callable[P, R]:
        name = f"{feature}.{handler.__name__}"

        def failed(error: Exception) -> Any:
            logger.exception("Error in '%s' handler", name)
            if fallback is RAISE:
                raise JsonRpcInternalError(message=f"Accord: {name} failed: {error}") from error
            return fallback()

        if inspect.iscoroutinefunction(handler):
            call = cast("Callable[P, Awaitable[Any]]", handler)

            @functools.wraps(handler)
            async def run_async(*args: P.args, **kwargs: P.kwargs) -> Any:
                try:
                    return await call(*args, **kwargs)
                except JsonRpcException:
                    raise
                except Exception as error:
                    return failed(error)

            return cast("Callable[P, R]", run_async)

        @functools.wraps(handler)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return handler(*args, **kwargs)
            except JsonRpcException:
                raise
            except Exception as error:
                result: R = failed(error)
                return result

        return run

    return decorate


def state_of(server: AccordServer, kind: type[S]) -> S:
    """The state that a feature keeps in a ``kind`` (a dataclass of defaults) for ``server``,
    made on first use."""
    states: dict[type[Any], Any] = server.feature_states
    if kind not in states:
        states[kind] = kind()
    return cast(S, states[kind])
