"""TypeScript to JavaScript with the project's own compiler, so Node can run it.

The compiler is the ``typescript`` package in the project's ``node_modules`` (the nearest one
above the file, up to the project root); only its ``transpileModule`` is used (types are
erased, nothing is type-checked), to an ES module. Without it no TypeScript test is proposed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from accord.agents.exceptions import ActionFailed

from .node_runner import node
from .sandbox import run_sandboxed

__all__ = ["compiler_of", "to_javascript"]

SECONDS = 60.0
_SCRIPT = """
const ts = require(process.argv[1]);
const text = require("node:fs").readFileSync(process.argv[2], "utf8");
const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
process.stdout.write(ts.transpileModule(text, { compilerOptions: options }).outputText);
"""


def compiler_of(path: Path, root: Path) -> Path | None:
    """The project's ``typescript`` compiler module, if it has one installed."""
    for folder in (path.parent, *path.parents):
        found = folder / "node_modules" / "typescript" / "lib" / "typescript.js"
        if found.is_file():
            return found
        if folder == root:
            break
    return None


def to_javascript(source: str, path: Path, root: Path) -> str:
    """``source`` with its types erased, as an ES module.

    Raises:
        ActionFailed: no Node, no ``typescript`` in the project, or the compiler failed.
    """
    executable, compiler = node(), compiler_of(path, root)
    if executable is None:
        raise ActionFailed("no test can be run: Node is not on the PATH")
    if compiler is None:
        raise ActionFailed(
            "no test can be run: the project has no TypeScript compiler (npm install typescript)"
        )
    with tempfile.TemporaryDirectory(prefix="accord-ts-") as folder:
        file = Path(folder) / "subject.ts"
        file.write_text(source, "utf-8")
        outcome = run_sandboxed([executable, "-e", _SCRIPT, str(compiler), str(file)], SECONDS)
    if outcome.returncode != 0 or outcome.timed_out:
        last = (outcome.stderr.strip().splitlines() or ["it printed nothing"])[-1]
        raise ActionFailed(f"the TypeScript compiler failed: {last[:200]}")
    return outcome.stdout
