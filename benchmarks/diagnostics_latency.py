"""Diagnostics latency: one LSP client drives three servers in turn, edit by edit, on large files.

For each server and each file it opens the file, then makes ``--edits`` edits of each kind and
times each from sending ``didChange`` to receiving the ``publishDiagnostics`` for that version.
Every edit is undone before the next (the undo is timed too where it is an edit a person makes
on purpose, and otherwise waited for but not timed), so each edit meets the original text.

Edit kinds:
- ``type``: ``  # x`` typed at the end of a ``return`` line;
- ``enter``: an indented line inserted after a statement, then removed (both timed);
- ``delete``: a statement line deleted (restored untimed);
- ``paste``: a 20-line function pasted before a top-level definition (removed untimed);
- ``class break`` / ``class mend``: an unindented line typed inside the file's largest class,
  which ends the class there, then removed;
- ``class keys``: ``x = f(1)`` typed key by key on a new line at column 0 in that class, then
  erased key by key: the text passes through states that end the class and states with a
  syntax error (each key timed; the new line and its removal are not);
- ``keys paused``: the same, with a pause of ``PAUSE`` seconds after each key, as a person
  types: a server may publish again once edits pause (Accord does where an edit's whole parse
  ran past its budget and its findings were provisional). Besides the time to the first
  publish, the row ``keys final`` gives the time to the last within the pause: when the
  diagnostics are final.

The CPU column is the server process's mean CPU time per edit (all its threads, read from
``/proc`` in clock ticks, so meaningful as a mean over many edits): on a busy machine it says
more than wall time, which then mostly measures waiting for a core.

Files: the standard library's ``_pydecimal.py`` (~6,400 lines) and a ~28,000-line file made by
concatenating distinct standard-library modules (``from __future__`` lines commented out).
Servers: ``accord lsp`` (all rules), ``ruff server`` (C901 and the pyflakes rules) and ``pylsp``
(pyflakes and mccabe). Prints p50/p95 per kind, the ratios to ruff, and the 28k/6k ratios.

    python benchmarks/diagnostics_latency.py [--edits 10] [--servers accord,ruff,pylsp]

``--in-process`` measures instead Accord's own work per edit, in CPU time, without a server:
the session's update after the change, then its findings placed in editor positions; and how
much of it is tree-sitter's incremental reparse, the floor no analysis change can lower. On a
shared machine this is the steadier figure; the wire figures add the transport and the
scheduler's noise.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import os
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsp_wire import WireClient

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SOURCE = STDLIB / "_pydecimal.py"
# Distinct modules that add up to about 28,000 lines with _pydecimal.py first.
BIG_PARTS = (
    "_pydecimal",
    "typing",
    "argparse",
    "inspect",
    "tarfile",
    "_pyio",
    "pickletools",
    "doctest",
    "smtplib",
)
KINDS = (
    "type",
    "enter",
    "delete",
    "paste",
    "class break",
    "class mend",
    "class keys",
    "keys paused",
)
# Goals: ratio to ruff server per kind (issue 16).
GOALS = {
    "class break": 2.0,
    "class mend": 2.0,
    "class keys": 2.0,
    "keys paused": 2.0,
    "keys final": 2.0,
}
# Seconds waited after each key of ``keys paused`` (a person types about five keys a second).
PAUSE = 0.2
# The rows of the wire table: each kind, and the time to the last publish after a paused key.
REPORTED = (*KINDS, "keys final")
# Typed key by key at column 0 in a class, then erased: clean, broken and clean again.
KEYS = "x = f(1)"
DEFAULT_GOAL = 1.5

PASTED = '''def pasted_helper(values, limit=10):
    """Sum what is under the limit, counting what was skipped."""
    total = 0
    skipped = 0
    for value in values:
        if value is None:
            continue
        if value > limit:
            skipped += 1
        elif value < 0:
            total -= value
        else:
            total += value
    while total > limit * 100:
        total //= 2
    try:
        ratio = total / (skipped or 1)
    except ZeroDivisionError:
        ratio = 0
    return total, skipped, ratio

'''


@dataclass(frozen=True)
class Server:
    name: str
    command: list[str]
    initialization_options: dict | None = None
    settings: dict | None = None


def servers(chosen: set[str]) -> list[Server]:
    bin_dir = Path(sys.executable).parent
    pylsp_off = {p: {"enabled": False} for p in ("pycodestyle", "autopep8", "yapf", "pydocstyle")}
    every = [
        Server("accord", [sys.executable, "-m", "accord", "lsp"], {"diagnosticMode": "push"}),
        Server("ruff", [str(_tool(bin_dir, "ruff")), "server"]),
        Server(
            "pylsp",
            [str(_tool(bin_dir, "pylsp"))],
            settings={
                "pylsp": {
                    "plugins": {
                        **pylsp_off,
                        "pyflakes": {"enabled": True},
                        "mccabe": {"enabled": True, "threshold": 10},
                    }
                }
            },
        ),
    ]
    return [server for server in every if server.name in chosen]


def _tool(bin_dir: Path, name: str) -> Path:
    found = bin_dir / name if (bin_dir / name).exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return Path(found)


def big_text() -> str:
    """About 28,000 lines of distinct standard-library code in one module."""
    parts = []
    for name in BIG_PARTS:
        text = (STDLIB / f"{name}.py").read_text("utf-8")
        lines = [
            f"# {line}" if line.startswith("from __future__") else line
            for line in text.splitlines()
        ]
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


@dataclass(frozen=True)
class Step:
    """One didChange: ``text`` replaces lines/characters ``start``-``end``; timed under ``kind``."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str
    kind: str | None


def steps(text: str, count: int) -> Iterator[Step]:
    """Every kind's edits, each followed by its undo, on ``text`` (which each pair restores)."""
    lines = text.splitlines()
    tree = ast.parse(text)
    for line in _spread(_returns(lines), count):
        end = (line, len(lines[line]))
        yield Step(end, end, "  # x", "type")
        yield Step(end, (line, end[1] + 5), "", None)
    for line in _spread(_returns(lines), count):
        indent = len(lines[line]) - len(lines[line].lstrip())
        end = (line, len(lines[line]))
        yield Step(end, end, "\n" + " " * indent, "enter")
        yield Step(end, (line + 1, indent), "", "enter")
    for line in _spread(_deletable(lines), count):
        yield Step((line, 0), (line + 1, 0), "", "delete")
        yield Step((line, 0), (line, 0), lines[line] + "\n", None)
    for line in _spread(_top_level_defs(tree), count):
        yield Step((line, 0), (line, 0), PASTED, "paste")
        yield Step((line, 0), (line + PASTED.count("\n"), 0), "", None)
    for line in _spread(_largest_class_methods(tree), count):
        yield Step((line, 0), (line, 0), "x\n", "class break")
        yield Step((line, 0), (line + 1, 0), "", "class mend")
    for kind, times in (("class keys", max(1, count // len(KEYS))), ("keys paused", 1)):
        for line in _spread(_largest_class_methods(tree), times):
            yield Step((line, 0), (line, 0), "\n", None)
            for column, key in enumerate(KEYS):
                yield Step((line, column), (line, column), key, kind)
            for column in reversed(range(len(KEYS))):
                yield Step((line, column), (line, column + 1), "", kind)
            yield Step((line, 0), (line + 1, 0), "", None)


def _spread(lines: list[int], count: int) -> list[int]:
    step = max(1, len(lines) // count)
    return lines[::step][:count]


def _returns(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip().startswith("return ")]


def _deletable(lines: list[str]) -> list[int]:
    """Assignments inside a block that keeps another statement at their level after them."""
    found = []
    for i, line in enumerate(lines[:-1]):
        indent = len(line) - len(line.lstrip())
        nxt = lines[i + 1]
        next_indent = len(nxt) - len(nxt.lstrip())
        if indent >= 8 and " = " in line and next_indent == indent and nxt.strip():
            found.append(i)
    return found


def _top_level_defs(tree: ast.Module) -> list[int]:
    nodes = (ast.FunctionDef, ast.ClassDef)
    return [n.lineno - 1 for n in tree.body if isinstance(n, nodes) and not n.decorator_list]


def _largest_class_methods(tree: ast.Module) -> list[int]:
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    largest = max(classes, key=lambda c: (c.end_lineno or 0) - c.lineno)
    return [
        n.lineno - 1
        for n in largest.body[1:]
        if isinstance(n, ast.FunctionDef) and not n.decorator_list
    ]


class Probe:
    """Waits for the publishDiagnostics of one document at (or after) a version."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.version = 0
        self.arrived = asyncio.Event()
        # When each publish at (or after) the version waited for came.
        self.arrivals: list[float] = []

    def __call__(self, method: str, params: Any) -> None:
        if method != "textDocument/publishDiagnostics" or params["uri"] != self.uri:
            return
        version = params.get("version")
        if version is None or version >= self.version:
            self.arrivals.append(time.perf_counter())
            self.arrived.set()

    def expect(self, version: int) -> None:
        """Wait from now on for ``version``: what came before (a late publish of an earlier
        version, or a second one of it) does not count."""
        self.version = version
        self.arrived.clear()
        self.arrivals.clear()

    async def wait(self, timeout: float = 60.0) -> None:
        await asyncio.wait_for(self.arrived.wait(), timeout)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, all threads) a process has used, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(
    server: Server, path: Path, count: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Per edit kind: each edit's wall time, and the server's mean CPU time per edit."""
    text = path.read_text("utf-8")
    uri = path.as_uri()
    probe = Probe(uri)
    client = await WireClient.start(server.command, str(path.parent), probe)
    capabilities = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
    await client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": path.parent.as_uri(),
            "capabilities": capabilities,
            "initializationOptions": server.initialization_options,
        },
    )
    client.notify("initialized", {})
    if server.settings:
        client.notify("workspace/didChangeConfiguration", {"settings": server.settings})
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    probe.expect(1)
    client.notify("textDocument/didOpen", {"textDocument": item})
    await probe.wait(120)
    await asyncio.sleep(1.0)  # let any debounced first lint settle
    timings: dict[str, list[float]] = {kind: [] for kind in REPORTED}
    cpu: dict[str, float] = dict.fromkeys(KINDS, 0.0)
    for version, step in enumerate(steps(text, count), start=2):
        used = cpu_seconds(client.process.pid)
        change = {
            "range": {
                "start": {"line": step.start[0], "character": step.start[1]},
                "end": {"line": step.end[0], "character": step.end[1]},
            },
            "text": step.text,
        }
        document = {"uri": uri, "version": version}
        probe.expect(version)
        started = time.perf_counter()
        client.notify(
            "textDocument/didChange", {"textDocument": document, "contentChanges": [change]}
        )
        await probe.wait()
        if step.kind is not None:
            timings[step.kind].append(time.perf_counter() - started)
            cpu[step.kind] += cpu_seconds(client.process.pid) - used
        if step.kind == "keys paused":
            await asyncio.sleep(PAUSE)
            timings["keys final"].append(probe.arrivals[-1] - started)
        await asyncio.sleep(0.02)
    await client.close()
    return timings, {kind: cpu[kind] / max(1, len(timings[kind])) for kind in KINDS}


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def run_file(
    label: str, text: str, chosen: list[Server], count: int
) -> dict[str, dict[str, float]]:
    """p50 per server and kind on one file; prints the table."""
    print(f"\n## {label} ({len(text.splitlines())} lines), {count} edits of each kind\n")
    p50: dict[str, dict[str, float]] = {}
    print(f"| edit | {' | '.join(f'{s.name} p50 / p95 / CPU ms' for s in chosen)} |")
    print(f"|---|{'---|' * len(chosen)}")
    rows: dict[str, list[str]] = {kind: [] for kind in REPORTED}
    for server in chosen:
        with tempfile.TemporaryDirectory() as folder:
            workspace = Path(folder)
            (workspace / ".git").mkdir()
            (workspace / "ruff.toml").write_text('[lint]\nselect = ["C901", "F"]\n')
            path = workspace / "module.py"
            path.write_text(text, "utf-8")
            timings, cpu = await measure(server, path, count)
        p50[server.name] = {}
        for kind in REPORTED:
            mid, high = _percentile(timings[kind], 50), _percentile(timings[kind], 95)
            p50[server.name][kind] = mid * 1000
            used = f"{cpu[kind] * 1000:.1f}" if kind in cpu else "-"
            rows[kind].append(f"{mid * 1000:.1f} / {high * 1000:.1f} / {used}")
    for kind in REPORTED:
        print(f"| {kind} | {' | '.join(rows[kind])} |")
    if "accord" in p50 and "ruff" in p50:
        print()
        for kind in REPORTED:
            ratio = p50["accord"][kind] / p50["ruff"][kind]
            goal = GOALS.get(kind, DEFAULT_GOAL)
            verdict = "met" if ratio <= goal else "MISSED"
            print(f"accord / ruff, {kind}: {ratio:.2f}x (goal <= {goal}x: {verdict})")
    return p50


def in_process(label: str, text: str, count: int) -> dict[str, float]:
    """Accord's CPU time per edit kind (p50, ms) without a server; prints a table row each,
    with the part spent reparsing (tree-sitter, and its changed ranges), how many edits
    re-parsed only their statements rather than the whole file, and how many were provisional;
    and for ``keys paused`` what the whole reparse once edits pause costs (with the analysis of
    what it changed)."""
    from accord.analyzers.source import Reparsed, SourceDocument
    from accord.server.session import Change, Session

    reparsing = [0.0]
    alone, cut = [0], [0]
    reparse = SourceDocument.reparse

    def timed_reparse(document: SourceDocument) -> Reparsed:
        started = time.process_time()
        try:
            reparsed: Reparsed = reparse(document)
            alone[0] += reparsed.statements is not None and not reparsed.provisional
            cut[0] += reparsed.provisional
            return reparsed
        finally:
            reparsing[0] += time.process_time() - started

    SourceDocument.reparse = timed_reparse
    session = Session(root=Path(tempfile.gettempdir()))
    uri = Path(tempfile.gettempdir(), "module.py").as_uri()
    session.open(uri, "python", text, 1)
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    parse_timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    local: dict[str, int] = dict.fromkeys(KINDS, 0)
    provisional: dict[str, int] = dict.fromkeys(KINDS, 0)
    settling: list[float] = []
    try:
        for version, step in enumerate(steps(text, count), start=2):
            reparsing[0], alone[0], cut[0] = 0.0, 0, 0
            started = time.process_time()
            session.change(uri, version, [Change(step.text, step.start, step.end)])
            source = session.documents[uri].source
            assert source is not None
            for finding in session.findings(uri):
                source.lines.position(finding.start), source.lines.position(finding.end)
            if step.kind is not None:
                timings[step.kind].append(time.process_time() - started)
                parse_timings[step.kind].append(reparsing[0])
                local[step.kind] += alone[0]
                provisional[step.kind] += cut[0]
            if step.kind == "keys paused":  # the edits pause: the whole parse, unsliced
                started = time.process_time()
                session.settle(uri)
                settling.append(time.process_time() - started)
    finally:
        SourceDocument.reparse = reparse
    p50 = {kind: _percentile(timings[kind], 50) * 1000 for kind in KINDS}
    print(f"\n## in process: {label} ({len(text.splitlines())} lines), CPU ms\n")
    print(
        "| edit | p50 | p95 | of which reparsing, p50 | statements re-parsed alone "
        "| provisional (whole parse cut short, or after one) |"
    )
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        high = _percentile(timings[kind], 95) * 1000
        parse = _percentile(parse_timings[kind], 50) * 1000
        share = f"{local[kind]} of {len(timings[kind])}"
        cuts = f"{provisional[kind]} of {len(timings[kind])}"
        print(f"| {kind} | {p50[kind]:.2f} | {high:.2f} | {parse:.2f} | {share} | {cuts} |")
    mid, high = _percentile(settling, 50) * 1000, _percentile(settling, 95) * 1000
    print(f"| keys paused, then the pause's whole reparse | {mid:.2f} | {high:.2f} | | | |")
    return p50


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10, help="edits of each kind")
    parser.add_argument("--servers", default="accord,ruff,pylsp")
    parser.add_argument("--files", default="6k,28k")
    parser.add_argument("--in-process", action="store_true", help="Accord's CPU, no server")
    options = parser.parse_args()
    chosen = servers(set(options.servers.split(",")))
    files = {"6k": (SOURCE.name, SOURCE.read_text("utf-8")), "28k": ("concatenated", big_text())}
    if options.in_process:
        cpu = {key: in_process(*files[key], options.edits) for key in options.files.split(",")}
        if "6k" in cpu and "28k" in cpu:
            print()
            for kind in KINDS:
                print(f"accord CPU 28k / 6k, {kind}: {cpu['28k'][kind] / cpu['6k'][kind]:.2f}x")
        return
    results = {}
    for key in options.files.split(","):
        label, text = files[key]
        results[key] = await run_file(label, text, chosen, options.edits)
    if "6k" in results and "28k" in results and "accord" in results["6k"]:
        print()
        for kind in REPORTED:
            ratio = results["28k"]["accord"][kind] / results["6k"]["accord"][kind]
            verdict = "met" if ratio <= 1.3 else "MISSED"
            print(f"accord 28k / 6k, {kind}: {ratio:.2f}x (goal <= 1.3x: {verdict})")


if __name__ == "__main__":
    asyncio.run(main())
