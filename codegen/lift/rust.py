"""Rust: structs with named fields and unit-variant enums; ``#[serde(rename)]`` names the
wire."""

from __future__ import annotations

import json
import re

import tree_sitter

from ..emit.rust import SPELLING
from ..ir import Enum, EnumProperty, Scalar, Schema, Union, Variant
from .common import Source, text_of
from .tagged import RawAlias, RawEntity, RawField, assemble, name_of, unquote

__all__ = ["lift_tree"]

_RENAME = re.compile(r'\brename\s*=\s*("(?:[^"\\]|\\.)*")')


def lift_tree(source: Source, root: tree_sitter.Node) -> Schema:
    """Every struct and enum at the top of the file."""
    items = list(root.named_children)
    unions = tuple(_union(source, node) for node in items if _tag(node) is not None)
    enums = [
        Enum(
            name=name_of(node),
            values=_variants(source, node),
            doc=_doc(source, node),
            properties=_properties(source.text, name_of(node)),
        )
        for node in items
        if node.type == "enum_item" and _tag(node) is None
    ]
    aliases = tuple(
        RawAlias(
            name_of(node),
            wrapped,
            source.doc((_attributes(node) or [node])[0]),
            node.start_point.row + 1,
        )
        for node in items
        if node.type == "struct_item" and (wrapped := _transparent(node)) is not None
    )
    structs = [
        RawEntity(name_of(node), _doc(source, node), _fields(source, node))
        for node in items
        if node.type == "struct_item" and _transparent(node) is None
    ]
    return assemble(SPELLING, enums, structs, unions, aliases)


def _transparent(node: tree_sitter.Node) -> str | None:
    """The type a ``#[serde(transparent)]`` newtype wraps (None for other structs)."""
    if not any("transparent" in text_of(a) for a in _attributes(node)):
        return None
    body = node.child_by_field_name("body")
    types = [c for c in body.named_children if c.type != "visibility_modifier"] if body else []
    return (
        text_of(types[0])
        if body and body.type == "ordered_field_declaration_list" and len(types) == 1
        else None
    )


_ARM = re.compile(r"^            \w+::\w+ => (.+),$", re.MULTILINE)
_PROPERTY_SCALARS = (Scalar.STRING, Scalar.INT, Scalar.FLOAT, Scalar.BOOL)


def _properties(text: str, enum: str) -> tuple[EnumProperty, ...]:
    """The methods of ``impl <enum>`` that match over every variant (as Accord emits them)."""
    block = re.search(rf"^impl {enum} \{{\n(.*?)\n\}}$", text, re.MULTILINE | re.DOTALL)
    method = re.compile(
        r"^    pub fn (\w+)\(&self\) -> (.+?) \{\n        match self \{\n(.*?)\n        \}",
        re.MULTILINE | re.DOTALL,
    )
    found = []
    for name, kind, body in method.findall(block.group(1)) if block else []:
        named = {SPELLING.scalars[s]: s for s in _PROPERTY_SCALARS} | {
            "&'static str": Scalar.STRING
        }
        scalar = named[kind]
        values = tuple(
            float(v) if scalar is Scalar.FLOAT else v
            for v in (json.loads(arm) for arm in _ARM.findall(body))
        )
        found.append(EnumProperty(name=name, scalar=scalar, values=values))
    return tuple(found)


_TAG = re.compile(r'\btag\s*=\s*("(?:[^"\\]|\\.)*")')


def _tag(node: tree_sitter.Node) -> str | None:
    """The ``#[serde(tag = "…")]`` of an internally tagged enum (None for other items)."""
    if node.type != "enum_item":
        return None
    for attribute in _attributes(node):
        found = _TAG.search(text_of(attribute))
        if found:
            return unquote(found.group(1))
    return None


def _union(source: Source, node: tree_sitter.Node) -> Union:
    """An internally tagged enum whose variants each hold one struct."""
    body = node.child_by_field_name("body")
    variants = []
    for variant in [c for c in body.named_children if c.type == "enum_variant"] if body else []:
        held = variant.child_by_field_name("body")
        types = [text_of(c) for c in held.named_children] if held else []
        if len(types) != 1 or held is None or held.type != "ordered_field_declaration_list":
            raise source.error(variant, "a variant of a tagged enum must hold one struct")
        variants.append(Variant(tag=_wire(source, variant, name_of(variant)), entity=types[0]))
    return Union(
        name=name_of(node),
        discriminator=_tag(node) or "type",
        variants=tuple(variants),
        doc=_doc(source, node),
    )


def _attributes(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The attribute items right before ``node``, in order."""
    found: list[tree_sitter.Node] = []
    previous = node.prev_named_sibling
    while previous is not None and previous.type == "attribute_item":
        found.insert(0, previous)
        previous = previous.prev_named_sibling
    return found


def _doc(source: Source, node: tree_sitter.Node) -> str:
    return source.doc((_attributes(node) or [node])[0]).text


def _reject_rename_all(source: Source, node: tree_sitter.Node) -> None:
    """Stop at a ``rename_all`` attribute: each wire name must be spelled out."""
    for attribute in _attributes(node):
        if "rename_all" in text_of(attribute):
            raise source.error(attribute, "`rename_all` is not lifted; rename each field")


def _wire(source: Source, node: tree_sitter.Node, identifier: str) -> str:
    """The serde rename among the node's attributes, else its identifier."""
    _reject_rename_all(source, node)
    for attribute in _attributes(node):
        found = _RENAME.search(text_of(attribute))
        if found:
            return unquote(found.group(1))
    return identifier


def _variants(source: Source, node: tree_sitter.Node) -> tuple[str, ...]:
    body = node.child_by_field_name("body")
    variants = [c for c in body.named_children if c.type == "enum_variant"] if body else []
    for variant in variants:
        if variant.child_by_field_name("body") or variant.child_by_field_name("value"):
            raise source.error(variant, "enum variants with data or values are not lifted")
    _reject_rename_all(source, node)
    return tuple(_wire(source, v, name_of(v)) for v in variants)


def _fields(source: Source, node: tree_sitter.Node) -> tuple[RawField, ...]:
    _reject_rename_all(source, node)
    body = node.child_by_field_name("body")
    if body is None or body.type != "field_declaration_list":
        raise source.error(
            node, f"`{name_of(node)}` has no named fields (tuple and unit structs are not lifted)"
        )
    return tuple(
        RawField(
            _wire(source, f, name_of(f)),
            name_of(f, "type"),
            source.doc((_attributes(f) or [f])[0]),
            f.start_point.row + 1,
        )
        for f in body.named_children
        if f.type == "field_declaration"
    )
