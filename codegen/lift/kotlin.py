"""Kotlin: data classes and ``@Serializable`` classes (primary-constructor ``val``/``var``
parameters), enum classes, typealiases and value classes, at the top of a file or nested, with
kotlinx.serialization's ``@SerialName`` for wire names.

Read on purpose: ``@SerialName``, ``@Transient`` (the parameter is left out). Ignored on
purpose: visibility modifiers, ``@Inject`` and other annotations of constructors, Room's
``@Entity``/``@PrimaryKey``/``@ColumnInfo`` (they name database columns, not wire names).
"""

from __future__ import annotations

import re

import tree_sitter

from ..doctags import Doc, doc_above
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
    Scalar,
    Schema,
    TypeRef,
    Union,
    Variant,
)
from ..syntax import parse
from .common import OUTSIDE, Names, Outside, Source, make_field, optional, split_args, text_of

__all__ = ["lift_tree", "outside_of"]

SCALARS = {
    "String": Scalar.STRING,
    "Char": Scalar.STRING,
    "Int": Scalar.INT,
    "Long": Scalar.INT,
    "Short": Scalar.INT,
    "Byte": Scalar.INT,
    "UInt": Scalar.INT,
    "ULong": Scalar.INT,
    "Double": Scalar.FLOAT,
    "Float": Scalar.FLOAT,
    "Boolean": Scalar.BOOL,
    "BigDecimal": Scalar.DECIMAL,
    "Instant": Scalar.DATETIME,
    "LocalDateTime": Scalar.LOCAL_DATETIME,
    "LocalTime": Scalar.TIME,
    "Duration": Scalar.DURATION,
    "OffsetDateTime": Scalar.DATETIME,
    "ZonedDateTime": Scalar.DATETIME,
    "Date": Scalar.DATETIME,
    "LocalDate": Scalar.DATE,
    "UUID": Scalar.UUID,
    "Uuid": Scalar.UUID,
    "ByteArray": Scalar.BYTES,
}
LISTS = ("List", "MutableList", "Set", "MutableSet", "Collection", "Array", "Iterable")
MAPS = ("Map", "MutableMap", "HashMap", "LinkedHashMap")
# Collection factories a default may call: name -> whether it builds a map.
FACTORIES = {
    "emptyList": False,
    "listOf": False,
    "mutableListOf": False,
    "arrayListOf": False,
    "emptySet": False,
    "setOf": False,
    "mutableSetOf": False,
    "emptyArray": False,
    "arrayOf": False,
    "emptyMap": True,
    "mapOf": True,
    "mutableMapOf": True,
    "hashMapOf": True,
}
_SERIAL_NAME = re.compile(r'@SerialName\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
_ANNOTATION = re.compile(r"@[\w.]+(\([^)]*\))?\s*")
_MODEL_ANNOTATIONS = ("Serializable", "Entity", "JsonClass")


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every model of the file (nested ones too), in file order; ``source.skipped`` (when
    tolerant) gets each declaration that cannot be lifted or is no model."""
    declarations = list(_declarations(root))
    outside = OUTSIDE.get() or Outside()
    in_file = outside_of(source, root)
    members = {**outside.members, **in_file.members}
    aliases = {**outside.aliases, **in_file.aliases}
    names = Names(in_file.enums, in_file.entities)
    shared = {**outside.shared, **in_file.shared}
    entities: list[Entity] = []
    enums: list[Enum] = []
    unions: list[Union] = []
    sealed = {_name(node) for node in declarations if _has_modifier(node, "sealed")}
    aliases_ir: list[Alias] = []
    for node in declarations:
        if _is_alias(node) and _name(node) in in_file.aliases:
            underlying = in_file.aliases[_name(node)]
            source.note(node, f"value class `{_name(node)}` is carried as its `{underlying}`")
        elif _is_alias(node) and _scalar_of(node) is not None:
            scalar = _scalar_of(node)
            assert scalar is not None
            aliases_ir.append(Alias(name=_name(node), scalar=scalar, doc=_doc(source, node)))
        try:
            if _has_modifier(node, "enum"):
                enums.append(_enum(source, node))
            elif _has_modifier(node, "sealed"):
                unions.append(_union(source, node, declarations, _package(root)))
            elif _is_model(node):
                base = _base_fields(source, node, shared, names, members, aliases)
                entities.append(_entity(source, node, names, members, aliases, base))
            elif node.type == "object_declaration" and _supertypes(node) & (
                sealed | set(outside.variants)
            ):
                entities.append(Entity(name=_name(node), fields=(), doc=_doc(source, node)))
            elif not _is_alias(node):
                raise source.error(node, f"`{_name(node)}` {_why_not_model(node)}")
        except LiftError as error:
            if not source.tolerant:
                raise
            message = str(error).split(": ", 1)[1]
            if not message.startswith(f"`{_name(node)}`"):
                message = f"`{_name(node)}` is not translated: {message}"
            source.skipped.append(LiftError(error.line, message))
    return Schema(
        entities=tuple(entities),
        enums=tuple(enums),
        unions=tuple(unions),
        aliases=tuple(aliases_ir),
    )


def outside_of(source: Source, root: tree_sitter.Node) -> Outside:
    """What the file declares for the other files of a source set: its enums (with their
    members), models, typealiases, value classes and import aliases."""
    declarations = list(_declarations(root))
    enums = [node for node in declarations if _has_modifier(node, "enum")]
    aliases: dict[str, str] = {}
    for node in root.named_children:
        if node.type == "type_alias":
            name, target = node.named_children[0], node.named_children[-1]
            aliases[text_of(name)] = text_of(target)
        elif node.type == "import" and len(node.named_children) == 2:
            path, alias = node.named_children
            aliases[text_of(alias)] = text_of(path)
    for node in declarations:
        if _is_alias(node) and _scalar_of(node) is None:
            parameters = _parameters(node)
            if len(parameters) == 1:
                aliases[_name(node)] = _type_text(parameters[0])
    return Outside(
        enums={_name(n): tuple(_constants(n).values()) for n in enums},
        entities=frozenset(
            _name(n)
            for n in declarations
            if _is_model(n) or _has_modifier(n, "sealed") or _scalar_of(n) is not None
        ),
        members={_name(n): _constants(n) for n in enums},
        aliases=aliases,
        variants=_variants_in(source, declarations, _package(root)),
        shared={
            _name(n): text_of(listed)
            for n in declarations
            if _has_modifier(n, "sealed") and (listed := _class_parameters(n)) is not None
        },
    )


def _package(root: tree_sitter.Node) -> str:
    header = next((c for c in root.named_children if c.type == "package_header"), None)
    return text_of(header.named_children[0]) + "." if header and header.named_children else ""


def _union(
    source: Source, node: tree_sitter.Node, declarations: list[tree_sitter.Node], package: str
) -> Union:
    """A sealed class or interface and its subclasses in the file; the tag of each is its
    ``@SerialName`` or, as kotlinx.serialization does, its qualified name."""
    name = _name(node)
    discriminator = re.search(r'@JsonClassDiscriminator\(\s*"([^"]*)"', _annotated(source, node))
    variants = _variants_in(source, declarations, package).get(name, [])
    outside = OUTSIDE.get() or Outside()
    variants += [v for v in outside.variants.get(name, []) if v not in variants]
    return Union(
        name=name,
        variants=tuple(variants),
        discriminator=discriminator.group(1) if discriminator else "type",
        doc=_doc(source, node),
    )


def _supertypes(node: tree_sitter.Node) -> set[str]:
    """The simple names of the classes and interfaces ``node`` extends."""
    return {
        text_of(s).split("(", 1)[0].strip().rsplit(".", 1)[-1]
        for c in node.named_children
        if c.type == "delegation_specifiers"
        for s in c.named_children
    }


def _top(source: Source, node: tree_sitter.Node) -> int:
    """The row of a declaration's first annotation line (the grammar may give annotations on
    lines of their own to the declaration before)."""
    row = node.start_point.row
    while row > 0 and source.lines[row - 1].strip().startswith("@"):
        row -= 1
    return row


def _annotated(source: Source, node: tree_sitter.Node) -> str:
    """The text of a class declaration from its first annotation line to its name."""
    name = node.child_by_field_name("name")
    end = name.start_point.row if name else node.start_point.row
    return "\n".join(source.lines[_top(source, node) : end + 1])


def _doc(source: Source, node: tree_sitter.Node) -> str:
    row = _top(source, node)
    indent = len(source.lines[row]) - len(source.lines[row].lstrip())
    return Doc.parse(doc_above(source.lines, row, indent, source.platform.comment_prefixes)).text


def _variants_in(
    source: Source, declarations: list[tree_sitter.Node], package: str
) -> dict[str, list[Variant]]:
    """Supertype -> the models and objects of the file that extend it, with their tags: each
    one's ``@SerialName`` or, as kotlinx.serialization does, its qualified name."""
    found: dict[str, list[Variant]] = {}
    for child in declarations:
        if not _is_model(child) and child.type != "object_declaration":
            continue  # a plain class: named in its own warning
        serial = _SERIAL_NAME.search(_annotated(source, child))
        tag = serial.group(1) if serial else package + _nested_name(child)
        for supertype in sorted(_supertypes(child)):
            found.setdefault(supertype, []).append(Variant(tag=tag, entity=_name(child)))
    return found


def _nested_name(node: tree_sitter.Node) -> str:
    names = [_name(node)]
    parent = node.parent
    while parent is not None:
        if parent.type == "class_declaration":
            names.insert(0, _name(parent))
        parent = parent.parent
    return ".".join(names)


def _declarations(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The class and object declarations under ``node``, nested ones after their outer one."""
    found = []
    for child in node.named_children:
        if child.type in ("class_declaration", "object_declaration"):
            found.append(child)
            body = next((c for c in child.named_children if c.type.endswith("class_body")), None)
            found += _declarations(body) if body else []
    return found


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return text_of(name) if name else ""


def _has_modifier(node: tree_sitter.Node, word: str) -> bool:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    return modifiers is not None and any(
        c.type.endswith("_modifier") and text_of(c) == word for c in modifiers.named_children
    )


def _annotations(node: tree_sitter.Node) -> list[str]:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    found = []
    for child in modifiers.named_children if modifiers else ():
        if child.type == "annotation":
            found.append(text_of(child).lstrip("@").split("(", 1)[0].rsplit(".", 1)[-1])
    return found


def _is_alias(node: tree_sitter.Node) -> bool:
    return _has_modifier(node, "value") or _has_modifier(node, "inline")


def _scalar_of(node: tree_sitter.Node) -> Scalar | None:
    """The scalar a value class wraps (None for another class or no value class)."""
    parameters = _parameters(node) if _is_alias(node) else []
    if len(parameters) != 1:
        return None
    return SCALARS.get(_ANNOTATION.sub("", _type_text(parameters[0])).strip())


def _is_model(node: tree_sitter.Node) -> bool:
    """A data class, or a class with a ``@Serializable`` (Room ``@Entity``, Moshi
    ``@JsonClass``) annotation and a primary constructor."""
    if node.type != "class_declaration" or _keyword(node) != "class" or _is_alias(node):
        return False
    if _has_modifier(node, "sealed") or _has_modifier(node, "enum"):
        return False
    annotated = any(a in _MODEL_ANNOTATIONS for a in _annotations(node))
    return _has_modifier(node, "data") or (annotated and bool(_parameters(node)))


def _keyword(node: tree_sitter.Node) -> str:
    return next((c.type for c in node.children if c.type in ("class", "interface")), "object")


def _why_not_model(node: tree_sitter.Node) -> str:
    if node.type == "object_declaration":
        return "is an object (no fields to carry): not translated"
    if _keyword(node) == "interface":
        return "is an interface, not a model: not translated"
    return "is not a model (a data class, @Serializable class or enum): not translated"


def _class_parameters(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The ``(…)`` of a class's primary constructor (None when it has none)."""
    constructor = next((c for c in node.named_children if c.type == "primary_constructor"), None)
    if constructor is None:
        return None
    return next((c for c in constructor.named_children if c.type == "class_parameters"), None)


def _parameters(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    listed = _class_parameters(node)
    return [p for p in listed.named_children if p.type == "class_parameter"] if listed else []


def _base_fields(
    source: Source,
    node: tree_sitter.Node,
    shared: dict[str, str],
    names: Names,
    members: dict[str, dict[str, str]],
    aliases: dict[str, str],
) -> tuple[tuple[str, FieldDef], ...]:
    """(identifier, field) of the properties of the sealed classes ``node`` extends (``sealed class Event(val id:
    String)``): kotlinx.serialization writes them ahead of the subclass's own."""
    fields: list[tuple[str, FieldDef]] = []
    for supertype in sorted(_supertypes(node) & set(shared)):
        base = Source.of("class Base" + shared[supertype], source.platform)
        declared = next(c for c in parse(base.text, base.platform).root_node.named_children)
        for parameter in _parameters(declared):
            if re.search(r"\b(val|var)\b", text_of(parameter).split(":", 1)[0]):
                field = _field(base, parameter, names, members, aliases)
                fields.append((text_of(_plain(parameter)[0]), field))
    return tuple(fields)


def _type_text(parameter: tree_sitter.Node) -> str:
    children = [c for c in parameter.named_children if c.type != "modifiers"]
    return text_of(children[1])


def _entries(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    body = next((c for c in node.named_children if c.type == "enum_class_body"), None)
    return [c for c in body.named_children if c.type == "enum_entry"] if body else []


def _constants(node: tree_sitter.Node) -> dict[str, str]:
    """Identifier -> wire value of each enum entry."""
    found = {}
    for entry in _entries(node):
        identifier = next(c for c in entry.named_children if c.type == "identifier")
        serial = _SERIAL_NAME.search(_head(entry))
        found[text_of(identifier)] = serial.group(1) if serial else text_of(identifier)
    return found


_PROPERTY_SCALARS = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)


def _enum(source: Source, node: tree_sitter.Node) -> Enum:
    """An enum class with the properties its entries pass (``RED(0xFF0000, "Red")``)."""
    properties = []
    entries = _entries(node)
    for index, parameter in enumerate(_parameters(node)):
        name = text_of(_plain(parameter)[0])
        scalar = SCALARS.get(_type_text(parameter).strip())
        if scalar not in _PROPERTY_SCALARS or "val" not in text_of(parameter).split(":", 1)[0]:
            why = "not a val of a string, number or bool"
            source.note(parameter, f"`{_name(node)}.{name}` is not carried ({why})")
            continue
        values = [_argument(source, entry, index, scalar) for entry in entries]
        properties.append(EnumProperty(name=name, scalar=scalar, values=tuple(values)))
    return Enum(
        name=_name(node),
        values=tuple(_constants(node).values()),
        doc=_doc(source, node),
        properties=tuple(properties),
    )


def _argument(source: Source, entry: tree_sitter.Node, index: int, scalar: Scalar) -> object:
    """The value an enum entry passes for the constructor parameter at ``index``."""
    arguments = next((c for c in entry.named_children if c.type == "value_arguments"), None)
    values = [a.named_children[-1] for a in arguments.named_children] if arguments else []
    if index >= len(values):
        raise source.error(
            entry, "an enum entry must pass every property (defaults are not lifted)"
        )
    value = _value(source, values[index], {})
    return float(value) if scalar is Scalar.FLOAT and isinstance(value, int) else value


def _head(node: tree_sitter.Node) -> str:
    """The text of a declaration's modifiers and annotations."""
    modifiers = next(
        (c for c in node.named_children if c.type in ("modifiers", "annotation")), None
    )
    return text_of(modifiers) if modifiers else ""


def _plain(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [c for c in node.named_children if c.type != "modifiers"]


def _entity(
    source: Source,
    node: tree_sitter.Node,
    names: Names,
    members: dict[str, dict[str, str]],
    aliases: dict[str, str],
    base: tuple[tuple[str, FieldDef], ...] = (),
) -> Entity:
    """A model class: its constructor's properties, after ``base``'s (its sealed class's)."""
    inherited = {identifier for identifier, _ in base}
    body = next((c for c in node.named_children if c.type == "class_body"), None)
    for member in body.named_children if body else ():
        if member.type != "property_declaration":
            continue
        if any(c.type == "getter" for c in member.named_children):
            source.note(member, "a computed property is not part of the model")
            continue
        raise source.error(
            member,
            "a property in a data class body is not lifted; declare it in the primary constructor",
        )
    fields = [field for _, field in base]
    for parameter in _parameters(node):
        head = text_of(parameter).split(":", 1)[0]
        annotations = _head(parameter)
        identifier = text_of(_plain(parameter)[0])
        if identifier in inherited:
            continue  # passed on to the sealed class, whose property it is
        if not re.search(r"\b(val|var)\b", head):
            source.note(parameter, f"constructor parameter `{identifier}` is not a property")
            continue
        if re.search(r"@(kotlinx\.serialization\.)?Transient\b", annotations):
            source.note(parameter, f"`{identifier}` is @Transient: not on the wire")
            continue
        fields.append(_field(source, parameter, names, members, aliases))
    return Entity(name=_name(node), fields=tuple(fields), doc=_doc(source, node))


def _field(
    source: Source,
    node: tree_sitter.Node,
    names: Names,
    members: dict[str, dict[str, str]],
    aliases: dict[str, str],
) -> FieldDef:
    line = node.start_point.row + 1
    identifier, type_node, *rest = _plain(node)
    serial = _SERIAL_NAME.search(_head(node))
    ref = _type(text_of(type_node), names, line, aliases)
    doc = source.doc(node)
    default = _default(source, rest[0], ref, members) if rest else None
    wire = serial.group(1).encode().decode("unicode_escape") if serial else text_of(identifier)
    return make_field(wire, ref, doc, line, default=default)


def _type(text: str, names: Names, line: int, aliases: dict[str, str], depth: int = 0) -> TypeRef:
    text = _ANNOTATION.sub("", text).strip()
    if text.endswith("?"):
        return optional(_type(text[:-1], names, line, aliases, depth))
    base, _, arguments = text.partition("<")
    full = base.strip()
    base = full.rsplit(".", 1)[-1]
    args = split_args(arguments[:-1]) if arguments else []
    if base in LISTS and len(args) == 1:
        return ListType(item=_type(args[0], names, line, aliases, depth))
    if base in MAPS and len(args) == 2:
        key = _type(args[0], names, line, aliases, depth)
        if key in (_type("String", names, 0, {}), _type("Char", names, 0, {})):
            return MapType(value=_type(args[1], names, line, aliases, depth))
    if args:
        raise LiftError(
            line, f"type `{text}` is not supported (lists, sets and string-keyed maps are)"
        )
    if base in aliases and base not in SCALARS and depth < 8:
        return _type(aliases[base], names, line, aliases, depth + 1)
    return names.resolve(full, SCALARS, line)


def _default(
    source: Source, node: tree_sitter.Node, ref: TypeRef, members: dict[str, dict[str, str]]
) -> Default:
    value = _value(source, node, members)
    return Default(value=value)


def _value(source: Source, node: tree_sitter.Node, members: dict[str, dict[str, str]]) -> object:
    """The JSON value of a default expression."""
    text = text_of(node)
    if node.type == "string_literal" and "${" not in text:
        return _unquote(text)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?0[xX][0-9A-Fa-f_]+[Ll]?", text):
        return int(text.rstrip("Ll").replace("_", ""), 16)
    text = text.replace("_", "") if re.fullmatch(r"-?[\d_]+[Ll]?", text) else text
    number = re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?[LlFf]?", text)
    if number:
        literal = text.rstrip("LlFf")
        return float(literal) if number.group(1) or number.group(2) else int(literal)
    enum, _, member = text.rpartition(".")
    enum = enum.rsplit(".", 1)[-1]
    if enum in members and member in members[enum]:
        return members[enum][member]
    if node.type == "call_expression":
        return _collection(source, node, members)
    raise source.error(node, f"the default `{text}` is not a literal or an enum member")


def _collection(
    source: Source, node: tree_sitter.Node, members: dict[str, dict[str, str]]
) -> object:
    callee = text_of(node.named_children[0])
    arguments = node.named_children[-1]
    if callee not in FACTORIES or arguments.type != "value_arguments":
        raise source.error(node, f"the default `{text_of(node)}` is not a literal or collection")
    values = [a.named_children[-1] for a in arguments.named_children]
    if not FACTORIES[callee]:
        return [_value(source, v, members) for v in values]
    entries: dict[str, object] = {}
    for pair in values:
        parts = pair.named_children
        if pair.type != "infix_expression" or len(parts) != 3 or text_of(parts[1]) != "to":
            raise source.error(pair, f"`{text_of(pair)}` is not a `key to value` pair")
        key = _value(source, parts[0], members)
        entries[str(key)] = _value(source, parts[2], members)
    return entries


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
