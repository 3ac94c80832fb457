"""Add the docstrings a module lacks (libcst); existing docstrings are never touched.

A function, method or class without a docstring gets one in Google style, built from what the
code itself says: a summary from its name, its parameters (with their annotations and
defaults), what it returns (its return annotation, when it returns a value) and the exceptions
it raises by name; what each means is a ``TODO:`` for the user (the code does not say it). Dunder methods (their meaning is the language's) and functions nested in functions are
left alone. ``lines``
limits the work to definitions starting on those (zero-based) lines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

__all__ = ["Documented", "add_docstrings"]


@dataclass(frozen=True, slots=True)
class Documented:
    """The new module text and the names of the definitions that got a docstring."""

    text: str
    names: tuple[str, ...]


def add_docstrings(text: str, lines: range | None = None) -> Documented:
    """``text`` (a Python module) with a docstring on every definition that has none."""
    wrapper = MetadataWrapper(cst.parse_module(text))
    adder = _Adder(wrapper.module, lines)
    after = wrapper.visit(adder).code
    ast.parse(after)
    return Documented(after, tuple(adder.names))


class _Adder(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, lines: range | None) -> None:
        super().__init__()
        self.module, self.lines = module, lines
        self.names: list[str] = []
        # The indentation of each enclosing block, outermost first.
        self.indents: list[str] = []
        # How many functions enclose the node being visited (nested ones are left alone).
        self.functions = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(node.indent if node.indent is not None else self.module.default_indent)

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.indents.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions += 1

    def leave_FunctionDef(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions -= 1
        name = original.name.value
        nested = self.functions > 0
        if nested or (name.startswith("__") and name.endswith("__") and name != "__init__"):
            return updated
        documented = self._documented(
            original, updated, lambda: _function_doc(original, self.module)
        )
        assert isinstance(documented, cst.FunctionDef)
        return documented

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        documented = self._documented(
            original, updated, lambda: _summary(original.name.value, True)
        )
        assert isinstance(documented, cst.ClassDef)
        return documented

    def _documented(self, original: _Def, updated: _Def, text: Callable[[], str]) -> _Def:
        if original.get_docstring(clean=False) is not None or not self._wanted(original):
            return updated
        indent = "".join(self.indents) + self.module.default_indent
        docstring = _quoted(text(), indent)
        statement = cst.SimpleStatementLine([cst.Expr(cst.SimpleString(docstring))])
        body = updated.body
        block: cst.BaseSuite
        if isinstance(body, cst.IndentedBlock):
            block = body.with_changes(body=[statement, *body.body])
        else:
            assert isinstance(body, cst.SimpleStatementSuite)
            block = cst.IndentedBlock([statement, cst.SimpleStatementLine(body.body)])
        self.names.append(original.name.value)
        return updated.with_changes(body=block)

    def _wanted(self, node: cst.CSTNode) -> bool:
        if self.lines is None:
            return True
        return self.get_metadata(PositionProvider, node).start.line - 1 in self.lines


_Def = cst.FunctionDef | cst.ClassDef


def _summary(name: str, is_class: bool = False) -> str:
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)] or [name]
    if is_class:
        return f"A {' '.join(words)}."
    if words[0] in ("is", "has", "can", "should") and len(words) > 1:
        return f"Whether {' '.join(words[1:])}."
    if name == "__init__":
        return "Set up the instance."
    return f"{' '.join(words).capitalize()}."


def _function_doc(node: cst.FunctionDef, module: cst.Module) -> str:
    sections = [_summary(node.name.value)]
    arguments = [
        _argument(p, module)
        for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        if p.name.value not in ("self", "cls")
    ]
    for star in (node.params.star_arg, node.params.star_kwarg):
        if isinstance(star, cst.Param):
            stars = "*" if star is node.params.star_arg else "**"
            arguments.append(f"{stars}{star.name.value}: TODO: describe {star.name.value}.")
    if arguments:
        sections.append("Args:\n" + "\n".join(f"    {a}" for a in arguments))
    returned = _returns(node, module)
    if returned:
        sections.append(f"Returns:\n    {returned}")
    raised = _raises(node)
    if raised:
        sections.append(
            "Raises:\n" + "\n".join(f"    {r}: TODO: say when it raises {r}." for r in raised)
        )
    return "\n\n".join(sections)


def _argument(param: cst.Param, module: cst.Module) -> str:
    kind = f" ({module.code_for_node(param.annotation.annotation)})" if param.annotation else ""
    default = f" Defaults to `{module.code_for_node(param.default)}`." if param.default else ""
    return f"{param.name.value}{kind}: TODO: describe {param.name.value}.{default}"


def _returns(node: cst.FunctionDef, module: cst.Module) -> str:
    annotation = node.returns
    if annotation is not None:
        code = module.code_for_node(annotation.annotation)
        return "" if code == "None" else f"{code}: TODO: describe the result."
    found = any(isinstance(n, ast.Return) and n.value is not None for n in _own_nodes(node))
    return "TODO: describe the result." if found else ""


def _raises(node: cst.FunctionDef) -> list[str]:
    names: list[str] = []
    for n in _own_nodes(node):
        if isinstance(n, ast.Raise) and n.exc is not None:
            exc = n.exc.func if isinstance(n.exc, ast.Call) else n.exc
            name = ast.unparse(exc)
            if re.fullmatch(r"[A-Za-z_][\w.]*", name) and name not in names:
                names.append(name)
    return names


def _own_nodes(node: cst.FunctionDef) -> list[ast.AST]:
    """The nodes of the function's body, not those of functions or classes nested in it."""
    function = ast.parse(cst.Module([node]).code).body[0]
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(getattr(function, "body", []))
    while stack:
        current = stack.pop()
        found.append(current)
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                stack.append(child)
    return found


def _quoted(text: str, indent: str) -> str:
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = safe.split("\n")
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    rest = [f"{indent}{line}".rstrip() for line in lines[1:]]
    return "\n".join([f'"""{lines[0]}', *rest, f'{indent}"""'])
