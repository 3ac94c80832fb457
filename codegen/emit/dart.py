"""Dart: immutable classes with ``fromJson``/``toJson`` (the keys are the wire names) and
enhanced enums carrying their wire values."""

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
    Schema,
    TypeRef,
)
from ..naming import camel
from ..spelling import Spelling
from .dialect import SpelledDialect

__all__ = ["DIALECT", "SPELLING"]

SPELLING = Spelling(
    scalars={
        Scalar.STRING: "String",
        Scalar.INT: "int",
        Scalar.FLOAT: "double",
        Scalar.BOOL: "bool",
        Scalar.DECIMAL: "String",
        Scalar.DATETIME: "DateTime",
        Scalar.DATE: "String",
        Scalar.TIME: "String",
        Scalar.LOCAL_DATETIME: "String",
        Scalar.DURATION: "String",
        Scalar.UUID: "String",
        Scalar.BYTES: "Uint8List",
    },
    list_form="List<{}>",
    map_form="Map<String, {}>",
    optional_form="{}?",
    aliases={"num": Scalar.FLOAT},
)
# How a JSON value becomes a scalar, with {} for the value.
_DECODE = {
    Scalar.INT: "({} as num).toInt()",
    Scalar.FLOAT: "({} as num).toDouble()",
    Scalar.BOOL: "{} as bool",
    Scalar.DATETIME: "DateTime.parse({} as String)",
    Scalar.BYTES: "base64Decode({} as String)",
}
_ENCODE = {Scalar.DATETIME: "{}.toIso8601String()", Scalar.BYTES: "base64Encode({})"}


class Dart(SpelledDialect):
    string_escapes = "$"

    def constant(self, wire: str) -> str:
        return camel(wire)

    def more_arguments(self, enum: Enum, index: int) -> str:
        """``, 16711680, "Red"``: member ``index``'s properties after its wire value."""
        return "".join(", " + self.property_literal(p, p.values[index]) for p in enum.properties)

    def decode(self, field: FieldDef, whole: Schema | None = None) -> str:
        """The expression that reads the field from ``json`` (an alias as its scalar)."""
        ref = _unaliased(field.type, whole)
        return _decode(ref, f"json[{self.string(field.name)}]", 0)

    def encode(self, field: FieldDef, whole: Schema | None = None) -> str:
        """The expression that writes the field to JSON (an alias as its scalar)."""
        return _encode(_unaliased(field.type, whole), self.member(field.name), 0)


def _unaliased(ref: TypeRef, whole: Schema | None) -> TypeRef:
    """``ref`` with each alias replaced by its scalar."""
    match ref:
        case EntityType(name=name) if whole is not None and whole.alias(name) is not None:
            alias = whole.alias(name)
            assert alias is not None
            return ScalarType(scalar=alias.scalar)
        case ListType(item=inner):
            return ListType(item=_unaliased(inner, whole))
        case MapType(value=inner):
            return MapType(value=_unaliased(inner, whole))
        case OptionalType(inner=inner):
            return OptionalType(inner=_unaliased(inner, whole))
    return ref


def _decode(ref: TypeRef, value: str, depth: int) -> str:
    item, key = f"e{depth}", f"k{depth}"
    match ref:
        case ScalarType(scalar=scalar):
            return _DECODE.get(scalar, "{} as String").format(value)
        case ListType(item=inner):
            return (
                f"({value} as List<dynamic>).map(({item}) => "
                f"{_decode(inner, item, depth + 1)}).toList()"
            )
        case MapType(value=inner):
            return (
                f"({value} as Map<String, dynamic>).map(({key}, {item}) => "
                f"MapEntry({key}, {_decode(inner, item, depth + 1)}))"
            )
        case OptionalType(inner=inner):
            return f"({value} == null ? null : {_decode(inner, value, depth)})"
        case EnumType(name=name):
            return f"{name}.fromJson({value} as String)"
        case EntityType(name=name):
            return f"{name}.fromJson({value} as Map<String, dynamic>)"
    raise AssertionError(ref)


def _encode(ref: TypeRef, value: str, depth: int) -> str:
    item, key = f"e{depth}", f"k{depth}"
    match ref:
        case ScalarType(scalar=scalar):
            return _ENCODE.get(scalar, "{}").format(value)
        case ListType(item=inner):
            code = _encode(inner, item, depth + 1)
            return value if code == item else f"{value}.map(({item}) => {code}).toList()"
        case MapType(value=inner):
            code = _encode(inner, item, depth + 1)
            return (
                value
                if code == item
                else f"{value}.map(({key}, {item}) => MapEntry({key}, {code}))"
            )
        case OptionalType(inner=inner):
            code = _encode(inner, value + "!", depth)
            return value if code == value + "!" else f"({value} == null ? null : {code})"
        case EnumType() | EntityType():
            return f"{value}.toJson()"
    raise AssertionError(ref)


DIALECT = Dart(SPELLING)
