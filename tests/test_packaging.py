"""The distribution installs one import namespace, ``accord``, with its data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_only_the_accord_namespace(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("accord-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"accord"}
    assert "accord/analyzers/languages.toml" in names
    assert "accord/server/app.py" in names
    assert "accord/cli.py" in names
    for folder, package in {
        "core": "accord",
        "analyzers": "accord/analyzers",
        "server": "accord/server",
    }.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            inside = init.relative_to(ROOT / folder).as_posix()
            assert f"{package}/{inside}" in names, f"{folder}/{inside} is not packaged"
    queries = [name for name in names if name.endswith(".scm")]
    sources = list((ROOT / "analyzers" / "queries").glob("*/*.scm"))
    assert len(queries) == len(sources)
