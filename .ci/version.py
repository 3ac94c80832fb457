"""Set the product's version everywhere it is carried: ``python .ci/version.py 0.2.0``.

The one source is ``accord/__init__.py``'s ``__version__`` (the package's version, read by
setuptools); the VS Code extension (package.json and its lock file), the LSP4IJ installer
(``editors/jetbrains/installer.json``: its version and the wheel it installs) and the Neovim plugin
(``lua/accord/version.lua``) carry copies, which ``tests/test_release.py`` checks agree. Without an
argument it prints where each copy is and what it says. Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = r"\d+(?:\.\d+)*(?:[a-z0-9.+-]*)?"

#: Each copy: its file, and a pattern whose one group is the version there.
CARRIERS = (
    ("accord/__init__.py", rf'^__version__ = "({VERSION})"$'),
    ("editors/vscode/package.json", rf'^  "version": "({VERSION})",$'),
    ("editors/vscode/package-lock.json", rf'^  "name": "accord",\n  "version": "({VERSION})",$'),
    (
        "editors/vscode/package-lock.json",
        rf'^      "name": "accord",\n      "version": "({VERSION})",$',
    ),
    ("editors/jetbrains/installer.json", rf'^    "version": "({VERSION})",$'),
    ("editors/jetbrains/installer.json", rf"accord-({VERSION})-py3-none-any\.whl"),
    ("editors/neovim/lua/accord/version.lua", rf'^M\.version = "({VERSION})"$'),
    # The install instructions name the release's files.
    *(
        (readme, rf"accord-({VERSION})-py3-none-any\.whl")
        for readme in ("README.md", "editors/vscode/README.md", "editors/jetbrains/README.md")
    ),
    *(
        (readme, rf"accord-({VERSION})\.vsix")
        for readme in ("README.md", "editors/vscode/README.md")
    ),
    ("README.md", rf"git checkout v({VERSION})`"),
    ("README.md", rf"# accord ({VERSION})$"),
)


def versions(root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """Each copy's file and the versions its pattern finds there (one, when all is well)."""
    return [
        (name, re.findall(pattern, (root / name).read_text("utf-8"), re.MULTILINE))
        for name, pattern in CARRIERS
    ]


def set_version(version: str, root: Path = ROOT) -> None:
    """Write ``version`` into every copy."""
    if not re.fullmatch(VERSION, version):
        raise SystemExit(f"not a version: {version!r}")

    def replace(match: re.Match[str]) -> str:
        whole, offset = match.group(0), match.start(0)
        start, end = match.span(1)
        return whole[: start - offset] + version + whole[end - offset :]

    for name, pattern in CARRIERS:
        path = root / name
        text = path.read_text("utf-8")
        path.write_text(re.sub(pattern, replace, text, flags=re.MULTILINE), "utf-8")


def main(argv: list[str]) -> int:
    if argv:
        set_version(argv[0])
    for name, found in versions():
        print(f"{name}: {', '.join(found) or 'NONE'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
