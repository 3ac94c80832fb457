"""Document on real documented functions: how much of each existing docstring survives, and how
long one action takes.

The functions come from modules nobody here wrote, chosen to vary in docstring style: plain prose
(``textwrap``, ``shlex``, ``os.path``), prose with doctests (``statistics``, ``fractions``,
``difflib``), Google style (``websockets``), NumPy style (``pytest_lsp``, ``tqdm``) and reST fields
(``jinja2``). Each module is copied to a temporary project; every function of ``--per-module``
with a docstring gets one Document action through the orchestrator with the offline ``local``
provider, checks included (the code path the editor runs). Reported:

- preserved-line ratio: the original docstring lines (as written, line by line, in order) found
  in the docstring after the edit, over all original lines (goal 100%);
- how many actions completed a docstring and how many proposed no edit (nothing missing);
- time per action, p50 and p95, wall clock around ``Orchestrator.run`` (goal p50 < 3 s).

    python benchmarks/document_preservation.py [--per-module 4]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from accord.agents.actions.apply import apply_edits
from accord.agents.orchestrator import Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import ContextItem
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.config import Settings
from accord.protocol import AgentActionEnvelope, Range

MODULES = [
    "textwrap",
    "shlex",
    "posixpath",
    "statistics",
    "fractions",
    "difflib",
    "functools",
    "shutil",
    "websockets.asyncio.client",
    "pytest_lsp.client",
    "tqdm.contrib",
    "jinja2.filters",
]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One action: the original docstring's line count, how many survived, the edit, the time."""

    function: str
    lines: int
    kept: int
    edited: bool
    seconds: float


async def _no_context(task: Task) -> tuple[ContextItem, ...]:
    return ()


def _functions(path: Path, limit: int) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found = [
        node
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and ast.get_docstring(node)
    ]
    return found[:limit]


def _docstring(text: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    for found in ast.walk(ast.parse(text)):
        same = isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef)
        if same and found.name == node.name and found.lineno == node.lineno:
            return (ast.get_docstring(found, clean=False) or "").split("\n")
    return []


def _kept(before: list[str], after: list[str]) -> int:
    kept, position = 0, 0
    for line in before:
        if line in after[position:]:
            position = after.index(line, position) + 1
            kept += 1
    return kept


async def _one(
    runner: Orchestrator, path: Path, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> Outcome:
    text = path.read_text("utf-8")
    at = Range.of(node.lineno - 1, node.col_offset, node.lineno - 1, node.col_offset)
    target = Target(
        path=str(path),
        language="python",
        source=text,
        range=at,
        kind=TargetKind.FUNCTION,
        symbol=node.name,
    )
    task = Task(kind=ActionKind.DOCUMENT, target=target, root=str(path.parent))
    steps: list[AgentActionEnvelope] = []
    started = time.perf_counter()
    proposal = await runner.run(task, steps.append)
    seconds = time.perf_counter() - started
    before = _docstring(text, node)
    edits = [edit for file in proposal.files for edit in file.edits]
    after = _docstring(apply_edits(text, edits), node) if edits else before
    return Outcome(
        f"{path.parent.name}:{node.name}", len(before), _kept(before, after), bool(edits), seconds
    )


async def measure(per_module: int, root: Path) -> list[Outcome]:
    settings = Settings()
    gateway = build_gateway(settings, root, "bench")
    runner = Orchestrator(
        AgentRegistry.load(), AgentPool(settings.agents), gateway, _no_context, settings.agents
    )
    outcomes = []
    try:
        for module in MODULES:
            try:
                origin = importlib.import_module(module).__file__
            except ImportError:
                origin = None
            if origin is None:
                print(f"  {module}: not installed, skipped")
                continue
            folder = root / module.replace(".", "_")
            folder.mkdir()
            path = folder / Path(origin).name
            shutil.copyfile(origin, path)
            for node in _functions(path, per_module):
                outcomes.append(await _one(runner, path, node))
    finally:
        await gateway.aclose()
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    lines = sum(o.lines for o in outcomes)
    kept = sum(o.kept for o in outcomes)
    times = sorted(o.seconds for o in outcomes)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"functions: {len(outcomes)} from {len({o.function.split(':')[0] for o in outcomes})} modules"
    )
    print(
        f"completed: {sum(o.edited for o in outcomes)}, nothing missing (no edit): "
        f"{sum(not o.edited for o in outcomes)}"
    )
    print(f"preserved-line ratio: {kept}/{lines} = {kept / lines:.1%} (goal 100%)")
    print(
        f"time per action: p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms (goal p50 < 3 s)"
    )
    lost = [o for o in outcomes if o.kept < o.lines]
    for outcome in lost:
        print(f"  lost lines in {outcome.function}: {outcome.lines - outcome.kept}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-module", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-docbench-") as folder:
        report(asyncio.run(measure(options.per_module, Path(folder))))


if __name__ == "__main__":
    main()
