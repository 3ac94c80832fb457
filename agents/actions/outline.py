"""The definition at a line: its name, parameters, return type, raised errors and doc slot.

Python is read with the standard ``ast`` (exact raise types, returns, yields, docstrings); the
other languages with their tree-sitter grammars, through the node kinds of ``languages.toml``
and the grammars' common field names (``name``, ``parameters``, ``type``, ``return_type``).
Pure: text in, facts out.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import tree_sitter
from accord.analyzers.languages import all_languages, ts_language

__all__ = ["Definition", "Parameter", "definition_at"]

_THROWN = re.compile(r"\bthrow\s+(?:new\s+)?([A-Za-z_][\w.]*)")
_PARAMETER_KINDS = frozenset(
    {
        "identifier",
        "formal_parameter",
        "required_parameter",
        "optional_parameter",
        "parameter",
        "parameter_declaration",
        "variadic_parameter_declaration",
        "spread_parameter",
        "assignment_pattern",
        "function_value_parameter",
        "class_parameter",
        "rest_pattern",
        "self_parameter",
        "typed_parameter",
        "default_parameter",
        "typed_default_parameter",
    }
)
_NO_VALUE = frozenset({"void", "Unit", "None", "()", "Void", "never"})


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type: str | None = None
    default: str | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """A function, method or class, and where its documentation goes."""

    kind: str
    name: str
    parameters: tuple[Parameter, ...]
    return_type: str | None
    raises: tuple[str, ...]
    returns_value: bool
    # The line a doc comment goes above (decorators, annotations and `export` included).
    line: int
    indent: str
    # Python: the body's first line and indentation, and an existing docstring's lines.
    body_line: int = 0
    body_indent: str = ""
    docstring: tuple[int, int] | None = None
    yields: bool = False


def definition_at(source: str, language: str, line: int) -> Definition | None:
    """The innermost function or class containing zero-based ``line``, if any."""
    if language == "python":
        return _python(source, line)
    return _tree_sitter(source, language, line)


def _python(source: str, line: int) -> Definition | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            if first <= line <= (node.end_lineno or node.lineno) - 1:
                if found is None or node.lineno > found.lineno:
                    found = node
    return None if found is None else _python_definition(source, found)


def _python_definition(
    source: str, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
) -> Definition:
    lines = source.split("\n")
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    body = node.body[0]
    docstring = None
    if (
        isinstance(body, ast.Expr)
        and isinstance(body.value, ast.Constant)
        and isinstance(body.value.value, str)
    ):
        docstring = (body.lineno - 1, (body.end_lineno or body.lineno) - 1)
    own = list(_own_nodes(node))
    raises = tuple(
        dict.fromkeys(
            _raised_name(n) for n in own if isinstance(n, ast.Raise) and n.exc is not None
        )
    )
    returns = any(isinstance(n, ast.Return) and n.value is not None for n in own)
    yields = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in own)
    is_class = isinstance(node, ast.ClassDef)
    parameters = () if is_class else _python_parameters(node)  # type: ignore[arg-type]
    if is_class:
        init = next(
            (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
        )
        parameters = _python_parameters(init) if init else ()
    return Definition(
        kind="class" if is_class else "function",
        name=node.name,
        parameters=parameters,
        return_type=None
        if is_class or node.returns is None  # type: ignore[union-attr]
        else ast.unparse(node.returns),  # type: ignore[union-attr]
        raises=tuple(r for r in raises if r),
        returns_value=returns,
        line=first,
        indent=_indent(lines[first]),
        body_line=body.lineno - 1,
        body_indent=_indent(lines[body.lineno - 1]),
        docstring=docstring,
        yields=yields,
    )


def _own_nodes(node: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        found.append(child)
        if not isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        ):
            stack.extend(ast.iter_child_nodes(child))
    return found


def _raised_name(node: ast.Raise) -> str:
    exc = node.exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    return ast.unparse(target) if isinstance(target, ast.Name | ast.Attribute) else ""


def _python_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[Parameter, ...]:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    pairs = [
        *zip(positional, defaults, strict=True),
        *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
    ]
    result = [
        Parameter(
            arg.arg,
            ast.unparse(arg.annotation) if arg.annotation else None,
            ast.unparse(default) if default is not None else None,
        )
        for arg, default in pairs
        if arg.arg not in ("self", "cls")
    ]
    for star, prefix in ((arguments.vararg, "*"), (arguments.kwarg, "**")):
        if star is not None:
            result.append(
                Parameter(
                    prefix + star.arg, ast.unparse(star.annotation) if star.annotation else None
                )
            )
    return tuple(result)


def _tree_sitter(source: str, language: str, line: int) -> Definition | None:
    spec = all_languages().get(language)
    if spec is None:
        return None
    data = source.encode("utf-8")
    tree = tree_sitter.Parser(ts_language(language)).parse(data)
    lines = source.split("\n")
    if line >= len(lines):
        return None
    text = lines[line].encode("utf-8")
    wanted = spec.functions | spec.classes
    # The line's last character sits inside a declaration that starts on it (``{``, ``:``).
    for column in (len(text.rstrip()) - 1, len(text) - len(text.lstrip())):
        node: tree_sitter.Node | None = tree.root_node.descendant_for_point_range(
            (line, max(column, 0)), (line, max(column, 0))
        )
        while node is not None and node.type not in wanted:
            node = node.parent
        if node is not None:
            return _ts_definition(node, node.type in spec.classes, lines)
    return None


def _ts_definition(node: tree_sitter.Node, is_class: bool, lines: list[str]) -> Definition:
    anchor = node
    while anchor.parent is not None and anchor.parent.type in (
        "export_statement",
        "decorated_definition",
        "lexical_declaration",
        "variable_declarator",
    ):
        anchor = anchor.parent
    text = _text(node)
    return_type = _return_type(node)
    raises = tuple(dict.fromkeys(_THROWN.findall(text)))
    if return_type and re.search(r"\berror\b", return_type):
        raises += ("error",)
    returns_value = bool(return_type and return_type.strip(": ") not in _NO_VALUE) or bool(
        re.search(r"\breturn\s+[^;\s}]", text)
    )
    if return_type and return_type.strip(": ").startswith("Result"):
        raises += ("Err",)
    return Definition(
        kind="class" if is_class else "function",
        name=_ts_name(node) or "anonymous",
        parameters=() if is_class else _ts_parameters(node),
        return_type=return_type.lstrip(": ").strip() if return_type else None,
        raises=raises,
        returns_value=returns_value and not is_class,
        line=anchor.start_point[0],
        indent=_indent(lines[anchor.start_point[0]]),
    )


def _ts_name(node: tree_sitter.Node) -> str | None:
    named = node.child_by_field_name("name")
    if named is None:
        named = next(
            (
                c
                for c in node.named_children
                if "identifier" in c.type or c.type in ("type_identifier", "simple_identifier")
            ),
            None,
        )
    if named is None and node.parent is not None and node.parent.type == "variable_declarator":
        named = node.parent.child_by_field_name("name")
    return _text(named) if named is not None else None


def _ts_parameters(node: tree_sitter.Node) -> tuple[Parameter, ...]:
    holder = node.child_by_field_name("parameters") or next(
        (c for c in node.named_children if "parameter" in c.type), None
    )
    if holder is None:
        return ()
    if holder.type in _PARAMETER_KINDS - {"identifier"} and "parameters" not in holder.type:
        items = [c for c in node.named_children if c.type in _PARAMETER_KINDS]
    else:
        items = [c for c in holder.named_children if c.type in _PARAMETER_KINDS]
    return tuple(p for p in (_ts_parameter(item) for item in items) if p is not None)


def _ts_parameter(item: tree_sitter.Node) -> Parameter | None:
    if item.type in ("identifier", "self_parameter"):
        return Parameter(_text(item)) if item.type == "identifier" else None
    name = (
        item.child_by_field_name("name")
        or item.child_by_field_name("pattern")
        or item.child_by_field_name("left")
        or next((c for c in item.named_children if "identifier" in c.type), None)
    )
    kind = item.child_by_field_name("type")
    if kind is None:
        kind = next(
            (
                c
                for c in item.named_children
                if c.type.endswith("type") or c.type == "type_annotation"
            ),
            None,
        )
    default = item.child_by_field_name("value") or item.child_by_field_name("right")
    if name is None:
        return None
    return Parameter(
        _text(name),
        _text(kind).lstrip(": ") if kind is not None else None,
        _text(default) if default is not None else None,
    )


def _return_type(node: tree_sitter.Node) -> str | None:
    for field in ("return_type", "result", "returns"):
        if (found := node.child_by_field_name(field)) is not None:
            return _text(found)
    if node.type == "method_declaration" and (found := node.child_by_field_name("type")):
        return _text(found)
    if node.type == "function_declaration":
        params = next((c for c in node.named_children if "parameters" in c.type), None)
        after = params.next_named_sibling if params is not None else None
        if after is not None and after.type in ("user_type", "nullable_type", "type_identifier"):
            return _text(after)
    return None


def _text(node: tree_sitter.Node | None) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None and node.text else ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]
