"""The template packs a project can use, and the one it pins.

Packs are the built-in ones (``accord/codegen/templates``) and the project's own
(``.accord/templates/<pack>/<version>/``); a project pack of the same name and version as a
built-in one replaces it. ``accord.toml`` pins one: ``[codegen] pack = "standard@1"`` takes the
newest 1.x.y; ``standard@1.2`` the newest 1.2.y; a bare name the newest version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .exceptions import CodegenError
from .packs import BUILTIN, Pack, versions_in

__all__ = ["PROJECT_PACKS", "PackPin", "all_packs", "choose", "majors_between", "with_pin"]

PROJECT_PACKS = Path(".accord") / "templates"


@dataclass(frozen=True, slots=True)
class PackPin:
    """``name@1.2``: a pack's name and a prefix of its version (empty: any)."""

    name: str
    prefix: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> PackPin:
        """``standard``, ``standard@1``, ``standard@1.2`` or ``standard@1.2.3``.

        Raises:
            CodegenError: the version is not one to three dot-separated integers.
        """
        name, _, version = text.strip().partition("@")
        parts = version.split(".") if version else []
        if not name or len(parts) > 3 or not all(part.isdigit() for part in parts):
            raise CodegenError(f"`{text}` is not a pack pin (like `standard@1`)")
        return cls(name, tuple(int(part) for part in parts))

    def admits(self, pack: Pack) -> bool:
        """Whether ``pack`` is this name at a version starting with the prefix."""
        version = (pack.version.major, pack.version.minor, pack.version.patch)
        return pack.name == self.name and version[: len(self.prefix)] == self.prefix

    def __str__(self) -> str:
        return self.name + ("@" + ".".join(map(str, self.prefix)) if self.prefix else "")


def all_packs(root: Path | None) -> list[Pack]:
    """Every pack version, built in and (with ``root``) the project's, by name then version.

    Raises:
        TemplateError: a pack's ``pack.toml`` is invalid.
    """
    found = {(p.name, p.version): p for p in _packs_under(BUILTIN)}
    if root is not None:
        found.update({(p.name, p.version): p for p in _packs_under(root / PROJECT_PACKS)})
    return [found[key] for key in sorted(found)]


def choose(pin: str, root: Path | None) -> Pack:
    """The newest pack ``pin`` admits.

    Raises:
        CodegenError: the pin is malformed or no pack matches it.
    """
    wanted = PackPin.parse(pin)
    matching = [pack for pack in all_packs(root) if wanted.admits(pack)]
    if not matching:
        known = ", ".join(f"{p.name}@{p.version}" for p in all_packs(root)) or "none"
        raise CodegenError(f"no template pack matches `{pin}` (known: {known})")
    return matching[-1]


def majors_between(current: Pack, target: Pack, root: Path | None) -> list[Pack]:
    """The newest pack of each major version after ``current``'s up to ``target``'s, in order:
    the migrations from one to the other."""
    newest: dict[int, Pack] = {}
    for pack in all_packs(root):
        if pack.name == target.name and current.version.major < pack.version.major:
            if pack.version <= target.version:
                newest[pack.version.major] = pack
    return [newest[major] for major in sorted(newest)]


def with_pin(config: str, pin: PackPin) -> str:
    """The text of ``accord.toml`` pinning ``pin`` under ``[codegen]``, all else kept."""
    line = f'pack = "{pin}"'
    section = re.search(r"(?m)^\[codegen\][ \t]*$", config)
    if section is None:
        return (
            config
            + ("\n" if config and not config.endswith("\n") else "")
            + f"\n[codegen]\n{line}\n"
        )
    end = re.search(r"(?m)^\[", config[section.end() :])
    stop = section.end() + (end.start() if end else len(config) - section.end())
    body = config[section.end() : stop]
    if re.search(r"(?m)^pack[ \t]*=.*$", body):
        body = re.sub(r"(?m)^pack[ \t]*=.*$", line, body, count=1)
    else:
        body = f"\n{line}" + body
    return config[: section.end()] + body + config[stop:]


def _packs_under(folder: Path) -> list[Pack]:
    if not folder.is_dir():
        return []
    return [
        pack for child in sorted(folder.iterdir()) if child.is_dir() for pack in versions_in(child)
    ]
