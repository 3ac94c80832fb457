"""What every emitter's dialect shares: doc comments with tags, literals, constraint tags.

A dialect maps IR values to one platform's spelling (types, identifiers, literals); the
template of a pack decides the layout. Dialects are pure functions of the IR.
"""

from __future__ import annotations

import json

from ..doctags import Doc
from ..ir import (
    Alias,
    Constraints,
    Default,
    Enum,
    EnumProperty,
    EnumType,
    FieldDef,
    ListType,
    MapType,
    OptionalType,
    ScalarType,
    TypeRef,
)
from ..naming import camel, pascal, upper_snake
from ..spelling import Spelling

__all__ = ["Dialect", "SpelledDialect", "constraint_tags", "number", "quoted"]

_CONSTRAINT_TAGS = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
}


def number(value: int | float) -> str:
    """A number as every platform's literal spells it (``3``, ``2.5``)."""
    return repr(value)


def quoted(text: str, extra: str = "") -> str:
    """A double-quoted string literal escaping backslash, quote, newline and ``extra`` chars."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    for char in extra:
        escaped = escaped.replace(char, "\\" + char)
    return f'"{escaped}"'


def constraint_tags(constraints: Constraints) -> dict[str, str]:
    """The constraints as doc tags (``@minLength 1``)."""
    tags = {}
    for key, value in constraints.model_dump().items():
        if value is not None:
            tags[_CONSTRAINT_TAGS[key]] = value if isinstance(value, str) else number(value)
    return tags


class Dialect:
    """The spelling of one platform; subclasses override what differs."""

    # Whether the platform writes defaults in code (else they go in a ``@default`` tag).
    native_defaults = True
    # Whether the platform writes constraints in code (else they go in tags).
    native_constraints = False
    # Characters a string literal escapes besides backslash and quote.
    string_escapes = ""

    def member(self, wire: str) -> str:
        """A field's identifier."""
        return camel(wire)

    def constant(self, wire: str) -> str:
        """An enum member's identifier."""
        return upper_snake(wire)

    def type_name(self, name: str) -> str:
        """An entity's or enum's identifier."""
        return pascal(name)

    def names(self, names: list[str]) -> str:
        """What an import of models ``names`` from another generated file lists."""
        return ", ".join(self.type_name(name) for name in names)

    def string(self, text: str) -> str:
        """A string literal."""
        return quoted(text, self.string_escapes)

    def doc(self, text: str) -> Doc:
        """An entity's or enum's doc comment."""
        return Doc(text)

    def field_doc(self, field: FieldDef) -> Doc:
        """A field's doc comment, carrying in tags what the code cannot say."""
        tags = self.type_tags(field.type)
        if not self.native_constraints:
            tags.update(constraint_tags(field.constraints))
        if not self.native_defaults and field.default is not None:
            tags["default"] = json.dumps(field.default.value)
        return Doc(field.doc, tags)

    def type_tags(self, ref: TypeRef) -> dict[str, str]:
        """Tags that say what the platform's type does not (TypeScript's int vs float)."""
        return {}

    def default(self, field: FieldDef) -> str | None:
        """The default's literal, or None when there is none (or it goes in a tag)."""
        if field.default is None or not self.native_defaults:
            return None
        return self.literal(field.default, field.type)

    def literal(self, default: Default, ref: TypeRef) -> str:
        """The literal of a default value of type ``ref``."""
        value = default.value
        if isinstance(ref, OptionalType):
            return self.null if value is None else self.literal(default, ref.inner)
        if isinstance(ref, EnumType):
            return self.enum_literal(ref.name, str(value))
        if isinstance(value, list) and isinstance(ref, ListType):
            items = [self.literal(Default(value=item), ref.item) for item in value]
            return self.list_form(items)
        if isinstance(value, dict) and isinstance(ref, MapType):
            pairs = [
                (self.string(k), self.literal(Default(value=v), ref.value))
                for k, v in value.items()
            ]
            return self.map_form(pairs)
        if isinstance(value, bool):
            return self.true if value else self.false
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, (int, float)):
            return number(value)
        return self.null

    def enum_arguments(self, enum: Enum, index: int) -> str:
        """``(16711680, "Red")``: the property values of member ``index`` (empty without)."""
        if not enum.properties:
            return ""
        values = [self.property_literal(p, p.values[index]) for p in enum.properties]
        return "(" + ", ".join(values) + ")"

    def property_literal(self, prop: EnumProperty, value: object) -> str:
        """The literal of one value of an enum property."""
        return self.literal(
            Default.model_validate({"value": value}), ScalarType(scalar=prop.scalar)
        )

    def property_table(self, enum: Enum, prop: EnumProperty) -> str:
        """``{"red": 16711680, …}``: each member's wire value to its value of ``prop``."""
        pairs = [
            (self.string(wire), self.property_literal(prop, value))
            for wire, value in zip(enum.values, prop.values, strict=True)
        ]
        return self.map_form(pairs)

    def alias_type(self, alias: Alias) -> str:
        """The platform's type of the scalar an alias names."""
        return self.type_of(ScalarType(scalar=alias.scalar))

    def alias_doc(self, alias: Alias) -> Doc:
        """An alias's doc comment, with the tags its scalar's spelling needs."""
        return Doc(alias.doc, self.type_tags(ScalarType(scalar=alias.scalar)))

    def property_type(self, prop: EnumProperty) -> str:
        """The type of an enum property."""
        return self.type_of(ScalarType(scalar=prop.scalar))

    def type_of(self, ref: TypeRef) -> str:
        """The platform's type of ``ref`` (each dialect spells its own)."""
        raise NotImplementedError

    def enum_literal(self, enum: str, wire: str) -> str:
        """An enum member as a value (``Status.ACTIVE``)."""
        return f"{self.type_name(enum)}.{self.constant(wire)}"

    def list_form(self, items: list[str]) -> str:
        """A list literal of ``items`` (``[1, 2]``)."""
        return "[" + ", ".join(items) + "]"

    def map_form(self, pairs: list[tuple[str, str]]) -> str:
        """A string-keyed map literal of ``pairs`` (``{"a": 1}``)."""
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"

    null = "null"
    true = "true"
    false = "false"


class SpelledDialect(Dialect):
    """A dialect whose types come from a ``Spelling`` and whose defaults and constraints travel
    in doc tags (Go, Java, Rust, Dart: none has a portable place for them in code)."""

    native_defaults = False

    def __init__(self, spelling: Spelling) -> None:
        self.spelling = spelling

    def type_of(self, ref: TypeRef) -> str:
        """The platform's type of ``ref``."""
        return self.spelling.type_of(ref)

    def type_tags(self, ref: TypeRef) -> dict[str, str]:
        return self.spelling.tags(ref)

    def renamed(self, field: FieldDef) -> bool:
        """Whether the field's identifier differs from its wire name (so code must name it)."""
        return self.member(field.name) != field.name
