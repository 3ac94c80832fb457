"""Translate a model file: lift it, emit it for each target, and name the files. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from .emit import emit
from .exceptions import CodegenError
from .lift import lift
from .packs import Pack
from .platforms import platform, platform_for_path

__all__ = ["GeneratedFile", "split_spec", "translate"]


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
    if not schema.entities and not schema.enums:
        raise CodegenError(f"{path}: no model (data class, struct, interface, …) to translate")
    first = symbol or (schema.entities or schema.enums)[0].name
    label = PurePath(path).name + (f":{symbol}" if symbol else "")
    return [
        GeneratedFile(
            target, platform(target).file_name(first), emit(schema, target, pack, source=label)
        )
        for target in targets
    ]
