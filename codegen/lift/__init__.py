"""Lifting a source file into a Schema with tree-sitter, one module per platform.

Each ``accord.codegen.lift.<platform>`` module provides ``lift_tree(source, root) -> Schema``:
every model declaration of the file (data classes, structs, interfaces, …) in file order.
Constructs inside a model that cannot be lifted raise ``LiftError`` naming their line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import tree_sitter

from ..exceptions import CodegenError, LiftError
from ..ir import EntityType, EnumType, ListType, MapType, OptionalType, Schema, TypeRef
from ..platforms import platform
from ..syntax import parse
from .common import Source

__all__ = ["lift", "select"]


def lift(text: str, source_platform: str, symbol: str | None = None, path: str = "") -> Schema:
    """The models declared in ``text``; with ``symbol``, that one and what it references.

    Raises:
        LiftError: a model holds an unsupported construct (syntax errors elsewhere in the
            file are the editor's business and do not stop lifting).
        CodegenError: ``symbol`` is not a model of the file, or the platform does not lift.
    """
    chosen = platform(source_platform)
    if not chosen.lifts:
        raise CodegenError(f"code cannot be lifted from {source_platform} yet")
    module = importlib.import_module(f"{__name__}.{source_platform}")
    lift_tree: Callable[[Source, tree_sitter.Node], Schema] = module.lift_tree
    try:
        schema = lift_tree(Source.of(text, chosen), parse(text, chosen).root_node)
    except LiftError as error:
        if path:
            raise error.at(path) from error
        raise
    return schema if symbol is None else select(schema, symbol)


def select(schema: Schema, symbol: str) -> Schema:
    """``symbol`` and the entities and enums it references, transitively, in file order.

    Raises:
        CodegenError: no entity or enum is called ``symbol``.
    """
    entities = {entity.name: entity for entity in schema.entities}
    enums = {enum.name for enum in schema.enums}
    unions = {union.name: union for union in schema.unions}
    aliases = {alias.name for alias in schema.aliases}
    known_names = {*entities, *enums, *unions, *aliases}
    if symbol not in known_names:
        known = ", ".join(sorted(known_names)) or "none"
        raise CodegenError(f"no model called `{symbol}` (models in the file: {known})")
    wanted, queue = {symbol}, [symbol]
    while queue:
        name = queue.pop()
        entity = entities.get(name)
        refs = [field.type for field in entity.fields] if entity else []
        union = unions.get(name)
        refs += [EntityType(name=v.entity) for v in union.variants] if union else []
        for ref in refs:
            for found in _names(ref):
                if found not in wanted:
                    wanted.add(found)
                    queue.append(found)
    return Schema(
        entities=tuple(e for e in schema.entities if e.name in wanted),
        enums=tuple(e for e in schema.enums if e.name in wanted),
        unions=tuple(u for u in schema.unions if u.name in wanted),
        aliases=tuple(a for a in schema.aliases if a.name in wanted),
    )


def _names(ref: TypeRef) -> list[str]:
    match ref:
        case EnumType(name=name) | EntityType(name=name):
            return [name]
        case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
            return _names(inner)
    return []
