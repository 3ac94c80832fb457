"""Agreement of ACC003 and ACC004 with the specialist tools a security-minded team runs.

Printed, each with the goal of issue 18:

- ACC003 recall on the secrets corpus rebuilt from detect-secrets' and gitleaks' public
  fixtures (``tests/analyzers/secret_corpus.py``), per source, and on its configuration files;
- ACC003 findings per 10k lines of clean installed code (the standard library and
  site-packages; every finding there is a false positive);
- ACC004: the share of bandit's shell and SQL alerts (B602, B604, B605, B608, B610, B611) on
  bandit's own examples whose argument is computed that ACC004 reports on the same lines, and
  how many alerts each tool raises on clean code (the standard library);
- ACC002 against jscpd on ``pip/_internal`` (pip's source distribution): of jscpd's clone
  pairs, how many have both places flagged by ACC002, how many in one clone group, and how many
  findings each tool reports. jscpd counts headers of imports and option tables, which ACC002
  leaves out on purpose; the pairs that are neither are also counted apart.

bandit's examples and pip's source come from their source distributions on PyPI
(``pip download``), jscpd from the npm registry, all kept in a cache folder; bandit itself must
be installed (``pip install bandit``), and npm on PATH.

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
from accord.config import Settings, validated  # noqa: E402
from tests.analyzers.secret_corpus import (  # noqa: E402
    CONFIG_FORMATS,
    FIXTURES,
    clean_files,
    false_positives,
    found_in,
)

PIP_VERSION = "24.2"
JSCPD = "jscpd@4"
JSCPD_OPTIONS = ["--min-lines", "6", "--min-tokens", "50", "--format", "python"]
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


def _sdist(cache: Path, requirement: str, name: str) -> Path:
    """The unpacked source distribution ``name`` (``project-version``) from PyPI."""
    folder = cache / name
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", requirement,
             "--no-binary", ":all:", "--no-deps", "-d", str(cache)],
            check=True,
        )  # fmt: skip
        with tarfile.open(cache / f"{name}.tar.gz") as archive:
            archive.extractall(cache, filter="data")
    return folder


# One place of a clone: (file, first line, last line), lines from 1.
Place = tuple[str, int, int]


def jscpd_pairs(cache: Path, target: Path) -> list[tuple[Place, Place]]:
    """jscpd's clone pairs in ``target``, installed from npm into the cache on first use."""
    tool = cache / "jscpd" / "node_modules" / ".bin" / "jscpd"
    if not tool.exists():
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix",
             str(cache / "jscpd"), JSCPD],
            check=True,
        )  # fmt: skip
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [str(tool), "--silent", "--reporters", "json", "--output", out, *JSCPD_OPTIONS, "."],
            cwd=target, check=True, capture_output=True,
        )  # fmt: skip
        report = json.loads((Path(out) / "jscpd-report.json").read_text())

    def place(side: dict[str, object]) -> Place:
        return str(side["name"]).removeprefix("./"), int(side["start"]), int(side["end"])  # type: ignore[call-overload]

    return [(place(d["firstFile"]), place(d["secondFile"])) for d in report["duplicates"]]


def accord_groups(target: Path, *config: str) -> list[list[Place]]:
    """ACC002's clone groups in ``target``: each finding's place, then its related places."""
    overrides = [arg for item in config for arg in ("--config", item)]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "accord"), "check", "--no-cache", "--exit-zero", "--select",
         "ACC002", "--format", "json", *overrides, "."],
        cwd=target, check=True, capture_output=True, text=True,
    )  # fmt: skip

    def place(item: dict[str, object]) -> Place:
        path = Path(str(item["file"]))
        rel = path.relative_to(target) if path.is_absolute() else path
        return rel.as_posix(), int(item["line"]), int(item["end_line"])  # type: ignore[call-overload]

    findings = json.loads(done.stdout)["findings"]
    return [[place(f), *map(place, f["related"])] for f in findings]


def _overlaps(a: Place, b: Place) -> bool:
    return a[0] == b[0] and a[1] <= b[2] and b[1] <= a[2]


def _import_header(root: Path, place: Place) -> bool:
    """Whether a jscpd clone is mostly imports (which ACC002 never counts)."""
    lines = [line.strip() for line in (root / place[0]).read_text("utf-8").splitlines()]
    importing, marks = False, []
    for line in lines[: place[2]]:
        starts = line.startswith(("import ", "from "))
        marks.append(starts or importing)
        if starts and line.endswith("("):
            importing = True
        elif importing and line.startswith(")"):
            importing = False
    span = range(place[1] - 1, place[2])
    inside = [marks[row] for row in span if lines[row] and not lines[row].startswith("#")]
    return sum(inside) >= 0.8 * len(inside)


def duplication_agreement(cache: Path) -> dict[str, int]:
    """jscpd's pairs on pip/_internal and how ACC002 covers them; findings of each."""
    cache = cache.resolve()
    root = _sdist(cache, f"pip=={PIP_VERSION}", f"pip-{PIP_VERSION}") / "src" / "pip" / "_internal"
    pairs = jscpd_pairs(cache, root)
    code = [pair for pair in pairs if not _import_header(root, pair[0])]
    groups = accord_groups(root)
    with_tables = accord_groups(root, "duplication.declarative-tables=true")
    return {
        "pairs": len(pairs),
        "both flagged": len(_flagged(pairs, groups)),
        "in one group": len(_grouped(pairs, groups)),
        "code pairs": len(code),
        "code pairs flagged": len(_flagged(code, groups)),
        "flagged with tables": len(_flagged(pairs, with_tables)),
        "groups": len(groups),
        "groups with tables": len(with_tables),
    }


Pair = tuple[Place, Place]


def _flagged(pairs: list[Pair], groups: list[list[Place]]) -> list[Pair]:
    """The pairs whose two places are both flagged (in any clone groups)."""
    flagged = [place for group in groups for place in group]
    return [p for p in pairs if all(any(_overlaps(s, f) for f in flagged) for s in p)]


def _grouped(pairs: list[Pair], groups: list[list[Place]]) -> list[Pair]:
    """The pairs whose two places are in one clone group."""
    return [
        p for p in pairs if any(all(any(_overlaps(s, g) for g in gr) for s in p) for gr in groups)
    ]


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
    settings = validated(Settings, {"select": [code]})
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
    settings = validated(Settings, {"select": ["ACC004"]})
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
    d = duplication_agreement(options.cache)
    print(f"ACC002 vs {JSCPD} ({' '.join(JSCPD_OPTIONS)}) on pip {PIP_VERSION}'s _internal"
          " (goal >= 90% found, <= 2x the count)")  # fmt: skip
    print(
        f"  jscpd pairs with both places flagged: {d['both flagged']}/{d['pairs']}"
        f" = {d['both flagged'] / d['pairs']:.0%} ({d['in one group']} in one clone group)"
    )
    print(
        f"  the same, less headers of imports: {d['code pairs flagged']}/{d['code pairs']}"
        f" = {d['code pairs flagged'] / d['code pairs']:.0%}"
    )
    print(
        f"  with declarative-tables on: {d['flagged with tables']}/{d['pairs']}"
        f" = {d['flagged with tables'] / d['pairs']:.0%}"
    )
    print(
        f"  findings: jscpd {d['pairs']}, ACC002 {d['groups']} ({d['groups'] / d['pairs']:.1f}x),"
        f" {d['groups with tables']} with declarative-tables"
    )


if __name__ == "__main__":
    main()
