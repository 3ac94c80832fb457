"""Go: structs (the ``json`` tag names the wire) and string types with typed constants."""

from __future__ import annotations

import json
import re

import tree_sitter

from ..emit.go import SPELLING
from ..ir import Enum, EnumProperty, Scalar, Schema, Union, Variant
from .common import Source, text_of
from .tagged import RawAlias, RawEntity, RawField, assemble, name_of

__all__ = ["lift_tree"]

_JSON_TAG = re.compile(r'\bjson:"([^",]*)')


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every struct and string type (with its constants) at the top of the file."""
    specs = [
        (declaration, spec)
        for declaration in root.named_children
        if declaration.type == "type_declaration"
        for spec in declaration.named_children
        if spec.type == "type_spec"
    ]
    structs = [(d, s) for d, s in specs if _kind(s) == "struct_type"]
    strings = [
        (d, s) for d, s in specs if _kind(s) == "type_identifier" and name_of(s, "type") == "string"
    ]
    values = _constants(root, {name_of(s) for _, s in strings})
    enums = [
        Enum(
            name=name_of(s),
            values=tuple(values.get(name_of(s), [])),
            doc=source.doc(d).text,
            properties=_properties(source.text, name_of(s)),
        )
        for d, s in strings
    ]
    unions = _unions(source)
    tagged = {u.name for u in unions}
    entities = [
        RawEntity(name_of(s), source.doc(d).text, _fields(source, s))
        for d, s in structs
        if name_of(s) not in tagged
    ]
    docs = {name_of(s): source.doc(d).text for d, s in structs}
    unions = tuple(u.model_copy(update={"doc": docs.get(u.name, "")}) for u in unions)
    aliases = tuple(
        RawAlias(name_of(spec), name_of(spec, "type"), source.doc(d), spec.start_point.row + 1)
        for d in root.named_children
        if d.type == "type_declaration"
        for spec in d.named_children
        if spec.type == "type_alias"
    )
    return assemble(SPELLING, enums, entities, unions, aliases)


_UNMARSHAL = re.compile(
    r"^func \(u \*(\w+)\) UnmarshalJSON\(data \[\]byte\) error \{\n"
    r'\tvar head struct \{\n\t\tTag string `json:"((?:[^"\\]|\\.)*)"`\n(.*?)^\}',
    re.MULTILINE | re.DOTALL,
)
_CASE = re.compile(r'^\tcase ("(?:[^"\\]|\\.)*"):\n\t\tvar value (\w+)$', re.MULTILINE)


_RETURN = re.compile(r"^\tcase \w+:\n\t\treturn (.+)$", re.MULTILINE)


_PROPERTY_SCALARS = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)


def _properties(text: str, enum: str) -> tuple[EnumProperty, ...]:
    """The methods that switch over every constant of ``enum`` (as Accord emits them)."""
    method = re.compile(
        rf"^func \(e {enum}\) (\w+)\(\) (\w+) \{{\n\tswitch e \{{\n(.*?)\n\t\}}\n",
        re.MULTILINE | re.DOTALL,
    )
    found = []
    for name, kind, body in method.findall(text):
        scalar = (
            SPELLING.aliases.get(kind) or {SPELLING.scalars[k]: k for k in _PROPERTY_SCALARS}[kind]
        )
        values = tuple(
            float(v) if scalar is Scalar.FLOAT else v
            for v in (json.loads(r) for r in _RETURN.findall(body))
        )
        found.append(EnumProperty(name=name[0].lower() + name[1:], scalar=scalar, values=values))
    return tuple(found)


def _unions(source: Source) -> tuple[Union, ...]:
    """The wrapper structs that decode a variant by its tag (as Accord emits them)."""
    return tuple(
        Union(
            name=m.group(1),
            discriminator=json.loads(f'"{m.group(2)}"'),
            variants=tuple(
                Variant(tag=json.loads(tag), entity=entity)
                for tag, entity in _CASE.findall(m.group(3))
            ),
        )
        for m in _UNMARSHAL.finditer(source.text)
    )


def _kind(spec: tree_sitter.Node) -> str:
    kind = spec.child_by_field_name("type")
    return kind.type if kind else ""


def _constants(root: tree_sitter.Node, types: set[str]) -> dict[str, list[str]]:
    """Enum type -> the values of its constants, in file order."""
    found: dict[str, list[str]] = {}
    for declaration in (c for c in root.named_children if c.type == "const_declaration"):
        for spec in (c for c in declaration.named_children if c.type == "const_spec"):
            value = spec.child_by_field_name("value")
            if name_of(spec, "type") in types and value is not None:
                found.setdefault(name_of(spec, "type"), []).append(_string(text_of(value)))
    return found


def _string(literal: str) -> str:
    return literal[1:-1] if literal.startswith("`") else str(json.loads(literal))


def _fields(source: Source, spec: tree_sitter.Node) -> tuple[RawField, ...]:
    body = spec.child_by_field_name("type")
    members = body.named_children[0].named_children if body and body.named_children else []
    return tuple(_field(source, m) for m in members if m.type == "field_declaration")


def _field(source: Source, node: tree_sitter.Node) -> RawField:
    names = node.children_by_field_name("name")
    if len(names) != 1:
        raise source.error(node, "embedded structs and several names on one line are not lifted")
    member = text_of(names[0])
    if not member[0].isupper():
        raise source.error(node, f"`{member}` is unexported, so encoding/json skips it")
    tag = _JSON_TAG.search(name_of(node, "tag"))
    wire = tag.group(1) if tag and tag.group(1) else member
    if wire == "-":
        raise source.error(node, f'`{member}` is left out of JSON (`json:"-"`); not lifted')
    return RawField(wire, name_of(node, "type"), source.doc(node), node.start_point.row + 1)
