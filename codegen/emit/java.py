"""Java: records and enums; ``@JsonProperty`` keeps wire names that differ from the identifiers.

The file declares its own ``JsonProperty`` annotation so it compiles without dependencies;
Jackson's ``com.fasterxml.jackson.annotation.JsonProperty`` reads the same and lifts alike.
"""

from __future__ import annotations

from ..ir import Scalar, ScalarType, TypeRef
from ..spelling import Spelling
from .dialect import SpelledDialect

__all__ = ["DIALECT", "SPELLING"]

SPELLING = Spelling(
    scalars={
        Scalar.STRING: "String",
        Scalar.INT: "Long",
        Scalar.FLOAT: "Double",
        Scalar.BOOL: "Boolean",
        Scalar.DECIMAL: "BigDecimal",
        Scalar.DATETIME: "Instant",
        Scalar.DATE: "LocalDate",
        Scalar.TIME: "LocalTime",
        Scalar.LOCAL_DATETIME: "LocalDateTime",
        Scalar.DURATION: "Duration",
        Scalar.UUID: "UUID",
        Scalar.BYTES: "byte[]",
    },
    list_form="List<{}>",
    map_form="Map<String, {}>",
    optional_form="Optional<{}>",
    aliases={
        "long": Scalar.INT,
        "int": Scalar.INT,
        "Integer": Scalar.INT,
        "double": Scalar.FLOAT,
        "float": Scalar.FLOAT,
        "Float": Scalar.FLOAT,
        "boolean": Scalar.BOOL,
        "OffsetDateTime": Scalar.DATETIME,
    },
)
# Where a component's type is a bare scalar, its primitive.
_PRIMITIVES = {"Long": "long", "Double": "double", "Boolean": "boolean"}


class Java(SpelledDialect):
    def type_of(self, ref: TypeRef) -> str:
        """A component's type: primitives for bare numbers and booleans, else boxed."""
        spelled = self.spelling.type_of(ref)
        return _PRIMITIVES.get(spelled, spelled) if isinstance(ref, ScalarType) else spelled


DIALECT = Java(SPELLING)
