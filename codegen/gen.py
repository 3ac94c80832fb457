"""Translate a model file: lift it, emit it for each target, and name the files. No I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from .emit import emit
from .exceptions import CodegenError
from .ir import EntityType, EnumType, ListType, MapType, OptionalType, Schema, TypeRef
from .lift import lift
from .packs import Pack, builtin_pack
from .platforms import Platform, platform, platform_for_path
from .sourceset import Lifted, Notice

__all__ = ["GeneratedFile", "split_spec", "translate", "translate_set"]


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """One emitted file: its platform, its name (no folder) and its text."""

    platform: str
    name: str
    text: str


def split_spec(spec: str) -> tuple[str, str | None]:
    """``PATH[:SYMBOL]`` split into the path and the symbol (None when absent)."""
    path, colon, symbol = spec.rpartition(":")
    if colon and symbol.isidentifier() and path:
        return path, symbol
    return spec, None


def translate(
    text: str,
    path: str,
    targets: list[str],
    symbol: str | None = None,
    pack: Pack | None = None,
) -> list[GeneratedFile]:
    """The files ``targets`` get for the models of ``text`` (the file at ``path``).

    Raises:
        CodegenError: the file cannot be lifted, has no model, or a target is unknown.
    """
    source = platform_for_path(path)
    schema = lift(text, source.name, symbol, path)
    if not (schema.entities or schema.enums or schema.unions or schema.aliases):
        raise CodegenError(f"{path}: no model (data class, struct, interface, …) to translate")
    first = symbol or PurePath(path).stem
    label = PurePath(path).name + (f":{symbol}" if symbol else "")
    return [
        GeneratedFile(
            target, platform(target).file_name(first), emit(schema, target, pack, source=label)
        )
        for target in targets
    ]


def translate_set(
    lifted: Lifted, targets: list[str], pack: Pack | None = None
) -> list[GeneratedFile]:
    """The files ``targets`` get for a lifted source set: one per source file and platform,
    named after the source file (``Shipment.kt`` -> ``shipment.py``), importing the models
    it uses from the other files.

    Raises:
        CodegenError: a target is unknown or a template is invalid.
    """
    by_file: dict[str, list[str]] = {}
    schema = lifted.schema
    names = [e.name for e in schema.enums] + [e.name for e in schema.entities]
    for model in names + [u.name for u in schema.unions] + [a.name for a in schema.aliases]:
        by_file.setdefault(lifted.origins[model], []).append(model)
    files = []
    for target in targets:
        chosen = platform(target)
        chosen_pack = pack or builtin_pack()
        lacking = [] if chosen_pack.emits("unions", target) else list(schema.unions)
        for union in lacking:
            message = (
                f"`{union.name}` is not emitted for {target}: templates {chosen_pack.name} "
                f"{chosen_pack.version} have no union template for it"
            )
            origin = lifted.origins[union.name]
            lifted.notices.append(Notice(origin, lifted.lines.get(union.name, 1), message))
        groups = [(path, [name]) for path, names in by_file.items() for name in names]
        origins = {n: n for n in lifted.origins} if chosen.per_type else lifted.origins
        stems = _stems(sorted(set(origins.values())), chosen.file_name)

        def module(origin: str, stems: dict[str, str] = stems, chosen: Platform = chosen) -> str:
            return PurePath(chosen.file_name(stems[origin])).stem

        cyclic = _late_edges(schema, by_file, origins, module) if chosen.late_imports else set()
        for path, names in groups if chosen.per_type else by_file.items():
            part = _part(lifted.schema, set(names) - {u.name for u in lacking})
            if not (part.entities or part.enums or part.unions or part.aliases):
                continue
            key = names[0] if chosen.per_type else path
            stem = chosen.file_name(stems[key])
            imports = _imports(part, origins, key, module)
            late = [i for i in imports if (module(key), i[0]) in cyclic]
            imports = [i for i in imports if i not in late]
            label = PurePath(path).name
            first = not chosen.per_type
            text = emit(
                part, target, pack, label, imports=imports, first=first, whole=schema, late=late
            )
            files.append(GeneratedFile(target, stem, text))
        if chosen.module_index:
            files.append(_module_index(chosen, [f for f in files if f.platform == target]))
        for name in _SHARED.get(target, ()) if chosen.per_type else ():
            shared = emit(Schema(), target, pack, "every model", first=name)
            files.append(GeneratedFile(target, chosen.file_name(name), shared))
    return files


# What a platform that writes one file per type declares once, each in a file of its own.
_SHARED = {"java": ("JsonProperty", "JsonDiscriminator", "JsonTypeName", "JsonValue")}


def _late_edges(
    schema: Schema,
    by_file: dict[str, list[str]],
    origins: dict[str, str],
    module: Callable[[str], str],
) -> set[tuple[str, str]]:
    """(importing module, imported module) of each import that closes a cycle of files and
    is used in annotations only (no union of the importer lists its models as variants), so
    it can come last."""
    edges: dict[str, set[str]] = {}
    runtime: set[tuple[str, str]] = set()
    for path, names in by_file.items():
        part = _part(schema, set(names))
        here = module(path)
        for stem, _ in _imports(part, origins, path, module):
            edges.setdefault(here, set()).add(stem)
        for union in part.unions:
            for variant in union.variants:
                runtime.add((here, module(origins.get(variant.entity, path))))
    return {
        (here, there)
        for here, targets in edges.items()
        for there in targets
        if (here, there) not in runtime and here in _reachable(edges, there)
    }


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges.get(todo.pop(), set()) - seen:
            seen.add(target)
            todo.append(target)
    return seen


def _module_index(chosen: Platform, files: list[GeneratedFile]) -> GeneratedFile:
    """The file that declares ``files`` as modules of their folder (Rust's ``mod.rs``)."""
    stems = sorted(PurePath(f.name).stem for f in files)
    lines = [chosen.module_header, "", *(chosen.module_line.format(s) for s in stems)]
    return GeneratedFile(chosen.name, chosen.module_index, "\n".join(lines) + "\n")


def _part(schema: Schema, names: set[str]) -> Schema:
    return Schema(
        entities=tuple(e for e in schema.entities if e.name in names),
        enums=tuple(e for e in schema.enums if e.name in names),
        unions=tuple(u for u in schema.unions if u.name in names),
        aliases=tuple(a for a in schema.aliases if a.name in names),
    )


def _stems(keys: list[str], file_name: Callable[[str], str]) -> dict[str, str]:
    """Each source file's (or type's) output stem: its own name, with its folder's in front
    where two would otherwise write the same file (``model/User.kt``, ``network/User.kt``)."""
    base = {key: PurePath(key).stem for key in keys}
    taken = Counter(file_name(stem) for stem in base.values())
    return {
        key: f"{PurePath(key).parent.name}_{stem}" if taken[file_name(stem)] > 1 else stem
        for key, stem in base.items()
    }


def _imports(
    part: Schema, origins: dict[str, str], path: str, module: Callable[[str], str]
) -> list[tuple[str, list[str]]]:
    """(the other generated file's module, the models used from it), by file."""
    used: dict[str, list[str]] = {}
    refs = [field.type for entity in part.entities for field in entity.fields]
    refs += [EntityType(name=v.entity) for union in part.unions for v in union.variants]
    for ref in refs:
        for name in _names(ref):
            origin = origins.get(name, path)
            stem = module(origin)
            if origin != path and name not in used.setdefault(stem, []):
                used[stem].append(name)
    return sorted((stem, sorted(names)) for stem, names in used.items())


def _names(ref: TypeRef) -> list[str]:
    match ref:
        case EnumType(name=name) | EntityType(name=name):
            return [name]
        case ListType(item=inner) | MapType(value=inner) | OptionalType(inner=inner):
            return _names(inner)
    return []
