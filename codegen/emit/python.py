"""Python: pydantic models (``Field`` carries aliases, constraints, docs) and ``StrEnum``s."""

from __future__ import annotations

from ..ir import (
    EntityType,
    EnumType,
    FieldDef,
    ListType,
    MapType,
    OptionalType,
    Scalar,
    ScalarType,
    Schema,
    TypeRef,
    Union,
)
from ..naming import snake
from .dialect import Dialect, number

__all__ = ["DIALECT", "SCALARS"]

SCALARS = {
    Scalar.STRING: "str",
    Scalar.INT: "int",
    Scalar.FLOAT: "float",
    Scalar.BOOL: "bool",
    Scalar.DECIMAL: "Decimal",
    Scalar.DATETIME: "datetime",
    Scalar.DATE: "date",
    Scalar.TIME: "time",
    Scalar.LOCAL_DATETIME: "NaiveDatetime",
    Scalar.DURATION: "timedelta",
    Scalar.UUID: "UUID",
    Scalar.BYTES: "bytes",
}
# The standard-library import each scalar needs.
_IMPORTS = {
    Scalar.DECIMAL: "from decimal import Decimal",
    Scalar.UUID: "from uuid import UUID",
}
# The scalars imported from datetime, in the order ruff sorts their names.
_MOMENTS = (Scalar.DATE, Scalar.DATETIME, Scalar.TIME, Scalar.DURATION)
# Field() keywords of each constraint.
_KEYWORDS = {
    "min_length": "min_length",
    "max_length": "max_length",
    "minimum": "ge",
    "maximum": "le",
    "pattern": "pattern",
}


class Python(Dialect):
    native_constraints = True
    null = "None"
    true = "True"
    false = "False"

    def member(self, wire: str) -> str:
        return snake(wire)

    def imports(self, schema: Schema, whole: Schema | None = None) -> list[str]:
        """The import lines the module needs (none unused, as ruff wants)."""
        types = [field.type for entity in schema.entities for field in entity.fields]
        scalars = {scalar for ref in types for scalar in _scalars(ref)}
        scalars |= {alias.scalar for alias in schema.aliases}
        standard = [line for scalar, line in _IMPORTS.items() if scalar in scalars]
        moments = [SCALARS[s] for s in _MOMENTS if s in scalars]
        standard += ["from datetime import " + ", ".join(moments)] if moments else []
        standard += ["from enum import StrEnum"] if schema.enums else []
        tagged = any((whole or schema).union_of(e.name) for e in schema.entities)
        if schema.unions or tagged or schema.aliases:
            typing = ["Annotated"] if schema.unions else []
            typing += ["Literal"] if tagged else []
            typing += ["NewType"] if schema.aliases else []
            standard.append("from typing import " + ", ".join(typing))
        fields = [f for entity in schema.entities for f in entity.fields]
        needs_field = bool(schema.unions)
        needs_field |= any(self._field_arguments(f).keys() - {"default"} for f in fields)
        pydantic = ["BaseModel", "ConfigDict"] if schema.entities else []
        pydantic += ["Field"] if needs_field and schema.entities else []
        pydantic += ["NaiveDatetime"] if Scalar.LOCAL_DATETIME in scalars else []
        third = ["from pydantic import " + ", ".join(pydantic)] if pydantic else []
        return sorted(standard) + ([""] if standard and third else []) + third

    def variants(self, union: Union) -> str:
        """The variants of a union as a union of their classes."""
        return " | ".join(self.type_name(v.entity) for v in union.variants)

    def docstring(self, text: str) -> str:
        """A one-line docstring."""
        return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'

    def type_of(self, ref: TypeRef, late: list[tuple[str, list[str]]] | None = None) -> str:
        """The Python annotation of ``ref``; a model imported ``late`` is named through its
        module (``_tracking.TrackingEvent``)."""
        match ref:
            case ScalarType(scalar=scalar):
                return SCALARS[scalar]
            case ListType(item=item):
                return f"list[{self.type_of(item, late)}]"
            case MapType(value=value):
                return f"dict[str, {self.type_of(value, late)}]"
            case OptionalType(inner=inner):
                return f"{self.type_of(inner, late)} | None"
            case EnumType(name=name) | EntityType(name=name):
                module = next((m for m, names in late or [] if name in names), None)
                prefix = f"{self.late_module(module)}." if module else ""
                return prefix + self.type_name(name)
        raise AssertionError(ref)

    def late_module(self, module: str) -> str:
        """The name a module imported late is bound to."""
        return f"_{module}"

    def assignment(self, field: FieldDef) -> str:
        """What follows the annotation: `` = default`` or `` = Field(…)``, or nothing."""
        arguments = self._field_arguments(field)
        if not arguments:
            return ""
        if list(arguments) == ["default"]:
            return f" = {arguments['default']}"
        return " = Field(" + ", ".join(f"{k}={v}" for k, v in arguments.items()) + ")"

    def _field_arguments(self, field: FieldDef) -> dict[str, str]:
        arguments: dict[str, str] = {}
        if field.default is not None:
            arguments["default"] = self.literal(field.default, field.type)
        if self.member(field.name) != field.name:
            arguments["alias"] = self.string(field.name)
        for key, value in field.constraints.model_dump().items():
            if value is not None:
                text = self.string(value) if isinstance(value, str) else number(value)
                arguments[_KEYWORDS[key]] = text
        if field.doc:
            arguments["description"] = self.string(field.doc)
        return arguments


DIALECT = Python()


def _scalars(ref: TypeRef) -> list[Scalar]:
    match ref:
        case ScalarType(scalar=scalar):
            return [scalar]
        case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
            return _scalars(inner)
    return []
