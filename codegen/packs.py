"""Template packs: versioned sets of Jinja2 templates, one per platform.

A pack lives in ``<pack>/<version>/`` (built in: ``accord/codegen/templates``; a project's own:
``.accord/templates``) with a ``pack.toml`` and ``<platform>.j2`` files. Versions are semantic
(MAJOR.MINOR.PATCH). A project pins the version it uses; nothing here does I/O beyond reading
the pack's own files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from .exceptions import TemplateError

__all__ = ["BUILTIN", "DEFAULT_PACK", "Pack", "Version", "builtin_pack", "load_pack"]

BUILTIN = Path(str(resources.files(__package__).joinpath("templates")))
DEFAULT_PACK = "standard"


@dataclass(frozen=True, order=True, slots=True)
class Version:
    """A semantic version."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """``1.2.3`` as a Version.

        Raises:
            ValueError: not three dot-separated non-negative integers.
        """
        parts = text.strip().split(".")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            raise ValueError(f"`{text}` is not a MAJOR.MINOR.PATCH version")
        return cls(*(int(part) for part in parts))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True, slots=True)
class Pack:
    """One version of a template pack, in its folder."""

    name: str
    version: Version
    folder: Path
    description: str
    # What changed for users since the previous major version (required from 2.0.0 on).
    migration_note: str

    def template(self, platform: str) -> jinja2.Template:
        """The pack's template for ``platform``.

        Raises:
            TemplateError: the pack has no such template or it does not compile.
        """
        path = self.folder / f"{platform}.j2"
        if not path.is_file():
            raise TemplateError(str(path), 1, f"pack {self.name} {self.version} has no {platform}")
        try:
            return _environment(self.folder).get_template(path.name)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(str(path), error.lineno, error.message or "syntax error") from None

    def platforms(self) -> list[str]:
        """The platforms the pack has templates for."""
        return sorted(path.stem for path in self.folder.glob("*.j2"))


def load_pack(folder: Path) -> Pack:
    """The pack in ``<pack>/<version>/`` folder ``folder``.

    Raises:
        TemplateError: ``pack.toml`` is missing or invalid, or the folder is not a version.
    """
    meta = folder / "pack.toml"
    try:
        table = tomllib.loads(meta.read_text("utf-8"))
        version = Version.parse(folder.name)
    except OSError as error:
        raise TemplateError(str(meta), 1, f"cannot read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise TemplateError(str(meta), int(line.group(1)) if line else 1, str(error)) from None
    except ValueError as error:
        raise TemplateError(str(meta), 1, f"folder name: {error}") from None
    return Pack(
        name=folder.parent.name,
        version=version,
        folder=folder,
        description=str(table.get("description", "")),
        migration_note=str(table.get("migration_note", "")),
    )


def builtin_pack(name: str = DEFAULT_PACK) -> Pack:
    """The newest built-in version of pack ``name``."""
    return _builtin_versions(name)[-1]


@cache
def _builtin_versions(name: str) -> list[Pack]:
    folders = [folder for folder in (BUILTIN / name).iterdir() if (folder / "pack.toml").is_file()]
    return sorted((load_pack(folder) for folder in folders), key=lambda pack: pack.version)


@cache
def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
