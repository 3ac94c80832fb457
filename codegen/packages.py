"""Two declarations of one simple name in different packages (``model.User``, ``network.User``):
each gets a package-qualified IR name (``ModelUser``, ``NetworkUser``), and each file's
references are resolved by its own package and its imports. Pure logic, no I/O.

A file's package is its ``package`` line (Kotlin, Java) or else its folder; its imports are its
``import a.b.C``, ``import a.b.C as D`` and ``import a.b.*`` lines, TypeScript's relative
``import { C } from "../b/c"`` and Python's ``from ..b.c import C`` (the folder they point at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .ir import EntityType, EnumType, ListType, MapType, OptionalType, Schema, TypeRef, Variant
from .naming import pascal

__all__ = ["Packaged", "Qualifier", "package_of", "qualify"]

_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)", re.MULTILINE)
_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+?)(\.\*)?(?:\s+as\s+\w+)?\s*;?\s*$", re.M)
# The platforms whose files say their package in a ``package`` line.
_PACKAGE_LINES = ("kotlin", "java")
_TS_IMPORT = re.compile(r"""import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["'](\.{1,2}/[^"']*)["']""")
_PY_IMPORT = re.compile(r"^\s*from\s+(\.+)([\w.]*)\s+import\s+(\([^)]*\)|[^\n]+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Packaged:
    """A file of a source set: its path, package, the simple names it declares, and its
    imports (qualified names, and the packages it imports with ``.*``)."""

    path: str
    package: str
    declared: frozenset[str]
    imports: frozenset[str] = frozenset()
    wildcards: frozenset[str] = frozenset()


def package_of(path: str, text: str, platform: str, declared: frozenset[str]) -> Packaged:
    """What ``text`` (the file at ``path``, of ``platform``) says of its package and imports."""
    found = _PACKAGE.search(text) if platform in _PACKAGE_LINES else None
    if found:
        package = found.group(1)
    else:
        package = ".".join(PurePosixPath(path.replace("\\", "/")).parent.parts)
    imports = {m.group(1) for m in _IMPORT.finditer(text) if not m.group(2)}
    wildcards = {m.group(1) for m in _IMPORT.finditer(text) if m.group(2)}
    folder = PurePosixPath(path.replace("\\", "/")).parent.parts
    if platform == "typescript":
        for found in _TS_IMPORT.finditer(text):
            target = _relative(folder, found.group(2).split("/"))[:-1]  # the file's folder
            imports |= {".".join((*target, n)) for n in _imported(found.group(1))}
    elif platform == "python":
        for found in _PY_IMPORT.finditer(text):
            up = len(found.group(1)) - 1
            module = _relative(folder, [".."] * up + found.group(2).split("."))
            for target in (module, module[:-1]):  # a package, or a module in one
                imports |= {".".join((*target, n)) for n in _imported(found.group(3))}
    return Packaged(path, package, declared, frozenset(imports), frozenset(wildcards))


def _imported(names: str) -> list[str]:
    """The names an import list brings in, as declared (``A as B`` is ``A``)."""
    listed = names.strip().strip("()").replace("\n", " ").split(",")
    return [n.split(" as ")[0].strip() for n in listed if n.strip()]


def _relative(folder: tuple[str, ...], steps: list[str]) -> tuple[str, ...]:
    """The path ``steps`` (``..``, ``.``, names) lead to from ``folder``."""
    parts = list(folder)
    for step in steps:
        if step == "..":
            parts = parts[:-1]
        elif step not in (".", ""):
            parts.append(step)
    return tuple(parts)


@dataclass(slots=True)
class Qualifier:
    """The IR names of the simple names declared in more than one package, and for each file,
    which of them its simple names mean (``renames``) and its qualified references
    (``qualified``: ``com.acme.model.User`` -> ``ModelUser``)."""

    renames: dict[str, dict[str, str]] = field(default_factory=dict)
    qualified: dict[str, str] = field(default_factory=dict)
    # IR name -> the simple name it was declared with.
    simple: dict[str, str] = field(default_factory=dict)
    # Simple name declared in more than one package -> those packages.
    clashing: dict[str, list[str]] = field(default_factory=dict)

    def rename(self, path: str, schema: Schema) -> Schema:
        """``schema`` (lifted from the file at ``path``) with its names as the IR has them."""
        names = self.renames.get(path, {})
        if not names:
            return schema

        def name(text: str) -> str:
            return names.get(text, text)

        unions = []
        for union in schema.unions:
            variants: list[Variant] = []
            for v in union.variants:
                renamed = Variant(tag=v.tag, entity=name(v.entity))
                variants += [] if renamed in variants else [renamed]
            unions.append(
                union.model_copy(update={"name": name(union.name), "variants": tuple(variants)})
            )
        return Schema(
            entities=tuple(
                e.model_copy(
                    update={
                        "name": name(e.name),
                        "fields": tuple(
                            f.model_copy(update={"type": _renamed(f.type, names)}) for f in e.fields
                        ),
                    }
                )
                for e in schema.entities
            ),
            enums=tuple(e.model_copy(update={"name": name(e.name)}) for e in schema.enums),
            unions=tuple(unions),
            aliases=tuple(a.model_copy(update={"name": name(a.name)}) for a in schema.aliases),
            endpoints=schema.endpoints,
        )

    def variant(self, path: str, variant: Variant) -> Variant:
        """A subclass found in the file at ``path``, by its IR name."""
        entity = self.renames.get(path, {}).get(variant.entity, variant.entity)
        return Variant(tag=variant.tag, entity=entity)

    def why_unknown(self, name: str) -> str:
        """Why a reference to ``name`` resolves to nothing: it names several models."""
        if name not in self.clashing:
            return "which is not translated"
        packages = ", ".join(p or "(no package)" for p in self.clashing[name])
        return f"declared in {packages}, and no import of its file says which"


def qualify(files: list[Packaged]) -> Qualifier:
    """The IR names of every simple name declared in more than one package, and what each
    file's simple names mean by its package and imports."""
    packages: dict[str, set[str]] = {}
    for file in files:
        for name in file.declared:
            packages.setdefault(name, set()).add(file.package)
    clashing = {name: sorted(p) for name, p in packages.items() if len(p) > 1}
    taken = set(packages)
    qualifier = Qualifier(clashing=clashing)
    ir_names: dict[tuple[str, str], str] = {}
    for name, where in sorted(clashing.items()):
        named = _qualified_names(name, where, taken)
        taken |= set(named.values())
        for package, ir_name in named.items():
            ir_names[(package, name)] = ir_name
            qualifier.qualified[f"{package}.{name}" if package else name] = ir_name
            qualifier.simple[ir_name] = name
    for file in files:
        meant: dict[str, str] = {}
        for name, where in clashing.items():
            chosen = _chosen(file, name, where)
            if chosen is not None:
                meant[name] = ir_names[(chosen, name)]
        qualifier.renames[file.path] = meant
    return qualifier


def _chosen(file: Packaged, name: str, where: list[str]) -> str | None:
    """The package whose ``name`` the file means: its own, an explicit import, a wildcard
    import (None when neither says)."""
    if file.package in where and name in file.declared:
        return file.package
    explicit = [p for p in where if f"{p}.{name}" in file.imports]
    if explicit:
        return explicit[0]
    if file.package in where:
        return file.package
    wildcard = [p for p in where if p in file.wildcards]
    return wildcard[0] if len(wildcard) == 1 else None


def _qualified_names(name: str, packages: list[str], taken: set[str]) -> dict[str, str]:
    """Each package's name for ``name``: as few of its last segments as tell them apart,
    PascalCase in front (``com.acme.model`` -> ``ModelUser``)."""
    segments = {p: [s for s in p.split(".") if s] for p in packages}
    deepest = max(len(s) for s in segments.values())
    for count in range(1, deepest + 2):
        named = {
            p: "".join(pascal(s) for s in parts[-count:]) + name for p, parts in segments.items()
        }
        if len(set(named.values())) == len(named) and not set(named.values()) & taken:
            return named
    return {p: "".join(pascal(s) for s in parts) + name for p, parts in segments.items()}


def _renamed(ref: TypeRef, names: dict[str, str]) -> TypeRef:
    match ref:
        case EnumType(name=name):
            return EnumType(name=names.get(name, name))
        case EntityType(name=name):
            return EntityType(name=names.get(name, name))
        case ListType(item=inner):
            return ListType(item=_renamed(inner, names))
        case MapType(value=inner):
            return MapType(value=_renamed(inner, names))
        case OptionalType(inner=inner):
            return OptionalType(inner=_renamed(inner, names))
    return ref
