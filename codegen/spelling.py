"""How a platform spells IR types, as data both its emitter and its lifter read.

A ``Spelling`` gives the name of each scalar and a form (``Vec<{}>``, ``[]{}``, ``{}?``) for
lists, string-keyed maps and optionals. Emitting fills the forms in; lifting matches them
back. Scalars a platform has no type for (Go's decimal, Dart's uuid) share another scalar's
name and are told apart by a doc tag (``@format uuid``), as in ``FORMATS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .doctags import Doc
from .exceptions import LiftError
from .ir import (
    EntityType,
    EnumType,
    ListType,
    MapType,
    OptionalType,
    Scalar,
    ScalarType,
    TypeRef,
)

__all__ = ["FORMATS", "Spelling"]

# The tag that tells a scalar apart from the one whose name it borrows.
FORMATS: dict[Scalar, tuple[str, str]] = {
    Scalar.DECIMAL: ("format", "decimal"),
    Scalar.DATETIME: ("format", "date-time"),
    Scalar.DATE: ("format", "date"),
    Scalar.TIME: ("format", "time"),
    Scalar.LOCAL_DATETIME: ("format", "local-date-time"),
    Scalar.DURATION: ("format", "duration"),
    Scalar.UUID: ("format", "uuid"),
    Scalar.BYTES: ("format", "byte"),
}
_PUNCTUATION_SPACE = re.compile(r"\s*([<>,\[\]*?:()])\s*")
# Resolves a name that is no scalar (an enum or entity): ``Names.resolve``.
_Resolve = Callable[[str, dict[str, Scalar], int], TypeRef]
_Wrap = Callable[[TypeRef], TypeRef]


@dataclass(frozen=True, slots=True)
class Spelling:
    """One platform's names of scalars and forms of lists, maps and optionals."""

    scalars: dict[Scalar, str]
    list_form: str
    map_form: str
    optional_form: str
    # Further names lifting accepts (Java's ``long`` beside ``Long``).
    aliases: dict[str, Scalar] = field(default_factory=dict)
    # The form of a value held by pointer to break a recursive type (Rust's ``Box<{}>``),
    # transparent to lifting.
    box_form: str = ""

    def type_of(self, ref: TypeRef) -> str:
        """The spelling of ``ref``."""
        match ref:
            case ScalarType(scalar=scalar):
                return self.scalars[scalar]
            case ListType(item=inner):
                return self.list_form.format(self.type_of(inner))
            case MapType(value=inner):
                return self.map_form.format(self.type_of(inner))
            case OptionalType(inner=inner):
                return self.optional_form.format(self.type_of(inner))
            case EnumType(name=name) | EntityType(name=name):
                return name
        raise AssertionError(ref)

    def tags(self, ref: TypeRef) -> dict[str, str]:
        """The ``@format`` tag of the scalar in ``ref`` whose name another scalar shares."""
        match ref:
            case ScalarType(scalar=scalar) if self._borrowed(scalar):
                tag, value = FORMATS[scalar]
                return {tag: value}
            case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
                return self.tags(inner)
        return {}

    def parse(self, text: str, doc: Doc, resolve: _Resolve, line: int) -> TypeRef:
        """The type spelled ``text``; ``resolve`` names what is no list, map or optional.

        Raises:
            LiftError: the type is neither a known form nor resolvable.
        """
        text = _compact(text)
        names = self._names()
        if text in names:
            return self._refined(ScalarType(scalar=names[text]), doc, line)
        for form, wrap in self._wraps():
            inner = _match(_compact(form), text)
            if inner is not None:
                return wrap(self.parse(inner, doc, resolve, line))
        if any(char in text for char in "<>[]*?"):
            raise LiftError(
                line, f"type `{text}` is not supported (lists, string-keyed maps and optionals are)"
            )
        return resolve(text, names, line)

    def _wraps(self) -> list[tuple[str, _Wrap]]:
        boxed: list[tuple[str, _Wrap]] = [(self.box_form, lambda t: t)] if self.box_form else []
        return boxed + [
            (
                self.optional_form,
                lambda t: t if isinstance(t, OptionalType) else OptionalType(inner=t),
            ),
            (self.list_form, lambda t: ListType(item=t)),
            (self.map_form, lambda t: MapType(value=t)),
        ]

    def _borrowed(self, scalar: Scalar) -> bool:
        name = self.scalars[scalar]
        return scalar in FORMATS and list(self.scalars.values()).count(name) > 1

    def _names(self) -> dict[str, Scalar]:
        own = {_compact(name): s for s, name in self.scalars.items() if not self._borrowed(s)}
        return {**self.aliases, **own}

    def _refined(self, ref: TypeRef, doc: Doc, line: int) -> TypeRef:
        if not isinstance(ref, ScalarType):
            return ref
        for scalar, (tag, value) in FORMATS.items():
            if doc.tags.get(tag) == value and self._borrowed(scalar):
                if self.scalars[scalar] != self.scalars[ref.scalar]:
                    raise LiftError(line, f"@{tag} {value} needs a {self.scalars[scalar]}")
                return ScalarType(scalar=scalar)
        return ref


def _compact(text: str) -> str:
    """``text`` without the spaces around punctuation (``Map<String, X>`` -> ``Map<String,X>``)."""
    return _PUNCTUATION_SPACE.sub(r"\1", " ".join(text.split()))


def _match(form: str, text: str) -> str | None:
    """What ``text`` holds in the ``{}`` of ``form``, when it has that form and the hole is
    balanced."""
    prefix, _, suffix = form.partition("{}")
    if not text.startswith(prefix) or not text.endswith(suffix):
        return None
    inner = text[len(prefix) : len(text) - len(suffix)]
    depth = 0
    for char in inner:
        depth += char in "<(["
        depth -= char in ">)]"
        if depth < 0:
            return None
    return inner if inner and depth == 0 else None
