"""Swift: ``Codable`` structs with ``CodingKeys`` and ``String`` raw-value enums."""

from __future__ import annotations

from ..ir import EntityType, EnumType, ListType, MapType, OptionalType, Scalar, ScalarType, TypeRef
from ..naming import camel
from .dialect import Dialect

__all__ = ["DIALECT", "SCALARS", "STRING_FORMATS"]

SCALARS = {
    Scalar.STRING: "String",
    Scalar.INT: "Int",
    Scalar.FLOAT: "Double",
    Scalar.BOOL: "Bool",
    Scalar.DECIMAL: "Decimal",
    Scalar.DATETIME: "Date",
    Scalar.DATE: "String",
    Scalar.TIME: "String",
    Scalar.LOCAL_DATETIME: "String",
    Scalar.DURATION: "String",
    Scalar.UUID: "UUID",
    Scalar.BYTES: "Data",
}

# The scalars Foundation has no type for, carried as a String with an ``@format`` tag.
STRING_FORMATS = {
    Scalar.DATE: "date",
    Scalar.TIME: "time",
    Scalar.LOCAL_DATETIME: "local-date-time",
    Scalar.DURATION: "duration",
}


class Swift(Dialect):
    null = "nil"

    def constant(self, wire: str) -> str:
        return camel(wire)

    def enum_literal(self, enum: str, wire: str) -> str:
        return f".{self.constant(wire)}"

    def type_tags(self, ref: TypeRef) -> dict[str, str]:
        """``@format date`` (``time``, …) where a String holds what Foundation has no type for."""
        match ref:
            case ScalarType(scalar=scalar) if scalar in STRING_FORMATS:
                return {"format": STRING_FORMATS[scalar]}
            case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
                return self.type_tags(inner)
        return {}

    def map_form(self, pairs: list[tuple[str, str]]) -> str:
        return "[" + (", ".join(f"{k}: {v}" for k, v in pairs) or ":") + "]"

    def type_of(self, ref: TypeRef) -> str:
        """The Swift type of ``ref``."""
        match ref:
            case ScalarType(scalar=scalar):
                return SCALARS[scalar]
            case ListType(item=item):
                return f"[{self.type_of(item)}]"
            case MapType(value=value):
                return f"[String: {self.type_of(value)}]"
            case OptionalType(inner=inner):
                return f"{self.type_of(inner)}?"
            case EnumType(name=name) | EntityType(name=name):
                return self.type_name(name)
        raise AssertionError(ref)


DIALECT = Swift()
