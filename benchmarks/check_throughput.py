"""Throughput of ``accord check`` against the complexity tools a user would otherwise run.

Every tool runs as a subprocess over the same files, the standard library's top-level ``.py``
files, and is timed whole (start-up included): one warm-up run, then the median of ``--runs``
timed runs. Printed: a table of medians and the ratio of each tool's time to Accord's, then
how one worker process compares with two on small runs (which sets
``accord.check.runner.MIN_BYTES_PER_WORKER``).

    python benchmarks/check_throughput.py [--runs 5] [--sizes 50,100,200,400,800]

Goals (issue 2): Accord at least 3x faster than lizard and 2.5x faster than radon.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Sequence
from pathlib import Path

GOALS = {"lizard": 3.0, "radon cc": 2.5}


def stdlib_files() -> list[str]:
    """The standard library's top-level modules, sorted."""
    return sorted(str(path) for path in Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))


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
        "accord (ACC001)": line("accord", *quiet, "--select", "ACC001"),
        "accord (all rules)": line("accord", *quiet),
        "lizard": line("lizard", "--warnings_only", "--CCN", "10"),
        "radon cc": line("radon", "cc", "--min", "C"),
        "ruff C901": line("ruff", "check", "--no-cache", "--exit-zero", "--select", "C901"),
    }


def timed(command: Sequence[str]) -> float:
    """Wall time of one run, output discarded; a failing run stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # lizard --warnings_only exits 1 when it warns
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def median_time(command: Sequence[str], runs: int) -> float:
    timed(command)  # warm-up: page cache, .pyc files
    return statistics.median(timed(command) for _ in range(runs))


def contenders(files: Sequence[str], runs: int) -> None:
    medians: dict[str, float] = {}
    print(
        f"{len(files)} files, {sum(Path(f).stat().st_size for f in files) / 1e6:.1f} MB; "
        f"median of {runs} runs, whole-process wall time\n"
    )
    print(f"{'tool':<22}{'median s':>10}")
    for name, command in commands(files).items():
        if command is None:
            print(f"{name:<22}{'not installed':>10}")
            continue
        medians[name] = median_time(command, runs)
        print(f"{name:<22}{medians[name]:>10.3f}", flush=True)
    print()
    for accord in ("accord (ACC001)", "accord (all rules)"):
        for other in ("lizard", "radon cc", "ruff C901"):
            if accord in medians and other in medians:
                ratio = medians[other] / medians[accord]
                goal = (
                    f" (goal >= {GOALS[other]}x: {'met' if ratio >= GOALS[other] else 'MISSED'})"
                    if other in GOALS
                    else ""
                )
                print(f"{other} / {accord}: {ratio:.2f}x{goal}")


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


def worker_sweep(files: Sequence[str], budgets_kb: Sequence[int], runs: int) -> None:
    """One worker against two on samples of ``budgets_kb`` kB of source, all rules."""
    accord = tool("accord")
    if accord is None:
        return
    print(f"\n{'kB':>6}{'files':>7}{'1 worker s':>12}{'2 workers s':>13}")
    base = [accord, "check", "--exit-zero", "--no-progress"]
    for budget in budgets_kb:
        chosen = sample(files, budget * 1000)
        one = median_time([*base, "--workers", "1", *chosen], runs)
        two = median_time([*base, "--workers", "2", *chosen], runs)
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
    files = stdlib_files()
    contenders(files, options.runs)
    sizes = [int(size) for size in options.sizes.split(",") if size]
    worker_sweep(files, sizes, options.runs)


if __name__ == "__main__":
    main()
