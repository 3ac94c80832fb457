"""What the lifters share: lines and doc comments of nodes, type references by name, and
splitting generic type arguments."""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass, field

import tree_sitter

from ..doctags import Doc, doc_above
from ..exceptions import LiftError
from ..ir import (
    Constraints,
    Default,
    EntityType,
    EnumType,
    FieldDef,
    OptionalType,
    Scalar,
    ScalarType,
    TypeRef,
    Variant,
)
from ..platforms import Platform

__all__ = [
    "OUTSIDE",
    "Names",
    "Outside",
    "Source",
    "constraints_from_tags",
    "default_from_tag",
    "make_field",
    "optional",
    "split_args",
    "split_union",
    "text_of",
]

_TAG_CONSTRAINTS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
}


def text_of(node: tree_sitter.Node) -> str:
    """The source text of a node."""
    return (node.text or b"").decode("utf-8")


@dataclass(frozen=True, slots=True)
class Outside:
    """What the rest of a source set declares, for one file's lifter to resolve names against.

    ``members``: enum -> member identifier -> wire value (defaults like ``Status.ACTIVE``);
    ``aliases``: typealias or value class -> the aliased type's source text. A lenient Outside
    (the first pass over a source set) takes every unknown name for an entity.
    """

    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    entities: frozenset[str] = frozenset()
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    lenient: bool = False
    # Sealed supertype -> its subclasses (tag and entity) anywhere in the set.
    variants: dict[str, list[Variant]] = field(default_factory=dict)
    # A package-qualified name (``com.acme.model.User``) -> its IR name, for simple names
    # declared in more than one package.
    qualified: dict[str, str] = field(default_factory=dict)
    # Sealed class -> the text of its primary constructor's parameters (``(val id: String)``):
    # properties every subclass carries on the wire, ahead of its own.
    shared: dict[str, str] = field(default_factory=dict)


# The declarations of the other files of the source set being lifted (None: a lone file).
OUTSIDE: ContextVar[Outside | None] = ContextVar("OUTSIDE", default=None)


@dataclass(frozen=True, slots=True)
class Source:
    """A file being lifted: its text, lines and platform.

    A tolerant source (a file of a source set) lets a lifter that supports it record a
    declaration it cannot lift in ``skipped`` and go on; ``notes`` are things left out on
    purpose (a constructor parameter that is no property), by line.
    """

    text: str
    platform: Platform
    lines: list[str] = field(default_factory=list)
    tolerant: bool = False
    notes: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[LiftError] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, platform: Platform, tolerant: bool = False) -> Source:
        return cls(text, platform, text.split("\n"), tolerant)

    def note(self, node: tree_sitter.Node, message: str) -> None:
        """Record something left out on purpose at ``node``'s line."""
        self.notes.append((node.start_point.row + 1, message))

    def doc(self, node: tree_sitter.Node) -> Doc:
        """The doc comment right above ``node``, split into prose and tags."""
        row, column = node.start_point
        column = len(self.lines[row].encode("utf-8")[:column].decode("utf-8", "replace"))
        return Doc.parse(doc_above(self.lines, row, column, self.platform.comment_prefixes))

    def error(self, node: tree_sitter.Node, message: str) -> LiftError:
        """An unsupported construct at ``node``'s line."""
        return LiftError(node.start_point.row + 1, message)


@dataclass(frozen=True, slots=True)
class Names:
    """The enums and entities a file declares, to resolve type names against."""

    enums: dict[str, tuple[str, ...]]
    entities: frozenset[str]

    def resolve(self, name: str, scalars: dict[str, Scalar], line: int) -> TypeRef:
        """The type a bare name stands for.

        Raises:
            LiftError: the name is neither a known scalar nor declared in the file.
        """
        outside = OUTSIDE.get() or Outside()
        qualified, name = outside.qualified.get(name), name.rsplit(".", 1)[-1]
        if qualified is not None:
            enum = name in outside.enums or name in self.enums
            return EnumType(name=qualified) if enum else EntityType(name=qualified)
        if name in scalars:
            return ScalarType(scalar=scalars[name])
        if name in self.enums or name in outside.enums:
            return EnumType(name=name)
        if name in self.entities or name in outside.entities or outside.lenient:
            return EntityType(name=name)
        where = "in the source set" if OUTSIDE.get() else "in this file"
        raise LiftError(line, f"type `{name}` is neither supported nor declared {where}")

    def enum_wire(self, enum: str, member: str, to_wire: dict[str, str], line: int) -> str:
        """The wire value of enum member ``member`` (by ``to_wire``: identifier -> wire)."""
        if member in to_wire:
            return to_wire[member]
        raise LiftError(line, f"`{enum}` has no member `{member}`")


def split_args(text: str) -> list[str]:
    """Generic arguments split at top-level commas: ``String, List<Int>`` -> two parts."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "<[(":
            depth += 1
        elif char in ">])":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def split_union(text: str) -> list[str]:
    """A union type split at top-level bars: ``A | B<C | D>`` -> two parts."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char in "<[({"
        depth -= char in ">])}"
        if char == "|" and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def constraints_from_tags(doc: Doc, line: int) -> Constraints:
    """The constraints a doc comment's tags state.

    Raises:
        LiftError: a constraint tag's value is not a number where one is needed.
    """
    values: dict[str, object] = {}
    for tag, key in _TAG_CONSTRAINTS.items():
        if tag not in doc.tags:
            continue
        raw = doc.tags[tag]
        values[key] = raw if key == "pattern" else _number(raw, tag, line)
    return Constraints.model_validate(values)


def _number(raw: str, tag: str, line: int) -> int | float:
    try:
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        raise LiftError(line, f"@{tag} `{raw}` is not a number") from None


def default_from_tag(doc: Doc, line: int) -> Default | None:
    """The ``@default`` tag's JSON value, if there is one.

    Raises:
        LiftError: the value is not a JSON scalar.
    """
    if "default" not in doc.tags:
        return None
    try:
        value = json.loads(doc.tags["default"])
    except json.JSONDecodeError:
        raise LiftError(line, f"@default `{doc.tags['default']}` is not JSON") from None
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        return Default(value=value)
    if isinstance(value, dict) and all(not isinstance(v, (list, dict)) for v in value.values()):
        return Default(value=value)
    if isinstance(value, (list, dict)):
        raise LiftError(line, "@default must be a scalar, or a list or map of scalars")
    return Default(value=value)


def make_field(name: str, ref: TypeRef, doc: Doc, line: int, **extra: object) -> FieldDef:
    """A FieldDef, with constraints from the doc's tags unless ``extra`` gives them."""
    values: dict[str, object] = {
        "name": name,
        "type": ref,
        "doc": doc.text,
        "constraints": constraints_from_tags(doc, line),
    }
    values.update(extra)
    return FieldDef.model_validate(values)


def optional(ref: TypeRef) -> TypeRef:
    """``ref`` made optional (once)."""
    return ref if isinstance(ref, OptionalType) else OptionalType(inner=ref)
