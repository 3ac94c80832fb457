"""Kotlin: ``@Serializable`` data classes and enums for kotlinx.serialization."""

from __future__ import annotations

from ..ir import (
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
)
from .dialect import Dialect

__all__ = ["DIALECT", "SCALARS"]

# Types without a built-in serializer are marked @Contextual (the app registers one).
SCALARS = {
    Scalar.STRING: "String",
    Scalar.INT: "Long",
    Scalar.FLOAT: "Double",
    Scalar.BOOL: "Boolean",
    Scalar.DECIMAL: "@Contextual BigDecimal",
    Scalar.DATETIME: "Instant",
    Scalar.DATE: "LocalDate",
    Scalar.TIME: "LocalTime",
    Scalar.LOCAL_DATETIME: "LocalDateTime",
    Scalar.DURATION: "Duration",
    Scalar.UUID: "@Contextual UUID",
    Scalar.BYTES: "ByteArray",
}


class Kotlin(Dialect):
    string_escapes = "$"

    def type_of(self, ref: TypeRef) -> str:
        """The Kotlin type of ``ref``."""
        match ref:
            case ScalarType(scalar=scalar):
                return SCALARS[scalar]
            case ListType(item=item):
                return f"List<{self.type_of(item)}>"
            case MapType(value=value):
                return f"Map<String, {self.type_of(value)}>"
            case OptionalType(inner=inner):
                return f"{self.type_of(inner)}?"
            case EnumType(name=name) | EntityType(name=name):
                return self.type_name(name)
        raise AssertionError(ref)

    def enum_parameters(self, enum: Enum) -> str:
        """``(val rgb: Long, val label: String)``: the properties of an enum's members."""
        if not enum.properties:
            return ""
        typed = [f"val {self.member(p.name)}: {SCALARS[p.scalar]}" for p in enum.properties]
        return "(" + ", ".join(typed) + ")"

    def list_form(self, items: list[str]) -> str:
        return f"listOf({', '.join(items)})" if items else "emptyList()"

    def map_form(self, pairs: list[tuple[str, str]]) -> str:
        entries = ", ".join(f"{k} to {v}" for k, v in pairs)
        return f"mapOf({entries})" if pairs else "emptyMap()"

    def serial_name(self, field: FieldDef) -> str:
        """``@SerialName("…") `` where the member's name is not the wire name."""
        member = self.member(field.name)
        return "" if member == field.name else f"@SerialName({self.string(field.name)}) "


DIALECT = Kotlin()
