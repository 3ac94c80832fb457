"""The result cache of ``accord check``: a cached run reports exactly what a fresh run reports,
and a changed file, setting or version, or a cache not sealed by this user, is not used."""

from __future__ import annotations

import pickle
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.check import prepare, run
from accord.check.cache import CACHE_DIR, ResultCache, code_digest, content_digest
from accord.check.discovery import discover
from accord.check.model import CheckReport
from accord.check.runner import analyse_all

from .helpers import Project, accord

STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODULES = ("fractions.py", "colorsys.py", "bisect.py")


@pytest.fixture
def stdlib_project(project: Project) -> Path:
    """Three stdlib modules, one of them twice (so ACC002 has duplicates to find)."""
    files = {name: (STDLIB / name).read_text("utf-8") for name in MODULES}
    files["copy_of_colorsys.py"] = files["colorsys.py"]
    return project(files)


def _report(root: Path, cache: bool = True, *overrides: str) -> CheckReport:
    return run(prepare([str(root)], overrides, workers=1, cache=cache))


def _cache_hits(root: Path, *overrides: str) -> int:
    request = prepare([str(root)], overrides, workers=1)
    cache = ResultCache(request.root, request.settings)
    files, _ = discover(request.paths, request.root, request.settings)
    analyse_all(files, request.settings, 1, cache=cache)
    return cache.hits


def test_a_cached_run_reports_what_a_fresh_run_reports(stdlib_project: Path) -> None:
    first = _report(stdlib_project)
    assert (stdlib_project / CACHE_DIR / ".gitignore").exists()
    assert _cache_hits(stdlib_project) == len(MODULES) + 1
    fresh = _report(stdlib_project, cache=False)
    assert _report(stdlib_project) == first == fresh
    assert any(finding.code == "ACC002" for finding in fresh.findings)


def test_a_changed_file_is_analysed_again(stdlib_project: Path) -> None:
    _report(stdlib_project)
    path = stdlib_project / "colorsys.py"
    path.write_text(path.read_text("utf-8").replace("def ", "def  ", 1), "utf-8")
    assert _cache_hits(stdlib_project) == len(MODULES)
    assert _report(stdlib_project) == _report(stdlib_project, cache=False)


def test_a_changed_setting_or_version_misses(stdlib_project: Path) -> None:
    _report(stdlib_project)
    assert _cache_hits(stdlib_project, "complexity.threshold=2") == 0
    strict = _report(stdlib_project, True, "complexity.threshold=2")
    assert strict == _report(stdlib_project, False, "complexity.threshold=2")
    assert strict != _report(stdlib_project)
    request = prepare([str(stdlib_project)])
    data = (stdlib_project / "bisect.py").read_bytes()
    assert ResultCache(request.root, request.settings).get("bisect.py", content_digest(data))
    other = ResultCache(request.root, request.settings, version="999.0")
    assert other.get("bisect.py", content_digest(data)) is None


class _Tripwire:
    """Unpickling this touches ``marker``: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return Path.touch, (self.marker,)


def test_a_cache_not_sealed_by_this_user_is_never_unpickled(
    stdlib_project: Path, tmp_path: Path
) -> None:
    first = _report(stdlib_project)
    request = prepare([str(stdlib_project)])
    path = ResultCache(request.root, request.settings).path
    marker = tmp_path / "unpickled"
    path.write_bytes(b"\0" * 32 + pickle.dumps(_Tripwire(marker)))
    assert _report(stdlib_project) == first
    assert not marker.exists()
    assert path.read_bytes() != b"\0" * 32 + pickle.dumps(_Tripwire(marker))  # rewritten


def test_no_cache_leaves_no_cache_behind(stdlib_project: Path) -> None:
    done = accord("check", "--no-cache", "--exit-zero", ".", cwd=stdlib_project)
    assert done.returncode == 0, done.stderr
    assert "ACC002" in done.stdout
    assert not (stdlib_project / ".accord").exists()
    accord("check", "--exit-zero", ".", cwd=stdlib_project)
    assert (stdlib_project / CACHE_DIR).is_dir()


FRAGMENTS = ["\n", "    ", "x = 1\n", "def f(a):\n    if a:\n        return 1\n", "(", "# c", "é"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_edits_between_runs_match_a_fresh_check(stdlib_project: Path, data: st.DataObject) -> None:
    """Differential: after random edits to the files between runs, the cached run's report
    equals an uncached one. Each example starts from the original files; the cache carries
    over from earlier examples, stale entries included."""
    for name in MODULES:
        (stdlib_project / name).write_bytes((STDLIB / name).read_bytes())
    (stdlib_project / "copy_of_colorsys.py").write_bytes((STDLIB / "colorsys.py").read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(["copy_of_colorsys.py", *MODULES]))
        path = stdlib_project / name
        text = path.read_text("utf-8")
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 60)))
        new = data.draw(st.lists(st.sampled_from(FRAGMENTS), max_size=3).map("".join))
        path.write_text(text[:start] + new + text[end:], "utf-8")
        assert _report(stdlib_project) == _report(stdlib_project, cache=False)


def test_a_changed_analyser_misses(stdlib_project: Path, tmp_path: Path) -> None:
    """A development checkout changes a rule without changing the version: the cache misses."""
    _report(stdlib_project)
    request = prepare([str(stdlib_project)])
    data = (stdlib_project / "bisect.py").read_bytes()
    rules = tmp_path / "analyzers"
    rules.mkdir()
    (rules / "rule.scm").write_text("(call) @call\n")
    before = code_digest([rules])
    assert ResultCache(request.root, request.settings).get("bisect.py", content_digest(data))
    (rules / "rule.scm").write_text("(call function: (identifier)) @call\n")
    after = code_digest([rules])
    assert before != after
    stale = ResultCache(request.root, request.settings, code=after)
    assert stale.get("bisect.py", content_digest(data)) is None


CONFIG_RUN = """
import sys
from accord.check import prepare, run
report = run(prepare([sys.argv[1]], workers=1))
print(sorted(f.value for f in report.findings if f.code == "ACC001"), "pydantic" in sys.modules)
"""


def _run_in_new_process(root: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CONFIG_RUN, str(root)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_settings_files_are_validated_once_until_they_change(stdlib_project: Path) -> None:
    """Validating settings imports pydantic, which costs more than a warm run: a second run
    with the same settings files takes the validated settings from the cache."""
    (stdlib_project / "accord.toml").write_text("[complexity]\nthreshold = 3\n", "utf-8")
    first = _run_in_new_process(stdlib_project)
    assert first.endswith("True") and first.startswith("[4, ")
    assert _run_in_new_process(stdlib_project) == first.replace("True", "False")
    (stdlib_project / "accord.toml").write_text("[complexity]\nthreshold = 5\n", "utf-8")
    changed = _run_in_new_process(stdlib_project)
    assert changed.endswith("True") and changed.startswith("[6, ")
    assert _report(stdlib_project) == _report(stdlib_project, cache=False)


def test_a_forged_settings_cache_is_never_unpickled(stdlib_project: Path, tmp_path: Path) -> None:
    (stdlib_project / "accord.toml").write_text("[complexity]\nthreshold = 3\n", "utf-8")
    first = _report(stdlib_project)
    marker = tmp_path / "unpickled"
    [path] = (stdlib_project / CACHE_DIR).glob("*/settings-*")
    path.write_bytes(b"\0" * 32 + pickle.dumps(_Tripwire(marker)))
    assert _report(stdlib_project) == first
    assert not marker.exists()


def test_defaults_and_an_empty_settings_file_import_no_validator(stdlib_project: Path) -> None:
    assert _run_in_new_process(stdlib_project).endswith("False")
