"""TypeScript: interfaces, object type aliases and string-literal unions.

The doc comment's tags refine what TypeScript's types leave open (``@asType integer``,
``@format uuid``) and carry defaults and constraints, as typescript-json-schema reads them.
"""

from __future__ import annotations

import json
import re

import tree_sitter

from ..doctags import Doc
from ..exceptions import LiftError
from ..ir import (
    Alias,
    Entity,
    Enum,
    EnumProperty,
    FieldDef,
    ListType,
    MapType,
    Scalar,
    ScalarType,
    Schema,
    TypeRef,
    Union,
    Variant,
)
from .common import (
    Names,
    Source,
    default_from_tag,
    make_field,
    optional,
    split_args,
    split_union,
    text_of,
)

__all__ = ["lift_tree"]

SCALARS = {"string": Scalar.STRING, "number": Scalar.FLOAT, "boolean": Scalar.BOOL}
# (tag, value) -> the scalar a string or number stands for.
REFINED = {
    ("asType", "integer"): Scalar.INT,
    ("format", "decimal"): Scalar.DECIMAL,
    ("format", "date-time"): Scalar.DATETIME,
    ("format", "date"): Scalar.DATE,
    ("format", "time"): Scalar.TIME,
    ("format", "local-date-time"): Scalar.LOCAL_DATETIME,
    ("format", "duration"): Scalar.DURATION,
    ("format", "uuid"): Scalar.UUID,
    ("format", "byte"): Scalar.BYTES,
}
_NULLS = ("null", "undefined")


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every interface, object type alias and string-literal union of the file."""
    declarations = [_declaration(node) for node in root.named_children]
    found = [node for node in declarations if node is not None]
    enums = tuple(_with_properties(_enum(source, n), source.text) for n in found if _is_enum(n))
    unions = tuple(_union(source, n) for n in found if _variants(n))
    found = [n for n in found if not _variants(n)]
    bodies = {_name(n): _object(n) for n in found if not _is_enum(n)}
    objects = {name: body for name, body in bodies.items() if body is not None}
    aliases = tuple(_alias(source, n) for n in root.named_children if _BRAND.match(text_of(n)))
    declared = frozenset(objects) | {u.name for u in unions} | {a.name for a in aliases}
    names = Names({e.name: e.values for e in enums}, declared)
    entities = tuple(
        Entity(name=name, fields=_fields(source, body, names), doc=source.doc(_outer(body)).text)
        for name, body in objects.items()
    )
    return Schema(entities=entities, enums=enums, unions=unions, aliases=aliases)


_BRAND = re.compile(r'^export const (\w+)Schema = z\.(\w+)\(\)(\.int\(\))?.*\.brand<"\w+">\(\);$')
_ZOD_BASES = {"string": Scalar.STRING, "number": Scalar.FLOAT, "boolean": Scalar.BOOL}


def _alias(source: Source, node: tree_sitter.Node) -> Alias:
    """A branded zod schema (``z.string().brand<"Sku">()``) and its inferred type."""
    found = _BRAND.match(text_of(node))
    assert found is not None
    doc = source.doc(node)
    line = node.start_point.row + 1
    base = ScalarType(scalar=_ZOD_BASES.get(found.group(2), Scalar.STRING))
    ref = _refined(base, doc, line)
    assert isinstance(ref, ScalarType)
    return Alias(name=found.group(1), scalar=ref.scalar, doc=doc.text)


_VARIANT = re.compile(
    r"""^\(\{\s*("(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*)\s*:\s*("(?:[^"\\]|\\.)*")\s*;?\s*\}\s*&\s*(\w+)\)$"""
)


_STRING = r'"(?:[^"\\]|\\.)*"'
_PROPERTIES = r"^export const {}Properties = \{{\n(.*?)\n\}} as const;"
_ROW = re.compile(rf"^  ({_STRING}): \{{ (.*) \}},$", re.MULTILINE)
_PAIR = re.compile(rf"([\w$]+|{_STRING}): ({_STRING}|[^,]+)")
_KINDS = {bool: Scalar.BOOL, int: Scalar.INT, float: Scalar.FLOAT, str: Scalar.STRING}


def _with_properties(enum: Enum, text: str) -> Enum:
    """``enum`` with the properties its ``<Name>Properties`` table gives (as Accord emits it)."""
    table = re.search(_PROPERTIES.format(re.escape(enum.name)), text, re.MULTILINE | re.DOTALL)
    if table is None:
        return enum
    rows = {json.loads(k): _PAIR.findall(v) for k, v in _ROW.findall(table.group(1))}
    first = rows.get(enum.values[0], [])
    properties = []
    for index, (key, _) in enumerate(first):
        values = tuple(json.loads(rows[wire][index][1]) for wire in enum.values)
        name = _unquoted(key)
        properties.append(EnumProperty(name=name, scalar=_KINDS[type(values[0])], values=values))
    return enum.model_copy(update={"properties": tuple(properties)})


def _variants(node: tree_sitter.Node) -> list[tuple[str, str, str]]:
    """(discriminator, tag, entity) of each part of a ``({ type: "a" } & A) | …`` alias."""
    value = node.child_by_field_name("value") if node.type == "type_alias_declaration" else None
    if value is None:
        return []
    found = [_VARIANT.match(part) for part in split_union(" ".join(text_of(value).split()))]
    if not found or not all(found):
        return []
    return [(_unquoted(m.group(1)), json.loads(m.group(2)), m.group(3)) for m in found if m]


def _unquoted(key: str) -> str:
    return str(json.loads(key)) if key.startswith('"') else key


def _union(source: Source, node: tree_sitter.Node) -> Union:
    variants = _variants(node)
    return Union(
        name=_name(node),
        discriminator=variants[0][0],
        variants=tuple(Variant(tag=tag, entity=entity) for _, tag, entity in variants),
        doc=source.doc(_outer(node)).text,
    )


def _declaration(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.type == "export_statement":
        node = node.child_by_field_name("declaration") or node
    return node if node.type in ("interface_declaration", "type_alias_declaration") else None


def _outer(node: tree_sitter.Node) -> tree_sitter.Node:
    """The top-level statement ``node`` belongs to (where its doc comment is)."""
    while node.parent is not None and node.parent.type != "program":
        node = node.parent
    return node


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return text_of(name) if name else ""


def _is_enum(node: tree_sitter.Node) -> bool:
    value = node.child_by_field_name("value")
    return (
        value is not None
        and value.type in ("union_type", "literal_type")
        and all(part.strip().startswith(('"', "'")) for part in text_of(value).split("|"))
    )


def _enum(source: Source, node: tree_sitter.Node) -> Enum:
    value = node.child_by_field_name("value")
    parts = text_of(value).split("|") if value else []
    values = tuple(json.loads('"' + part.strip()[1:-1] + '"') for part in parts)
    return Enum(name=_name(node), values=values, doc=source.doc(_outer(node)).text)


def _object(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.type == "interface_declaration":
        return node.child_by_field_name("body")
    value = node.child_by_field_name("value")
    return value if value is not None and value.type == "object_type" else None


def _fields(source: Source, body: tree_sitter.Node, names: Names) -> tuple[FieldDef, ...]:
    fields = []
    for member in body.named_children:
        if member.type == "property_signature":
            fields.append(_field(source, member, names))
        elif member.type != "comment":
            raise source.error(member, f"`{text_of(member)}` is not a property; not lifted")
    return tuple(fields)


def _field(source: Source, node: tree_sitter.Node, names: Names) -> FieldDef:
    line = node.start_point.row + 1
    name_node = node.child_by_field_name("name")
    annotation = node.child_by_field_name("type")
    if name_node is None or annotation is None:
        raise source.error(node, "a property needs a type")
    name = text_of(name_node)
    wire = json.loads('"' + name[1:-1] + '"') if name[0] in "\"'" else name
    doc = source.doc(node)
    ref = _type(text_of(annotation).lstrip(":").strip(), names, doc, line)
    if any(not c.is_named and text_of(c) == "?" for c in node.children):
        ref = optional(ref)
    return make_field(wire, ref, doc, line, default=default_from_tag(doc, line))


def _type(text: str, names: Names, doc: Doc, line: int) -> TypeRef:
    text = text.strip()
    parts = split_union(text)
    if len(parts) > 1:
        kept = [part for part in parts if part not in _NULLS]
        if len(kept) != 1:
            raise LiftError(line, f"the union `{text}` is not supported (only `T | null`)")
        return optional(_type(kept[0], names, doc, line))
    if text.startswith("(") and text.endswith(")"):
        return _type(text[1:-1], names, doc, line)
    if text.endswith("[]"):
        return ListType(item=_type(text[:-2], names, doc, line))
    base, _, arguments = text.partition("<")
    args = split_args(arguments[:-1]) if arguments else []
    if base in ("Array", "ReadonlyArray") and len(args) == 1:
        return ListType(item=_type(args[0], names, doc, line))
    if base == "Record" and len(args) == 2 and args[0] == "string":
        return MapType(value=_type(args[1], names, doc, line))
    if args:
        raise LiftError(line, f"type `{text}` is not supported")
    return _refined(names.resolve(base, SCALARS, line), doc, line)


def _refined(ref: TypeRef, doc: Doc, line: int) -> TypeRef:
    """A string or number made precise by the doc's ``@asType``/``@format`` tag."""
    if not isinstance(ref, ScalarType):
        return ref
    for (tag, value), scalar in REFINED.items():
        if doc.tags.get(tag) == value:
            expected = Scalar.FLOAT if scalar is Scalar.INT else Scalar.STRING
            if ref.scalar is not expected:
                raise LiftError(line, f"@{tag} {value} needs a {_TS_NAME[expected]}")
            return ScalarType(scalar=scalar)
    return ref


_TS_NAME = {Scalar.FLOAT: "number", Scalar.STRING: "string"}
