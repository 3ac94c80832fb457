"""Time to build the context builder's symbol map, to update one file, and to rank and cut.

The workspace is the standard library's first ``--files`` ``.py`` files (sorted by path, any
depth), copied to a temporary folder. Timed in-process, median of ``--runs`` runs after one
warm-up: building the map from disk (discovery, data guard, reading, tree-sitter parse and the
``tags.scm`` query per file); updating one file from text; ranking the map for a task; cutting
the ranking to the default token budget; and ``ContextBuilder.build`` end to end on the built
map. The baseline is Universal Ctags over the same files (a whole process, definitions only,
no references), when ``ctags`` is on PATH; otherwise only Accord's figures are printed.

    python benchmarks/context_build.py [--files 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import tree_sitter

from accord.agents.context.budget import fit
from accord.agents.context.builder import ContextBuilder, mentioned_names
from accord.agents.context.rank import rank
from accord.agents.context.symbols import SymbolMap
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.analyzers.languages import ts_language
from accord.config import Settings
from accord.protocol import Position, Range

# The file the benchmark's task is about, and the one it edits.
TARGET = "json/decoder.py"


def stdlib_files(count: int) -> list[Path]:
    """The standard library's first ``count`` ``.py`` files, sorted by path (installed
    packages under ``site-packages`` are not the standard library)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found = (path for path in stdlib.rglob("*.py") if not _installed(path.relative_to(stdlib)))
    return sorted(found)[:count]


def _installed(rel: Path) -> bool:
    return bool({"site-packages", "dist-packages"} & set(rel.parts))


def workspace(files: list[Path], into: Path) -> Path:
    """A copy of ``files`` under ``into``, keeping their paths below the stdlib folder."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in files:
        copy = into / path.relative_to(stdlib)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    target = into / TARGET
    if not target.exists():
        shutil.copyfile(stdlib / TARGET, target)
    return into


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def built(root: Path, settings: Settings) -> SymbolMap:
    symbols = SymbolMap(root, settings)
    symbols.build()
    return symbols


def task(root: Path) -> Task:
    path = root / TARGET
    source = path.read_text()
    line = next(n for n, text in enumerate(source.splitlines()) if "def raw_decode" in text)
    target = Target(
        path=str(path),
        language="python",
        source=source,
        kind=TargetKind.FUNCTION,
        range=Range(
            start=Position(line=line, character=0), end=Position(line=line + 20, character=0)
        ),
        symbol="raw_decode",
    )
    return Task(kind=ActionKind.DOCUMENT, target=target, root=str(root))


def parse_only(root: Path, rels: list[str]) -> Callable[[], object]:
    """Parsing the files with tree-sitter and nothing else: the floor under building the map."""
    texts = [(root / rel).read_bytes() for rel in rels]
    parser = tree_sitter.Parser(ts_language("python"))
    return lambda: [parser.parse(text) for text in texts]


def ctags_seconds(root: Path, runs: int) -> float | None:
    ctags = shutil.which("ctags")
    if ctags is None:
        return None
    command = [ctags, "-R", "--languages=Python", "-f", "-", str(root)]
    return median_seconds(lambda: subprocess.run(command, check=True, capture_output=True), runs)


def report(name: str, seconds: float, note: str = "") -> None:
    print(f"{name:<40}{seconds * 1000:>12.2f} ms  {note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(stdlib_files(options.files), Path(folder))
        symbols = built(root, settings)
        size = sum((root / rel).stat().st_size for rel in symbols.files) / 1e6
        definitions = sum(len(file.definitions) for file in symbols.files.values())
        print(
            f"{len(symbols.files)} files mapped ({size:.1f} MB, {definitions} definitions); "
            f"median of {options.runs} runs\n"
        )
        build = median_seconds(lambda: built(root, settings), options.runs)
        report("build the symbol map", build, f"{build / len(symbols.files) * 1e6:.0f} µs/file")
        report(
            "  of which tree-sitter parsing alone",
            median_seconds(parse_only(root, list(symbols.files)), options.runs),
        )
        baseline = ctags_seconds(root, options.runs)
        if baseline is None:
            print("ctags not installed: no baseline")
        else:
            report(
                "ctags -R (definitions only, process)",
                baseline,
                f"Accord/ctags = {build / baseline:.2f}x",
            )
        edited = root / TARGET
        text = edited.read_text() + "\n\ndef added():\n    return JSONDecoder()\n"
        report("update one file", median_seconds(lambda: symbols.update(edited, text), 50))
        the_task = task(root)
        symbols.update(edited, the_task.target.source)
        focus, names = [TARGET], mentioned_names(the_task)
        ranked = rank(symbols.files, focus, names)
        report(
            "rank for a task",
            median_seconds(lambda: rank(symbols.files, focus, names), options.runs),
        )
        budget = settings.agents.context_tokens
        report(
            f"cut to {budget} tokens",
            median_seconds(lambda: fit(ranked, root, budget), options.runs),
        )
        builder = ContextBuilder(root, settings, symbols=symbols)
        report(
            "ContextBuilder.build (rank + cut)",
            median_seconds(lambda: builder.build(the_task), options.runs),
        )
        print("\ntop of the ranking:", ", ".join(file.path for file in ranked[:6]))


if __name__ == "__main__":
    main()
