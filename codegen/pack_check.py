"""Checking a template pack before a project uses it, and migrating generated files to a new
major version of their pack.

A pack is sound when every template is for a known platform, compiles, renders a sample
model that uses every construct of the IR, and its output parses cleanly; and when a major
version from 2 on says in ``migration_note`` what changed. Problems name the template file and
line.
"""

from __future__ import annotations

import re
import traceback

import jinja2

from .emit import emit
from .exceptions import CodegenError, TemplateError
from .ir import (
    Constraints,
    Default,
    Entity,
    EntityType,
    Enum,
    EnumType,
    FieldDef,
    ListType,
    MapType,
    OptionalType,
    Scalar,
    ScalarType,
    Schema,
)
from .packs import Pack
from .platforms import all_platforms

__all__ = ["SAMPLE", "check_pack", "generated_by", "migrate_file"]

_STATUS = Enum(name="Status", values=("active", "on_hold"), doc="Where a sample is.")
_PART = Entity(
    name="Part",
    doc="A part.",
    fields=(FieldDef(name="label", type=ScalarType(scalar=Scalar.STRING)),),
)
SAMPLE = Schema(
    enums=(_STATUS,),
    entities=(
        _PART,
        Entity(
            name="Sample",
            doc="Every construct a template meets.",
            fields=(
                *(
                    FieldDef(name=f"{scalar.name.lower()}_value", type=ScalarType(scalar=scalar))
                    for scalar in Scalar
                ),
                FieldDef(
                    name="tags",
                    type=ListType(item=ScalarType(scalar=Scalar.STRING)),
                    constraints=Constraints(min_length=1),
                ),
                FieldDef(name="counts", type=MapType(value=ScalarType(scalar=Scalar.INT))),
                FieldDef(
                    name="note",
                    type=OptionalType(inner=ScalarType(scalar=Scalar.STRING)),
                    doc="Left by the user.",
                    default=Default(value=None),
                ),
                FieldDef(
                    name="status", type=EnumType(name="Status"), default=Default(value="active")
                ),
                FieldDef(name="parts", type=ListType(item=EntityType(name="Part"))),
            ),
        ),
    ),
)
_HEADER = re.compile(r"\(templates ([\w.-]+) (\d+)\.(\d+)\.(\d+)\)")


def check_pack(pack: Pack) -> list[TemplateError]:
    """Every problem of ``pack`` (none for a sound one)."""
    problems = [_check_template(pack, platform) for platform in pack.platforms()]
    found = [problem for problem in problems if problem is not None]
    if pack.version.major >= 2 and not pack.migration_note.strip():
        found.append(
            TemplateError(
                str(pack.folder / "pack.toml"),
                1,
                "a major version from 2 on needs a migration_note",
            )
        )
    return found


def _check_template(pack: Pack, platform: str) -> TemplateError | None:
    path = str(pack.folder / f"{platform}.j2")
    if platform not in all_platforms():
        return TemplateError(path, 1, f"no platform is called `{platform}`")
    try:
        emit(SAMPLE, platform, pack, source="the sample model")
    except TemplateError as error:
        return error
    except jinja2.TemplateError as error:
        return TemplateError(path, _template_line(error, path), str(error))
    except CodegenError as error:
        return TemplateError(path, 1, str(error))
    return None


def _template_line(error: BaseException, path: str) -> int:
    """The line of ``path`` the rendering failed at (jinja2 maps its frames to templates)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    return frames[-1].lineno or 1 if frames else 1


def generated_by(text: str) -> tuple[str, int] | None:
    """The pack name and major version a generated file's header names, if it has one."""
    found = _HEADER.search(text)
    return (found.group(1), int(found.group(2))) if found else None


def migrate_file(text: str, steps: list[Pack]) -> str:
    """``text`` migrated through each pack of ``steps`` (one per major version, in order)
    that is newer than the version that generated it."""
    origin = generated_by(text)
    for pack in steps:
        if origin is not None and pack.name == origin[0] and pack.version.major > origin[1]:
            text = _HEADER.sub(f"(templates {pack.name} {pack.version})", pack.migrate(text), 1)
    return text
