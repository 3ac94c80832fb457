"""Diagnostics latency: one LSP client drives three servers in turn on the same large file.

For each server it opens a copy of the standard library's ``_pydecimal.py`` (~6,400 lines), makes
50 single-line edits, and times each from sending ``didChange`` to receiving the
``publishDiagnostics`` that follows. Servers: ``accord lsp`` (all rules), ``ruff server`` (C901
and the pyflakes rules) and ``pylsp`` (pyflakes and mccabe). Prints p50/p95 and the ratios.

    python benchmarks/diagnostics_latency.py [--edits 50]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsp_wire import WireClient

SOURCE = Path(sysconfig.get_paths()["stdlib"]) / "_pydecimal.py"


@dataclass(frozen=True)
class Server:
    name: str
    command: list[str]
    initialization_options: dict | None = None
    settings: dict | None = None


def servers() -> list[Server]:
    bin_dir = Path(sys.executable).parent
    pylsp_off = {p: {"enabled": False} for p in ("pycodestyle", "autopep8", "yapf", "pydocstyle")}
    return [
        Server("accord lsp", [sys.executable, "-m", "accord", "lsp"], {"diagnosticMode": "push"}),
        Server("ruff server", [str(_tool(bin_dir, "ruff")), "server"]),
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


def _tool(bin_dir: Path, name: str) -> Path:
    found = bin_dir / name if (bin_dir / name).exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return Path(found)


class Probe:
    """Counts publishDiagnostics for one document and lets the benchmark wait for the next."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.arrived = asyncio.Event()

    def __call__(self, method: str, params: Any) -> None:
        if method == "textDocument/publishDiagnostics" and params["uri"] == self.uri:
            self.arrived.set()

    async def wait(self, timeout: float = 30.0) -> None:
        await asyncio.wait_for(self.arrived.wait(), timeout)
        self.arrived.clear()


async def measure(server: Server, workspace: Path, edits: int) -> list[float]:
    path = workspace / "_pydecimal.py"
    text = path.read_text("utf-8")
    uri = path.as_uri()
    probe = Probe(uri)
    client = await WireClient.start(server.command, str(workspace), probe)
    capabilities = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
    await client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": workspace.as_uri(),
            "capabilities": capabilities,
            "initializationOptions": server.initialization_options,
        },
    )
    client.notify("initialized", {})
    if server.settings:
        client.notify("workspace/didChangeConfiguration", {"settings": server.settings})
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    await probe.wait(120)
    await asyncio.sleep(1.0)  # let any debounced first lint settle
    probe.arrived.clear()
    lines = text.splitlines()
    timings = []
    for version, line in enumerate(_edit_lines(text, edits), start=2):
        end = {"line": line, "character": len(lines[line])}
        change = {"range": {"start": end, "end": end}, "text": f"  # edit {version}"}
        document = {"uri": uri, "version": version}
        started = time.perf_counter()
        client.notify(
            "textDocument/didChange", {"textDocument": document, "contentChanges": [change]}
        )
        await probe.wait()
        timings.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)
        probe.arrived.clear()
    await client.close()
    return timings


def _edit_lines(text: str, count: int) -> list[int]:
    """``count`` lines holding a ``return`` statement, spread over the whole file."""
    lines = [i for i, line in enumerate(text.splitlines()) if line.strip().startswith("return ")]
    step = max(1, len(lines) // count)
    return lines[::step][:count]


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    options = parser.parse_args()
    results: dict[str, tuple[float, float]] = {}
    print(
        f"file: {SOURCE.name} ({len(SOURCE.read_text().splitlines())} lines), {options.edits} edits"
    )
    for server in servers():
        with tempfile.TemporaryDirectory() as folder:
            workspace = Path(folder)
            (workspace / ".git").mkdir()
            (workspace / "ruff.toml").write_text('[lint]\nselect = ["C901", "F"]\n')
            shutil.copy(SOURCE, workspace / "_pydecimal.py")
            timings = await measure(server, workspace, options.edits)
        p50, p95 = _percentile(timings, 50) * 1000, _percentile(timings, 95) * 1000
        results[server.name] = (p50, p95)
        print(f"{server.name:12s} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms")
    accord = results["accord lsp"][0]
    ruff, pylsp = results["ruff server"][0], results["pylsp"][0]
    print(f"accord p50 / ruff server p50 = {accord / ruff:.2f}x  (goal <= 1.5x)")
    print(f"pylsp p50 / accord p50 = {pylsp / accord:.1f}x faster  (goal >= 10x)")


if __name__ == "__main__":
    asyncio.run(main())
