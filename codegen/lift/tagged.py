"""What the Go, Java, Rust and Dart lifters share: their models keep defaults and constraints
in doc tags, and their types follow the platform's ``Spelling``. A lifter finds the raw
declarations; ``assemble`` resolves their types and tags into a Schema."""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from ..doctags import Doc
from ..exceptions import LiftError
from ..ir import Alias, Entity, Enum, FieldDef, ScalarType, Schema, Union
from ..spelling import Spelling
from .common import Names, default_from_tag, make_field, text_of

__all__ = ["RawAlias", "RawEntity", "RawField", "assemble", "name_of", "unquote"]


@dataclass(frozen=True, slots=True)
class RawField:
    """A field as declared: its wire name, the text of its type, its doc and line."""

    wire: str
    type_text: str
    doc: Doc
    line: int


@dataclass(frozen=True, slots=True)
class RawEntity:
    name: str
    doc: str
    fields: tuple[RawField, ...]


@dataclass(frozen=True, slots=True)
class RawAlias:
    """A named scalar as written: its name, the aliased type's text, doc and line."""

    name: str
    type_text: str
    doc: Doc
    line: int


def assemble(
    spelling: Spelling,
    enums: list[Enum],
    entities: list[RawEntity],
    unions: tuple[Union, ...] = (),
    aliases: tuple[RawAlias, ...] = (),
) -> Schema:
    """The schema of the declarations, with types resolved against the file's names.

    Raises:
        LiftError: a type is not supported or a tag's value is malformed.
    """
    declared = frozenset(e.name for e in entities) | {u.name for u in unions}
    declared |= {a.name for a in aliases}
    names = Names({e.name: e.values for e in enums}, declared)
    return Schema(
        aliases=tuple(_alias(spelling, a, names) for a in aliases),
        unions=unions,
        entities=tuple(
            Entity(
                name=e.name, doc=e.doc, fields=tuple(_field(spelling, f, names) for f in e.fields)
            )
            for e in entities
        ),
        enums=tuple(enums),
    )


def _alias(spelling: Spelling, raw: RawAlias, names: Names) -> Alias:
    ref = spelling.parse(raw.type_text, raw.doc, names.resolve, raw.line)
    if not isinstance(ref, ScalarType):
        raise LiftError(raw.line, f"`{raw.name}` aliases no scalar; not lifted")
    return Alias(name=raw.name, scalar=ref.scalar, doc=raw.doc.text)


def _field(spelling: Spelling, raw: RawField, names: Names) -> FieldDef:
    ref = spelling.parse(raw.type_text, raw.doc, names.resolve, raw.line)
    return make_field(raw.wire, ref, raw.doc, raw.line, default=default_from_tag(raw.doc, raw.line))


def name_of(node: tree_sitter.Node, field: str = "name") -> str:
    """The text of ``node``'s child ``field`` (empty when it has none)."""
    child = node.child_by_field_name(field)
    return text_of(child) if child else ""


def unquote(literal: str) -> str:
    """The value of a double- or single-quoted string literal with backslash escapes."""
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), literal[1:-1]
    )
