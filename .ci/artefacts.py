"""Build the release artefacts into ``dist/``: ``python .ci/artefacts.py [--pin] [--no-vsix]``.

- the wheel and the sdist (``python -m build``), with ``SOURCE_DATE_EPOCH`` set to the time of
  the commit that set the version, so the wheel is byte for byte the same on every build of a
  clean checkout of the release;
- ``accord-<version>.vsix`` (the extension's ``npm ci`` and ``npm run package``), unless
  ``--no-vsix`` or npm is missing (then it says so);
- ``dist/SHA256SUMS`` (``sha256sum -c`` reads it), printed too.

``--pin`` writes the wheel's file name and SHA-256 into the LSP4IJ installer's ``package``
(``editors/jetbrains/installer.json``), the release step of docs/release.md. Standard library only
(``build`` comes with the ``test`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "editors" / "jetbrains" / "installer.json"
EXTENSION = ROOT / "editors" / "vscode"


def sha256(path: Path) -> str:
    """The file's SHA-256, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def commit_time() -> str:
    """The time (seconds since the epoch) of the last commit that set the version, or "": the
    build's timestamps. Not HEAD's: pinning the installer is a later commit, and the wheel
    rebuilt from the release's tag must still be byte for byte the one pinned."""
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", "accord/__init__.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else ""


def build_python(dist: Path) -> list[Path]:
    """The wheel and the sdist, built from the tree into ``dist`` (replacing older ones)."""
    env = dict(os.environ)
    if epoch := commit_time():
        env["SOURCE_DATE_EPOCH"] = epoch
    with tempfile.TemporaryDirectory() as out:
        build = [sys.executable, "-m", "build", "--outdir", out, str(ROOT)]
        subprocess.run(build, check=True, env=env, stdout=subprocess.DEVNULL)
        built = sorted(Path(out).iterdir())
        for path in built:
            shutil.move(path, dist / path.name)
    return [dist / path.name for path in built]


def build_vsix(dist: Path, version: str) -> Path | None:
    """The extension's .vsix, or None (and why) when npm is missing."""
    npm = shutil.which("npm")
    if npm is None:
        print("no npm: the .vsix is not built", file=sys.stderr)
        return None
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=EXTENSION, check=True)
    subprocess.run([npm, "run", "--silent", "package"], cwd=EXTENSION, check=True)
    target = dist / f"accord-{version}.vsix"
    shutil.copyfile(EXTENSION / "accord.vsix", target)
    return target


def pin(wheel: Path) -> None:
    """Point the LSP4IJ installer's ``package`` at ``wheel``'s file name and SHA-256."""
    text = INSTALLER.read_text("utf-8")
    pinned = f"{wheel.name}#sha256={sha256(wheel)}"
    new, count = re.subn(r"accord-[^/#\"]+\.whl#sha256=[0-9a-f]{64}", pinned, text)
    if count != 1:
        raise SystemExit(f"{INSTALLER}: no package naming accord-….whl#sha256=… to pin")
    INSTALLER.write_text(new, "utf-8")
    print(f"pinned {INSTALLER.relative_to(ROOT)}: {pinned}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--pin", action="store_true", help="pin the installer to the wheel")
    parser.add_argument("--no-vsix", action="store_true", help="leave the .vsix out")
    options = parser.parse_args(argv)
    dist: Path = options.dist.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    built = build_python(dist)
    [wheel] = [path for path in built if path.suffix == ".whl"]
    version = wheel.name.split("-")[1]
    if not options.no_vsix and (vsix := build_vsix(dist, version)) is not None:
        manifest = json.loads((EXTENSION / "package.json").read_text("utf-8"))
        if manifest["version"] != version:
            raise SystemExit(f"the extension is {manifest['version']}, the wheel {version}")
        built.append(vsix)
    sums = "".join(f"{sha256(path)}  {path.name}\n" for path in sorted(built))
    (dist / "SHA256SUMS").write_text(sums, "utf-8")
    print(sums, end="")
    if options.pin:
        pin(wheel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
