"""Hypothesis strategies for random, sound IR schemas."""

from __future__ import annotations

from hypothesis import strategies as st

from accord.codegen.ir import (
    Alias,
    Constraints,
    Default,
    Entity,
    EntityType,
    Enum,
    EnumProperty,
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
    Variant,
)
from accord.codegen.naming import pascal

# Words that are no keyword on any platform.
WORDS = [
    "user",
    "order",
    "total",
    "amount",
    "created",
    "item",
    "price",
    "note",
    "line",
    "city",
    "email",
    "phone",
    "count",
    "shipped",
    "label",
    "owner",
    "rate",
    "title",
    "paid",
    "zone",
]
_DEFAULTABLE = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)

wire_names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True).flatmap(
    lambda parts: st.sampled_from(
        ["_".join(parts), parts[0] + "".join(p.capitalize() for p in parts[1:])]
    )
)
docs = st.lists(st.sampled_from(WORDS), max_size=5).map(
    lambda words: (" ".join(words).capitalize() + ".") if words else ""
)
strings = st.text(alphabet="abcXYZ 019-_,", max_size=12)
ints = st.integers(min_value=-(10**6), max_value=10**6)
floats = st.integers(min_value=-400, max_value=400).map(lambda n: n / 4)


def scalar_types() -> st.SearchStrategy[TypeRef]:
    return st.sampled_from(list(Scalar)).map(lambda s: ScalarType(scalar=s))


def types(enums: list[str], entities: list[str]) -> st.SearchStrategy[TypeRef]:
    named: list[st.SearchStrategy[TypeRef]] = [scalar_types()]
    if enums:
        named.append(st.sampled_from(enums).map(lambda n: EnumType(name=n)))
    if entities:
        named.append(st.sampled_from(entities).map(lambda n: EntityType(name=n)))
    leaves = st.one_of(*named)

    def wrap(inner: st.SearchStrategy[TypeRef]) -> st.SearchStrategy[TypeRef]:
        return st.one_of(
            inner.map(lambda t: ListType(item=t)),
            inner.map(lambda t: MapType(value=t)),
            inner.filter(lambda t: not isinstance(t, OptionalType)).map(
                lambda t: OptionalType(inner=t)
            ),
        )

    return st.recursive(leaves, wrap, max_leaves=3)


def _default(
    ref: TypeRef, enum_values: dict[str, tuple[str, ...]]
) -> st.SearchStrategy[Default | None]:
    inner = ref.inner if isinstance(ref, OptionalType) else ref
    options: list[st.SearchStrategy[Default | None]] = [st.none()]
    if isinstance(ref, OptionalType):
        options.append(st.just(Default(value=None)))
    if isinstance(inner, ListType) and inner.item == ScalarType(scalar=Scalar.STRING):
        options.append(st.lists(strings, max_size=2).map(lambda v: Default(value=v)))
    if isinstance(inner, MapType) and inner.value == ScalarType(scalar=Scalar.INT):
        options.append(
            st.dictionaries(st.sampled_from(WORDS), ints, max_size=2).map(
                lambda v: Default(value=v)
            )
        )
    if isinstance(inner, EnumType):
        options.append(st.sampled_from(enum_values[inner.name]).map(lambda v: Default(value=v)))
    if isinstance(inner, ScalarType) and inner.scalar in _DEFAULTABLE:
        values = {
            Scalar.STRING: strings,
            Scalar.INT: ints,
            Scalar.FLOAT: floats,
            Scalar.BOOL: st.booleans(),
        }[inner.scalar]
        options.append(values.map(lambda v: Default(value=v)))
    return st.one_of(*options)


def _constraints(ref: TypeRef) -> st.SearchStrategy[Constraints]:
    inner = ref.inner if isinstance(ref, OptionalType) else ref
    if isinstance(inner, ScalarType) and inner.scalar is Scalar.STRING:
        return st.builds(
            Constraints,
            min_length=st.none() | st.integers(0, 5),
            max_length=st.none() | st.integers(5, 50),
            pattern=st.none() | st.sampled_from(["^[a-z]+$", "^[0-9]{3}-[0-9]+$"]),
        )
    if isinstance(inner, ScalarType) and inner.scalar in (Scalar.INT, Scalar.FLOAT):
        bound = ints if inner.scalar is Scalar.INT else floats
        return st.builds(Constraints, minimum=st.none() | bound, maximum=st.none() | bound)
    if isinstance(inner, ListType):
        return st.builds(Constraints, min_length=st.none() | st.integers(0, 3))
    return st.just(Constraints())


# Names of enum properties: no member, keyword or built-in of any platform's enums.
PROPERTY_NAMES = ["rank", "weight", "code", "hint", "symbol"]
_PROPERTY_VALUES: dict[Scalar, st.SearchStrategy[bool | int | float | str]] = {
    Scalar.STRING: strings,
    Scalar.INT: ints,
    Scalar.FLOAT: floats,
    Scalar.BOOL: st.booleans(),
}


def _properties(members: int) -> st.SearchStrategy[tuple[EnumProperty, ...]]:
    """Up to two properties of an enum of ``members`` members."""

    def one(name: str) -> st.SearchStrategy[EnumProperty]:
        return st.sampled_from(list(_PROPERTY_VALUES)).flatmap(
            lambda scalar: st.lists(
                _PROPERTY_VALUES[scalar], min_size=members, max_size=members
            ).map(lambda values: EnumProperty(name=name, scalar=scalar, values=tuple(values)))
        )

    names = st.lists(st.sampled_from(PROPERTY_NAMES), max_size=2, unique=True)
    return names.flatmap(lambda chosen: st.tuples(*(one(n) for n in chosen)))


@st.composite
def schemas(draw: st.DrawFn) -> Schema:
    """A sound schema of one to three entities and up to two enums."""
    names = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5, unique=True))
    type_names = [pascal(n) for n in names]
    enum_count = draw(st.integers(0, min(2, len(type_names) - 1)))
    enum_names, entity_names = type_names[:enum_count], type_names[enum_count:]
    spare = [pascal(w) + "Id" for w in WORDS if pascal(w) not in type_names]
    aliases = [
        Alias(name=name, scalar=draw(st.sampled_from(list(Scalar))), doc=draw(docs))
        for name in draw(st.lists(st.sampled_from(spare), max_size=1, unique=True))
    ]
    enums = [
        Enum(
            name=name,
            doc=draw(docs),
            values=tuple(
                draw(
                    st.lists(
                        wire_names,
                        min_size=1,
                        max_size=4,
                        unique_by=lambda v: v.replace("_", "").lower(),
                    )
                )
            ),
        )
        for name in enum_names
    ]
    enums = [e.model_copy(update={"properties": draw(_properties(len(e.values)))}) for e in enums]
    enum_values = {e.name: e.values for e in enums}
    entities = []
    for name in entity_names:
        wires = draw(
            st.lists(
                wire_names, min_size=1, max_size=5, unique_by=lambda v: v.replace("_", "").lower()
            )
        )
        fields = []
        for wire in wires:
            ref = draw(types(enum_names, entity_names + [a.name for a in aliases]))
            fields.append(
                FieldDef(
                    name=wire,
                    type=ref,
                    doc=draw(docs),
                    default=draw(_default(ref, enum_values)),
                    constraints=draw(_constraints(ref)),
                )
            )
        entities.append(Entity(name=name, fields=tuple(fields), doc=draw(docs)))
    return Schema(entities=tuple(entities), enums=tuple(enums), aliases=tuple(aliases))


@st.composite
def schemas_with_unions(draw: st.DrawFn) -> Schema:
    """A sound schema, and a tagged union over two or more of its entities when it has them
    (the variants have no field named like the discriminator)."""
    schema = draw(schemas())
    discriminator = draw(st.sampled_from(["type", "kind"]))
    free = [e.name for e in schema.entities if all(f.name != discriminator for f in e.fields)]
    taken = {e.name for e in schema.entities} | {e.name for e in schema.enums}
    spare = [pascal(w) for w in WORDS if pascal(w) not in taken]
    if len(free) < 2:
        return schema
    picked = draw(st.lists(st.sampled_from(free), min_size=2, max_size=len(free), unique=True))
    chosen = [name for name in free if name in picked]  # in declaration order, as Kotlin has it
    tags = draw(
        st.lists(st.sampled_from(WORDS), min_size=len(chosen), max_size=len(chosen), unique=True)
    )
    entities = schema.entities
    if draw(st.booleans()) and len(spare) > 1:  # a variant without fields (a Kotlin object)
        empty = Entity(name=spare.pop(), fields=(), doc=draw(docs))
        entities += (empty,)
        chosen.append(empty.name)
        tags.append(draw(st.sampled_from([w for w in WORDS if w not in tags])))
    union = Union(
        name=draw(st.sampled_from(spare)),
        discriminator=discriminator,
        variants=tuple(Variant(tag=t, entity=e) for t, e in zip(tags, chosen, strict=True)),
        doc=draw(docs),
    )
    if draw(st.booleans()):  # a variant that refers back to its union
        host = next(e for e in entities if e.name == chosen[0])
        if all(f.name != "previous" for f in host.fields):
            back = FieldDef(name="previous", type=OptionalType(inner=EntityType(name=union.name)))
            host = host.model_copy(update={"fields": (*host.fields, back)})
            entities = tuple(host if e.name == host.name else e for e in entities)
    return schema.model_copy(update={"entities": entities, "unions": (union,)})
