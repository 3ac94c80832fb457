"""Deterministic pytest cases for a Python function, derived from its code alone.

Three sources of real assertions, each sound for ordinary (side-effect free) functions:

1. doctest examples in the docstring whose expected output is a literal → ``assert f(...) == v``;
2. guard clauses ``if <param> <op> <literal>: raise E(...)`` at the top of the body → inputs
   that trip exactly that guard (all earlier guards evaluated false) under ``pytest.raises(E)``;
3. a return annotation → a call with inputs that pass every guard, and ``isinstance`` of the
   declared type.

Inputs come from defaults, else from simple annotations (int, float, str, bool, containers),
chosen so that no guard fires. A function none of these apply to gets no test: the caller says
so, rather than emit a test that asserts nothing. Pure; no I/O, nothing executed.
"""

from __future__ import annotations

import ast
import doctest
import re
from dataclasses import dataclass, field

__all__ = ["Case", "cases_for_class", "cases_for_function", "slug"]

# A representative value per simple annotation, and others to try when a guard rejects it.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "int": ("1", "0", "2", "10", "50", "100", "-1"),
    "float": ("1.0", "0.0", "2.5", "10.0", "50.0", "100.0", "-1.0"),
    "str": ('"a"', '""', '"abc"'),
    "bool": ("True", "False"),
    "list": ("[]", "[1]"),
    "dict": ("{}",),
    "tuple": ("()",),
    "set": ("set()",),
    "bytes": ('b""', 'b"a"'),
}
_ISINSTANCE = {
    "float": "(int, float)",
    "int": "int",
    "str": "str",
    "bool": "bool",
    "list": "list",
    "dict": "dict",
    "tuple": "tuple",
    "set": "set",
    "bytes": "bytes",
}
_FLIP = {
    ast.Lt: (-1, "below"),
    ast.LtE: (0, "at most"),
    ast.Gt: (1, "above"),
    ast.GtE: (0, "at least"),
    ast.Eq: (0, "equal to"),
}


@dataclass(frozen=True, slots=True)
class Case:
    """One test: its name and body lines (indented by the renderer)."""

    name: str
    body: tuple[str, ...]
    needs_pytest: bool = False


@dataclass(slots=True)
class _Guard:
    condition: ast.expr
    error: str
    param: str
    trigger: str
    describe: str


@dataclass(slots=True)
class _Function:
    node: ast.FunctionDef
    call: str
    params: list[ast.arg] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)


def cases_for_function(node: ast.FunctionDef, call: str, skip_first: bool = False) -> list[Case]:
    """Cases for ``node``, called as ``call`` (``name`` or ``instance.name``)."""
    function = _describe(node, call, skip_first)
    guards = _guards(node, function)
    baseline = _baseline(function, guards)
    cases = _doctest_cases(function)
    cases += _guard_cases(function, guards, baseline)
    if baseline is not None:
        cases += _return_cases(function, baseline)
    return cases


def cases_for_class(node: ast.ClassDef) -> tuple[list[Case], str | None]:
    """Cases for every public method, and the expression that constructs an instance."""
    init = next((m for m in _methods(node) if m.name == "__init__"), None)
    construct = f"{node.name}()"
    if init is not None:
        function = _describe(init, node.name, skip_first=True)
        args = _baseline(function, _guards(init, function))
        if args is None:
            return [], None
        construct = f"{node.name}({', '.join(args)})"
    cases: list[Case] = []
    if init is not None:
        renamed = f"test_{slug(node.name)}_"
        for case in cases_for_function(init, node.name, skip_first=True):
            cases.append(Case(case.name.replace("test___init___", renamed), case.body, True))
    for method in _methods(node):
        if not method.name.startswith("_"):
            cases += cases_for_function(method, f"{construct}.{method.name}", skip_first=True)
    return cases, construct


def _methods(node: ast.ClassDef) -> list[ast.FunctionDef]:
    return [item for item in node.body if isinstance(item, ast.FunctionDef)]


def _describe(node: ast.FunctionDef, call: str, skip_first: bool) -> _Function:
    params = list(node.args.posonlyargs) + list(node.args.args)
    if skip_first and params:
        params = params[1:]
    defaults = node.args.defaults
    named = params[len(params) - len(defaults) :] if defaults else []
    values = {arg.arg: ast.unparse(value) for arg, value in zip(named, defaults, strict=False)}
    return _Function(node, call, params, values)


def _guards(node: ast.FunctionDef, function: _Function) -> list[_Guard]:
    """The leading ``if <param> <op> <literal>: raise E`` statements, in order."""
    names = {arg.arg for arg in function.params}
    guards: list[_Guard] = []
    for statement in _body_without_docstring(node):
        if not isinstance(statement, ast.If) or statement.orelse:
            break
        error = _raised(statement.body)
        found = _comparison(statement.test, names)
        if error is None or found is None:
            break
        param, trigger, describe = found
        guards.append(_Guard(statement.test, error, param, trigger, describe))
    return guards


def _body_without_docstring(node: ast.FunctionDef) -> list[ast.stmt]:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


def _raised(body: list[ast.stmt]) -> str | None:
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return None
    exc = body[0].exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    return ast.unparse(target) if isinstance(target, ast.Name | ast.Attribute) else None


def _comparison(test: ast.expr, names: set[str]) -> tuple[str, str, str] | None:
    """``(param, a value that makes the test true, words for it)`` for ``param op literal``."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right = test.left, test.comparators[0]
    op: ast.cmpop | None = test.ops[0]
    if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        left, right, op = right, left, _mirror(test.ops[0])
    if not (isinstance(left, ast.Name) and left.id in names and isinstance(right, ast.Constant)):
        return None
    if op is None or type(op) not in _FLIP or not isinstance(right.value, int | float):
        return None
    step, words = _FLIP[type(op)]
    value = right.value + step
    return left.id, repr(value), slug(f"{words} {right.value!r}")


def _mirror(op: ast.cmpop) -> ast.cmpop | None:
    mirrored = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.Eq}
    kind = mirrored.get(type(op))
    return kind() if kind is not None else None


def _baseline(function: _Function, guards: list[_Guard]) -> list[str] | None:
    """Arguments that pass every guard, or None when some parameter has no usable value."""
    chosen: dict[str, str] = {}
    for arg in function.params:
        options = _options(arg, function.defaults)
        passing = [value for value in options if not _any_fires(guards, {**chosen, arg.arg: value})]
        if not passing:
            return None
        chosen[arg.arg] = passing[0]
    return [chosen[arg.arg] for arg in function.params]


def _options(arg: ast.arg, defaults: dict[str, str]) -> tuple[str, ...]:
    default = (defaults[arg.arg],) if arg.arg in defaults else ()
    kind = _simple_type(arg.annotation)
    return default + (_CANDIDATES.get(kind, ()) if kind else ())


def _simple_type(annotation: ast.expr | None) -> str | None:
    if isinstance(annotation, ast.Name) and annotation.id in _CANDIDATES:
        return annotation.id
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
        return annotation.value.id if annotation.value.id in _CANDIDATES else None
    return None


def _any_fires(guards: list[_Guard], values: dict[str, str]) -> bool:
    return any(_fires(guard, values) for guard in guards)


def _fires(guard: _Guard, values: dict[str, str]) -> bool:
    """Whether ``guard`` holds for ``values`` (only literal comparisons are ever evaluated)."""
    if guard.param not in values:
        return False
    try:
        literal = ast.literal_eval(values[guard.param])
        namespace = {guard.param: literal}
        expression = ast.Expression(body=guard.condition)
        return bool(eval(compile(expression, "<guard>", "eval"), {"__builtins__": {}}, namespace))
    except (ValueError, TypeError, SyntaxError, NameError):
        return False


def _doctest_cases(function: _Function) -> list[Case]:
    docstring = ast.get_docstring(function.node) or ""
    cases = []
    for number, example in enumerate(doctest.DocTestParser().get_examples(docstring), 1):
        expected = example.want.strip()
        if not expected or not _is_literal(expected):
            continue
        source = example.source.strip()
        call = source.replace(f"{function.node.name}(", f"{function.call}(", 1)
        name = f"test_{function.node.name}_example_{number}"
        cases.append(Case(name, (f"assert {call} == {expected}",)))
    return cases


def _is_literal(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _guard_cases(
    function: _Function, guards: list[_Guard], baseline: list[str] | None
) -> list[Case]:
    if baseline is None:
        return []
    names = [arg.arg for arg in function.params]
    cases = []
    for index, guard in enumerate(guards):
        values = dict(zip(names, baseline, strict=True)) | {guard.param: guard.trigger}
        if _any_fires(guards[:index], values) or not _fires(guard, values):
            continue
        error = guard.error.rsplit(".", 1)[-1]
        name = f"test_{function.node.name}_raises_{slug(error)}_when_{guard.param}_{guard.describe}"
        call = f"{function.call}({', '.join(values[n] for n in names)})"
        body = (f"with pytest.raises({error}):", f"    {call}")
        cases.append(Case(name, body, needs_pytest=True))
    return cases


def _return_cases(function: _Function, baseline: list[str]) -> list[Case]:
    kind = _simple_type(function.node.returns)
    if kind is None or kind not in _ISINSTANCE:
        return []
    call = f"{function.call}({', '.join(baseline)})"
    name = f"test_{function.node.name}_returns_{kind}"
    return [Case(name, (f"result = {call}", f"assert isinstance(result, {_ISINSTANCE[kind]})"))]


def slug(text: str) -> str:
    """``text`` as a lower-case identifier fragment (``-1`` → ``minus_1``)."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", text.replace("-", "minus_")).strip("_").lower()
