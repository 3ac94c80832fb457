"""TypeScript: interfaces named by the wire names, string-literal unions, and zod schemas.

TypeScript's ``number`` and ``string`` stand for several IR scalars; the doc comment says which
(``@asType integer``, ``@format uuid``), as typescript-json-schema reads them, and the zod schema
checks it.
"""

from __future__ import annotations

import json
import re

from ..ir import (
    Alias,
    Constraints,
    EntityType,
    Enum,
    EnumType,
    FieldDef,
    ListType,
    MapType,
    OptionalType,
    Scalar,
    ScalarType,
    TypeRef,
    Union,
)
from .dialect import Dialect, number

__all__ = ["DIALECT", "FORMATS"]

# Scalars that TypeScript spells alike, told apart by a tag: scalar -> (tag, value).
FORMATS = {
    Scalar.INT: ("asType", "integer"),
    Scalar.DECIMAL: ("format", "decimal"),
    Scalar.DATETIME: ("format", "date-time"),
    Scalar.DATE: ("format", "date"),
    Scalar.TIME: ("format", "time"),
    Scalar.LOCAL_DATETIME: ("format", "local-date-time"),
    Scalar.DURATION: ("format", "duration"),
    Scalar.UUID: ("format", "uuid"),
    Scalar.BYTES: ("format", "byte"),
}
_TS = {
    Scalar.STRING: "string",
    Scalar.INT: "number",
    Scalar.FLOAT: "number",
    Scalar.BOOL: "boolean",
    Scalar.DECIMAL: "string",
    Scalar.DATETIME: "string",
    Scalar.DATE: "string",
    Scalar.TIME: "string",
    Scalar.LOCAL_DATETIME: "string",
    Scalar.DURATION: "string",
    Scalar.UUID: "string",
    Scalar.BYTES: "string",
}
_ZOD = {
    Scalar.STRING: "z.string()",
    Scalar.INT: "z.number().int()",
    Scalar.FLOAT: "z.number()",
    Scalar.BOOL: "z.boolean()",
    Scalar.DECIMAL: "z.string()",
    Scalar.DATETIME: "z.string().datetime()",
    Scalar.DATE: "z.string().date()",
    Scalar.TIME: "z.string().time()",
    Scalar.LOCAL_DATETIME: "z.string().datetime({ local: true })",
    Scalar.DURATION: "z.string().duration()",
    Scalar.UUID: "z.string().uuid()",
    Scalar.BYTES: "z.string()",
}
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class TypeScript(Dialect):
    native_defaults = False

    def member(self, wire: str) -> str:
        """The wire name itself (quoted where it is no identifier): interfaces describe JSON."""
        return wire if _IDENTIFIER.match(wire) else json.dumps(wire)

    def names(self, names: list[str]) -> str:
        """Each model's type and its zod schema."""
        return ", ".join(f"{self.type_name(n)}, {self.type_name(n)}Schema" for n in names)

    def zod_union(self, union: Union) -> str:
        """The zod schema of a tagged union: each variant's schema (lazily: a variant in a file
        that imports this one is not defined yet when this file runs first) and its tag."""
        key = self.member(union.discriminator)
        parts = [
            f"z.object({{ {key}: z.literal({self.string(v.tag)}) }})"
            f".and(z.lazy(() => {self.type_name(v.entity)}Schema))"
            for v in union.variants
        ]
        if len(parts) == 1:
            return parts[0]
        return "z.union([\n" + "".join(f"  {part},\n" for part in parts) + "])"

    def alias_zod(self, alias: Alias) -> str:
        """The zod schema of the scalar an alias brands."""
        return self.zod_type(ScalarType(scalar=alias.scalar))

    def member_values(self, enum: Enum, index: int) -> str:
        """``rgb: 16711680, label: "Red"``: member ``index``'s properties."""
        return ", ".join(
            f"{self.member(p.name)}: {self.property_literal(p, p.values[index])}"
            for p in enum.properties
        )

    def type_tags(self, ref: TypeRef) -> dict[str, str]:
        match ref:
            case ScalarType(scalar=scalar) if scalar in FORMATS:
                tag, value = FORMATS[scalar]
                return {tag: value}
            case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
                return self.type_tags(inner)
        return {}

    def type_of(self, ref: TypeRef, nested: bool = False) -> str:
        """The TypeScript type of ``ref``."""
        match ref:
            case ScalarType(scalar=scalar):
                return _TS[scalar]
            case ListType(item=item):
                return f"{self.type_of(item, nested=True)}[]"
            case MapType(value=value):
                return f"Record<string, {self.type_of(value)}>"
            case OptionalType(inner=inner):
                union = f"{self.type_of(inner)} | null"
                return f"({union})" if nested else union
            case EnumType(name=name) | EntityType(name=name):
                return self.type_name(name)
        raise AssertionError(ref)

    def optional_mark(self, field: FieldDef) -> str:
        """``?`` for a field that may be left out (an optional one)."""
        return "?" if isinstance(field.type, OptionalType) else ""

    def zod(self, field: FieldDef) -> str:
        """The zod schema of a field, with its constraints and default."""
        schema = self.zod_type(field.type, field.constraints)
        if isinstance(field.type, OptionalType):
            schema += ".optional()"
        if field.default is not None:
            schema += f".default({json.dumps(field.default.value)})"
        return schema

    def zod_type(self, ref: TypeRef, constraints: Constraints | None = None) -> str:
        """The zod schema of a type; ``constraints`` apply to the outermost non-null type."""
        match ref:
            case ScalarType(scalar=scalar):
                base = _ZOD[scalar]
            case ListType(item=item):
                base = f"z.array({self.zod_type(item)})"
            case MapType(value=value):
                base = f"z.record(z.string(), {self.zod_type(value)})"
            case OptionalType(inner=inner):
                return f"{self.zod_type(inner, constraints)}.nullable()"
            case EnumType(name=name):
                base = f"{self.type_name(name)}Schema"
            case EntityType(name=name):
                base = f"z.lazy(() => {self.type_name(name)}Schema)"
        return base + _zod_checks(constraints)


def _zod_checks(constraints: Constraints | None) -> str:
    if constraints is None:
        return ""
    checks = [
        (constraints.min_length, "min"),
        (constraints.max_length, "max"),
        (constraints.minimum, "gte"),
        (constraints.maximum, "lte"),
    ]
    text = "".join(f".{name}({number(value)})" for value, name in checks if value is not None)
    if constraints.pattern is not None:
        text += f".regex(new RegExp({json.dumps(constraints.pattern)}))"
    return text


DIALECT = TypeScript()
