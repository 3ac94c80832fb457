"""Lifting a source set (every model file of a folder or list of files) as one schema: names
resolve across files and packages, and every declaration is either translated or named in a
warning with its file and line. No I/O: the caller reads the files.

Two passes: the first learns what each file declares (enums with their members, models,
typealiases), the second lifts each file against all of it. A model that refers to one that
was not translated is not translated either, and says why.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import tree_sitter

from .exceptions import CodegenError, LiftError
from .ir import Alias, Entity, Enum, Schema, Union
from .lift import select
from .lift.common import OUTSIDE, Outside, Source
from .packages import Packaged, Qualifier, package_of, qualify
from .platforms import platform_for_path
from .syntax import parse

__all__ = ["Lifted", "Notice", "lift_set"]


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning (a declaration not translated) or a note (something left out on purpose)."""

    path: str
    line: int
    message: str
    warning: bool = True

    def __str__(self) -> str:
        kind = "warning" if self.warning else "note"
        return f"{self.path}:{self.line}: {kind}: {self.message}"


@dataclass(slots=True)
class Lifted:
    """A source set's schema, the file each model came from, and the notices."""

    schema: Schema
    origins: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    # The line each model is declared at, in its origin.
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Notice]:
        """The notices that are warnings (what ``--strict`` refuses)."""
        return [notice for notice in self.notices if notice.warning]


@dataclass(slots=True)
class _File:
    path: str
    source: Source
    root: tree_sitter.Node
    lift_tree: Callable[[Source, tree_sitter.Node], Schema]


def lift_set(files: list[tuple[str, str]], types: list[str] | None = None) -> Lifted:
    """The models of ``files`` (path, text) and, with ``types``, only those and what they
    reference.

    Raises:
        CodegenError: no file is of a platform that lifts, or a type asked for is unknown.
    """
    parsed = [_parse(path, text) for path, text in files]
    if not parsed:
        raise CodegenError("no source file to translate")
    declared = [_declared(file) for file in parsed]
    qualifier = qualify(
        [_packaged(file, part) for file, part in zip(parsed, declared, strict=True)]
    )
    for file, part in zip(parsed, declared, strict=True):
        for supertype, variants in part.variants.items():
            part.variants[supertype] = [qualifier.variant(file.path, v) for v in variants]
    outside = _merge(declared, qualifier.qualified)
    lifted = Lifted(Schema())
    entities: list[Entity] = []
    enums: list[Enum] = []
    unions: list[Union] = []
    aliases: list[Alias] = []
    lines: dict[str, tuple[str, int]] = {}
    for file in parsed:
        file.source.skipped.clear()
        with _outside(outside):
            schema = qualifier.rename(file.path, _lift(file))
        for line, message in file.source.notes:
            lifted.notices.append(Notice(file.path, line, message, warning=False))
        for error in file.source.skipped:
            lifted.notices.append(Notice(file.path, error.line, str(error).split(": ", 1)[1]))
        for model in _names_of(schema):
            lifted.origins[model] = file.path
            lines[model] = (file.path, _line_of(file.source, qualifier.simple.get(model, model)))
            lifted.lines[model] = lines[model][1]
        entities += schema.entities
        enums += schema.enums
        unions += schema.unions
        aliases += schema.aliases
    order = {entity.name: index for index, entity in enumerate(entities)}
    whole = Schema(
        entities=tuple(entities),
        enums=tuple(enums),
        unions=tuple(
            u.model_copy(
                update={"variants": tuple(sorted(u.variants, key=lambda v: order.get(v.entity, 0)))}
            )
            for u in unions
        ),
        aliases=tuple(aliases),
    )
    schema = _sound(whole, lines, lifted, qualifier)
    if types:
        for name in types:
            if name not in _names_of(schema):
                reasons = [str(n) for n in lifted.notices if f"`{name}`" in n.message]
                why = "; ".join(reasons) or "no model of that name in the source set"
                raise CodegenError(f"--type {name} is not translated: {why}")
        wanted = [select(schema, name) for name in types]
        schema = Schema(
            entities=tuple(e for e in schema.entities if any(e in w.entities for w in wanted)),
            enums=tuple(e for e in schema.enums if any(e in w.enums for w in wanted)),
            unions=tuple(u for u in schema.unions if any(u in w.unions for w in wanted)),
            aliases=tuple(a for a in schema.aliases if any(a in w.aliases for w in wanted)),
        )
        closure = {f"`{name}`" for name in _names_of(schema)}
        lifted.notices = [n for n in lifted.notices if any(c in n.message for c in closure)]
    lifted.schema = schema
    return lifted


def _parse(path: str, text: str) -> _File:
    chosen = platform_for_path(path)
    if not chosen.lifts:
        raise CodegenError(f"{path}: code cannot be lifted from {chosen.name} yet")
    module = importlib.import_module(f"accord.codegen.lift.{chosen.name}")
    return _File(
        path,
        Source.of(text, chosen, tolerant=True),
        parse(text, chosen).root_node,
        module.lift_tree,
    )


def _lift(file: _File) -> Schema:
    """The file's schema; a file whose lifter stops at its first problem loses its models to
    one warning at that line."""
    try:
        return file.lift_tree(file.source, file.root)
    except LiftError as error:
        file.source.skipped.append(error)
        return Schema()


def _declared(file: _File) -> Outside:
    module = importlib.import_module(f"accord.codegen.lift.{file.source.platform.name}")
    if hasattr(module, "outside_of"):
        declared: Outside = module.outside_of(file.source, file.root)
        return declared
    with _outside(Outside(lenient=True)):
        schema = _lift(file)
    file.source.notes.clear()
    return Outside(
        enums={e.name: e.values for e in schema.enums},
        entities=frozenset(e.name for e in schema.entities),
    )


def _packaged(file: _File, declared: Outside) -> Packaged:
    names = frozenset(declared.enums) | declared.entities
    return package_of(file.path, file.source.text, file.source.platform.name, names)


def _merge(parts: list[Outside], qualified: dict[str, str]) -> Outside:
    merged = Outside()
    for part in parts:
        merged.enums.update(part.enums)
        merged.members.update(part.members)
        merged.aliases.update(part.aliases)
        merged.shared.update(part.shared)
    for part in parts:
        for supertype, variants in part.variants.items():
            merged.variants.setdefault(supertype, []).extend(variants)
    entities = frozenset().union(*(part.entities for part in parts))
    return Outside(
        merged.enums,
        entities,
        merged.members,
        merged.aliases,
        variants=merged.variants,
        qualified=qualified,
        shared=merged.shared,
    )


@contextmanager
def _outside(outside: Outside) -> Iterator[None]:
    token = OUTSIDE.set(outside)
    try:
        yield
    finally:
        OUTSIDE.reset(token)


def _line_of(source: Source, name: str) -> int:
    """The first line that declares ``name`` (1 when none is found)."""
    for number, line in enumerate(source.lines, start=1):
        words = line.replace("(", " ").replace("{", " ").replace(":", " ").split()
        if name in words and any(w in words for w in _DECLARING):
            return number
    return 1


_DECLARING = ("class", "struct", "enum", "interface", "type", "record", "object")


def _sound(
    schema: Schema, lines: dict[str, tuple[str, int]], lifted: Lifted, qualifier: Qualifier
) -> Schema:
    """``schema`` without the models that break its invariants (declared twice, referring to
    one not translated, no fields), each named in a warning; repeated until none is left."""
    while True:
        problems = schema.check()
        if not problems:
            return schema
        broken = {
            problem.split("`")[1] if problem.startswith("`") else problem.split(".")[0]
            for problem in problems
        }
        for problem in problems:
            name = problem.split("`")[1] if problem.startswith("`") else problem.split(".")[0]
            path, line = lines.get(name, ("<source set>", 1))
            reason = re.sub(
                r"unknown (entity|enum) `(\w+)`",
                lambda m: f"refers to `{m.group(2)}`, {qualifier.why_unknown(m.group(2))}",
                problem,
            )
            lifted.notices.append(Notice(path, line, f"`{name}` is not translated: {reason}"))
        schema = Schema(
            entities=tuple(e for e in schema.entities if e.name not in broken),
            enums=tuple(e for e in schema.enums if e.name not in broken),
            unions=tuple(u for u in schema.unions if u.name not in broken),
            aliases=tuple(a for a in schema.aliases if a.name not in broken),
        )


def _names_of(schema: Schema) -> list[str]:
    """Every model's name: enums, entities, unions."""
    names = [e.name for e in schema.enums] + [e.name for e in schema.entities]
    return names + [u.name for u in schema.unions] + [a.name for a in schema.aliases]
