"""Fix: quick fixes for analyzer findings, where one is sound.

- ACC003 (hard-coded secret): the literal becomes an environment lookup named after what it is
  assigned to (``api_token`` → ``API_TOKEN``), in each language's idiom; Python and Go get the
  ``os`` import when missing.
- ACC004 (SQL built from strings, Python): the concatenation, f-string, ``%`` or ``.format``
  becomes a parameterised query — ``?`` placeholders (sqlite3), or ``%s`` when the module uses a
  driver that takes them (psycopg, pymysql, MySQLdb).

A model is asked for the corrected lines in one fenced block; the local provider computes them.
Either way the answer replaces the finding's lines.
"""

from __future__ import annotations

import ast
import re

import tree_sitter
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import load_query, ts_language
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .generate_tests import FENCE, split_answer

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "fixable", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.FIX
CAPABILITY = "code_generation"
EXPERTISE = "security"

# The environment lookup replacing a secret literal, per language ({name} is the variable).
ENVIRONMENT = {
    "python": 'os.environ["{name}"]',
    "javascript": "process.env.{name}",
    "typescript": "process.env.{name}",
    "tsx": "process.env.{name}",
    "java": 'System.getenv("{name}")',
    "kotlin": 'System.getenv("{name}")',
    "go": 'os.Getenv("{name}")',
    "csharp": 'Environment.GetEnvironmentVariable("{name}")',
    "rust": 'std::env::var("{name}").expect("{name} is not set")',
    "swift": 'ProcessInfo.processInfo.environment["{name}"]',
}
SQL_DRIVERS_WITH_FORMAT = ("psycopg", "psycopg2", "pymysql", "MySQLdb")
_FIXES = {"ACC003": frozenset(ENVIRONMENT), "ACC004": frozenset({"python"})}


def fixable(code: str, language: str) -> bool:
    """Whether findings of rule ``code`` in ``language`` have a quick fix."""
    return language in _FIXES.get(code, frozenset())


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for the corrected lines only."""
    first, last = _lines(task)
    lines = task.target.source.split("\n")[first : last + 1]
    system = (
        "You are Accord's security agent. Fix the reported problem without changing behaviour "
        "otherwise: secrets move to environment variables, SQL becomes parameterised. Reply "
        "with the corrected lines only, indented as they are, in one fenced code block."
    )
    user = (
        f"{task.target.code}: {task.target.message}\nIn {task.target.path}, lines {first + 1}-"
        f"{last + 1}:\n\n{FENCE}{task.target.language}\n" + "\n".join(lines) + f"\n{FENCE}"
    )
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """The corrected lines, computed.

    Raises:
        ActionFailed: the finding has no sound fix.
    """
    code, language = task.target.code or "", task.target.language
    if not fixable(code, language):
        raise ActionFailed(f"no sound fix for {code} in {language}")
    fixed, rationale = _secret(task) if code == "ACC003" else _sql(task)
    return f"{FENCE}{language}\n{fixed}\n{FENCE}\n\n{rationale}"


def to_proposal(task: Task, answer: str) -> Proposal:
    """Replace the finding's lines by the answer's (adding an ``os`` import where needed)."""
    fixed, rationale = split_answer(answer)
    first, last = _lines(task)
    lines = task.target.source.split("\n")
    edits = [
        TextEdit(range=Range.of(first, 0, last, len(lines[last])), new_text=fixed.rstrip("\n"))
    ]
    if (imported := _missing_import(task, fixed)) is not None:
        edits.insert(0, imported)
    return Proposal(
        action=KIND.value,
        title=f"Fix {task.target.code}",
        rationale=rationale or f"Fixed {task.target.code}.",
        files=(FileEdit(path=task.target.path, edits=tuple(edits)),),
    )


def _lines(task: Task) -> tuple[int, int]:
    span = task.target.range
    return span.start.line, max(span.end.line, span.start.line)


def _secret(task: Task) -> tuple[str, str]:
    target = task.target
    tree = tree_sitter.Parser(ts_language(target.language)).parse(target.source.encode("utf-8"))
    literal, name = _secret_literal(tree, target.language, target.source, task)
    variable = _env_name(name)
    lookup = ENVIRONMENT[target.language].format(name=variable)
    first, last = _lines(task)
    lines = target.source.encode("utf-8").split(b"\n")
    start_row, start_col = literal.start_point
    end_row, end_col = literal.end_point
    if start_row < first or end_row > last:
        first, last = min(first, start_row), max(last, end_row)
    block = b"\n".join(lines[first : last + 1])
    offset = sum(len(line) + 1 for line in lines[first:start_row]) + start_col
    end = sum(len(line) + 1 for line in lines[first:end_row]) + end_col
    fixed = block[:offset] + lookup.encode("utf-8") + block[end:]
    return fixed.decode("utf-8"), f"The secret now comes from the environment variable {variable}."


def _secret_literal(
    tree: tree_sitter.Tree, language: str, source: str, task: Task
) -> tuple[tree_sitter.Node, str | None]:
    query = load_query(language, "secrets")
    if query is None:
        raise ActionFailed(f"no secrets query for {language}")
    line = task.target.range.start.line
    best: tuple[tree_sitter.Node, str | None] | None = None
    for _, captures in tree_sitter.QueryCursor(query).matches(tree.root_node):
        for value in (*captures.get("value", ()), *captures.get("string", ())):
            if value.start_point[0] <= line <= value.end_point[0]:
                names = captures.get("name", ())
                name = _text(names[0]) if names and value in captures.get("value", ()) else None
                if best is None or (name and not best[1]):
                    best = (value, name)
    if best is None:
        raise ActionFailed("no string literal at the finding")
    return best


def _env_name(name: str | None) -> str:
    if not name:
        return "SECRET"
    cleaned = re.sub(r"[^0-9A-Za-z]+", "_", name.strip("\"'`"))
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", cleaned).strip("_").upper()
    return snake or "SECRET"


def _sql(task: Task) -> tuple[str, str]:
    source = task.target.source
    tree = ast.parse(source)
    first, last = _lines(task)
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and n.args
        and first + 1 <= n.lineno <= last + 1
        and _dynamic_sql(n.args[0])
    ]
    if not calls:
        raise ActionFailed("no SQL built from strings at the finding")
    call = calls[0]
    placeholder = "%s" if _uses_format_driver(tree) else "?"
    query, values = _parameterise(call.args[0], placeholder)
    segment = ast.get_source_segment(source, call) or ""
    rebuilt = ast.Call(
        func=call.func,
        args=[ast.Constant(query), ast.Tuple(elts=values, ctx=ast.Load())],
        keywords=call.keywords,
    )
    lines = source.split("\n")
    span_first, span_last = min(first, call.lineno - 1), max(last, (call.end_lineno or 1) - 1)
    block = "\n".join(lines[span_first : span_last + 1])
    fixed = block.replace(segment, ast.unparse(rebuilt), 1)
    return fixed, (
        f"The query is parameterised ({placeholder} placeholders, values passed "
        f"separately), so input can no longer change the SQL."
    )


def _dynamic_sql(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _parameterise(node: ast.expr, placeholder: str) -> tuple[str, list[ast.expr]]:
    parts = _parts(node)
    text, values = "", []
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            text += placeholder
            values.append(part)
    return re.sub(rf"(['\"])({re.escape(placeholder)})\1", r"\2", text), values


def _parts(node: ast.expr) -> list[str | ast.expr]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        # Literal parts are Constants, placeholders FormattedValues; both keep theirs in .value.
        return [v.value for v in node.values]  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_parts(node.left), *_parts(node.right)]
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return _interleave(re.split(r"%[sdif]", node.left.value), values)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return _interleave(re.split(r"\{\}", node.func.value.value), list(node.args))
    return [node]


def _interleave(texts: list[str], values: list[ast.expr]) -> list[str | ast.expr]:
    if len(texts) != len(values) + 1:
        raise ActionFailed("the format string's placeholders do not match its values")
    merged: list[str | ast.expr] = [texts[0]]
    for value, text in zip(values, texts[1:], strict=True):
        merged += [value, text]
    return merged


def _uses_format_driver(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        )
        if any(n.split(".")[0] in SQL_DRIVERS_WITH_FORMAT for n in names):
            return True
    return False


def _missing_import(task: Task, fixed: str) -> TextEdit | None:
    source, language = task.target.source, task.target.language
    if (
        language == "python"
        and "os.environ" in fixed
        and not re.search(r"^import os\b|^from os import", source, re.MULTILINE)
    ):
        return TextEdit(
            range=Range.of(_python_import_line(source), 0, _python_import_line(source), 0),
            new_text="import os\n",
        )
    if language == "go" and "os.Getenv" in fixed and '"os"' not in source:
        package = next((i for i, l in enumerate(source.split("\n")) if l.startswith("package ")), 0)
        return TextEdit(range=Range.of(package + 1, 0, package + 1, 0), new_text='\nimport "os"\n')
    return None


def _python_import_line(source: str) -> int:
    """The line after the module docstring and ``from __future__`` imports."""
    tree = ast.parse(source)
    line = 0
    for statement in tree.body:
        is_doc = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        future = isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
        if not (is_doc or future):
            break
        line = statement.end_lineno or statement.lineno
    return line


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", errors="replace") if node.text else ""
