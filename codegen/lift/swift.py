"""Swift: structs (stored properties, ``CodingKeys`` for wire names) and ``String`` enums."""

from __future__ import annotations

import json
import re

import tree_sitter

from ..emit.swift import STRING_FORMATS
from ..exceptions import LiftError
from ..ir import (
    Alias,
    Default,
    Entity,
    Enum,
    EnumProperty,
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
from .common import Names, Source, make_field, optional, split_args, text_of

__all__ = ["lift_tree"]

SCALARS = {
    "String": Scalar.STRING,
    "Character": Scalar.STRING,
    "Int": Scalar.INT,
    "Int64": Scalar.INT,
    "Int32": Scalar.INT,
    "UInt": Scalar.INT,
    "Double": Scalar.FLOAT,
    "Float": Scalar.FLOAT,
    "Bool": Scalar.BOOL,
    "Decimal": Scalar.DECIMAL,
    "Date": Scalar.DATETIME,
    "UUID": Scalar.UUID,
    "Data": Scalar.BYTES,
}

# ``@format`` value -> the scalar a String carries (the emitter's ``STRING_FORMATS``).
_FORMATTED = {value: scalar for scalar, value in STRING_FORMATS.items()}


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every struct and String enum at the top of the file."""
    declarations = [node for node in root.named_children if node.type == "class_declaration"]
    structs = [node for node in declarations if _keyword(node) == "struct"]
    union_nodes = [n for n in declarations if _keyword(n) == "enum" and _TAG_KEY.search(text_of(n))]
    enum_nodes = [n for n in declarations if _keyword(n) == "enum" and n not in union_nodes]
    unions = tuple(_union(source, node) for node in union_nodes)
    cases = {_name(node): _cases(source, node) for node in enum_nodes}
    enums = tuple(
        Enum(
            name=_name(node),
            values=tuple(cases[_name(node)].values()),
            doc=source.doc(node).text,
            properties=_properties(text_of(node), cases[_name(node)]),
        )
        for node in enum_nodes
    )
    aliases = tuple(
        _alias(source, node)
        for node in root.named_children
        if node.type == "typealias_declaration" and _TYPEALIAS.match(text_of(node))
    )
    declared = frozenset(map(_name, structs)) | {u.name for u in unions}
    declared |= {a.name for a in aliases}
    names = Names({e.name: e.values for e in enums}, declared)
    entities = tuple(_entity(source, n, names, cases) for n in structs)
    return Schema(entities=entities, enums=enums, unions=unions, aliases=aliases)


_TYPEALIAS = re.compile(r"^(?:public )?typealias (\w+) = (\w+)$")


def _alias(source: Source, node: tree_sitter.Node) -> Alias:
    """``typealias Sku = String`` (``@format date`` makes a String a date)."""
    found = _TYPEALIAS.match(text_of(node))
    assert found is not None
    doc = source.doc(node)
    scalar = SCALARS.get(found.group(2))
    if scalar is None:
        raise source.error(node, f"`{found.group(1)}` aliases no scalar; not lifted")
    if scalar is Scalar.STRING and doc.tags.get("format") in _FORMATTED:
        scalar = _FORMATTED[doc.tags["format"]]
    return Alias(name=found.group(1), scalar=scalar, doc=doc.text)


_TAG_KEY = re.compile(r'enum TagKeys: String, CodingKey \{\s*case tag = ("(?:[^"\\]|\\.)*")')
_CASE = re.compile(r"^\s*case (\w+)\((\w+)\)\s*$", re.MULTILINE)
_DECODE = re.compile(r'^\s*case ("(?:[^"\\]|\\.)*"): self = \.(\w+)\(', re.MULTILINE)


_PROPERTY = re.compile(
    r"^    public var (\w+): (\w+) \{\n        switch self \{\n(.*?)\n        \}\n    \}",
    re.MULTILINE | re.DOTALL,
)
_RETURN = re.compile(r"^        case \.(\w+): return (.+)$", re.MULTILINE)


def _properties(text: str, cases: dict[str, str]) -> tuple[EnumProperty, ...]:
    """The computed properties that switch over every case (as Accord emits them)."""
    found = []
    for name, annotation, body in _PROPERTY.findall(text):
        by_wire = {cases[case]: json.loads(value) for case, value in _RETURN.findall(body)}
        scalar = SCALARS.get(annotation, Scalar.STRING)
        values = tuple(
            float(v) if scalar is Scalar.FLOAT else v for v in (by_wire[w] for w in cases.values())
        )
        found.append(EnumProperty(name=name, scalar=scalar, values=values))
    return tuple(found)


def _union(source: Source, node: tree_sitter.Node) -> Union:
    """An enum of one-struct cases that decodes by a tag key (as Accord emits it)."""
    text = text_of(node)
    key = _TAG_KEY.search(text)
    cases = dict(_CASE.findall(text))
    tags = {case: json.loads(tag) for tag, case in _DECODE.findall(text)}
    return Union(
        name=_name(node),
        discriminator=json.loads(key.group(1)) if key else "type",
        variants=tuple(Variant(tag=tags.get(case, case), entity=t) for case, t in cases.items()),
        doc=source.doc(node).text,
    )


def _keyword(node: tree_sitter.Node) -> str:
    kind = node.child_by_field_name("declaration_kind")
    return (
        text_of(kind)
        if kind
        else next(
            (
                text_of(c)
                for c in node.children
                if not c.is_named and text_of(c) in ("struct", "enum", "class")
            ),
            "",
        )
    )


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return text_of(name) if name else ""


def _body(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    body = node.child_by_field_name("body")
    return list(body.named_children) if body else []


def _cases(source: Source, node: tree_sitter.Node) -> dict[str, str]:
    """Case name -> raw value (the name itself where none is given)."""
    inherits = node.child_by_field_name("inherits_from") or next(
        (c for c in node.named_children if c.type == "inheritance_specifier"), None
    )
    if inherits is None or text_of(inherits).split(".")[-1] != "String":
        raise source.error(node, f"enum `{_name(node)}` must have String raw values")
    found: dict[str, str] = {}
    for entry in (c for c in _body(node) if c.type == "enum_entry"):
        names = entry.children_by_field_name("name")
        raws = entry.children_by_field_name("raw_value")
        if entry.children_by_field_name("data_contents"):
            raise source.error(entry, "enum cases with associated values are not lifted")
        for index, name in enumerate(names):
            raw = _string(raws[index]) if index < len(raws) else text_of(name)
            found[text_of(name)] = raw
    return found


def _string(node: tree_sitter.Node) -> str:
    text = text_of(node)
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1]
    )


def _entity(
    source: Source, node: tree_sitter.Node, names: Names, cases: dict[str, dict[str, str]]
) -> Entity:
    members = _body(node)
    keys = next(
        (
            _cases(source, m)
            for m in members
            if m.type == "class_declaration" and _name(m) == "CodingKeys"
        ),
        {},
    )
    fields = []
    for member in members:
        if member.type == "property_declaration" and _stored(member):
            fields.append(_field(source, member, names, cases, keys))
        elif member.type == "class_declaration" and _name(member) != "CodingKeys":
            raise source.error(member, "nested types are not lifted; declare them at top level")
    return Entity(name=_name(node), fields=tuple(fields), doc=source.doc(node).text)


def _stored(node: tree_sitter.Node) -> bool:
    """Whether a property is stored and per instance (not computed, not static)."""
    text = text_of(node)
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    static = modifiers is not None and re.search(r"\b(static|class)\b", text_of(modifiers))
    return not static and node.child_by_field_name("computed_value") is None and "{" not in text


def _field(
    source: Source,
    node: tree_sitter.Node,
    names: Names,
    cases: dict[str, dict[str, str]],
    keys: dict[str, str],
) -> FieldDef:
    line = node.start_point.row + 1
    pattern = node.child_by_field_name("name")
    annotation = next((c for c in node.named_children if c.type == "type_annotation"), None)
    if pattern is None or annotation is None:
        raise source.error(node, "a stored property needs a name and a type annotation")
    member = text_of(pattern)
    ref = _type(text_of(annotation).lstrip(":").strip(), names, line)
    value = node.child_by_field_name("value")
    default = _default(source, value, ref, cases) if value is not None else None
    doc = source.doc(node)
    if doc.tags.get("format") in _FORMATTED:
        ref = _formatted(ref, _FORMATTED[doc.tags["format"]])
    return make_field(keys.get(member, member), ref, doc, line, default=default)


def _formatted(ref: TypeRef, scalar: Scalar) -> TypeRef:
    """``ref`` with its String made ``scalar`` (``@format date``, ``time``, …)."""
    match ref:
        case ScalarType(scalar=Scalar.STRING):
            return ScalarType(scalar=scalar)
        case ListType(item=inner):
            return ListType(item=_formatted(inner, scalar))
        case MapType(value=inner):
            return MapType(value=_formatted(inner, scalar))
        case OptionalType(inner=inner):
            return OptionalType(inner=_formatted(inner, scalar))
    return ref


def _type(text: str, names: Names, line: int) -> TypeRef:
    text = text.strip()
    if text.endswith("?"):
        return optional(_type(text[:-1], names, line))
    if text.startswith("[") and text.endswith("]"):
        parts = _split_colon(text[1:-1])
        if len(parts) == 1:
            return ListType(item=_type(parts[0], names, line))
        if _type(parts[0], names, line) == _type("String", names, line):
            return MapType(value=_type(parts[1], names, line))
    base, _, arguments = text.partition("<")
    args = split_args(arguments[:-1]) if arguments else []
    if base == "Optional" and len(args) == 1:
        return optional(_type(args[0], names, line))
    if base == "Array" and len(args) == 1:
        return ListType(item=_type(args[0], names, line))
    if base == "Dictionary" and len(args) == 2 and args[0] == "String":
        return MapType(value=_type(args[1], names, line))
    if args or text.startswith("["):
        raise LiftError(line, f"type `{text}` is not supported")
    return names.resolve(base, SCALARS, line)


def _split_colon(text: str) -> list[str]:
    depth = 0
    for index, char in enumerate(text):
        depth += char in "[<("
        depth -= char in "]>)"
        if char == ":" and depth == 0:
            return [text[:index].strip(), text[index + 1 :].strip()]
    return [text.strip()]


def _default(
    source: Source, node: tree_sitter.Node, ref: TypeRef, cases: dict[str, dict[str, str]]
) -> Default:
    text = text_of(node)
    if node.type == "line_string_literal" and "\\(" not in text:
        return Default(value=_string(node))
    if text in ("true", "false"):
        return Default(value=text == "true")
    if text == "nil":
        return Default(value=None)
    if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
        return Default(value=float(text) if re.search("[.eE]", text) else int(text))
    if node.type == "array_literal":
        items = [_default(source, c, _item_of(ref), cases).value for c in node.named_children]
        return Default.model_validate({"value": items})
    if node.type == "dictionary_literal" or text.replace(" ", "") == "[:]":
        parts = node.named_children
        value = _item_of(ref)
        pairs = {
            str(_default(source, k, ref, cases).value): _default(source, v, value, cases).value
            for k, v in zip(parts[::2], parts[1::2], strict=True)
        }
        return Default.model_validate({"value": pairs})
    enum = _enum_of(ref)
    member = text.rpartition(".")[2]
    if enum in cases and member in cases[enum] and "." in text:
        return Default(value=cases[enum][member])
    raise source.error(node, f"the default `{text}` is not a literal or an enum case")


def _item_of(ref: TypeRef) -> TypeRef:
    inner = getattr(ref, "inner", ref)
    return getattr(inner, "item", getattr(inner, "value", inner))


def _enum_of(ref: TypeRef) -> str:
    inner = getattr(ref, "inner", ref)
    return str(getattr(inner, "name", ""))
