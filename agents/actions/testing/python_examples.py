"""Calls worth recording for a Python function, as the project would make them.

Sources, in order of preference: the doctest examples of the function (and of its class and
module, where they use it); call sites with literal arguments found in the project and its
tests; and inputs built from type hints, defaults, parameter names and guard clauses
(``python_values.toml``). Each becomes a ``Call``: the imports it needs (following how the code
is called: ``textwrap.shorten(...)`` imports ``textwrap``, ``shorten(...)`` imports
``shorten`` from the module), the statements before it and the expression to record. Pure.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .python_cases import guard_triggers
from .python_runner import Call

__all__ = ["Target", "calls_for"]

# At most this many calls from type hints, defaults and names.
GENERATED = 12
_MUTABLE = (ast.List, ast.Dict, ast.Set)


@dataclass(frozen=True, slots=True)
class Target:
    """The function to test: its module's tree and name, its node, and the class owning it."""

    tree: ast.Module
    module: str
    node: ast.FunctionDef
    owner: ast.ClassDef | None = None

    @property
    def name(self) -> str:
        """The function's (or method's) name."""
        return self.node.name


def calls_for(target: Target, sites: Sequence[str]) -> list[Call]:
    """Calls to record for ``target``: doctests, then ``sites`` (call texts), then generated."""
    imports = _Imports(target)
    calls = _doctest_calls(target, imports)
    calls += _site_calls(target, sites, imports)
    calls += _generated_calls(target, imports)
    seen: set[tuple[tuple[str, ...], str]] = set()
    unique = []
    for call in calls:
        if (call.setup, call.expr) not in seen:
            seen.add((call.setup, call.expr))
            unique.append(call)
    return unique


class _Imports:
    """The import lines that make free names of a snippet resolve as in the module."""

    def __init__(self, target: Target) -> None:
        self.module = target.module
        self.last = target.module.rpartition(".")[2]
        self.defined, self.imported = _top_level(target.tree, target.module)

    def for_names(self, names: Iterable[str]) -> tuple[str, ...]:
        lines = []
        for name in names:
            if name in self.imported:
                lines.append(self.imported[name])
            elif name in self.defined:
                lines.append(f"from {self.module} import {name}")
            elif name == self.last:
                parent = self.module.rpartition(".")[0]
                lines.append(f"from {parent} import {name}" if parent else f"import {name}")
            elif not hasattr(builtins, name):
                lines.append(f"import {name}")
        return tuple(dict.fromkeys(lines))


def _top_level(tree: ast.Module, module: str) -> tuple[set[str], dict[str, str]]:
    """Names a module defines, and the import line of each name it imports."""
    defined: set[str] = set()
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node in tree.body:
                defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {t.id for t in targets if isinstance(t, ast.Name)}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                line = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                imported[bound] = line
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                line = f"from {node.module} import {alias.name}"
                imported[alias.asname or alias.name] = line + (
                    f" as {alias.asname}" if alias.asname else ""
                )
    return defined, imported


def _free_names(sources: Sequence[str]) -> list[str]:
    """Names the snippets load before binding them, in order of first use."""
    bound: set[str] = set()
    free: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id not in bound and node.id not in free:
                    free.append(node.id)
        bound |= {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        bound |= {
            a.asname or a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in n.names
        }
    return [name for name in free if name not in bound]


def _doctest_calls(target: Target, imports: _Imports) -> list[Call]:
    docstrings = [(ast.get_docstring(target.node) or "", True)]
    if target.owner is not None:
        docstrings.append((ast.get_docstring(target.owner) or "", False))
    docstrings.append((ast.get_docstring(target.tree) or "", False))
    calls: list[Call] = []
    for text, own in docstrings:
        try:
            examples = doctest.DocTestParser().get_examples(text)
        except ValueError:
            continue
        for index, example in enumerate(examples):
            if not example.want.strip():
                continue
            setup = tuple(e.source.strip() for e in examples[:index])
            expr = _printed(example.source.strip())
            if expr is None or not (own or _mentions(target.name, [*setup, expr])):
                continue
            free = _free_names([*setup, expr])
            calls.append(
                Call(
                    f"doctest_{len(calls) + 1}",
                    imports.for_names(free),
                    setup,
                    expr,
                    _stored(setup),
                )
            )
    return calls


def _printed(source: str) -> str | None:
    """The expression an example shows: the argument of ``print(x)``, or the example itself."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return None
    body = tree.body
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "print":
        return ast.unparse(body.args[0]) if len(body.args) == 1 and not body.keywords else None
    return source


def _mentions(name: str, sources: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\s*\(", source) for source in sources)


def _stored(setup: Sequence[str]) -> tuple[str, ...]:
    names: list[str] = []
    for source in setup:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Store)
                and node.id not in names
            ):
                names.append(node.id)
    return tuple(names)


def _site_calls(target: Target, sites: Sequence[str], imports: _Imports) -> list[Call]:
    if target.owner is not None:
        return []
    calls = []
    for number, site in enumerate(sites, 1):
        call = _bound_mutables(site, imports, f"call_{number}")
        if call is not None:
            calls.append(call)
    return calls


def _bound_mutables(expr: str, imports: _Imports, ident: str) -> Call | None:
    """``expr`` with its list, dict and set arguments bound to variables first (and watched)."""
    try:
        node = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call):
        return None
    setup: list[str] = []
    for index, arg in enumerate(node.args):
        if isinstance(arg, _MUTABLE):
            name = f"arg{len(setup) + 1}"
            setup.append(f"{name} = {ast.unparse(arg)}")
            node.args[index] = ast.Name(id=name, ctx=ast.Load())
    text = ast.unparse(node)
    names = [
        n
        for n in _free_names([text])
        if not n.startswith("arg") or n not in {s.split(" ")[0] for s in setup}
    ]
    watch = tuple(s.split(" ")[0] for s in setup)
    return Call(ident, imports.for_names(names), tuple(setup), text, watch)


def _generated_calls(target: Target, imports: _Imports) -> list[Call]:
    parameters = _parameters(target.node, skip_first=target.owner is not None)
    options = _options(target.node, parameters)
    if any(not values for name, values in options if name in _required(target.node, parameters)):
        return []
    callee = _callee(target)
    if callee is None:
        return []
    required = _required(target.node, parameters)
    argument_lists = _variations(options, required)
    calls = []
    for number, arguments in enumerate(argument_lists[:GENERATED], 1):
        text = f"{callee}({', '.join(arguments)})"
        call = _bound_mutables(text, imports, f"input_{number}")
        if call is not None:
            calls.append(call)
    return calls


def _callee(target: Target) -> str | None:
    """How a test reaches the function: ``name``, or ``Class(args).name`` for a method."""
    if target.owner is None:
        return target.name
    init = next(
        (n for n in target.owner.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
        None,
    )
    if init is None:
        return f"{target.owner.name}().{target.name}"
    parameters = _parameters(init, skip_first=True)
    options = dict(_options(init, parameters))
    required = _required(init, parameters)
    if any(not options.get(name) for name in required):
        return None
    arguments = ", ".join(options[name][0] for name in required)
    return f"{target.owner.name}({arguments}).{target.name}"


def _parameters(node: ast.FunctionDef, skip_first: bool) -> list[ast.arg]:
    parameters = [*node.args.posonlyargs, *node.args.args]
    if skip_first and parameters and not _is_static(node):
        parameters = parameters[1:]
    return parameters + list(node.args.kwonlyargs)


def _is_static(node: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


def _required(node: ast.FunctionDef, parameters: list[ast.arg]) -> list[str]:
    positional = [*node.args.posonlyargs, *node.args.args]
    with_default = {a.arg for a in positional[len(positional) - len(node.args.defaults) :]}
    with_default |= {
        a.arg
        for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
        if d is not None
    }
    return [a.arg for a in parameters if a.arg not in with_default]


def _options(node: ast.FunctionDef, parameters: list[ast.arg]) -> list[tuple[str, list[str]]]:
    """Each parameter's values: guard triggers, then its default's or annotation's or name's type."""
    defaults = _defaults(node)
    triggers = guard_triggers(node, [a.arg for a in parameters])
    result = []
    for arg in parameters:
        kind = _annotated(arg.annotation) or _type_of(defaults.get(arg.arg)) or _named(arg.arg)
        values = _values().get(kind or "", [])
        result.append((arg.arg, list(dict.fromkeys([*triggers.get(arg.arg, []), *values]))))
    return result


def _defaults(node: ast.FunctionDef) -> dict[str, ast.expr]:
    positional = [*node.args.posonlyargs, *node.args.args]
    named = positional[len(positional) - len(node.args.defaults) :]
    found = {a.arg: d for a, d in zip(named, node.args.defaults, strict=True)}
    found |= {
        a.arg: d
        for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
        if d is not None
    }
    return found


def _annotated(annotation: ast.expr | None) -> str | None:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if isinstance(annotation, ast.BinOp):  # X | None
        return _annotated(annotation.left)
    name = annotation.id if isinstance(annotation, ast.Name) else None
    aliases = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set", "Sequence": "list"}
    name = aliases.get(name or "", name)
    return name if name in _values() else None


def _type_of(default: ast.expr | None) -> str | None:
    if default is None:
        return None
    try:
        value = ast.literal_eval(default)
    except (ValueError, SyntaxError, TypeError):
        return None
    name = type(value).__name__
    return name if name in _values() else None


def _named(name: str) -> str | None:
    """The type a parameter's name suggests: the whole name less trailing digits (``s1``),
    else its last word (``old_prefix`` → ``prefix``)."""
    words = name.lower().split("_")
    for candidate in (re.sub(r"\d+$", "", name), words[-1]):
        for kind, pattern in _names().items():
            if candidate and re.fullmatch(pattern, candidate):
                return kind
    return None


def _variations(options: list[tuple[str, list[str]]], required: list[str]) -> list[list[str]]:
    """The first value of each required parameter, then each parameter varied on its own."""
    base = {name: values[0] for name, values in options if name in required and values}
    order = [name for name, _ in options]

    def arguments(values: dict[str, str]) -> list[str]:
        positional = [values[n] for n in order if n in required]
        keywords = [f"{n}={values[n]}" for n in order if n not in required and n in values]
        return positional + keywords

    lists = [arguments(base)]
    longest = max((len(values) for _, values in options), default=0)
    for depth in range(1, longest):
        for name, values in options:
            if depth < len(values) or (name not in required and depth - 1 < len(values)):
                value = values[depth] if name in required else values[depth - 1]
                lists.append(arguments({**base, name: value}))
    return lists


@cache
def _table() -> dict[str, dict[str, object]]:
    text = resources.files(__package__).joinpath("python_values.toml").read_text("utf-8")
    return tomllib.loads(text)


def _values() -> dict[str, list[str]]:
    return _table()["types"]  # type: ignore[return-value]


def _names() -> dict[str, str]:
    return _table()["names"]  # type: ignore[return-value]
