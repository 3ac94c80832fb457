"""The tools a model may call while working on an Ask task, each confined to the workspace.

``read_file``, ``list_files``, ``search_symbols`` and ``run_tests`` look at the project;
``propose`` ends the task with edits (checked by the tool loop, not here). Every path is
resolved against the project root: one outside it (``..``, an absolute path elsewhere, a link
leading out) is refused, and so is a file the data guard keeps from this provider (``refuse``:
ignored, credentials, ``never-send``, or classed above what the provider may see). A refusal is
a tool result the model reads (``is_error``), and every call, refused or not, is recorded by
``record`` (the audit log).
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.agents.context.symbols import SymbolMap
from accord.agents.providers.types import ToolCall, ToolResult, ToolSpec
from accord.check.discovery import discover
from accord.config import Settings

__all__ = ["PROPOSE", "SPECS", "ToolBox"]

PROPOSE = "propose"
# Characters of a file, listing or test output handed back to the model at most.
MAX_RESULT = 60_000
MAX_LISTED = 400
MAX_SYMBOLS = 60
TEST_TIMEOUT = 120.0

_PATH = {"type": "string", "description": "A path relative to the project root."}
SPECS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="read_file",
        description="Read a file of the project (its whole text, or lines start..end, 1-based).",
        parameters={
            "type": "object",
            "properties": {
                "path": _PATH,
                "start_line": {"type": "integer"},
                "end_line": {"type": "integer"},
            },
            "required": ["path"],
        },
    ),
    ToolSpec(
        name="list_files",
        description="List the project's source files, optionally under a folder or matching a "
        "glob such as '*.py'.",
        parameters={
            "type": "object",
            "properties": {"folder": _PATH, "pattern": {"type": "string"}},
        },
    ),
    ToolSpec(
        name="search_symbols",
        description="Find definitions (functions, classes, methods) whose name contains the "
        "query, with their file, line and signature.",
        parameters={
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
        },
    ),
    ToolSpec(
        name="run_tests",
        description="Run the project's tests with pytest (all, or one file or folder); returns "
        "the exit status and the end of the output.",
        parameters={"type": "object", "properties": {"path": _PATH}},
    ),
    ToolSpec(
        name=PROPOSE,
        description="Finish: propose the change. Each edit replaces the exact text `old` (which "
        "must occur once in the file) with `new`. Only the files in scope may change.",
        parameters={
            "type": "object",
            "properties": {
                "rationale": {"type": "string"},
                "edits": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "path": _PATH,
                            "old": {"type": "string"},
                            "new": {"type": "string"},
                        },
                        "required": ["path", "old", "new"],
                    },
                },
            },
            "required": ["rationale", "edits"],
        },
    ),
)
_NAMES = {spec.name for spec in SPECS}

# Why a file may not be shown to the model (None when it may).
Refuse = Callable[[Path], "str | None"]
# Records one tool call: its name, its arguments, and the outcome.
Record = Callable[[str, dict[str, Any], dict[str, Any]], None]


class _Refused(Exception):
    """A tool call the workspace does not allow; its message goes back to the model."""


@dataclass
class ToolBox:
    """The workspace side of the tools: runs a call, returns its result, records it."""

    root: Path
    settings: Settings
    refuse: Refuse
    record: Record
    # The interpreter that runs the project's tests.
    python: str = field(default_factory=lambda: sys.executable)
    _symbols: SymbolMap | None = None

    def run(self, call: ToolCall) -> ToolResult:
        """The result of ``call`` (never raises: failures and refusals are results)."""
        try:
            content = self._dispatch(call)
            outcome: dict[str, Any] = {"ok": True, "chars": len(content)}
            result = ToolResult(call_id=call.id, content=content[:MAX_RESULT])
        except _Refused as refusal:
            outcome = {"ok": False, "refused": str(refusal)}
            result = ToolResult(call_id=call.id, content=f"refused: {refusal}", is_error=True)
        except (OSError, ValueError, TypeError) as error:
            outcome = {"ok": False, "error": str(error)}
            result = ToolResult(call_id=call.id, content=f"failed: {error}", is_error=True)
        self.record(call.name, _loggable(call.arguments), outcome)
        return result

    def inside(self, path: object) -> Path:
        """``path`` (relative to the root, or absolute) as an absolute path in the workspace.

        Raises:
            _Refused: it is not a string, lies outside the workspace, or may not be shown.
        """
        if not isinstance(path, str) or not path:
            raise _Refused("a path (a string relative to the project root) is needed")
        root = self.root.resolve()
        absolute = (self.root / path).resolve()
        if absolute != root and not absolute.is_relative_to(root):
            raise _Refused(f"{path} is outside the workspace")
        if reason := self.refuse(self.root / path):
            raise _Refused(reason)
        return absolute

    def _dispatch(self, call: ToolCall) -> str:
        arguments = call.arguments
        if "_unreadable" in arguments:
            raise _Refused(f"the arguments are not a JSON object: {arguments['_unreadable']!r}")
        if call.name not in _NAMES or call.name == PROPOSE:
            raise _Refused(f"there is no tool {call.name!r}; the tools are {sorted(_NAMES)}")
        return getattr(self, f"_{call.name}")(**arguments)  # type: ignore[no-any-return]

    def _read_file(
        self, path: str, start_line: int | None = None, end_line: int | None = None
    ) -> str:
        text = self.inside(path).read_text("utf-8")
        if start_line is None and end_line is None:
            return text
        lines = text.split("\n")
        return "\n".join(lines[max((start_line or 1) - 1, 0) : end_line or len(lines)])

    def _list_files(self, folder: str = ".", pattern: str = "*") -> str:
        base = self.inside(folder)
        files, _ = discover([base], self.root.resolve(), self.settings)
        listed = [
            f.rel
            for f in files
            if fnmatch.fnmatch(Path(f.rel).name, pattern) and not self.refuse(self.root / f.rel)
        ]
        more = f"\n… and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else ""
        return "\n".join(listed[:MAX_LISTED]) + more or "(no source files)"

    def _search_symbols(self, query: str) -> str:
        if self._symbols is None:
            self._symbols = SymbolMap(self.root.resolve(), self.settings)
            self._symbols.build()
        found = [
            f"{rel}:{d.start_line} {d.kind} {d.name} — {d.signature.strip()}"
            for rel, symbols in sorted(self._symbols.files.items())
            if not self.refuse(self.root / rel)
            for d in symbols.definitions
            if query.lower() in d.name.lower()
        ]
        return "\n".join(found[:MAX_SYMBOLS]) or f"no definition matches {query!r}"

    def _run_tests(self, path: str = ".") -> str:
        target = self.inside(path)
        command = [self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(target)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        try:
            done = subprocess.run(
                command,
                cwd=self.root,
                capture_output=True,
                text=True,
                timeout=TEST_TIMEOUT,
                env=env,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return f"the tests did not finish within {TEST_TIMEOUT:g} s"
        output = (done.stdout + done.stderr)[-4000:]
        return f"exit status {done.returncode}\n{output}"


def _loggable(arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments as the audit keeps them: short values whole, long ones by length."""
    return {
        key: value if not isinstance(value, str) or len(value) <= 200 else f"<{len(value)} chars>"
        for key, value in arguments.items()
        if key != "edits"
    }
