"""The distribution installs one import namespace, ``accord``, with its data files."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

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
    for data in ("analyzers/queries", "codegen/templates"):
        sources = [p for p in (ROOT / data).rglob("*") if p.is_file()]
        shipped = {f"accord/{p.relative_to(ROOT).as_posix()}" for p in sources}
        assert sources and shipped <= set(names), shipped - set(names)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the built wheel installed (its dependencies seen through a .pth
    file naming this interpreter's site-packages, so nothing is downloaded): its python."""
    where = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = where.glob("accord-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


async def test_an_installed_wheel_links_each_diagnostic_to_its_rule(
    installed: Path, tmp_path: Path
) -> None:
    client = editor_client()
    await client.start_io(str(installed), "-m", "accord", "lsp", cwd=str(tmp_path))
    try:
        await client.initialize_session(initialize_params(tmp_path, VSCODE))
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
