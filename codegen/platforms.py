"""The platforms of ``platforms.toml``: their grammars, file naming and doc comment shape."""

from __future__ import annotations

import importlib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath

import tree_sitter

from .exceptions import CodegenError
from .naming import pascal, snake

__all__ = ["Platform", "all_platforms", "platform", "platform_for_path"]


@dataclass(frozen=True, slots=True)
class Platform:
    """One target platform, as ``platforms.toml`` describes it."""

    name: str
    grammar: str
    extension: str
    file_case: str
    comment_prefixes: tuple[str, ...]
    lifts: bool
    per_type: bool = False
    late_imports: bool = False
    # The file that declares the generated files as modules (Rust's ``mod.rs``), its first
    # line, and the line of each module (``{}``: the file's stem).
    module_index: str = ""
    module_header: str = ""
    module_line: str = ""

    def file_name(self, type_name: str) -> str:
        """The file an emitted model named after ``type_name`` goes in."""
        stem = {"pascal": pascal, "snake": snake}.get(self.file_case)
        base = stem(type_name) if stem else snake(type_name).replace("_", "-")
        return base + self.extension

    def language(self) -> tree_sitter.Language:
        """The platform's tree-sitter grammar."""
        return _language(self.grammar)


@cache
def all_platforms() -> dict[str, Platform]:
    """Every platform by name, in the order of ``platforms.toml``."""
    text = resources.files(__package__).joinpath("platforms.toml").read_text("utf-8")
    return {
        name: Platform(
            name=name,
            grammar=str(table["grammar"]),
            extension=str(table["extension"]),
            file_case=str(table["file_case"]),
            comment_prefixes=tuple(table["comment_prefixes"]),
            lifts=bool(table["lifts"]),
            per_type=bool(table.get("per_type", False)),
            late_imports=bool(table.get("late_imports", False)),
            module_index=str(table.get("module_index", "")),
            module_header=str(table.get("module_header", "")),
            module_line=str(table.get("module_line", "")),
        )
        for name, table in tomllib.loads(text).items()
    }


def platform(name: str) -> Platform:
    """The platform called ``name``.

    Raises:
        CodegenError: there is no such platform.
    """
    try:
        return all_platforms()[name]
    except KeyError:
        known = ", ".join(all_platforms())
        raise CodegenError(f"unknown platform `{name}` (known: {known})") from None


def platform_for_path(path: str) -> Platform:
    """The platform whose files end like ``path``.

    Raises:
        CodegenError: no platform owns that extension.
    """
    suffix = PurePath(path).suffix.lower()
    for candidate in all_platforms().values():
        if candidate.extension == suffix:
            return candidate
    raise CodegenError(f"{path}: no platform reads `{suffix or 'extensionless'}` files")


@cache
def _language(grammar: str) -> tree_sitter.Language:
    module_name, factory = grammar.split(":")
    return tree_sitter.Language(getattr(importlib.import_module(module_name), factory)())
