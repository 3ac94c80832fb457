"""A pytest file for a Python function, method or class, from ``python_cases``."""

from __future__ import annotations

import ast

from accord.agents.exceptions import ActionFailed

from .python_cases import Case, cases_for_class, cases_for_function, slug

__all__ = ["python_tests"]


def python_tests(source: str, line: int, module: str) -> tuple[str, str]:
    """The test file's text and a rationale, for the definition at zero-based ``line``.

    Raises:
        ActionFailed: no definition there, or no sound assertion can be derived for it.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ActionFailed(f"the file does not parse ({error.msg}, line {error.lineno})") from error
    chain = _enclosing(tree, line + 1)
    if not chain:
        raise ActionFailed("no function or class at the cursor")
    target = chain[-1]
    owner = chain[-2] if len(chain) > 1 and isinstance(chain[-2], ast.ClassDef) else None
    cases, imported = _cases(target, owner)
    if not cases:
        raise ActionFailed(
            f"no sound test can be derived for {target.name}: it has no doctest examples, no "
            "guard clauses on its parameters and no simple return annotation to check"
        )
    return _render(cases, module, imported), _rationale(target.name, cases)


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


def _cases(
    target: ast.FunctionDef | ast.ClassDef, owner: ast.ClassDef | None
) -> tuple[list[Case], str]:
    if isinstance(target, ast.ClassDef):
        return cases_for_class(target)[0], target.name
    if owner is None:
        return cases_for_function(target, target.name), target.name
    cases, construct = cases_for_class(owner)
    if construct is None:
        return [], owner.name
    name = slug(owner.name) if target.name == "__init__" else target.name
    prefix = f"test_{name}_"
    return [case for case in cases if case.name.startswith(prefix)], owner.name


def _render(cases: list[Case], module: str, imported: str) -> str:
    header = [f'"""Tests of {module}.{imported}, derived from its code by Accord."""', ""]
    if any(case.needs_pytest for case in cases):
        header += ["import pytest", ""]
    header += [f"from {module} import {imported}", ""]
    blocks = [
        "\n".join([f"def {case.name}() -> None:", *(f"    {line}" for line in case.body)])
        for case in _unique(cases)
    ]
    return "\n".join(header) + "\n\n" + "\n\n\n".join(blocks) + "\n"


def _unique(cases: list[Case]) -> list[Case]:
    seen: dict[str, Case] = {}
    for case in cases:
        name, number = case.name, 2
        while name in seen:
            name, number = f"{case.name}_{number}", number + 1
        seen[name] = Case(name, case.body, case.needs_pytest)
    return list(seen.values())


def _rationale(name: str, cases: list[Case]) -> str:
    kinds = {
        "example": "doctest examples",
        "raises": "guard clauses that raise",
        "returns": "the return annotation",
    }
    used = sorted(
        {words for key, words in kinds.items() if any(f"_{key}_" in c.name for c in cases)}
    )
    return f"{len(cases)} tests of {name}, derived from {', '.join(used)}."
