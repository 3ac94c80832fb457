"""One version for the whole product: ``accord/__init__.py``'s ``__version__`` is the package's
version (setuptools reads it), and every other part carries the same one. ``.ci/version.py X.Y.Z``
sets them all (docs/release.md); this test says which copy disagrees.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from accord import __version__
from tests.server.lsp import VSCODE, editor_client, initialize_params

ROOT = Path(__file__).resolve().parents[1]
NEOVIM = ROOT / "editors" / "neovim" / "lua" / "accord" / "version.lua"


def parts(version: str) -> tuple[int, ...]:
    found = re.match(r"\d+(?:\.\d+)*", version)
    assert found, version
    return tuple(int(part) for part in found[0].split("."))


def lua_string(path: Path, name: str) -> str:
    """The string a Lua file assigns to ``M.<name>``."""
    [value] = re.findall(rf'^M\.{name} = "([^"]+)"$', path.read_text("utf-8"), re.MULTILINE)
    return str(value)


def carried(root: Path) -> dict[str, str]:
    """Every part of the product under ``root`` and the version it carries."""
    package = (root / "editors/vscode/package.json").read_text("utf-8")
    lock = json.loads((root / "editors/vscode/package-lock.json").read_text("utf-8"))
    installer = json.loads((root / "editors/jetbrains/installer.json").read_text("utf-8"))
    [wheel] = re.findall(r"accord-([^-]+)-py3-none-any\.whl", installer["properties"]["package"])
    init = (root / "accord/__init__.py").read_text("utf-8")
    return {
        "accord/__init__.py": re.findall(r'^__version__ = "(.+)"$', init, re.MULTILINE)[0],
        "the VS Code extension": json.loads(package)["version"],
        "its lock file": lock["version"],
        "its lock file's root package": lock["packages"][""]["version"],
        "the LSP4IJ installer": installer["properties"]["version"],
        "the wheel the LSP4IJ installer installs": wheel,
        "the Neovim plugin": lua_string(root / NEOVIM.relative_to(ROOT), "version"),
    } | {
        f"{readme}, {file} (mention {number})": version
        for readme in ("README.md", "editors/vscode/README.md", "editors/jetbrains/README.md")
        for number, (file, version) in enumerate(release_files((root / readme).read_text("utf-8")))
    }


def release_files(text: str) -> list[tuple[str, str]]:
    """The release files a text names (wheel, .vsix, tag) and the version each carries."""
    pattern = r"accord-(\d[^-\s]*?)-py3-none-any\.whl|accord-(\d[^\s]*?)\.vsix|checkout v(\d\S*)`"
    return [
        (match[0], next(group for group in match.groups() if group))
        for match in re.finditer(pattern, text)
    ]


def test_every_part_of_the_product_carries_one_version() -> None:
    versions = carried(ROOT)

    assert set(versions.values()) == {__version__}, versions
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "accord.__version__"}


def test_each_clients_minimum_server_is_a_released_version_no_newer_than_the_product() -> None:
    manifest = json.loads((ROOT / "editors/vscode/package.json").read_text("utf-8"))
    minimums = {
        "VS Code": manifest["accord"]["minimumServerVersion"],
        "Neovim": lua_string(NEOVIM, "minimum_server"),
    }
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    for client, minimum in minimums.items():
        assert parts(minimum) <= parts(__version__), (client, minimum)
        assert f"## [{minimum}] - " in changelog, f"{client}'s minimum {minimum} was never released"


def test_the_changelog_has_an_unreleased_section_and_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)

    assert headings[0] == "Unreleased" and __version__ in headings
    assert re.search(
        rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M
    )


def test_the_version_script_sets_every_copy(tmp_path: Path) -> None:
    for name in (
        "accord/__init__.py",
        "editors/vscode/package.json",
        "editors/vscode/package-lock.json",
        "editors/jetbrains/installer.json",
        "editors/neovim/lua/accord/version.lua",
        "README.md",
        "editors/vscode/README.md",
        "editors/jetbrains/README.md",
        ".ci/version.py",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, tmp_path / name)

    done = subprocess.run(
        [sys.executable, str(tmp_path / ".ci/version.py"), "12.3.4"],
        capture_output=True,
        text=True,
        check=True,
    )

    assert set(carried(tmp_path).values()) == {"12.3.4"}, carried(tmp_path)
    assert "NONE" not in done.stdout and all("12.3.4" in line for line in done.stdout.splitlines())
    lock = json.loads((tmp_path / "editors/vscode/package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/vscode-languageclient"]["version"] != "12.3.4"


def test_accord_version_prints_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"accord {__version__}"


@pytest.mark.asyncio
async def test_initialize_answers_with_the_servers_name_and_version(tmp_path: Path) -> None:
    client = editor_client()
    await client.start_io(sys.executable, "-m", "accord", "lsp", cwd=str(tmp_path))
    try:
        result = await client.initialize_session(initialize_params(tmp_path, VSCODE))
        assert result.server_info is not None
        assert (result.server_info.name, result.server_info.version) == ("accord", __version__)
    finally:
        await client.shutdown_session()


#: ``accord`` by name, with or without extras and a version: what the index would resolve.
BY_NAME = re.compile(r"^accord(\[[^\]]*\])?([=<>~!]=?\S*)?$")


def installs_by_name(line: str) -> bool:
    """Whether a line tells pip to install ``accord`` by name (from whoever holds the name)."""
    _, _, command = line.partition("pip install")
    words = [word.strip("\"'`;,()") for word in command.split()]
    return any(BY_NAME.match(word) for word in words) and "@" not in words


def test_no_install_path_takes_accord_from_the_index_by_name() -> None:
    """Until the name is the project's (docs/release.md), every install instruction and the
    installer take the release's wheel pinned by SHA-256, or a checkout; a line that warns
    against installing by name ("never ...") is not an instruction."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    suffixes = {".md", ".json", ".lua", ".ts", ".py", ".el", ".toml", ".yaml", ".sh", ".mjs"}
    offenders = [
        f"{name}:{number}: {line.strip()}"
        for name in tracked
        if Path(name).suffix in suffixes and not name.startswith(("tests/", "docs/release.md"))
        for number, line in enumerate((ROOT / name).read_text("utf-8").splitlines(), 1)
        if "pip install" in line and "never" not in line and installs_by_name(line)
    ]

    assert offenders == []
    assert installs_by_name("pip install --upgrade accord")
    assert installs_by_name("run `pip install 'accord[litellm]'`")
    assert not installs_by_name('pip install "accord @ file:///w.whl#sha256=00"')
    assert not installs_by_name("pip install accord-0.1.0-py3-none-any.whl")


def test_the_installer_names_the_release_wheel_pinned_by_its_hash() -> None:
    """The committed installer installs a file named for this version, pinned by a SHA-256
    (all zeros until docs/release.md's pin step writes the release's), never a bare name."""
    package = json.loads((ROOT / "editors/jetbrains/installer.json").read_text("utf-8"))[
        "properties"
    ]["package"]
    location, _, digest = package.partition("#sha256=")
    assert location.endswith(f"/accord-{__version__}-py3-none-any.whl"), package
    assert len(digest) == 64 and set(digest) <= set("0123456789abcdef"), package
