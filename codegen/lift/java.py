"""Java: records (``@JsonProperty`` names the wire) and enums."""

from __future__ import annotations

import json
import re

import tree_sitter

from ..emit.java import SPELLING
from ..ir import Enum, EnumProperty, Scalar, Schema, Union, Variant
from .common import Source, text_of
from .tagged import RawAlias, RawEntity, RawField, assemble, name_of, unquote

__all__ = ["lift_tree"]

_JSON_PROPERTY = re.compile(r'@(?:[\w.]+\.)?JsonProperty\(\s*(?:value\s*=\s*)?("(?:[^"\\]|\\.)*")')


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every record and enum at the top of the file."""
    declarations = list(root.named_children)
    enums = [
        Enum(
            name=name_of(node),
            values=_constants(source, node),
            doc=source.doc(node).text,
            properties=_properties(source, node),
        )
        for node in declarations
        if node.type == "enum_declaration"
    ]
    aliases = tuple(
        RawAlias(name_of(node), wrapped, source.doc(node), node.start_point.row + 1)
        for node in declarations
        if node.type == "record_declaration" and (wrapped := _json_value(node)) is not None
    )
    records = [
        RawEntity(name_of(node), source.doc(node).text, _components(source, node))
        for node in declarations
        if node.type == "record_declaration" and _json_value(node) is None
    ]
    tags = {
        name_of(node): unquote(found.group(1))
        for node in declarations
        if node.type == "record_declaration"
        and (found := _TYPE_NAME.search(_modifiers(node))) is not None
    }
    unions = tuple(
        _union(source, node, tags)
        for node in declarations
        if node.type == "interface_declaration" and "sealed" in _modifiers(node)
    )
    return assemble(SPELLING, enums, records, unions, aliases)


def _json_value(node: tree_sitter.Node) -> str | None:
    """The type of a record's one ``@JsonValue`` component (None for other records)."""
    parameters = node.child_by_field_name("parameters")
    components = (
        [c for c in parameters.named_children if c.type == "formal_parameter"] if parameters else []
    )
    if len(components) == 1 and "@JsonValue" in text_of(components[0]):
        return name_of(components[0], "type")
    return None


_TYPE_NAME = re.compile(r'@(?:[\w.]+\.)?JsonTypeName\(\s*(?:value\s*=\s*)?("(?:[^"\\]|\\.)*")')
_DISCRIMINATOR = re.compile(r'@JsonDiscriminator\(\s*(?:value\s*=\s*)?("(?:[^"\\]|\\.)*")')


def _modifiers(node: tree_sitter.Node) -> str:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    return text_of(modifiers) if modifiers else ""


def _union(source: Source, node: tree_sitter.Node, tags: dict[str, str]) -> Union:
    """A sealed interface: its permitted records, each with its ``@JsonTypeName``."""
    permits = next((c for c in node.named_children if c.type == "permits"), None)
    names = re.findall(r"\w+", text_of(permits).removeprefix("permits")) if permits else []
    found = _DISCRIMINATOR.search(_modifiers(node))
    return Union(
        name=name_of(node),
        discriminator=unquote(found.group(1)) if found else "type",
        variants=tuple(Variant(tag=tags.get(n, n), entity=n) for n in names),
        doc=source.doc(node).text,
    )


def _wire(node: tree_sitter.Node, identifier: str) -> str:
    """The ``@JsonProperty`` value among the node's modifiers, else its identifier."""
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    found = _JSON_PROPERTY.search(text_of(modifiers)) if modifiers else None
    return unquote(found.group(1)) if found else identifier


def _constants(source: Source, node: tree_sitter.Node) -> tuple[str, ...]:
    body = node.child_by_field_name("body")
    constants = [c for c in body.named_children if c.type == "enum_constant"] if body else []
    fields = len(_FINAL.findall(text_of(node)))
    for constant in constants:
        arguments = constant.child_by_field_name("arguments")
        count = len(arguments.named_children) if arguments else 0
        if constant.child_by_field_name("body") or count != fields:
            raise source.error(
                constant,
                "enum constant arguments must match the `private final` fields (and no body)",
            )
    return tuple(_wire(c, name_of(c)) for c in constants)


_FINAL = re.compile(r"^    private final (\w+) (\w+);$", re.MULTILINE)


_PROPERTY_SCALARS = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)


def _properties(source: Source, node: tree_sitter.Node) -> tuple[EnumProperty, ...]:
    """The ``private final`` fields of an enum, with each constant's argument for them."""
    body = node.child_by_field_name("body")
    constants = [c for c in body.named_children if c.type == "enum_constant"] if body else []
    rows = []
    for constant in constants:
        arguments = constant.child_by_field_name("arguments")
        rows.append([text_of(a) for a in arguments.named_children] if arguments else [])
    found = []
    for index, (kind, name) in enumerate(_FINAL.findall(text_of(node))):
        scalar = SPELLING.aliases.get(kind) or {
            SPELLING.scalars[k]: k for k in _PROPERTY_SCALARS
        }.get(kind)
        if scalar is None:
            raise source.error(node, f"an enum field of type `{kind}` is not lifted")
        values = tuple(_literal(row[index], scalar) for row in rows)
        found.append(EnumProperty(name=name, scalar=scalar, values=values))
    return tuple(found)


def _literal(text: str, scalar: Scalar) -> bool | int | float | str:
    value = json.loads(text.rstrip("LlDdFf") if scalar is not Scalar.STRING else text)
    return float(value) if scalar is Scalar.FLOAT else value


def _components(source: Source, node: tree_sitter.Node) -> tuple[RawField, ...]:
    parameters = node.child_by_field_name("parameters")
    fields = []
    for component in parameters.named_children if parameters else []:
        if component.type == "formal_parameter":
            fields.append(
                RawField(
                    _wire(component, name_of(component)),
                    name_of(component, "type"),
                    source.doc(component),
                    component.start_point.row + 1,
                )
            )
        elif "comment" not in component.type:
            raise source.error(component, f"`{text_of(component)}` is not lifted")
    return tuple(fields)
