"""The platform-neutral model: entities, enums and API endpoints, as frozen pydantic values.

Names in the IR are wire names (what goes over JSON); each platform's emitter derives its own
identifiers from them and keeps the wire name where they differ. Entity and enum names are
PascalCase. ``Schema.check`` states the invariants every lifter guarantees and every emitter
relies on.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Alias",
    "Constraints",
    "Default",
    "Endpoint",
    "Entity",
    "EntityType",
    "Enum",
    "EnumProperty",
    "EnumType",
    "FieldDef",
    "HttpMethod",
    "ListType",
    "MapType",
    "OptionalType",
    "Param",
    "Scalar",
    "ScalarType",
    "Schema",
    "TypeRef",
    "Union",
    "Variant",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scalar(StrEnum):
    """The scalar types every platform can carry."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DECIMAL = "decimal"
    DATETIME = "date-time"
    DATE = "date"
    TIME = "time"
    LOCAL_DATETIME = "local-date-time"
    DURATION = "duration"
    UUID = "uuid"
    BYTES = "bytes"


class ScalarType(_Frozen):
    kind: Literal["scalar"] = "scalar"
    scalar: Scalar


class ListType(_Frozen):
    kind: Literal["list"] = "list"
    item: TypeRef


class MapType(_Frozen):
    """A map with string keys (the only keys JSON objects have)."""

    kind: Literal["map"] = "map"
    value: TypeRef


class OptionalType(_Frozen):
    """A value that may be null; never directly optional again."""

    kind: Literal["optional"] = "optional"
    inner: TypeRef


class EnumType(_Frozen):
    kind: Literal["enum"] = "enum"
    name: str


class EntityType(_Frozen):
    kind: Literal["entity"] = "entity"
    name: str


TypeRef = Annotated[
    ScalarType | ListType | MapType | OptionalType | EnumType | EntityType,
    Field(discriminator="kind"),
]


Literal_ = bool | int | float | str | None


class Default(_Frozen):
    """A field's default: a scalar literal, an enum's wire value, None (null), or a list or
    string-keyed map of those (``emptyList()``, ``mapOf("a" to 1)``)."""

    value: Literal_ | list[Literal_] | dict[str, Literal_]


class Constraints(_Frozen):
    """Validation constraints: lengths of strings and lists, bounds of numbers, a regex."""

    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=0)
    minimum: int | float | None = None
    maximum: int | float | None = None
    pattern: str | None = None

    def is_empty(self) -> bool:
        """Whether no constraint is set."""
        return all(value is None for value in self.model_dump().values())


class FieldDef(_Frozen):
    """One field of an entity, named by its wire name."""

    name: str
    type: TypeRef
    doc: str = ""
    default: Default | None = None
    constraints: Constraints = Constraints()


class Entity(_Frozen):
    name: str
    fields: tuple[FieldDef, ...]
    doc: str = ""


class EnumProperty(_Frozen):
    """A constant every member of an enum carries (``RED(0xFF0000, "Red")``): a string,
    int, float or bool per member, in the order of the members."""

    name: str
    scalar: Scalar
    values: tuple[bool | int | float | str, ...]


class Enum(_Frozen):
    """A string enum, by its members' wire values, with the properties its members carry."""

    name: str
    values: tuple[str, ...]
    doc: str = ""
    properties: tuple[EnumProperty, ...] = ()


class Alias(_Frozen):
    """A named scalar (a Kotlin value class, a branded type, a newtype): on the wire, the
    scalar itself. Fields refer to it as an ``EntityType``."""

    name: str
    scalar: Scalar
    doc: str = ""


class Variant(_Frozen):
    """One case of a union: the discriminator's value and the entity that carries the rest."""

    tag: str
    entity: str


class Union(_Frozen):
    """A tagged union (a sealed hierarchy): JSON objects whose ``discriminator`` field says
    which variant's fields the rest are. Fields refer to it as an ``EntityType``."""

    name: str
    variants: tuple[Variant, ...]
    discriminator: str = "type"
    doc: str = ""


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"


class Param(_Frozen):
    name: str
    type: TypeRef
    doc: str = ""


class Endpoint(_Frozen):
    """An API endpoint as in seed spec §11.1 (``POST /api/v1/projects``)."""

    method: HttpMethod
    path: str
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    request: str | None = None
    response: str | None = None
    doc: str = ""


class Schema(_Frozen):
    """What is lifted from a file and emitted for a platform."""

    entities: tuple[Entity, ...] = ()
    enums: tuple[Enum, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    unions: tuple[Union, ...] = ()
    aliases: tuple[Alias, ...] = ()

    def check(self) -> list[str]:
        """The broken invariants, as messages (none for a sound schema): unique names,
        references that resolve, no optional of an optional, path params named in the path."""
        problems: list[str] = []
        names = [e.name for e in self.entities] + [e.name for e in self.enums]
        names += [u.name for u in self.unions] + [a.name for a in self.aliases]
        problems += [f"`{n}` is declared twice" for n in sorted(set(names)) if names.count(n) > 1]
        problems += [
            f"`{e.name}` has no fields"
            for e in self.entities
            if not e.fields and self.union_of(e.name) is None
        ]
        problems += [f"`{e.name}` has no values" for e in self.enums if not e.values]
        for enum in self.enums:
            problems += [
                f"{enum.name}.{p.name}: {m}"
                for p in enum.properties
                for m in _property_problems(p, enum)
            ]
        for entity in self.entities:
            wires = [f.name for f in entity.fields]
            problems += [
                f"{entity.name}.{w} is declared twice"
                for w in sorted(set(wires))
                if wires.count(w) > 1
            ]
            for field in entity.fields:
                where = f"{entity.name}.{field.name}"
                problems += [f"{where}: {p}" for p in self._type_problems(field.type)]
        for endpoint in self.endpoints:
            problems += _endpoint_problems(endpoint, self)
        for union in self.unions:
            problems += _union_problems(union, self)
        return problems

    def holds(self, name: str) -> set[str]:
        """The models ``name`` holds by value (as a field, an optional field or a union's
        variant), directly or through others; ``name`` itself when it is recursive."""
        entities = {e.name: e for e in self.entities}
        unions = {u.name: u for u in self.unions}
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            held = [v.entity for v in unions[current].variants] if current in unions else []
            for field in entities[current].fields if current in entities else ():
                ref = field.type.inner if isinstance(field.type, OptionalType) else field.type
                held += [ref.name] if isinstance(ref, EntityType) else []
            for model in set(held) - seen:
                seen.add(model)
                todo.append(model)
        return seen

    def alias(self, name: str) -> Alias | None:
        """The alias called ``name`` (None when there is none)."""
        return next((a for a in self.aliases if a.name == name), None)

    def union_of(self, entity: str) -> tuple[Union, Variant] | None:
        """The union ``entity`` is a variant of, and its variant (None when it is none's)."""
        for union in self.unions:
            for variant in union.variants:
                if variant.entity == entity:
                    return union, variant
        return None

    def _type_problems(self, ref: TypeRef) -> list[str]:
        enums = {e.name for e in self.enums}
        entities = {e.name for e in self.entities} | {u.name for u in self.unions}
        entities |= {a.name for a in self.aliases}
        match ref:
            case OptionalType(inner=OptionalType()):
                return ["an optional of an optional"]
            case OptionalType(inner=inner) | ListType(item=inner) | MapType(value=inner):
                return self._type_problems(inner)
            case EnumType(name=name) if name not in enums:
                return [f"unknown enum `{name}`"]
            case EntityType(name=name) if name not in entities:
                return [f"unknown entity `{name}`"]
        return []


def _endpoint_problems(endpoint: Endpoint, schema: Schema) -> list[str]:
    where = f"{endpoint.method} {endpoint.path}"
    problems = [
        f"{where}: path parameter `{p.name}` is not in the path"
        for p in endpoint.path_params
        if f"{{{p.name}}}" not in endpoint.path
    ]
    entities = {e.name for e in schema.entities}
    for body in (endpoint.request, endpoint.response):
        if body is not None and body not in entities:
            problems.append(f"{where}: unknown entity `{body}`")
    return problems


_PROPERTY_TYPES: dict[Scalar, tuple[type, ...]] = {
    Scalar.STRING: (str,),
    Scalar.INT: (int,),
    Scalar.FLOAT: (float,),
    Scalar.BOOL: (bool,),
}


def _property_problems(prop: EnumProperty, enum: Enum) -> list[str]:
    kinds = _PROPERTY_TYPES.get(prop.scalar)
    if kinds is None:
        return [f"a property must be a string, int, float or bool, not {prop.scalar}"]
    if len(prop.values) != len(enum.values):
        return [f"{len(prop.values)} values for {len(enum.values)} members"]
    wrong = [
        v
        for v in prop.values
        if not isinstance(v, kinds) or (isinstance(v, bool) and bool not in kinds)
    ]
    return [f"`{wrong[0]!r}` is not a {prop.scalar}"] if wrong else []


def _union_problems(union: Union, schema: Schema) -> list[str]:
    entities = {e.name: e for e in schema.entities}
    problems = [] if union.variants else [f"`{union.name}` has no variants"]
    tags = [v.tag for v in union.variants]
    problems += [
        f"{union.name}: tag `{t}` is used twice" for t in sorted(set(tags)) if tags.count(t) > 1
    ]
    for variant in union.variants:
        entity = entities.get(variant.entity)
        if entity is None:
            problems.append(f"{union.name}: unknown entity `{variant.entity}`")
        elif any(f.name == union.discriminator for f in entity.fields):
            problems.append(f"{union.name}: `{variant.entity}` has a field `{union.discriminator}`")
        others = [
            u.name
            for u in schema.unions
            if u is not union and variant.entity in {v.entity for v in u.variants}
        ]
        problems += [f"{union.name}: `{variant.entity}` is a variant of `{o}` too" for o in others]
    return problems


for _model in (ListType, MapType, OptionalType, FieldDef, Param):
    _model.model_rebuild()
