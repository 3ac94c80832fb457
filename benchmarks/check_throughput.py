"""Throughput of ``accord check`` against the complexity tools a user would otherwise run.

Every tool runs as a subprocess over the same files, a copy of the standard library's top-level
``.py`` files in a temporary project, and is timed whole (start-up included): one warm-up run,
then the median of ``--runs`` timed runs, in wall time and in CPU time (user + system of the
process and its workers). Cold runs use no cache (``--no-cache``); warm runs of Accord and ruff
answer from the cache the warm-up run filled. Printed: a table of medians and the ratios, then
how one worker process compares with two on small runs (which sets
``accord.check.runner.MIN_BYTES_PER_WORKER``).

    python benchmarks/check_throughput.py [--runs 5] [--sizes 50,100,200,400,800]

Goals (issues 2 and 16): a cold run at least 3x faster than lizard and 2.5x faster than radon,
in CPU time as in wall time; a warm run within 2x of ruff's warm run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

GOALS = {"lizard": 3.0, "radon cc": 2.5}
WARM_GOAL = 2.0
COLD = "accord (all rules)"
WARM = "accord warm (all rules)"


def stdlib_files(folder: Path) -> list[str]:
    """Copies of the standard library's top-level modules in ``folder``, sorted."""
    for path in Path(sysconfig.get_paths()["stdlib"]).glob("*.py"):
        shutil.copy(path, folder / path.name)
    return sorted(str(path) for path in folder.glob("*.py"))


def tool(name: str) -> str | None:
    """A console script from this interpreter's environment, else from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def commands(files: Sequence[str]) -> dict[str, list[str] | None]:
    """The command line of each contender; None where the tool is not installed."""

    def line(name: str, *args: str) -> list[str] | None:
        executable = tool(name)
        return [executable, *args, *files] if executable else None

    quiet = ("check", "--exit-zero", "--no-progress")
    return {
        "accord (ACC001)": line("accord", *quiet, "--no-cache", "--select", "ACC001"),
        COLD: line("accord", *quiet, "--no-cache"),
        WARM: line("accord", *quiet),
        "lizard": line("lizard", "--warnings_only", "--CCN", "10"),
        "radon cc": line("radon", "cc", "--min", "C"),
        "ruff C901": line("ruff", "check", "--no-cache", "--exit-zero", "--select", "C901"),
        "ruff warm C901": line("ruff", "check", "--exit-zero", "--select", "C901"),
    }


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU time of one run, output discarded; a failing run stops the benchmark."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if done.returncode not in (0, 1):  # lizard --warnings_only exits 1 when it warns
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, cpu


def median_time(command: Sequence[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Median wall and CPU time after one warm-up run (page cache, .pyc files, tool caches)."""
    timed(command, cwd)
    times = [timed(command, cwd) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def contenders(files: Sequence[str], runs: int, cwd: Path) -> None:
    medians: dict[str, tuple[float, float]] = {}
    print(
        f"{len(files)} files, {sum(Path(f).stat().st_size for f in files) / 1e6:.1f} MB; "
        f"median of {runs} runs, whole process (workers included)\n"
    )
    print("| tool | wall s | CPU s |\n|---|---|---|")
    for name, command in commands(files).items():
        if command is None:
            print(f"| {name} | not installed | |")
            continue
        medians[name] = median_time(command, runs, cwd)
        print(f"| {name} | {medians[name][0]:.3f} | {medians[name][1]:.3f} |", flush=True)
    print()
    for accord in ("accord (ACC001)", COLD):
        for other in ("lizard", "radon cc", "ruff C901"):
            if accord in medians and other in medians:
                print(_ratio(f"{other} / {accord}", medians[other], medians[accord], other))
    if WARM in medians and "ruff warm C901" in medians:
        wall = medians[WARM][0] / medians["ruff warm C901"][0]
        cpu = medians[WARM][1] / medians["ruff warm C901"][1]
        verdict = "met" if max(wall, cpu) <= WARM_GOAL else "MISSED"
        print(
            f"{WARM} / ruff warm C901: wall {wall:.2f}x, CPU {cpu:.2f}x "
            f"(goal <= {WARM_GOAL}x: {verdict})"
        )


def _ratio(label: str, other: tuple[float, float], accord: tuple[float, float], name: str) -> str:
    wall, cpu = other[0] / accord[0], other[1] / accord[1]
    goal = GOALS.get(name)
    verdict = (
        ""
        if goal is None
        else f" (goal >= {goal}x: {'met' if min(wall, cpu) >= goal else 'MISSED'})"
    )
    return f"{label}: wall {wall:.2f}x, CPU {cpu:.2f}x{verdict}"


def sample(files: Sequence[str], budget: int) -> list[str]:
    """A fixed pseudo-random pick of ``files`` adding up to at least ``budget`` bytes."""
    shuffled = list(files)
    random.Random(1).shuffle(shuffled)
    chosen: list[str] = []
    for path in shuffled:
        if sum(Path(p).stat().st_size for p in chosen) >= budget:
            break
        chosen.append(path)
    return chosen


def worker_sweep(files: Sequence[str], budgets_kb: Sequence[int], runs: int, cwd: Path) -> None:
    """One worker against two on samples of ``budgets_kb`` kB of source, all rules."""
    accord = tool("accord")
    if accord is None:
        return
    print(f"\n{'kB':>6}{'files':>7}{'1 worker s':>12}{'2 workers s':>13}")
    base = [accord, "check", "--exit-zero", "--no-progress", "--no-cache"]
    for budget in budgets_kb:
        chosen = sample(files, budget * 1000)
        one = median_time([*base, "--workers", "1", *chosen], runs, cwd)[0]
        two = median_time([*base, "--workers", "2", *chosen], runs, cwd)[0]
        print(f"{budget:>6}{len(chosen):>7}{one:>12.3f}{two:>13.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sizes",
        default="50,100,200,400,800",
        help="kB of source in each sample of the worker sweep",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / ".git").mkdir()  # the project root: the caches go here
        files = stdlib_files(project)
        contenders(files, options.runs, project)
        sizes = [int(size) for size in options.sizes.split(",") if size]
        worker_sweep(files, sizes, options.runs, project)


if __name__ == "__main__":
    main()
