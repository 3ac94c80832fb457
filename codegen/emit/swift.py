"""Swift: ``Codable`` structs with ``CodingKeys`` and ``String`` raw-value enums."""

from __future__ import annotations

from ..ir import EntityType, EnumType, ListType, MapType, OptionalType, Scalar, ScalarType, TypeRef
from ..naming import camel
from .dialect import Dialect

__all__ = ["DIALECT", "SCALARS"]

SCALARS = {
    Scalar.STRING: "String",
    Scalar.INT: "Int",
    Scalar.FLOAT: "Double",
    Scalar.BOOL: "Bool",
    Scalar.DECIMAL: "Decimal",
    Scalar.DATETIME: "Date",
    Scalar.DATE: "String",
    Scalar.UUID: "UUID",
    Scalar.BYTES: "Data",
}


class Swift(Dialect):
    null = "nil"

    def constant(self, wire: str) -> str:
        return camel(wire)

    def enum_literal(self, enum: str, wire: str) -> str:
        return f".{self.constant(wire)}"

    def type_tags(self, ref: TypeRef) -> dict[str, str]:
        """``@format date`` where a String holds a date (Foundation has no date-only type)."""
        match ref:
            case ScalarType(scalar=Scalar.DATE):
                return {"format": "date"}
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
