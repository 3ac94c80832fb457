"""Python: pydantic models, dataclasses and string enums.

A pydantic ``Field(...)`` gives the alias (wire name), default, constraints and description; a
dataclass field's doc is the ``#:`` comment above it.
"""

from __future__ import annotations

import ast
import json
import re

import tree_sitter

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
from .common import Names, Source, optional, split_args, split_union, text_of

__all__ = ["lift_tree"]

SCALARS = {
    "str": Scalar.STRING,
    "int": Scalar.INT,
    "float": Scalar.FLOAT,
    "bool": Scalar.BOOL,
    "Decimal": Scalar.DECIMAL,
    "datetime": Scalar.DATETIME,
    "date": Scalar.DATE,
    "time": Scalar.TIME,
    "NaiveDatetime": Scalar.LOCAL_DATETIME,
    "timedelta": Scalar.DURATION,
    "UUID": Scalar.UUID,
    "bytes": Scalar.BYTES,
}
LISTS = ("list", "List", "Sequence", "set", "Set", "tuple")
MAPS = ("dict", "Dict", "Mapping")
ENUM_BASES = ("StrEnum", "Enum", "str")
# Field() keywords and the constraint each sets.
CONSTRAINTS = {
    "min_length": "min_length",
    "max_length": "max_length",
    "ge": "minimum",
    "le": "maximum",
    "pattern": "pattern",
}


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every pydantic model, dataclass and string enum at the top of the module."""
    classes = [_class(node) for node in root.named_children]
    found = [(node, decorated) for node, decorated in classes if node is not None]
    enum_nodes = [node for node, _ in found if _bases(node) & {"Enum", "StrEnum"}]
    members = {_name(node): _members(source, node) for node in enum_nodes}
    enums = tuple(
        Enum(
            name=_name(n),
            values=tuple(members[_name(n)].values()),
            doc=_docstring(n),
            properties=_properties(text_of(n), tuple(members[_name(n)].values())),
        )
        for n in enum_nodes
    )
    models = [node for node, decorated in found if "BaseModel" in _bases(node) or decorated]
    unions = _unions(source.text)
    aliases = _aliases(source.text)
    names = Names(
        {e.name: e.values for e in enums},
        frozenset(map(_name, models)) | {u.name for u in unions} | {a.name for a in aliases},
    )
    tags: dict[str, str] = {}
    discriminators = {v.entity: u.discriminator for u in unions for v in u.variants}
    entities = tuple(_entity(source, node, names, members, discriminators, tags) for node in models)
    unions = tuple(
        u.model_copy(
            update={
                "variants": tuple(
                    Variant(tag=tags.get(v.entity, ""), entity=v.entity) for v in u.variants
                )
            }
        )
        for u in unions
    )
    return Schema(entities=entities, enums=enums, unions=unions, aliases=aliases)


_NEW_TYPE = re.compile(
    r'^(\w+) = NewType\("\w+", (\w+)\)$(?:\n"""((?:[^"\\]|\\.)*)""")?', re.MULTILINE
)


def _aliases(text: str) -> tuple[Alias, ...]:
    """The ``X = NewType("X", str)`` of the module, with the docstring below each."""
    return tuple(
        Alias(name=name, scalar=SCALARS[kind], doc=_unescaped(doc))
        for name, kind, doc in _NEW_TYPE.findall(text)
        if kind in SCALARS
    )


def _unescaped(doc: str) -> str:
    return doc.replace('\\"', '"').replace("\\\\", "\\")


_PROPERTY = re.compile(
    r"^    @property\n    def (\w+)\(self\) -> (\w+):\n        return (\{.*\})\[self\.value\]$",
    re.MULTILINE,
)


def _properties(text: str, values: tuple[str, ...]) -> tuple[EnumProperty, ...]:
    """The ``@property`` tables of an enum class (as Accord emits them)."""
    found = []
    for name, annotation, table in _PROPERTY.findall(text):
        by_wire = ast.literal_eval(table)
        scalar = SCALARS.get(annotation, Scalar.STRING)
        found.append(
            EnumProperty(name=name, scalar=scalar, values=tuple(by_wire[v] for v in values))
        )
    return tuple(found)


_UNION = re.compile(
    r'^(\w+) = Annotated\[\s*(\w+(?:\s*\|\s*\w+)*),\s*Field\(discriminator="(\w+)"\),?\s*\]'
    r'(?:\n"""((?:[^"\\]|\\.)*)""")?',
    re.MULTILINE,
)


def _unions(text: str) -> tuple[Union, ...]:
    """The ``X = Annotated[A | B, Field(discriminator="type")]`` aliases of the module (their
    tags come from the variants' ``Literal`` fields)."""
    return tuple(
        Union(
            name=m.group(1),
            discriminator=m.group(3),
            variants=tuple(Variant(tag="", entity=part.strip()) for part in m.group(2).split("|")),
            doc=(m.group(4) or "").replace('\\"', '"').replace("\\\\", "\\"),
        )
        for m in _UNION.finditer(text)
    )


def _class(node: tree_sitter.Node) -> tuple[tree_sitter.Node | None, bool]:
    """The class a statement defines and whether ``@dataclass`` decorates it."""
    if node.type == "decorated_definition":
        decorated = any(
            "dataclass" in text_of(d) for d in node.named_children if d.type == "decorator"
        )
        definition = node.child_by_field_name("definition")
        return (
            (definition, decorated)
            if definition and definition.type == "class_definition"
            else (None, False)
        )
    return (node, False) if node.type == "class_definition" else (None, False)


def _name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    return text_of(name) if name else ""


def _bases(node: tree_sitter.Node) -> set[str]:
    bases = node.child_by_field_name("superclasses")
    return {text_of(b).rsplit(".", 1)[-1] for b in bases.named_children} if bases else set()


def _statements(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    body = node.child_by_field_name("body")
    return list(body.named_children) if body else []


def _docstring(node: tree_sitter.Node) -> str:
    first = next(iter(_statements(node)), None)
    if first is None or first.type != "expression_statement":
        return ""
    string = first.named_children[0]
    return str(ast.literal_eval(text_of(string))).strip() if string.type == "string" else ""


def _members(source: Source, node: tree_sitter.Node) -> dict[str, str]:
    """Member name -> wire value."""
    found = {}
    for statement in _statements(node):
        assignment = statement.named_children[0] if statement.named_children else None
        if assignment is None or assignment.type != "assignment":
            continue
        left, right = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        )
        if left is None or right is None or right.type != "string":
            raise source.error(statement, "enum members must be assigned string values")
        found[text_of(left)] = str(ast.literal_eval(text_of(right)))
    return found


def _entity(
    source: Source,
    node: tree_sitter.Node,
    names: Names,
    members: dict[str, dict[str, str]],
    discriminators: dict[str, str],
    tags: dict[str, str],
) -> Entity:
    fields = []
    for statement in _statements(node):
        assignment = statement.named_children[0] if statement.named_children else None
        if assignment is None or assignment.type != "assignment":
            continue
        left = text_of(assignment.child_by_field_name("left") or assignment)
        annotation = assignment.child_by_field_name("type")
        if annotation is None:
            if left == "model_config":
                continue
            raise source.error(statement, f"`{left}` has no type annotation; not a field")
        if "ClassVar" in text_of(annotation):
            continue
        literal = re.fullmatch(r'Literal\["((?:[^"\\]|\\.)*)"\]', text_of(annotation))
        if literal and discriminators.get(_name(node)) == left:
            tags[_name(node)] = json.loads(f'"{literal.group(1)}"')
            continue
        fields.append(_field(source, assignment, names, members))
    return Entity(name=_name(node), fields=tuple(fields), doc=_docstring(node))


def _field(
    source: Source, node: tree_sitter.Node, names: Names, members: dict[str, dict[str, str]]
) -> FieldDef:
    line = node.start_point.row + 1
    name = text_of(node.child_by_field_name("left") or node)
    annotation = node.child_by_field_name("type")
    ref = _type(text_of(annotation) if annotation else "", names, line)
    right = node.child_by_field_name("right")
    options: dict[str, object] = {}
    if (
        right is not None
        and right.type == "call"
        and text_of(right.child_by_field_name("function") or right).rsplit(".")[-1]
        in ("Field", "field")
    ):
        options = _field_call(source, right, members)
    elif right is not None:
        options["default"] = _literal(source, right, members)
    wire = str(options.pop("alias", name))
    doc = source.doc(node.parent or node)
    description = str(options.pop("description", doc.text))
    constraints = options.pop("constraints", None) or {}
    values = {"name": wire, "type": ref, "doc": description, "constraints": constraints}
    return FieldDef.model_validate({**values, **options})


def _field_call(
    source: Source, call: tree_sitter.Node, members: dict[str, dict[str, str]]
) -> dict[str, object]:
    options: dict[str, object] = {}
    constraints: dict[str, object] = {}
    arguments = call.child_by_field_name("arguments")
    for argument in arguments.named_children if arguments else ():
        if argument.type != "keyword_argument":
            options["default"] = _literal(source, argument, members)
            continue
        key = text_of(argument.child_by_field_name("name") or argument)
        value = argument.child_by_field_name("value") or argument
        if key == "default":
            options["default"] = _literal(source, value, members)
        elif key in CONSTRAINTS:
            constraints[CONSTRAINTS[key]] = ast.literal_eval(text_of(value))
        elif key in ("alias", "description", "serialization_alias", "validation_alias"):
            options["alias" if "alias" in key else key] = ast.literal_eval(text_of(value))
        else:
            raise source.error(argument, f"`{key}=` in Field() is not lifted")
    options["constraints"] = constraints
    return options


def _literal(source: Source, node: tree_sitter.Node, members: dict[str, dict[str, str]]) -> Default:
    text = text_of(node)
    enum, _, member = text.rpartition(".")
    if enum in members and member in members[enum]:
        return Default(value=members[enum][member])
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise source.error(
            node, f"the default `{text}` is not a literal or an enum member"
        ) from None
    try:
        return Default(value=value)
    except ValueError:
        message = f"the default `{text}` is not a scalar or a collection of them"
        raise source.error(node, message) from None


def _type(text: str, names: Names, line: int) -> TypeRef:
    text = text.strip()
    union = split_union(text)
    if len(union) > 1:
        kept = [part for part in union if part != "None"]
        if len(kept) != 1:
            raise LiftError(line, f"the union `{text}` is not supported (only `T | None`)")
        return optional(_type(kept[0], names, line))
    base, _, arguments = text.partition("[")
    base = base.rsplit(".", 1)[-1]
    args = split_args(arguments[:-1]) if arguments else []
    if base == "Optional" and len(args) == 1:
        return optional(_type(args[0], names, line))
    if base in LISTS and (len(args) == 1 or (base == "tuple" and args[-1:] == ["..."])):
        return ListType(item=_type(args[0], names, line))
    if base in MAPS and len(args) == 2 and args[0] == "str":
        return MapType(value=_type(args[1], names, line))
    if args:
        raise LiftError(line, f"type `{text}` is not supported")
    return names.resolve(base.strip("'\""), SCALARS, line)
