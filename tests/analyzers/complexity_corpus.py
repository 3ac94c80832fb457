"""Shared by the ACC001 agreement tests: corpora on this machine and per-function comparison
with the reference tools (mccabe for Python, lizard for the other languages)."""

from __future__ import annotations

import ast
import sysconfig
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lizard
import mccabe

from accord.analyzers.complexity import function_complexities
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument

DATA = Path(__file__).parent.parent / "data" / "complexity"

# A function as (1-based line of its name, complexity).
Counted = list[tuple[int, int]]


@dataclass
class Agreement:
    """Per-function agreement of Accord with a reference tool over a corpus."""

    files: int = 0
    reference: int = 0  # functions the reference tool reports
    matched: int = 0  # of those, functions Accord reports on the same line
    identical: int = 0  # of those, functions with the same complexity
    differences: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.identical / self.matched if self.matched else 0.0

    def summary(self, label: str) -> str:
        return (
            f"ACC001 {label}: {self.identical}/{self.matched} functions identical "
            f"({self.percent:.3f}%), {self.matched}/{self.reference} matched, {self.files} files"
        )

    def add(self, name: str, reference: Counted, accord: Counted) -> None:
        """Pair functions line by line (in order within a line) and compare their counts."""
        self.files += 1
        self.reference += len(reference)
        ours: dict[int, list[int]] = defaultdict(list)
        for line, complexity in accord:
            ours[line].append(complexity)
        for line, complexity in reference:
            if not ours[line]:
                continue
            mine = ours[line].pop(0)
            self.matched += 1
            if mine == complexity:
                self.identical += 1
            else:
                self.differences.append(f"{name}:{line}: reference {complexity}, accord {mine}")


def accord_counts(language: str, data: bytes) -> Counted:
    document = SourceDocument(all_languages()[language], data)
    functions = function_complexities(language, document.tree.root_node)
    # lizard lists functions as they end: on one line, the inner one first.
    functions.sort(key=lambda f: (f.line, f.node.end_byte))
    return [(f.line + 1, f.complexity) for f in functions]


def mccabe_counts(data: bytes) -> Counted | None:
    """mccabe's functions (not its module-level If/Loop/Try graphs); None if not valid Python."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return None
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(tree, visitor)
    graphs = visitor.graphs.values()
    return [(g.lineno, g.complexity()) for g in graphs if not _module_level(g.entity)]


def _module_level(entity: str) -> bool:
    return entity.rsplit(".", 1)[-1].startswith(("If ", "Loop ", "TryExcept "))


def lizard_counts(filename: str, data: bytes) -> Counted:
    code = data.decode("utf-8", errors="replace")
    found = lizard.analyze_file.analyze_source_code(filename, code).function_list
    return [(f.start_line, f.cyclomatic_complexity) for f in found]


def stdlib_files() -> list[Path]:
    """The CPython standard library's .py files, top level and packages (not site-packages)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)


def every_nth(items: list[Path] | list[str], limit: int) -> list:
    """A deterministic sample of at most ``limit`` items spread over the whole list."""
    step = max(1, len(items) // limit)
    return items[::step][:limit]


def jdk_sources(limit: int) -> Iterator[tuple[str, bytes]]:
    archives = sorted(p for p in Path("/usr/lib/jvm").glob("*/lib/src.zip") if p.is_file())
    if not archives:
        return
    archive = archives[0]
    with zipfile.ZipFile(archive) as zipped:
        names = sorted(n for n in zipped.namelist() if n.endswith(".java"))
        for name in every_nth(names, limit):
            yield name, zipped.read(name)


def files_under(
    roots: Iterable[Path], suffixes: tuple[str, ...], limit: int
) -> Iterator[tuple[str, bytes]]:
    found = sorted(
        p
        for root in roots
        if root.is_dir()
        for p in root.rglob("*")
        if p.suffix in suffixes and p.is_file()
    )
    for path in every_nth(found, limit):
        yield str(path), path.read_bytes()


def lizard_agreement(language: str, sources: Iterable[tuple[str, bytes]]) -> Agreement:
    agreement = Agreement()
    for name, data in sources:
        agreement.add(name, lizard_counts(name, data), accord_counts(language, data))
    return agreement
