"""Go: structs with exported fields and ``json`` tags, and typed string constants as enums."""

from __future__ import annotations

from ..ir import EnumProperty, Scalar, Schema
from ..naming import pascal
from ..spelling import Spelling
from .dialect import SpelledDialect

__all__ = ["DIALECT", "SPELLING"]

SPELLING = Spelling(
    scalars={
        Scalar.STRING: "string",
        Scalar.INT: "int64",
        Scalar.FLOAT: "float64",
        Scalar.BOOL: "bool",
        Scalar.DECIMAL: "string",
        Scalar.DATETIME: "time.Time",
        Scalar.DATE: "string",
        Scalar.TIME: "string",
        Scalar.LOCAL_DATETIME: "string",
        Scalar.DURATION: "string",
        Scalar.UUID: "string",
        Scalar.BYTES: "[]byte",
    },
    list_form="[]{}",
    map_form="map[string]{}",
    optional_form="*{}",
    aliases={"int": Scalar.INT, "int32": Scalar.INT, "float32": Scalar.FLOAT},
)


class Go(SpelledDialect):
    def member(self, wire: str) -> str:
        """An exported field: ``DisplayName``."""
        return pascal(wire)

    def constant(self, wire: str) -> str:
        """The part of a constant's name after its type's: ``OrderStatus`` + ``Pending``."""
        return pascal(wire)

    def zero(self, prop: EnumProperty) -> str:
        """The zero value of an enum property's type."""
        return {Scalar.STRING: '""', Scalar.BOOL: "false"}.get(prop.scalar, "0")

    def json_tag(self, wire: str) -> str:
        """The struct tag that keeps the wire name."""
        return f"`json:{self.string(wire)}`"

    def imports(self, schema: Schema) -> list[str]:
        """The packages the file imports, quoted."""
        found = ['"encoding/json"', '"fmt"'] if schema.unions else []
        return found + (['"time"'] if self.uses_time(schema) else [])

    def uses_time(self, schema: Schema) -> bool:
        """Whether the file must import ``time``."""
        time = self.spelling.scalars[Scalar.DATETIME]
        return any(
            time in self.type_of(field.type)
            for entity in schema.entities
            for field in entity.fields
        ) or any(alias.scalar is Scalar.DATETIME for alias in schema.aliases)


DIALECT = Go(SPELLING)
