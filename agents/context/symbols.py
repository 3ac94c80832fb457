"""The workspace symbol map: per file, the definitions it makes and the names it uses.

Definitions and references come from each language's ``tags.scm`` query
(``accord/analyzers/queries/<language>/tags.scm``): ``@definition.<kind>`` and
``@reference.<kind>`` captures, each with a ``@name``. ``extract`` is pure; ``SymbolMap`` keeps
one entry per file, replaced by ``update`` and dropped by ``remove``, so an edited file costs one
parse. A map built over a folder holds only files the data guard lets leave the machine at all
(see ``accord.agents.guard``), outside the linter's ``exclude`` folders, under
``max-file-size``, and UTF-8 text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter

from accord.agents.guard import egress_allowed
from accord.analyzers.languages import LanguageSpec, language_for, load_query, ts_language
from accord.check.analysis import read_source
from accord.check.discovery import discover
from accord.config import Settings

__all__ = ["Definition", "FileSymbols", "SymbolMap", "extract"]

# When one name is captured as several kinds, the highest here wins (a method over a function).
_SPECIFICITY = {"method": 3, "interface": 2, "class": 2, "type": 2, "function": 1}


@dataclass(frozen=True, slots=True)
class Definition:
    """A named definition; lines are 1-based and inclusive; ``signature`` is its first line."""

    name: str
    kind: str
    start_line: int
    end_line: int
    signature: str


@dataclass(frozen=True, slots=True)
class FileSymbols:
    """What one file defines (in source order) and how often it uses each name."""

    language: str
    definitions: tuple[Definition, ...]
    references: Mapping[str, int] = field(default_factory=dict)


def extract(spec: LanguageSpec, text: str) -> FileSymbols:
    """The definitions and references of ``text``, a file in ``spec``'s language."""
    query = load_query(spec.name, "tags")
    if query is None:
        return FileSymbols(spec.name, ())
    data = text.encode("utf-8", errors="surrogatepass")
    tree = tree_sitter.Parser(ts_language(spec.name)).parse(data)
    lines = data.split(b"\n")
    captured = list(_captures(query, tree.root_node))
    definitions: dict[int, Definition] = {}
    for role, kind, name, node in captured:
        if role == "definition" and _more_specific(kind, definitions.get(node.start_byte)):
            definitions[node.start_byte] = _definition(_text(name), kind, node, lines)
    # A definition's own name is not a use of it (``type_identifier`` patterns see both).
    named = {name.start_byte for role, _, name, _ in captured if role == "definition"}
    references = Counter(
        _text(name)
        for role, _, name, _ in captured
        if role == "reference" and name.start_byte not in named
    )
    ordered = tuple(definitions[start] for start in sorted(definitions))
    return FileSymbols(spec.name, ordered, dict(references))


def _captures(
    query: tree_sitter.Query, root: tree_sitter.Node
) -> Iterator[tuple[str, str, tree_sitter.Node, tree_sitter.Node]]:
    """(role, kind, name node, whole node) for each match with a ``@name`` and a role."""
    for _, captures in tree_sitter.QueryCursor(query).matches(root):
        for capture, nodes in captures.items() if "name" in captures else ():
            role, _, kind = capture.partition(".")
            if role in ("definition", "reference") and kind:
                yield role, kind, captures["name"][0], nodes[0]


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _more_specific(kind: str, current: Definition | None) -> bool:
    return current is None or _SPECIFICITY.get(kind, 0) > _SPECIFICITY.get(current.kind, 0)


def _definition(name: str, kind: str, node: tree_sitter.Node, lines: list[bytes]) -> Definition:
    first = lines[node.start_point.row].decode("utf-8", errors="replace").rstrip()
    return Definition(name, kind, node.start_point.row + 1, node.end_point.row + 1, first)


class SymbolMap:
    """The symbols of a workspace's files, by path relative to ``root`` (``/``-separated).

    Mutated only through ``build``, ``update`` and ``remove``; ``files`` is a read-only view.
    """

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        # Relative path → the file's symbols.
        self._files: dict[str, FileSymbols] = {}

    @property
    def files(self) -> Mapping[str, FileSymbols]:
        return self._files

    def build(self) -> None:
        """Read every eligible file under the root afresh."""
        self._files.clear()
        sources, _ = discover([self.root], self.root, self.settings)
        for source in sources:  # discovery has applied ``exclude`` and the language check
            spec = language_for(path=source.path.name)
            if spec is not None and self._allowed(source.rel):
                self._read(source.path, source.rel, spec)

    def refresh(self, path: Path) -> FileSymbols | None:
        """Re-read ``path`` from disk; an ineligible, unreadable, binary or oversized file leaves
        the map (and an ineligible one is not even read)."""
        eligible = self._eligible(path)
        if eligible is None:
            self.remove(path)
            return None
        return self._read(path, *eligible)

    def update(self, path: Path, text: str) -> FileSymbols | None:
        """Re-extract one file from ``text`` (an editor's unsaved text, say); a file of no
        supported language, under ``exclude``, or one the guard keeps on the machine, leaves
        the map."""
        eligible = self._eligible(path)
        if eligible is None:
            self.remove(path)
            return None
        rel, spec = eligible
        self._files[rel] = extract(spec, text)
        return self._files[rel]

    def remove(self, path: Path) -> None:
        """Forget ``path``; nothing happens if it was not in the map."""
        rel = self.relative(path)
        if rel is not None:
            self._files.pop(rel, None)

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the root with ``/``; None outside the root."""
        absolute = path if path.is_absolute() else self.root / path
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def _eligible(self, path: Path) -> tuple[str, LanguageSpec] | None:
        rel = self.relative(path)
        spec = language_for(path=path.name)
        if rel is None or spec is None or self.settings.excluded(rel) or not self._allowed(rel):
            return None
        return rel, spec

    def _allowed(self, rel: str) -> bool:
        return egress_allowed(self.root / rel, self.root, self.settings.egress, "on_premise")

    def _read(self, path: Path, rel: str, spec: LanguageSpec) -> FileSymbols | None:
        data, _ = read_source(path, self.settings.max_file_size)
        if data is None:
            self._files.pop(rel, None)
            return None
        self._files[rel] = extract(spec, data.decode("utf-8"))
        return self._files[rel]
