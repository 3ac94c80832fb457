"""Add type hints from what the code shows: defaults and the values functions are called with.

A parameter without an annotation gets one when every value seen for it is a literal of a known
type: its default, and the arguments at each call of the function in the files given (by
position or keyword; a call through an attribute, ``obj.f(…)``, skips ``self``). One value that
is not a literal (a name, a call) means the type is not known, and the parameter stays as it
is; so does a parameter seen only as ``None``. ``int`` with ``float`` is ``float``, ``bool`` with
``int`` is ``int`` (the numeric tower), ``None`` with a type is ``T | None``. A function that
returns no value and yields nothing gets ``-> None`` (not a stub that only raises). Call sites count only for a name defined
once in the files. Existing annotations are never changed.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

__all__ = ["Hinted", "add_hints"]

_LITERALS: dict[type, str] = {
    bool: "bool",
    int: "int",
    float: "float",
    complex: "complex",
    str: "str",
    bytes: "bytes",
    type(None): "None",
}
_DISPLAYS = {ast.List: "list", ast.Dict: "dict", ast.Set: "set", ast.Tuple: "tuple"}
_UNKNOWN = "?"


@dataclass(frozen=True, slots=True)
class Hinted:
    """The new text of each file that changed, and how many annotations were added."""

    texts: dict[str, str]
    count: int


@dataclass(slots=True)
class _Calls:
    """The argument types seen at the calls of one function name."""

    positional: list[tuple[int, str]] = field(default_factory=list)
    keyword: list[tuple[str, str]] = field(default_factory=list)
    through_attribute: list[tuple[int, str]] = field(default_factory=list)


def add_hints(files: Mapping[str, str], lines: Mapping[str, range] | None = None) -> Hinted:
    """Annotate the functions of ``files`` (path → Python source); ``lines`` limits the work to
    definitions starting on those zero-based lines of a file."""
    trees = {path: ast.parse(text) for path, text in files.items()}
    calls = _calls(trees.values())
    texts, count = {}, 0
    for path, text in files.items():
        wrapper = MetadataWrapper(cst.parse_module(text))
        adder = _Annotator(wrapper.module, calls, None if lines is None else lines.get(path))
        after = wrapper.visit(adder).code
        if after != text:
            ast.parse(after)
            texts[path], count = after, count + adder.count
    return Hinted(texts, count)


def _type_of(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant):
        return _LITERALS.get(type(node.value), _UNKNOWN)
    if isinstance(node, ast.JoinedStr):
        return "str"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _type_of(node.operand)
        return inner if inner in ("int", "float", "complex") else _UNKNOWN
    for display, name in _DISPLAYS.items():
        if isinstance(node, display):
            return name
    return _UNKNOWN


def _calls(trees: Iterable[ast.Module]) -> dict[str, _Calls]:
    definitions: dict[str, int] = defaultdict(int)
    seen: dict[str, _Calls] = defaultdict(_Calls)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                definitions[node.name] += 1
            elif isinstance(node, ast.Call):
                _record(node, seen)
    return {name: calls for name, calls in seen.items() if definitions.get(name) == 1}


def _record(call: ast.Call, seen: dict[str, _Calls]) -> None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name is None or any(isinstance(a, ast.Starred) for a in call.args):
        return
    calls = seen[name]
    where = calls.positional if isinstance(func, ast.Name) else calls.through_attribute
    where.extend((index, _type_of(arg)) for index, arg in enumerate(call.args))
    calls.keyword.extend((k.arg, _type_of(k.value)) for k in call.keywords if k.arg)


def _union(types: list[str]) -> str | None:
    """The annotation for the types seen; None when one is unknown or only None was seen."""
    found = set(types)
    if not found or _UNKNOWN in found or found == {"None"}:
        return None
    optional = "None" in found
    found.discard("None")
    if "float" in found:
        found -= {"int", "bool"}
    if "int" in found:
        found.discard("bool")
    return " | ".join(sorted(found) + (["None"] if optional else []))


class _Annotator(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, calls: dict[str, _Calls], lines: range | None) -> None:
        super().__init__()
        self.module, self.calls, self.lines = module, calls, lines
        self.count = 0
        self.classes = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes += 1

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.classes -= 1
        return updated

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        if self.lines is not None:
            line = self.get_metadata(PositionProvider, original).start.line - 1
            if line not in self.lines:
                return updated
        calls = self.calls.get(original.name.value, _Calls())
        params = updated.params
        ordered = [*params.posonly_params, *params.params]
        method = self.classes > 0 and not _is_static(original)
        new = {id(p): self._param(p, i, method, calls) for i, p in enumerate(ordered)}
        for p in params.kwonly_params:
            new[id(p)] = self._param(p, None, method, calls)
        params = params.with_changes(
            posonly_params=[new[id(p)] for p in params.posonly_params],
            params=[new[id(p)] for p in params.params],
            kwonly_params=[new[id(p)] for p in params.kwonly_params],
        )
        updated = updated.with_changes(params=params)
        if updated.returns is None and _returns_nothing(original):
            self.count += 1
            updated = updated.with_changes(returns=cst.Annotation(cst.Name("None")))
        return updated

    def _param(self, param: cst.Param, index: int | None, method: bool, calls: _Calls) -> cst.Param:
        if param.annotation is not None or (method and index == 0):
            return param
        seen = []
        if param.default is not None:
            seen.append(_type_of(_expression(self.module.code_for_node(param.default))))
        if index is not None:
            seen += [t for i, t in calls.positional if i == index]
            shift = 1 if method else 0
            seen += [t for i, t in calls.through_attribute if i + shift == index]
        seen += [t for name, t in calls.keyword if name == param.name.value]
        annotation = _union(seen)
        if annotation is None:
            return param
        self.count += 1
        spaced = cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
        )
        return param.with_changes(
            annotation=cst.Annotation(cst.parse_expression(annotation)),
            equal=spaced if param.default is not None else param.equal,
        )


def _expression(code: str) -> ast.expr:
    return ast.parse(code.strip(), mode="eval").body


def _is_static(node: cst.FunctionDef) -> bool:
    return any(
        isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod"
        for d in node.decorators
    )


def _returns_nothing(node: cst.FunctionDef) -> bool:
    """Whether the function returns no value and is no generator (its own body only); a stub
    (only ``pass``, ``...``, a docstring or a ``raise``) says nothing, so it is not."""
    function = ast.parse(cst.Module([node]).code).body[0]
    body: list[ast.stmt] = list(getattr(function, "body", []))
    if all(isinstance(s, ast.Pass | ast.Raise | ast.Expr) for s in body):
        return False
    stack: list[ast.AST] = list(body)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Yield | ast.YieldFrom):
            return False
        if isinstance(current, ast.Return) and current.value is not None:
            return False
        stack += [
            c
            for c in ast.iter_child_nodes(current)
            if not isinstance(c, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
    return True
