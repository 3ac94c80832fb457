"""``accord gen`` (translate models between platforms) and ``accord templates``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from accord.cli.exits import USAGE, Outcome, guarded
from accord.codegen.catalog import choose
from accord.codegen.exceptions import CodegenError
from accord.codegen.gen import split_spec, translate
from accord.codegen.platforms import all_platforms
from accord.config import find_root, load_settings

__all__ = ["add_gen"]


def add_gen(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``accord gen``."""
    gen = commands.add_parser(
        "gen",
        help="translate a model to other platforms",
        description="Lift the models of a file (a Kotlin data class, a Swift struct, a "
        "TypeScript interface, a Python model) and emit them for other platforms. "
        "The templates are the pack pinned by `[codegen] pack` in accord.toml. "
        "Exit status: 0 written, 2 a usage or lifting error.",
    )
    gen.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="PATH[:SYMBOL]",
        help="the file, and optionally the one model (with what it references)",
    )
    gen.add_argument(
        "--to",
        required=True,
        metavar="PLATFORMS",
        help=f"comma-separated: {', '.join(all_platforms())}",
    )
    gen.add_argument("--out", metavar="DIR", help="write the files to DIR (default: stdout)")
    gen.set_defaults(run=_run_gen)


def _run_gen(options: argparse.Namespace) -> int:
    return guarded("accord gen", lambda: _gen(options), Outcome((CodegenError,), USAGE))


def _gen(options: argparse.Namespace) -> int:
    path, symbol = split_spec(options.source)
    targets = [name.strip() for name in options.to.split(",") if name.strip()]
    root = find_root(Path.cwd())
    pack = choose(load_settings(root).settings.codegen.pack, root)
    try:
        text = Path(path).read_text("utf-8")
    except OSError as error:
        raise CodegenError(f"{path}: cannot read ({error.strerror})") from None
    files = translate(text, path, targets, symbol, pack)
    for file in files:
        if options.out is None:
            sys.stdout.write(f"// ==> {file.name}\n{file.text}")
            continue
        target = Path(options.out) / file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, "utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return 0
