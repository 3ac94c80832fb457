"""The release artefacts: the wheel installs one import namespace, ``accord``, with its data files;
installed in a fresh virtualenv it passes a smoke run (``accord --version``, ``check``, ``lsp``,
``demo``); and the LSP4IJ installer's own commands install it from its file URL pinned by SHA-256,
in a temporary home, without the network.

The wheel is ``$ACCORD_WHEEL`` when set (``.ci/run`` builds the artefacts with
``.ci/artefacts.py`` and checks those), else one built here with ``python -m build``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from accord import __version__
from tests.server.lsp import VSCODE, editor_client, initialize_params, open_doc

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_only_the_accord_namespace(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "absent from the `packages` configuration" not in built.stdout + built.stderr
    [wheel] = tmp_path.glob("accord-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"accord"}
    assert "accord/analyzers/languages.toml" in names
    assert "accord/server/app.py" in names
    assert "accord/cli/__init__.py" in names
    mapped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"
    ]
    for name, folder in mapped.items():
        package = name.replace(".", "/")
        for init in (ROOT / folder).rglob("__init__.py"):
            inside = init.relative_to(ROOT / folder).as_posix()
            assert f"{package}/{inside}" in names, f"{folder}/{inside} is not packaged"
    # Every file the repository keeps in a packaged folder is shipped (data files included).
    for name, folder in mapped.items():
        if name == "accord.examples":
            folder = f"{folder}/sample-project"
        tracked = subprocess.run(
            ["git", "ls-files", "--", folder], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        package = name.replace(".", "/")
        shipped = {
            f"{package}/{Path(path).relative_to(mapped[name]).as_posix()}" for path in tracked
        }
        assert tracked and shipped <= set(names), sorted(shipped - set(names))
    for data in ("analyzers/queries", "codegen/templates"):
        sources = [p for p in (ROOT / data).rglob("*") if p.is_file()]
        shipped = {f"accord/{p.relative_to(ROOT).as_posix()}" for p in sources}
        assert sources and shipped <= set(names), shipped - set(names)


def release_epoch() -> str:
    """``SOURCE_DATE_EPOCH`` as .ci/artefacts.py sets it: the commit that last set the version."""
    return subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", "accord/__init__.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def build_wheel(where: Path) -> Path:
    """A wheel built from the tree into ``where`` as a release builds it."""
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(where), str(ROOT)]
    env = dict(os.environ, SOURCE_DATE_EPOCH=release_epoch())
    subprocess.run(build, check=True, capture_output=True, env=env)
    [built] = where.glob("accord-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release wheel: ``$ACCORD_WHEEL`` (built by .ci/run), else built here."""
    if given := os.environ.get("ACCORD_WHEEL"):
        return Path(given).resolve()
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_the_wheel_is_reproducible(wheel: Path, tmp_path: Path) -> None:
    """Built again from the same tree, byte for byte the same wheel: anyone can check a
    published SHA-256 against their own build of the tag (docs/release.md). In .ci/run the first
    wheel was built from the sdist, so this also shows the sdist holds everything."""
    again = build_wheel(tmp_path)

    assert again.name == wheel.name
    assert (
        hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(wheel.read_bytes()).digest()
    )


def link_dependencies(python: Path) -> None:
    """Let the virtualenv of ``python`` see this interpreter's site-packages (a .pth file), so
    Accord's dependencies are already there and nothing is downloaded."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed (its dependencies linked): its python."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    link_dependencies(python)
    return python


def test_the_wheel_carries_the_products_version(wheel: Path) -> None:
    assert wheel.name == f"accord-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"accord-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata


def test_the_installed_wheel_passes_the_smoke_run(installed: Path, tmp_path: Path) -> None:
    """``accord --version``, ``accord check`` on the sample project and ``accord demo``, run from
    the virtualenv's own ``accord`` script outside the checkout; the time is printed."""
    accord = str(installed.parent / "accord")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    started = time.perf_counter()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [accord, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
        )

    version = run("--version")
    checked = time.perf_counter()
    check = run("check", str(ROOT / "examples" / "sample-project"), "--no-cache")
    demoed = time.perf_counter()
    demo = run("demo")
    ended = time.perf_counter()
    print(
        f"\nsmoke run of the installed wheel: {ended - started:.1f} s (--version "
        f"{checked - started:.1f} s, check {demoed - checked:.1f} s, demo {ended - demoed:.1f} s)"
    )

    assert version.returncode == 0 and version.stdout.strip() == f"accord {__version__}"
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Found 14 findings (3 errors, 10 warnings, 1 info)" in check.stdout
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "verified" in demo.stdout and "ghp_" not in demo.stdout.split("audit trail")[-1]


INSTALLER = ROOT / "editors" / "jetbrains" / "installer.json"


def installer_commands(home: Path, package: str) -> dict[str, list[str]]:
    """The installer's commands for this OS, with its properties substituted as LSP4IJ does
    (``$USER_HOME$`` is the home; ``package`` replaces the ``package`` property's value, as a
    user pointing it at a copy of the release wheel would)."""
    installer = json.loads(INSTALLER.read_text("utf-8"))
    properties = installer["properties"] | {"package": package}
    properties = {k: v.replace("$USER_HOME$", str(home)) for k, v in properties.items()}
    venv = installer["run"]["exec"]
    pip = venv["onSuccess"]["exec"]
    steps = {
        "venv": venv["command"],
        "pip": pip["command"],
        "configure": pip["onSuccess"]["configureServer"]["command"],
        "check": installer["check"]["exec"]["command"],
    }
    commands = {}
    for name, by_os in steps.items():
        command = by_os["windows" if sys.platform == "win32" else "default"]
        for key, value in properties.items():
            command = command.replace("${" + key + "}", value)
        commands[name] = shlex.split(command)
    return commands


def run_installer(home: Path, package: str) -> dict[str, subprocess.CompletedProcess[str]]:
    """The installer's steps in order, in a temporary home without the network (pip may not use
    an index; Accord's dependencies are linked into the new virtualenv before pip runs)."""
    env = {
        "HOME": str(home),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
    }
    commands = installer_commands(home, package)
    done = {}
    for step in ("venv", "pip", "check"):
        done[step] = subprocess.run(
            commands[step], env=env, capture_output=True, text=True, timeout=300
        )
        if done[step].returncode != 0:
            break
        if step == "venv":
            link_dependencies(Path(commands["venv"][-1]) / "bin" / "python")
    return done


def test_the_jetbrains_installer_installs_the_pinned_wheel(wheel: Path, tmp_path: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()

    done = run_installer(tmp_path, f"{wheel.as_uri()}#sha256={digest}")

    assert all(step.returncode == 0 for step in done.values()), {
        name: step.stdout + step.stderr for name, step in done.items()
    }
    assert done["check"].stdout.strip() == f"accord {__version__}"
    accord, subcommand = installer_commands(tmp_path, "")["configure"]
    assert Path(accord).is_file() and subcommand == "lsp"
    assert Path(accord).is_relative_to(tmp_path / ".lsp4ij" / "lsp" / "accord" / "venv")


def test_the_jetbrains_installer_refuses_a_wheel_that_is_not_the_pinned_one(
    wheel: Path, tmp_path: Path
) -> None:
    other = "0" * 64

    done = run_installer(tmp_path, f"{wheel.as_uri()}#sha256={other}")

    assert done["pip"].returncode != 0 and "check" not in done
    assert "DO NOT MATCH THE HASHES" in done["pip"].stderr
    assert not list((tmp_path / ".lsp4ij").rglob("accord/__init__.py"))


async def test_an_installed_wheel_links_each_diagnostic_to_its_rule(
    installed: Path, tmp_path: Path
) -> None:
    client = editor_client()
    await client.start_io(str(installed), "-m", "accord", "lsp", cwd=str(tmp_path))
    try:
        result = await client.initialize_session(initialize_params(tmp_path, VSCODE))
        assert result.server_info is not None
        assert (result.server_info.name, result.server_info.version) == ("accord", __version__)
        text = 'GITHUB_TOKEN = "ghp_R8x2mQ7vL4nK9pT3wZ6yH1cJ5bF0dS8aE2gU"\n'
        _, diagnostics = await open_doc(client, tmp_path, "settings.py", text, "python")
        [finding] = [d for d in diagnostics if d.code == "ACC003"]
        assert finding.code_description is not None
        href = finding.code_description.href
        path, anchor = href.removeprefix("file://").split("#")
        assert Path(path).is_file() and "site-packages/accord/analyzers/rules" in path
        assert "## ACC003" in Path(path).read_text("utf-8") and anchor.startswith("acc003")
    finally:
        await client.shutdown_session()
