"""Agreement of ACC003 and ACC004 with the specialist tools a security-minded team runs.

Printed, each with the goal of issue 18:

- ACC003 recall on the secrets corpus rebuilt from detect-secrets' and gitleaks' public
  fixtures (``tests/analyzers/secret_corpus.py``), per source, and on its configuration files;
- ACC003 findings per 10k lines of clean installed code (the standard library and
  site-packages; every finding there is a false positive);
- ACC004: the share of bandit's shell and SQL alerts (B602, B604, B605, B608, B610, B611) on
  bandit's own examples whose argument is computed that ACC004 reports on the same lines, and
  how many alerts each tool raises on clean code (the standard library).

bandit's examples come from its source distribution on PyPI (``pip download``), kept in a
cache folder; bandit itself must be installed (``pip install bandit``).

    python benchmarks/peer_agreement.py [--lines 520000] [--cache .cache/peer]
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from accord.check.analysis import analyse  # noqa: E402
from accord.config import Settings  # noqa: E402
from tests.analyzers.secret_corpus import (  # noqa: E402
    CONFIG_FORMATS,
    FIXTURES,
    clean_files,
    false_positives,
    found_in,
)

BANDIT_TESTS = "B602,B604,B605,B608,B610,B611"
# On clean code, bandit's tests of every sink ACC004 knows in Python (eval, exec too).
CLEAN_TESTS = BANDIT_TESTS + ",B102,B307"
SHELL = {"B602", "B604", "B605"}
# str methods that build text from a literal: a call of one on literals only is literal.
_STR_METHODS = {"format", "join", "replace", "strip", "lower", "upper"}


def secrets_recall() -> list[tuple[str, int, int]]:
    """(source, found, positives) per corpus source, then for the configuration files."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        hits = {
            f.id + str(i): found_in(f, Path(folder) / str(i)) > 0
            for i, f in enumerate(FIXTURES)
            if f.positive
        }
        positives = [(f.id + str(i), f) for i, f in enumerate(FIXTURES) if f.positive]
        for source in ("detect-secrets", "gitleaks"):
            chosen = [key for key, f in positives if f.source == source]
            rows.append((source, sum(hits[k] for k in chosen), len(chosen)))
        configs = [key for key, f in positives if f.family in CONFIG_FORMATS]
        rows.append(("config files", sum(hits[k] for k in configs), len(configs)))
    return rows


def secrets_false_positives(lines: int) -> tuple[int, int]:
    paths = sysconfig.get_paths()
    files = clean_files([Path(paths["stdlib"]), Path(paths["purelib"])], lines)
    counted, found = false_positives(files)
    return counted, len(found)


def bandit_examples(cache: Path) -> Path:
    """bandit's ``examples/`` folder, from its source distribution on PyPI."""
    import bandit  # noqa: F401 - bandit must be installed

    version = _bandit_version()
    folder = cache / f"bandit-{version}"
    if not (folder / "examples").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", f"bandit=={version}",
             "--no-binary", ":all:", "--no-deps", "-d", str(cache)],
            check=True,
        )  # fmt: skip
        with tarfile.open(cache / f"bandit-{version}.tar.gz") as archive:
            archive.extractall(cache, filter="data")
    return folder / "examples"


def _bandit_version() -> str:
    from importlib.metadata import version

    return version("bandit")


def bandit_alerts(target: Path, *files: Path, tests: str = BANDIT_TESTS) -> list[dict[str, object]]:
    command = [str(Path(sys.executable).parent / "bandit"), "-q", "-f", "json", "-t", tests]
    command += ["-r", str(target)] if not files else [str(f) for f in files]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    results: list[dict[str, object]] = json.loads(done.stdout or "{}").get("results", [])
    return results


def computed(alert: dict[str, object]) -> bool:
    """Whether the argument bandit flags holds a computed value (a name, an attribute or a call
    other than a str method on literals), read with ``ast`` from the alert's lines."""
    path = Path(str(alert["filename"]))
    try:
        tree = ast.parse(path.read_text("utf-8", errors="replace"))
    except SyntaxError:
        return True
    test = str(alert["test_id"])
    lines = alert["line_range"]
    assert isinstance(lines, list)
    if test == "B608":
        where = (alert["line_number"], alert["col_offset"])
        for node in ast.walk(tree):
            if isinstance(node, ast.expr) and (node.lineno, node.col_offset) == where:
                return _holds_value(node)
        return True
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.lineno <= max(lines)
        and node.end_lineno
        and node.end_lineno >= min(lines)
        and _sink_name(node, test)
    ]
    for call in calls:
        argument = _flagged_argument(call, test)
        return argument is not None and _holds_value(argument)
    return True


def _sink_name(call: ast.Call, test: str) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if test == "B610":
        return name == "extra"
    if test == "B611":
        return name == "RawSQL"
    return name not in ("print", "read")


def _flagged_argument(call: ast.Call, test: str) -> ast.AST | None:
    if test in ("B610",):
        values = [*call.args, *(k.value for k in call.keywords if k.arg != "params")]
        return ast.Tuple(elts=values) if values else None
    if test in SHELL or test == "B611":
        if call.args:
            return call.args[0]
        sql = [k.value for k in call.keywords if k.arg in ("sql", "args")]
        return sql[0] if sql else None
    return None


def _holds_value(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            return True
        if isinstance(inner, ast.Call):
            func = inner.func
            if not (isinstance(func, ast.Attribute) and func.attr in _STR_METHODS):
                return True
    return False


def accord_lines(path: Path, code: str) -> set[int]:
    """The lines ``code``'s findings cover in ``path``."""
    settings = Settings.model_validate({"select": [code]})
    result = analyse(path, path.name, settings)
    covered: set[int] = set()
    for finding in result.findings:
        covered.update(range(finding.span.line, finding.span.end_line + 1))
    return covered


def injection_agreement(cache: Path) -> dict[str, tuple[int, int]]:
    """(found by ACC004, computed bandit alerts) for shell and SQL alerts."""
    examples = bandit_examples(cache)
    counts = {"shell": [0, 0], "sql": [0, 0]}
    covered: dict[Path, set[int]] = {}
    for alert in bandit_alerts(examples):
        if not computed(alert):
            continue
        path = Path(str(alert["filename"]))
        if path not in covered:
            covered[path] = accord_lines(path, "ACC004")
        group = "shell" if alert["test_id"] in SHELL else "sql"
        lines = alert["line_range"]
        assert isinstance(lines, list)
        counts[group][1] += 1
        counts[group][0] += bool(covered[path] & set(lines))
    return {group: (found, total) for group, (found, total) in counts.items()}


def clean_alerts(limit: int) -> tuple[int, int, int]:
    """(lines, bandit's alerts, ACC004's findings) on the standard library's modules, for the
    sinks both know (shell commands, SQL, eval, exec)."""
    files = [
        f for f in clean_files([Path(sysconfig.get_paths()["stdlib"])], limit) if f.suffix == ".py"
    ]
    lines = sum(f.read_bytes().count(b"\n") for f in files)
    alerts = len(bandit_alerts(files[0], *files, tests=CLEAN_TESTS))
    settings = Settings.model_validate({"select": ["ACC004"]})
    ours = sum(len(analyse(f, f.name, settings).findings) for f in files)
    return lines, alerts, ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=520_000, help="clean lines for ACC003")
    parser.add_argument("--clean-lines", type=int, default=200_000, help="clean lines, ACC004")
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "peer")
    options = parser.parse_args()

    print("ACC003 recall on the detect-secrets/gitleaks corpus (goal >= 90%, configs 100%)")
    for source, found, total in secrets_recall():
        print(f"  {source:15} {found}/{total} = {found / total:.0%}")
    lines, found = secrets_false_positives(options.lines)
    rate = found / lines * 10_000
    print(f"ACC003 on clean code: {found} findings in {lines:,} lines = {rate:.3f} per 10k"
          " (goal <= 0.05)")  # fmt: skip
    print("ACC004 vs bandit's computed-argument alerts on bandit's examples (goal >= 80%)")
    for group, (hits, total) in injection_agreement(options.cache).items():
        print(f"  {group:6} {hits}/{total} = {hits / total:.0%}")
    lines, theirs, ours = clean_alerts(options.clean_lines)
    print(f"On clean code ({lines:,} stdlib lines): bandit {theirs} shell/SQL/eval/exec alerts,"
          f" ACC004 {ours} findings (goal: no more than bandit)")  # fmt: skip


if __name__ == "__main__":
    main()
