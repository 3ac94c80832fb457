"""``accord gen`` (translate models between platforms) and ``accord templates``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from accord.cli.exits import FAILED, OK, USAGE, Outcome, guarded
from accord.codegen.catalog import choose
from accord.codegen.exceptions import CodegenError
from accord.codegen.gen import split_spec, translate_set
from accord.codegen.platforms import all_platforms
from accord.codegen.sourceset import lift_set
from accord.config import find_root, load_settings

__all__ = ["add_gen"]


def add_gen(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``accord gen``."""
    gen = commands.add_parser(
        "gen",
        help="translate models to other platforms",
        description="Lift the models of a source set (folders and files of Kotlin data classes, "
        "Swift structs, TypeScript interfaces, Python models, ...) and emit them for other "
        "platforms, one file per source file. Types resolve across the files. "
        "The templates are the pack pinned by `[codegen] pack` in accord.toml. "
        "Every declaration is translated or named in a warning with its file and line. "
        "Exit status: 0 written (warnings, if any, printed), 1 --strict and warnings "
        "(nothing written), 2 a usage error.",
    )
    gen.add_argument(
        "--from",
        dest="sources",
        required=True,
        nargs="+",
        metavar="DIR|FILE[:SYMBOL]",
        help="folders (every model file under them) and files; FILE:SYMBOL takes that model",
    )
    gen.add_argument(
        "--to",
        required=True,
        metavar="PLATFORMS",
        help=f"comma-separated: {', '.join(all_platforms())}",
    )
    gen.add_argument(
        "--type",
        dest="types",
        nargs="+",
        metavar="NAME",
        help="only these models and what they reference (default: every model)",
    )
    gen.add_argument(
        "--strict", action="store_true", help="warnings are errors: write nothing, exit 1"
    )
    gen.add_argument("--out", metavar="DIR", help="write the files to DIR (default: stdout)")
    gen.set_defaults(run=_run_gen)


def _run_gen(options: argparse.Namespace) -> int:
    return guarded("accord gen", lambda: _gen(options), Outcome((CodegenError,), USAGE))


def _gen(options: argparse.Namespace) -> int:
    targets = [name.strip() for name in options.to.split(",") if name.strip()]
    root = find_root(Path.cwd())
    pack = choose(load_settings(root).settings.codegen.pack, root)
    types = list(options.types or [])
    paths: list[Path] = []
    for spec in options.sources:
        path, symbol = split_spec(spec)
        types += [symbol] if symbol else []
        paths += source_files(Path(path))
    lifted = lift_set([(str(p), _read(p)) for p in paths], types or None)
    files = translate_set(lifted, targets, pack)
    for notice in lifted.notices:
        strict = options.strict and notice.warning
        print(str(notice).replace("warning:", "error:") if strict else notice, file=sys.stderr)
    if options.strict and lifted.warnings:
        count = len(lifted.warnings)
        noun = "declaration" if count == 1 else "declarations"
        print(f"accord gen: {count} {noun} not translated (--strict)", file=sys.stderr)
        return FAILED
    for file in files:
        if options.out is None:
            sys.stdout.write(f"// ==> {file.name}\n{file.text}")
            continue
        target = Path(options.out) / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, "utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return OK


def source_files(path: Path) -> list[Path]:
    """``path`` itself, or every file under the folder ``path`` of a platform that lifts."""
    if not path.is_dir():
        return [path]
    extensions = {p.extension for p in all_platforms().values() if p.lifts}
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in extensions)


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as error:
        raise CodegenError(f"{path}: cannot read ({error.strerror})") from None
