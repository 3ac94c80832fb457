"""Dart: classes of final fields, whose ``fromJson`` factory names the wire keys, and enums
whose constants carry their wire values (or are named by them)."""

from __future__ import annotations

import json
import re

import tree_sitter

from ..emit.dart import SPELLING
from ..ir import Enum, EnumProperty, Scalar, Schema, Union, Variant
from .common import Source, text_of
from .tagged import RawAlias, RawEntity, RawField, assemble, name_of, unquote

__all__ = ["lift_tree"]

_FIELD = re.compile(r"^final\s+(.+?)\s+(\w+)\s*;?$", re.DOTALL)
# ``member: <anything on the line> json['key']``: the first key a named argument reads.
_KEY = re.compile(
    r"""^\s*(\w+):[^\n]*?\bjson\[\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\]""",
    re.MULTILINE,
)


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every class and enum at the top of the file."""
    declarations = list(root.named_children)
    enums = [
        Enum(
            name=name_of(node),
            values=_constants(node),
            doc=source.doc(node).text,
            properties=_properties(text_of(node)),
        )
        for node in declarations
        if node.type == "enum_declaration"
    ]
    unions = _unions(source, declarations)
    wrappers = {u.name for u in unions} | {u.name + v.entity for u in unions for v in u.variants}
    classes = [
        RawEntity(name_of(node), source.doc(node).text, _fields(source, node))
        for node in declarations
        if node.type == "class_definition" and name_of(node) not in wrappers
    ]
    aliases = tuple(
        RawAlias(found.group(1), found.group(2), source.doc(node), node.start_point.row + 1)
        for node in declarations
        if (found := _TYPEDEF.match(text_of(node))) is not None
    )
    return assemble(SPELLING, enums, classes, unions, aliases)


_TYPEDEF = re.compile(r"^typedef (\w+) = (\w+);$")


_TAG_KEY = re.compile(r"static const tagKey = ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\");")
_ARM = re.compile(
    r"""^\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") => \w+\((\w+)\.fromJson\(json\)\),$""",
    re.MULTILINE,
)


_CONSTANT = re.compile(r"^  \w+\((.*)\)[,;]$", re.MULTILINE)
_ARGUMENT = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,\s][^,]*""")
_FINAL = re.compile(r"^  final (\w+) (\w+);$", re.MULTILINE)
_PROPERTY_SCALARS = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)


def _properties(text: str) -> tuple[EnumProperty, ...]:
    """The ``final`` fields of an enhanced enum after ``wire``, with each constant's argument."""
    fields = [(kind, name) for kind, name in _FINAL.findall(text) if name != "wire"]
    rows = [_ARGUMENT.findall(arguments)[1:] for arguments in _CONSTANT.findall(text)]
    named = {SPELLING.scalars[s]: s for s in _PROPERTY_SCALARS}
    found = []
    for index, (kind, name) in enumerate(fields):
        scalar = named[kind]
        values = tuple(_literal(row[index].strip(), scalar) for row in rows)
        found.append(EnumProperty(name=name, scalar=scalar, values=values))
    return tuple(found)


def _literal(text: str, scalar: Scalar) -> bool | int | float | str:
    if scalar is Scalar.STRING:
        return unquote(text)
    value = json.loads(text)
    return float(value) if scalar is Scalar.FLOAT else value


def _unions(source: Source, declarations: list[tree_sitter.Node]) -> tuple[Union, ...]:
    """The sealed classes that decode a variant by its tag key (as Accord emits them)."""
    found = []
    for node in declarations:
        text = text_of(node)
        key = _TAG_KEY.search(text)
        if node.type != "class_definition" or not text.startswith("sealed") or key is None:
            continue
        found.append(
            Union(
                name=name_of(node),
                discriminator=unquote(key.group(1)),
                variants=tuple(Variant(tag=unquote(t), entity=e) for t, e in _ARM.findall(text)),
                doc=source.doc(node).text,
            )
        )
    return tuple(found)


def _constants(node: tree_sitter.Node) -> tuple[str, ...]:
    body = node.child_by_field_name("body")
    constants = [c for c in body.named_children if c.type == "enum_constant"] if body else []
    return tuple(_constant_wire(c) for c in constants)


def _constant_wire(constant: tree_sitter.Node) -> str:
    """The constant's first string argument, else its name."""
    found = re.search(r"""\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", text_of(constant))
    return unquote(found.group(1)) if found else name_of(constant)


def _fields(source: Source, node: tree_sitter.Node) -> tuple[RawField, ...]:
    body = node.child_by_field_name("body")
    members = list(body.named_children) if body else []
    keys = {m.group(1): unquote(m.group(2)) for m in _KEY.finditer(_from_json(members))}
    fields = []
    for member in (m for m in members if m.type == "declaration"):
        text = text_of(member).strip()
        if not any(c.type == "initialized_identifier_list" for c in member.named_children):
            continue
        if text.startswith(("static", "const", "late final static")):
            continue
        declared = _FIELD.match(text)
        if declared is None:
            raise source.error(member, "only `final Type name;` fields are lifted")
        type_text, identifier = declared.groups()
        fields.append(
            RawField(
                keys.get(identifier, identifier),
                type_text,
                source.doc(member),
                member.start_point.row + 1,
            )
        )
    return tuple(fields)


def _from_json(members: list[tree_sitter.Node]) -> str:
    """The text of the ``fromJson`` factory's body (empty when there is none)."""
    for index, member in enumerate(members[:-1]):
        if member.type == "method_signature" and re.search(
            r"\bfactory\b.*\.fromJson\b", text_of(member)
        ):
            return text_of(members[index + 1])
    return ""
