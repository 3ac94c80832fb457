"""The languages Accord analyses, loaded from ``languages.toml``.

A language is chosen by the editor's ``languageId`` first and the file extension second.
Grammars come from the per-language wheels and load offline; each is loaded once, on first use.
"""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath

import tree_sitter

__all__ = [
    "LanguageSpec",
    "all_languages",
    "language_for",
    "load_query",
    "query_text",
    "ts_language",
]


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """What Accord knows about one language; the values come from ``languages.toml``."""

    name: str
    grammar: str
    language_ids: tuple[str, ...]
    extensions: tuple[str, ...]
    functions: frozenset[str]
    comments: frozenset[str]
    containers: frozenset[str]
    classes: frozenset[str]
    soft_keywords: frozenset[str]
    # Kinds whose body is an indented block of statements (Python's class); where given, an
    # edit among top-level statements or such a body's statements re-parses only those.
    indented_bodies: frozenset[str] = frozenset()
    # Top-level statement kinds that rules read file-wide (Python's imports, for aliases).
    imports: frozenset[str] = frozenset()
    # Kinds that may hold a line break of their own (strings), for statement-local reparsing.
    multiline_tokens: frozenset[str] = frozenset()
    # Kinds of an indented block of statements (Python's ``block``), which takes the indented
    # lines after it: an unindented line ending in one may not end a class there.
    blocks: frozenset[str] = frozenset()
    # The language whose node kinds and queries this one shares where it has none of its own
    # (``like = "typescript"`` for TSX, whose grammar extends TypeScript's).
    like: str | None = None


@cache
def all_languages() -> dict[str, LanguageSpec]:
    """Every supported language by name, in the order of ``languages.toml``."""
    text = resources.files(__package__).joinpath("languages.toml").read_text("utf-8")
    tables = tomllib.loads(text)
    return {name: _spec(name, _with_base(table, tables)) for name, table in tables.items()}


def _with_base(table: dict[str, object], tables: dict[str, dict[str, object]]) -> dict[str, object]:
    """``table`` with the node kinds of the language it is ``like`` where it gives none."""
    base = tables.get(str(table.get("like", "")), {})
    shared = {k: v for k, v in base.items() if k not in ("grammar", "language_ids", "extensions")}
    return {**shared, **table}


def _spec(name: str, table: dict[str, object]) -> LanguageSpec:
    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        assert isinstance(value, list), f"languages.toml: [{name}].{key} must be a list"
        return tuple(str(item) for item in value)

    return LanguageSpec(
        name=name,
        grammar=str(table["grammar"]),
        language_ids=strings("language_ids"),
        extensions=strings("extensions"),
        functions=frozenset(strings("functions")),
        comments=frozenset(strings("comments")),
        containers=frozenset(strings("containers")),
        classes=frozenset(strings("classes")),
        soft_keywords=frozenset(strings("soft_keywords")),
        indented_bodies=frozenset(strings("indented_bodies")),
        imports=frozenset(strings("imports")),
        multiline_tokens=frozenset(strings("multiline_tokens")),
        blocks=frozenset(strings("blocks")),
        like=str(table["like"]) if "like" in table else None,
    )


@cache
def _by_language_id() -> dict[str, LanguageSpec]:
    return {lid: spec for spec in all_languages().values() for lid in spec.language_ids}


@cache
def _by_extension() -> dict[str, LanguageSpec]:
    return {ext: spec for spec in all_languages().values() for ext in spec.extensions}


def language_for(language_id: str | None = None, path: str | None = None) -> LanguageSpec | None:
    """The language for an editor ``languageId`` or, failing that, a file path; None if unknown."""
    if language_id and (spec := _by_language_id().get(language_id)):
        return spec
    if path:
        return _by_extension().get(PurePath(path).suffix.lower())
    return None


@cache
def ts_language(name: str) -> tree_sitter.Language:
    """The tree-sitter grammar of a language, loaded from its wheel once."""
    module_name, factory = all_languages()[name].grammar.split(":")
    module = importlib.import_module(module_name)
    return tree_sitter.Language(getattr(module, factory)())


@cache
def load_query(language: str, name: str) -> tree_sitter.Query | None:
    """The query ``queries/<language>/<name>.scm``, compiled once; None where there is none.

    A query file may start with ``;; inherits: javascript`` (comma-separated): the named
    languages' queries of the same name come first, compiled with this language's grammar.
    """
    text = query_text(language, name)
    return None if text is None else tree_sitter.Query(ts_language(language), text)


def query_text(language: str, name: str) -> str | None:
    """The source of a query, with the queries it inherits from put before it; a language with no
    file of that name takes the one of the language it is ``like``."""
    path = resources.files(__package__).joinpath("queries", language, f"{name}.scm")
    if not path.is_file():
        like = all_languages()[language].like if language in all_languages() else None
        return query_text(like, name) if like else None
    text = path.read_text("utf-8")
    first = text.split("\n", 1)[0]
    if not first.startswith(";; inherits:"):
        return text
    parents = [part.strip() for part in first.removeprefix(";; inherits:").split(",")]
    inherited = [query_text(parent, name) or "" for parent in parents]
    return "\n".join([*inherited, text])
