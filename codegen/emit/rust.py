"""Rust: serde structs and enums; ``#[serde(rename)]`` keeps wire names that differ."""

from __future__ import annotations

from ..ir import (
    EntityType,
    EnumProperty,
    FieldDef,
    OptionalType,
    Scalar,
    ScalarType,
    Schema,
    TypeRef,
)
from ..naming import pascal, snake
from ..spelling import Spelling
from .dialect import SpelledDialect

__all__ = ["DIALECT", "SPELLING"]

SPELLING = Spelling(
    scalars={
        Scalar.STRING: "String",
        Scalar.INT: "i64",
        Scalar.FLOAT: "f64",
        Scalar.BOOL: "bool",
        Scalar.DECIMAL: "rust_decimal::Decimal",
        Scalar.DATETIME: "chrono::DateTime<chrono::Utc>",
        Scalar.DATE: "chrono::NaiveDate",
        Scalar.TIME: "chrono::NaiveTime",
        Scalar.LOCAL_DATETIME: "chrono::NaiveDateTime",
        Scalar.DURATION: "String",
        Scalar.UUID: "uuid::Uuid",
        Scalar.BYTES: "Vec<u8>",
    },
    list_form="Vec<{}>",
    box_form="Box<{}>",
    map_form="HashMap<String, {}>",
    optional_form="Option<{}>",
    aliases={
        "i32": Scalar.INT,
        "u32": Scalar.INT,
        "u64": Scalar.INT,
        "f32": Scalar.FLOAT,
        "Decimal": Scalar.DECIMAL,
        "DateTime<Utc>": Scalar.DATETIME,
        "NaiveDate": Scalar.DATE,
        "NaiveTime": Scalar.TIME,
        "NaiveDateTime": Scalar.LOCAL_DATETIME,
        "Uuid": Scalar.UUID,
    },
)


class Rust(SpelledDialect):
    def field_type(self, field: FieldDef, entity: str, whole: Schema) -> str:
        """A field's type, its model boxed where it holds ``entity`` by value again (a variant
        that refers back to its union): ``Option<Box<TrackingEvent>>``."""
        return self.spelling.type_of(_boxed(field.type, entity, whole, self.spelling.box_form))

    def uses_maps(self, schema: Schema) -> bool:
        """Whether a field's type has a map in it (the file then imports ``HashMap``)."""
        return any(
            "HashMap<" in self.type_of(field.type)
            for entity in schema.entities
            for field in entity.fields
        )

    def property_type(self, prop: EnumProperty) -> str:
        """A property's type: a static str for strings (the values are literals)."""
        if prop.scalar is Scalar.STRING:
            return "&'static str"
        return self.spelling.type_of(ScalarType(scalar=prop.scalar))

    def member(self, wire: str) -> str:
        return snake(wire)

    def constant(self, wire: str) -> str:
        return pascal(wire)

    def rename(self, wire: str, identifier: str) -> str:
        """``#[serde(rename = "…")]`` where ``identifier`` is not the wire name, else nothing."""
        return "" if identifier == wire else f"#[serde(rename = {self.string(wire)})]"

    def field_rename(self, field: FieldDef) -> str:
        """A field's rename attribute, if it needs one."""
        return self.rename(field.name, self.member(field.name))


DIALECT = Rust(SPELLING)


def _boxed(ref: TypeRef, entity: str, whole: Schema, box: str) -> TypeRef:
    """``ref`` with a model that holds ``entity`` by value renamed to its boxed spelling (a
    Vec or HashMap already holds its items on the heap)."""
    match ref:
        case OptionalType(inner=inner):
            return OptionalType(inner=_boxed(inner, entity, whole, box))
        case EntityType(name=name) if entity == name or entity in whole.holds(name):
            return EntityType(name=box.format(name))
    return ref
