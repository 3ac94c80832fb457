"""The script Accord runs in the project's own interpreter, in a sandboxed subprocess.

It imports nothing from Accord (the project's Python may lack it) and reads one JSON request
from the file named on its command line; it writes one JSON object per line to the request's
``results`` file, flushed as it goes, so a run killed halfway still reports what it finished.

Modes:

- ``record``: run each call (imports, setup statements, an expression) and record what it
  returned (when the value's ``repr`` reads back as an equal literal), what it raised, and the
  final value of the watched variables it changed.
- ``tests``: run the tests of a test file against the module, then against each mutant of the
  module's source, reporting per test whether it passed; on the unchanged module it also reports
  the lines of ``cover`` that ran.

Every call and test runs under an alarm (a call that hangs is stopped and reported as such) and
with process creation disabled (a call that forks or spawns is stopped and reported).
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import inspect
import json
import os
import signal
import subprocess
import sys
import types
import unittest
from collections.abc import Callable
from typing import Any

_CANDIDATE = "accord_candidate_tests"
_MAX_REPR = 400


class _Stopped(BaseException):
    """Raised into code under test that hung or tried to create a process."""


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    sys.path.insert(0, request.get("import_root", "."))
    out = open(request["results"], "a", encoding="utf-8")

    def emit(item: dict[str, Any]) -> None:
        out.write(json.dumps(item) + "\n")
        out.flush()

    preload = request.get("preload")
    if preload:
        module = _module_from(preload["module"], preload["path"], preload["source"])
        if module is not None:
            _install(preload["module"], module)
    _forbid_processes()
    signal.signal(signal.SIGALRM, _on_alarm)
    timeout = float(request.get("timeout", 2.0))
    if request["mode"] == "record":
        for call in request["calls"]:
            emit(_record(call, timeout))
    else:
        _run_tests(request, timeout, emit)
    out.close()


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Stopped("hangs")


def _forbid_processes() -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise _Stopped("forks")

    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system", "popen"):
        if hasattr(os, name):
            setattr(os, name, forbidden)
    for name in ("execv", "execve", "execvp", "execvpe", "execl", "execlp"):
        if hasattr(os, name):
            setattr(os, name, forbidden)
    subprocess.Popen.__init__ = forbidden  # type: ignore[method-assign]


def _limited(function: Callable[[], Any], timeout: float) -> Any:
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _record(call: dict[str, Any], timeout: float) -> dict[str, Any]:
    result: dict[str, Any] = {"id": call["id"]}
    namespace: dict[str, Any] = {"__name__": "accord_record"}
    try:
        _limited(lambda: exec("\n".join(call["imports"] + call["setup"]), namespace), timeout)
    except _Stopped as stop:
        return {**result, "outcome": "dropped", "why": str(stop)}
    except BaseException as error:
        return {**result, "outcome": "dropped", "why": f"setup: {_describe(error)}"}
    watched = {}
    for name in call.get("watch", []):
        try:
            watched[name] = copy.deepcopy(namespace.get(name))
        except Exception:
            continue
    try:
        value = _limited(lambda: eval(call["expr"], namespace), timeout)
    except _Stopped as stop:
        return {**result, "outcome": "dropped", "why": str(stop)}
    except BaseException as error:
        kind = type(error)
        return {
            **result,
            "outcome": "raises",
            "module": kind.__module__,
            "name": kind.__qualname__,
            "message": str(error)[:_MAX_REPR],
        }
    changed = {}
    for name, before in watched.items():
        after = namespace.get(name)
        text = _literal_repr(after)
        if after != before and text is not None:
            changed[name] = text
    return {
        **result,
        "outcome": "returns",
        "repr": _literal_repr(value),
        "none": value is None,
        "changed": changed,
    }


def _literal_repr(value: Any) -> str | None:
    """``repr(value)`` when it reads back as an equal literal and is short, else None."""
    try:
        text = repr(value)
        if len(text) > _MAX_REPR or ast.literal_eval(text) != value:
            return None
    except Exception:
        return None
    return text


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _run_tests(
    request: dict[str, Any], timeout: float, emit: Callable[[dict[str, Any]], None]
) -> None:
    module, path = request.get("module"), request.get("path", "")
    try:
        original = importlib.import_module(module) if module else None
    except BaseException as error:
        emit({"run": "original", "error": f"the module does not import: {_describe(error)}"})
        return
    first, last = request.get("cover") or (0, 0)
    lines: list[int] = []
    tests = _collect(request["file"])
    if isinstance(tests, str):
        emit({"run": "original", "error": tests})
        return
    for name, test in _with_trace(path, first, last, lines, lambda: _run_all(tests, timeout)):
        emit({"run": "original", "test": name, **test})
    emit({"covered": sorted(set(lines))})
    for number, source in enumerate(request.get("mutants", [])):
        if module is None or original is None:
            break
        mutant = _module_from(module, path, source)
        if mutant is None:
            continue
        _install(module, mutant)
        fresh = _collect(request["file"])
        for name, test in _run_all(fresh if isinstance(fresh, list) else [], timeout):
            emit({"run": number, "test": name, **test})
        _install(module, original)


def _with_trace(path: str, first: int, last: int, lines: list[int], body: Callable[[], Any]) -> Any:
    def local(frame: types.FrameType, event: str, arg: Any) -> Any:
        if event == "line" and first <= frame.f_lineno <= last:
            lines.append(frame.f_lineno)
        return local

    def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == path else None

    sys.settrace(tracer)
    try:
        return body()
    finally:
        sys.settrace(None)


def _module_from(name: str, path: str, source: str) -> types.ModuleType | None:
    parent = name.rpartition(".")[0]
    try:
        if parent:
            importlib.import_module(parent)
    except BaseException:
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        exec(compile(source, path, "exec"), module.__dict__)
    except BaseException:
        return None
    return module


def _install(name: str, module: types.ModuleType) -> None:
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, module)


Test = tuple[str, Callable[[], None]]


def _collect(path: str) -> list[Test] | str:
    """The tests of the file at ``path``, freshly imported; why not, when it does not import."""
    sys.modules.pop(_CANDIDATE, None)
    spec = importlib.util.spec_from_file_location(_CANDIDATE, path)
    if spec is None or spec.loader is None:
        return "the test file cannot be loaded"
    module = importlib.util.module_from_spec(spec)
    sys.modules[_CANDIDATE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as error:
        return f"the test file does not import: {_describe(error)}"
    tests: list[Test] = []
    for name, item in vars(module).items():
        if name.startswith("test") and inspect.isfunction(item):
            tests.append((name, item))
        elif inspect.isclass(item) and issubclass(item, unittest.TestCase):
            tests += [(f"{name}.{m}", _case(item, m)) for m in _methods(item)]
        elif inspect.isclass(item) and name.startswith("Test"):
            tests += [(f"{name}.{m}", getattr(item(), m)) for m in _methods(item)]
    return tests


def _methods(cls: type) -> list[str]:
    return [m for m in vars(cls) if m.startswith("test") and callable(getattr(cls, m))]


def _case(cls: Any, method: str) -> Callable[[], None]:
    def run() -> None:
        result = unittest.TestResult()
        cls(method).run(result)
        problems = result.errors + result.failures
        if problems:
            raise AssertionError(problems[0][1].strip().splitlines()[-1])

    return run


def _run_all(tests: list[Test], timeout: float) -> list[tuple[str, dict[str, Any]]]:
    results = []
    for name, test in tests:
        if _required_parameters(test):
            results.append((name, {"ok": False, "why": "needs fixtures the harness cannot give"}))
            continue
        try:
            _limited(test, timeout)
            results.append((name, {"ok": True}))
        except _Stopped as stop:
            results.append((name, {"ok": False, "why": str(stop)}))
        except BaseException as error:
            results.append((name, {"ok": False, "why": _describe(error)}))
    return results


def _required_parameters(test: Callable[[], None]) -> bool:
    try:
        parameters = inspect.signature(test).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in parameters
    )


if __name__ == "__main__":
    main()
