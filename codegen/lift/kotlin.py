"""Kotlin: data classes (primary-constructor ``val``/``var`` parameters) and enum classes,
with kotlinx.serialization's ``@SerialName`` for wire names."""

from __future__ import annotations

import re

import tree_sitter

from ..exceptions import LiftError
from ..ir import Default, Entity, Enum, FieldDef, ListType, MapType, Scalar, Schema, TypeRef
from .common import Names, Source, make_field, optional, split_args, text_of

__all__ = ["lift_tree"]

SCALARS = {
    "String": Scalar.STRING,
    "Char": Scalar.STRING,
    "Int": Scalar.INT,
    "Long": Scalar.INT,
    "Short": Scalar.INT,
    "Byte": Scalar.INT,
    "Double": Scalar.FLOAT,
    "Float": Scalar.FLOAT,
    "Boolean": Scalar.BOOL,
    "BigDecimal": Scalar.DECIMAL,
    "Instant": Scalar.DATETIME,
    "LocalDateTime": Scalar.DATETIME,
    "OffsetDateTime": Scalar.DATETIME,
    "UUID": Scalar.UUID,
    "Uuid": Scalar.UUID,
    "ByteArray": Scalar.BYTES,
}
LISTS = ("List", "MutableList", "Set", "Collection", "Array")
MAPS = ("Map", "MutableMap", "HashMap")
_SERIAL_NAME = re.compile(r'@SerialName\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
_ANNOTATION = re.compile(r"@[\w.]+(\([^)]*\))?\s*")


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every data class and enum class at the top of the file."""
    classes = [node for node in root.named_children if node.type == "class_declaration"]
    enums = {_name(node): node for node in classes if _has_modifier(node, "enum")}
    lifted_enums = {name: _enum(source, node) for name, node in enums.items()}
    members = {name: _constants(node) for name, node in enums.items()}
    data = [node for node in classes if _has_modifier(node, "data")]
    names = Names({n: e.values for n, e in lifted_enums.items()}, frozenset(map(_name, data)))
    entities = tuple(_entity(source, node, names, members) for node in data)
    return Schema(entities=entities, enums=tuple(lifted_enums.values()))


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return text_of(name) if name else ""


def _has_modifier(node: tree_sitter.Node, word: str) -> bool:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    return modifiers is not None and any(
        c.type == "class_modifier" and text_of(c) == word for c in modifiers.named_children
    )


def _entries(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    body = next((c for c in node.named_children if c.type == "enum_class_body"), None)
    return [c for c in body.named_children if c.type == "enum_entry"] if body else []


def _constants(node: tree_sitter.Node) -> dict[str, str]:
    """Identifier -> wire value of each enum entry."""
    found = {}
    for entry in _entries(node):
        identifier = next(c for c in entry.named_children if c.type == "identifier")
        serial = _SERIAL_NAME.search(text_of(entry))
        found[text_of(identifier)] = serial.group(1) if serial else text_of(identifier)
    return found


def _enum(source: Source, node: tree_sitter.Node) -> Enum:
    return Enum(
        name=_name(node), values=tuple(_constants(node).values()), doc=source.doc(node).text
    )


def _entity(
    source: Source, node: tree_sitter.Node, names: Names, members: dict[str, dict[str, str]]
) -> Entity:
    body = next((c for c in node.named_children if c.type == "class_body"), None)
    for member in body.named_children if body else ():
        if member.type == "property_declaration":
            raise source.error(
                member,
                "a property in a data class body is not lifted; "
                "declare it in the primary constructor",
            )
    constructor = next((c for c in node.named_children if c.type == "primary_constructor"), None)
    parameters = constructor.named_children[0].named_children if constructor else []
    fields = tuple(
        _field(source, p, names, members) for p in parameters if p.type == "class_parameter"
    )
    return Entity(name=_name(node), fields=fields, doc=source.doc(node).text)


def _field(
    source: Source, node: tree_sitter.Node, names: Names, members: dict[str, dict[str, str]]
) -> FieldDef:
    line = node.start_point.row + 1
    if not re.search(r"\b(val|var)\b", text_of(node).split(":", 1)[0]):
        raise source.error(node, "a constructor parameter without val/var is not a property")
    children = [c for c in node.named_children if c.type != "modifiers"]
    identifier, type_node, *rest = children
    serial = _SERIAL_NAME.search(text_of(node).split(text_of(identifier), 1)[0])
    ref = _type(text_of(type_node), names, line)
    doc = source.doc(node)
    default = _default(source, rest[0], ref, members) if rest else None
    wire = serial.group(1).encode().decode("unicode_escape") if serial else text_of(identifier)
    return make_field(wire, ref, doc, line, default=default)


def _type(text: str, names: Names, line: int) -> TypeRef:
    text = _ANNOTATION.sub("", text).strip()
    if text.endswith("?"):
        return optional(_type(text[:-1], names, line))
    base, _, arguments = text.partition("<")
    args = split_args(arguments[:-1]) if arguments else []
    if base in LISTS and len(args) == 1:
        return ListType(item=_type(args[0], names, line))
    if base in MAPS and len(args) == 2 and _type(args[0], names, line) == _type("String", names, 0):
        return MapType(value=_type(args[1], names, line))
    if args:
        raise LiftError(
            line, f"type `{text}` is not supported (lists, sets and string-keyed maps are)"
        )
    return names.resolve(base, SCALARS, line)


def _default(
    source: Source, node: tree_sitter.Node, ref: TypeRef, members: dict[str, dict[str, str]]
) -> Default:
    text = text_of(node)
    if node.type == "string_literal" and "${" not in text:
        return Default(value=_unquote(text))
    if text in ("true", "false"):
        return Default(value=text == "true")
    if text == "null":
        return Default(value=None)
    number = re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?[LlFf]?", text)
    if number:
        literal = text.rstrip("LlFf")
        return Default(value=float(literal) if number.group(1) or number.group(2) else int(literal))
    enum, _, member = text.rpartition(".")
    if enum in members and member in members[enum]:
        return Default(value=members[enum][member])
    raise source.error(node, f"the default `{text}` is not a literal or an enum member")


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
