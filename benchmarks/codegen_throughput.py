"""Throughput of ``accord gen`` on a source set: models per second lifting and emitting a
200-file Kotlin source set, and the share of declared types translated.

The source set is generated from the test domain (tests/codegen/data/domain): each of its
files copied ``--files / 5`` times with every declared name suffixed by the copy's number, so
references cross files and packages as in the domain. Lifting (both passes) and emitting for
every platform are timed separately, median of ``--runs``. A declared type counts as
translated when it is emitted; the others are the warnings (goal: 100%).

    python benchmarks/codegen_throughput.py [--files 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from accord.codegen.gen import translate_set
from accord.codegen.platforms import all_platforms
from accord.codegen.sourceset import lift_set

DOMAIN = Path(__file__).resolve().parents[1] / "tests" / "codegen" / "data" / "domain"
_DECLARED = re.compile(r"\b(?:class|interface|object|typealias)\s+(\w+)")


def source_set(count: int) -> list[tuple[str, str]]:
    """``count`` files: copies of the domain's files with their names numbered."""
    originals = sorted(p for p in DOMAIN.rglob("*.kt"))
    texts = {p: p.read_text("utf-8") for p in originals}
    names = sorted({n for text in texts.values() for n in _DECLARED.findall(text)}, key=len)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, reversed(names))) + r")\b")
    files = []
    for copy in range(count // len(originals) + 1):

        def numbered(match: re.Match[str], copy: int = copy) -> str:
            return f"{match.group(1)}{copy}"

        for path in originals:
            renamed = pattern.sub(numbered, texts[path])
            files.append(
                (f"copy{copy}/{path.relative_to(DOMAIN).with_stem(path.stem + str(copy))}", renamed)
            )
    return files[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    files = source_set(options.files)
    targets = list(all_platforms())
    lift_times, emit_times = [], []
    for _ in range(options.runs):
        start = time.perf_counter()
        lifted = lift_set(files)
        lift_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        emitted = translate_set(lifted, targets)
        emit_times.append(time.perf_counter() - start)
    schema = lifted.schema
    models = len(schema.entities) + len(schema.enums) + len(schema.unions) + len(schema.aliases)
    declared = models + len(lifted.warnings)
    lift_s, emit_s = statistics.median(lift_times), statistics.median(emit_times)
    print(
        f"source set: {len(files)} Kotlin files, {declared} declared types (typealiases "
        f"inlined), {len(lifted.notices) - len(lifted.warnings)} notes"
    )
    print(f"lift:  {models / lift_s:8.0f} models/s  ({lift_s * 1000:.0f} ms for {models} models)")
    print(
        f"emit:  {models * len(targets) / emit_s:8.0f} model-emits/s  ({emit_s * 1000:.0f} ms, "
        f"{len(targets)} platforms, {len(emitted)} files)"
    )
    print(f"end to end: {models / (lift_s + emit_s):.0f} models/s to all {len(targets)} platforms")
    print(
        f"translated: {models}/{declared} declared types = {100 * models / declared:.1f}% "
        f"(goal 100%); not translated:"
    )
    reasons: dict[str, int] = {}
    for warning in lifted.warnings:
        reason = re.sub(r"\w+\.(\w+):", r"X.\1:", re.sub(r"`\w+`", "`X`", warning.message))
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  {count:4d} x {reason}")


if __name__ == "__main__":
    main()
