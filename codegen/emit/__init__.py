"""Emitting a Schema for a platform: its dialect spells the values, a pack's template lays them
out, and the result must parse back with no ERROR or MISSING node."""

from __future__ import annotations

import importlib

from ..exceptions import EmitError, TemplateError
from ..ir import Schema
from ..packs import Pack, builtin_pack
from ..platforms import platform
from ..syntax import syntax_problems
from .dialect import Dialect

__all__ = ["dialect_for", "emit"]


def dialect_for(name: str) -> Dialect:
    """The dialect of platform ``name`` (module ``accord.codegen.emit.<name>``)."""
    dialect: Dialect = importlib.import_module(f"{__name__}.{name}").DIALECT
    return dialect


def emit(
    schema: Schema,
    target: str,
    pack: Pack | None = None,
    source: str = "",
    imports: list[tuple[str, list[str]]] | None = None,
    first: bool | str = True,
    whole: Schema | None = None,
    late: list[tuple[str, list[str]]] | None = None,
) -> str:
    """The code of ``schema`` for platform ``target``; ``imports`` are (the stem of another
    generated file, the models used from it), and ``first`` says whether this file declares
    what all files of a set share (Java's annotation); ``whole`` is the schema ``schema`` is
    part of (which union each entity is a variant of); ``late`` are imports like ``imports``
    that close a cycle of files, made module imports at the end of the file where the platform
    allows (``late_imports``), the models named through the module.

    Raises:
        CodegenError: the schema breaks an invariant, the platform is unknown, or the pack's
            template is invalid.
        EmitError: the output does not parse cleanly (a template or dialect bug, named).
    """
    imported = {
        f"unknown {kind} `{n}`"
        for _, names in (imports or []) + (late or [])
        for n in names
        for kind in ("entity", "enum")
    }
    variants = {v.entity for u in (whole or schema).unions for v in u.variants}
    imported |= {f"`{name}` has no fields" for name in variants}
    problems = [p for p in schema.check() if not any(p.endswith(i) for i in imported)]
    if problems:
        raise EmitError("the model is not sound: " + "; ".join(problems))
    chosen = pack or builtin_pack()
    if schema.unions and not chosen.emits("unions", target):
        names = ", ".join(f"`{u.name}`" for u in schema.unions)
        raise TemplateError(
            str(chosen.folder / f"{target}.j2"),
            1,
            f"templates {chosen.name} {chosen.version} have no union template for {target} "
            f"(pack.toml [features] unions), so sealed hierarchy {names} cannot be emitted",
        )
    text = chosen.template(target).render(
        schema=schema,
        d=dialect_for(target),
        source=source or "a model",
        pack=f"{chosen.name} {chosen.version}",
        imports=imports or [],
        late=late or [],
        first=first,
        whole=whole or schema,
    )
    broken = syntax_problems(text, platform(target))
    if broken:
        where = ", ".join(str(problem) for problem in broken[:5])
        raise EmitError(
            f"{target} output of {chosen.name} {chosen.version} has syntax errors at {where}"
        )
    return text
