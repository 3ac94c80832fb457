"""ACC003 quick fix: a hard-coded secret literal becomes an environment variable lookup.

The literal is found with the ACC003 query (``queries/<language>/secrets.scm``): the smallest
``@string`` or ``@value`` capture around the diagnostic. The variable is named after the
``@name`` the literal is given to (``api_key`` → ``API_KEY``), else after the kind of secret the
diagnostic names (``Hard-coded GitHub token`` → ``GITHUB_TOKEN``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from accord.agents.actions.outline import Source, split_words
from accord.agents.exceptions import ActionFailed
from accord.analyzers.languages import load_query
from accord.analyzers.syntax import literal_value

__all__ = ["LOOKUP", "SecretSite", "find_secret", "lookup"]

# The expression reading variable {name}, per language.
LOOKUP: dict[str, str] = {
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
# Declarations whose value must be a compile-time constant: a lookup there would not compile.
_CONSTANT_CONTEXTS: dict[str, frozenset[str]] = {
    "go": frozenset({"const_spec"}),
    "rust": frozenset({"const_item", "static_item"}),
}
_KIND = re.compile(r"Hard-coded (?P<kind>[^:]+):")


@dataclass(frozen=True, slots=True)
class SecretSite:
    """The literal holding a secret and the environment variable that should hold it instead."""

    literal: tree_sitter.Node
    variable: str


def find_secret(source: Source, start: int, end: int, message: str | None) -> SecretSite:
    """The secret literal spanning bytes ``start``..``end`` (a finding's range).

    Raises:
        ActionFailed: no literal there (a secret in a comment), or one that must stay constant.
    """
    query = load_query(source.language, "secrets")
    if query is None or source.language not in LOOKUP:
        raise ActionFailed(f"no sound fix: no secret lookup for {source.language}")
    literal, name = _literal_and_name(query, source.tree.root_node, start, end)
    if literal is None:
        raise ActionFailed("no sound fix: the secret is not in a string literal")
    if _in_constant(literal, _CONSTANT_CONTEXTS.get(source.language, frozenset())):
        raise ActionFailed("no sound fix: the secret is in a compile-time constant")
    return SecretSite(literal, _variable(name, message))


def lookup(language: str, variable: str) -> str:
    """The expression reading ``variable`` from the environment in ``language``."""
    return LOOKUP[language].format(name=variable)


def _literal_and_name(
    query: tree_sitter.Query, root: tree_sitter.Node, start: int, end: int
) -> tuple[tree_sitter.Node | None, str | None]:
    best: tuple[tree_sitter.Node | None, str | None] = (None, None)
    for _, captures in tree_sitter.QueryCursor(query).matches(root):
        for node in (*captures.get("string", ()), *captures.get("value", ())):
            if node.start_byte <= start and end <= node.end_byte and _smaller(node, best[0]):
                named = captures.get("name")
                best = (node, literal_value(named[0]) if named else None)
            elif best[0] == node and captures.get("name") and best[1] is None:
                best = (node, literal_value(captures["name"][0]))
    return best


def _smaller(node: tree_sitter.Node, than: tree_sitter.Node | None) -> bool:
    return than is None or node.end_byte - node.start_byte < than.end_byte - than.start_byte


def _in_constant(node: tree_sitter.Node, kinds: frozenset[str]) -> bool:
    current = node.parent
    while current is not None:
        if current.type in kinds:
            return True
        current = current.parent
    return False


def _variable(name: str | None, message: str | None) -> str:
    """The variable's name: the assigned name, unless the kind of secret says all it says and
    more (``token`` holding a GitHub token is ``GITHUB_TOKEN``, as a person would name it)."""
    match = _KIND.search(message or "")
    kind = match.group("kind") if match and not match.group("kind").startswith("secret in") else ""
    named = _words(name or "")
    # The kind is prose ("GitHub token"): its words are split at spaces, not at capitals.
    kinded = [w.lower() for w in re.split(r"[^0-9A-Za-z]+", kind) if w]
    words = kinded if not named or set(named) < set(kinded) else named
    return "_".join(words).upper() or "SECRET"


def _words(text: str) -> list[str]:
    return [w.lower() for w in split_words(re.sub(r"[^0-9A-Za-z_]+", "_", text)) if w]
