"""Offline Python tests: candidate calls, recorded in the sandbox, rendered as assertions.

The calls come from ``python_examples`` (doctests, call sites, hints and defaults); the
project's own interpreter runs them (``python_runner.record``); ``characterise`` turns what they
did into tests. When no call yields a test, ``ActionFailed`` says why in one line.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from accord.agents.exceptions import ActionFailed

from .call_sites import call_sites
from .characterise import Case, cases_from, render
from .environment import PythonEnv
from .python_examples import Target, calls_for
from .python_runner import Recorded, Subject, record

__all__ = ["definition_at", "python_tests"]


def python_tests(
    source: str, line: int, module: str, path: Path, root: Path, env: PythonEnv
) -> tuple[str, str]:
    """The test file's text and a rationale, for the definition at zero-based ``line``.

    Raises:
        ActionFailed: no definition there, or no call of it yields a test (says why).
    """
    tree, chain = definition_at(source, line)
    node = chain[-1]
    owner = chain[-2] if len(chain) > 1 and isinstance(chain[-2], ast.ClassDef) else None
    targets = _targets(tree, module, node, owner)
    if not targets:
        raise ActionFailed(f"no test can be derived for {node.name}: it has no public methods")
    subject = Subject(module, path, source)
    cases: list[Case] = []
    tried: list[Recorded] = []
    for target in targets:
        calls = calls_for(target, call_sites(root, module, target.name))
        recorded = record(env, subject, calls) if calls else []
        tried += recorded
        cases += cases_from(target.name, module, calls, recorded)
    if not cases:
        raise ActionFailed(_why_not(node.name, tried))
    name = f"{module}.{node.name}" if owner is None else f"{module}.{owner.name}.{node.name}"
    text = render(cases, env.framework, name)
    return text, _rationale(node.name, cases, env.framework)


def definition_at(
    source: str, line: int
) -> tuple[ast.Module, list[ast.FunctionDef | ast.ClassDef]]:
    """The module's tree and the definitions enclosing zero-based ``line``, outermost first.

    Raises:
        ActionFailed: the source does not parse, or no definition encloses the line.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ActionFailed(f"the file does not parse ({error.msg}, line {error.lineno})") from error
    chain = _enclosing(tree, line + 1)
    if not chain:
        raise ActionFailed("no function or class at the cursor")
    return tree, chain


def _targets(
    tree: ast.Module, module: str, node: ast.FunctionDef | ast.ClassDef, owner: ast.ClassDef | None
) -> list[Target]:
    if isinstance(node, ast.FunctionDef):
        return [Target(tree, module, node, owner)]
    methods = [
        m for m in node.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")
    ]
    return [Target(tree, module, method, node) for method in methods]


def _why_not(name: str, tried: list[Recorded]) -> str:
    if not tried:
        return (
            f"no test can be derived for {name}: no doctest, no call with literal arguments in "
            "the project, and no value known for its parameters"
        )
    reasons = Counter(_reason(result) for result in tried)
    said = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
    return f"no test of {name} could be verified: of {len(tried)} calls run, {said}"


def _reason(result: Recorded) -> str:
    if result.outcome == "dropped":
        return (
            result.why.split(":")[0]
            if result.why in ("hangs", "forks")
            else "failed before the call"
        )
    return "returned a value that cannot be written as a literal"


def _enclosing(tree: ast.Module, line: int) -> list[ast.FunctionDef | ast.ClassDef]:
    chain: list[ast.FunctionDef | ast.ClassDef] = []
    body: list[ast.stmt] = tree.body
    while True:
        inner = next(
            (
                node
                for node in body
                if isinstance(node, ast.FunctionDef | ast.ClassDef)
                and _first_line(node) <= line <= (node.end_lineno or node.lineno)
            ),
            None,
        )
        if inner is None:
            return chain
        chain.append(inner)
        body = inner.body


def _first_line(node: ast.FunctionDef | ast.ClassDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _rationale(name: str, cases: list[Case], framework: str) -> str:
    kinds = {
        "doctest": "doctest examples",
        "call": "calls found in the project",
        "input": "inputs from type hints, defaults and parameter names",
        "raises": "recorded exceptions",
    }
    used = [words for key, words in kinds.items() if any(f"_{key}_" in c.name for c in cases)]
    return (
        f"{len(cases)} {framework} characterisation tests of {name}: each call was run in a "
        f"sandbox and what it returned or raised is asserted (from {', '.join(used)})."
    )
