"""Extract function (Python): the pure refactoring behind the ``extract_function`` action.

The selected statements (whole statements of one block) become a module-level function placed
before the top-level definition holding them:

- parameters: the names the selection reads that the enclosing function binds before it
  (its parameters and earlier assignments; ``self`` too, so a method's body extracts into a
  helper taking ``self``); globals, builtins and imports stay free names;
- returns: the names the selection binds that the enclosing function reads after it — none
  (a plain call), one (``x = f(...)``) or several (tuple unpacking);
- a ``return`` inside the selection is kept only when the selection ends with one (then every
  path returns, and the call site is ``return f(...)``);
- ``yield``, ``await``, ``global``/``nonlocal``, and ``break``/``continue`` whose loop is outside
  the selection cannot move into a function: the refactoring is refused, with the reason.

libcst finds the statements and their exact source; the standard ``ast`` reads the data flow.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from accord.agents.exceptions import ActionFailed

__all__ = ["Extraction", "extract_function"]

INDENT = "    "


@dataclass(frozen=True, slots=True)
class Extraction:
    """The refactored module text and what became of the selection."""

    text: str
    name: str
    parameters: tuple[str, ...]
    returns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Selection:
    statements: tuple[cst.BaseStatement, ...]
    first_line: int
    last_line: int
    indent: str
    # The top-level statement holding the selection (where the new function goes).
    top_line: int
    function: ast.FunctionDef | ast.AsyncFunctionDef | None


def extract_function(
    source: str, start_line: int, end_line: int, name: str = "extracted"
) -> Extraction:
    """Extract the statements on zero-based lines ``start_line``..``end_line`` of ``source``.

    Raises:
        ActionFailed: the selection is not whole statements, or cannot move into a function.
    """
    try:
        module = cst.parse_module(source)
        tree = ast.parse(source)
    except (cst.ParserSyntaxError, SyntaxError) as error:
        raise ActionFailed(f"the file does not parse: {error}") from error
    selection = _select(module, tree, start_line + 1, end_line + 1)
    selected = _selected_ast(tree, selection)
    _refuse_unsound(selected)
    parameters = _parameters(tree, selection, selected)
    returns = _returns(selection, selected)
    name = _unique_name(tree, name if name.isidentifier() else "extracted")
    definition = _definition(module, selection, name, parameters, returns)
    call = _call(selection, name, parameters, returns, _ends_in_return(selected))
    lines = source.split("\n")
    new = [*lines[: selection.first_line - 1], call, *lines[selection.last_line :]]
    above = ["", ""] if selection.top_line > 1 and lines[selection.top_line - 2].strip() else []
    new[selection.top_line - 1 : selection.top_line - 1] = [*above, *definition.split("\n"), "", ""]
    return Extraction("\n".join(new), name, parameters, returns)


def _select(module: cst.Module, tree: ast.Module, start: int, end: int) -> _Selection:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    finder = _BlockFinder(positions, start, end)
    wrapper.module.visit(finder)
    if not finder.best:
        raise ActionFailed("select whole statements of one block to extract a function")
    statements = finder.best
    first = positions[statements[0]].start
    last_line = positions[statements[-1]].end.line
    top = next(
        positions[s].start.line
        for s in wrapper.module.body
        if positions[s].start.line <= first.line <= positions[s].end.line
    )
    function = _enclosing_function(tree, first.line)
    return _Selection(statements, first.line, last_line, " " * first.column, top, function)


class _BlockFinder(cst.CSTVisitor):
    """Finds the outermost block whose statements within lines ``start``..``end`` are whole."""

    def __init__(self, positions: object, start: int, end: int) -> None:
        self.positions = positions
        self.start, self.end = start, end
        self.best: tuple[cst.BaseStatement, ...] = ()

    def visit_Module(self, node: cst.Module) -> None:
        self._consider(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._consider(node.body)

    def _consider(self, body: object) -> None:
        statements = tuple(body) if isinstance(body, tuple | list) else ()
        spans = [(s, self.positions[s]) for s in statements]  # type: ignore[index]
        inside = [s for s, p in spans if p.start.line >= self.start and p.end.line <= self.end]
        overlapping = [s for s, p in spans if p.start.line <= self.end and p.end.line >= self.start]
        if inside and inside == overlapping and not self.best:
            self.best = tuple(inside)


def _enclosing_function(
    tree: ast.Module, line: int
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.lineno < line <= (node.end_lineno or node.lineno):
                if found is None or node.lineno > found.lineno:
                    found = node
    return found


def _selected_ast(tree: ast.Module, selection: _Selection) -> list[ast.stmt]:
    scope: ast.AST = selection.function or tree
    inside = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.stmt)
        and node is not scope
        and node.lineno >= selection.first_line
        and (node.end_lineno or node.lineno) <= selection.last_line
    ]
    return _outermost(inside)


def _outermost(statements: list[ast.stmt]) -> list[ast.stmt]:
    kept: list[ast.stmt] = []
    for statement in sorted(statements, key=lambda s: (s.lineno, -(s.end_lineno or 0))):
        if not kept or statement.lineno > (kept[-1].end_lineno or kept[-1].lineno):
            kept.append(statement)
    return kept


def _refuse_unsound(selected: list[ast.stmt]) -> None:
    for node in _own_nodes(selected):
        if isinstance(node, ast.Yield | ast.YieldFrom):
            raise ActionFailed(
                "the selection yields: a generator's body cannot move into a function"
            )
        if isinstance(node, ast.Await):
            raise ActionFailed("the selection awaits: extract it from an async function by hand")
        if isinstance(node, ast.Global | ast.Nonlocal):
            raise ActionFailed("the selection declares global/nonlocal names")
    for node in _outside_loops(selected):
        if isinstance(node, ast.Break | ast.Continue):
            raise ActionFailed("the selection breaks out of a loop that is not selected")
    returns = [n for n in _own_nodes(selected) if isinstance(n, ast.Return)]
    if returns and not _ends_in_return(selected):
        raise ActionFailed("the selection returns on some paths only; select up to its last return")


def _own_nodes(selected: list[ast.stmt]) -> list[ast.AST]:
    """Nodes of the selection, not descending into nested functions, classes or lambdas."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(selected)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _outside_loops(selected: list[ast.stmt]) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(selected)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(
            node,
            ast.For
            | ast.AsyncFor
            | ast.While
            | ast.FunctionDef
            | ast.AsyncFunctionDef
            | ast.ClassDef
            | ast.Lambda,
        ):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _ends_in_return(selected: list[ast.stmt]) -> bool:
    return bool(selected) and isinstance(selected[-1], ast.Return)


def _names(nodes: list[ast.AST], context: type[ast.expr_context]) -> list[str]:
    seen: dict[str, None] = {}
    for node in sorted((n for n in nodes if isinstance(n, ast.Name)), key=_where):
        if isinstance(node.ctx, context):
            seen.setdefault(node.id, None)
    return list(seen)


def _where(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _parameters(
    tree: ast.Module, selection: _Selection, selected: list[ast.stmt]
) -> tuple[str, ...]:
    read = _names(_all_nodes(selected), ast.Load)
    scope: ast.AST = selection.function or tree
    bound = _bound_before(scope, selection.first_line)
    if selection.function is None:
        # At module level the selection reads globals freely, except names it also assigns
        # (they would become the new function's locals).
        bound &= set(_names(_all_nodes(selected), ast.Store))
    return tuple(name for name in read if name in bound)


def _bound_before(scope: ast.AST, line: int) -> set[str]:
    bound: set[str] = set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = scope.args
        every = [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        ]
        bound = {arg.arg for arg in every}
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.lineno < line:
            bound.add(node.id)
        elif isinstance(node, ast.alias) and getattr(node, "lineno", line) < line:
            bound.add((node.asname or node.name).split(".")[0])
    return bound


def _returns(selection: _Selection, selected: list[ast.stmt]) -> tuple[str, ...]:
    if _ends_in_return(selected):
        return ()
    written = _names(_all_nodes(selected), ast.Store)
    scope: ast.AST | None = selection.function
    if scope is None:
        return tuple(written)
    later = {
        n.id
        for n in ast.walk(scope)
        if isinstance(n, ast.Name)
        and isinstance(n.ctx, ast.Load)
        and n.lineno > selection.last_line
    }
    return tuple(name for name in written if name in later)


def _all_nodes(selected: list[ast.stmt]) -> list[ast.AST]:
    return [node for statement in selected for node in ast.walk(statement)]


def _unique_name(tree: ast.Module, wanted: str) -> str:
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)
    }
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted}_{number}", number + 1
    return name


def _definition(
    module: cst.Module,
    selection: _Selection,
    name: str,
    parameters: tuple[str, ...],
    returns: tuple[str, ...],
) -> str:
    first, *rest = selection.statements
    statements = [first.with_changes(leading_lines=()), *rest]
    body = "".join(module.code_for_node(statement) for statement in statements)
    lines = [f"def {name}({', '.join(parameters)}):"]
    lines += [f"{INDENT}{line}" if line.strip() else "" for line in body.rstrip("\n").split("\n")]
    if returns:
        lines.append(f"{INDENT}return {', '.join(returns)}")
    return "\n".join(lines)


def _call(
    selection: _Selection,
    name: str,
    parameters: tuple[str, ...],
    returns: tuple[str, ...],
    returning: bool,
) -> str:
    call = f"{name}({', '.join(parameters)})"
    if returning:
        return f"{selection.indent}return {call}"
    if returns:
        return f"{selection.indent}{', '.join(returns)} = {call}"
    return f"{selection.indent}{call}"
