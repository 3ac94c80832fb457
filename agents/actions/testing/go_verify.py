"""Verifying a Go test file before anyone sees it: ``go test -count=5`` on the current code,
and, alongside, one run on each of a few mutants of the function (one ``go test`` over a copy
of the package per mutant, built and run in parallel); only tests that passed every run are kept, each
reported as killing a mutant or not (``verify.judge``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tree_sitter

from accord.analyzers.languages import ts_language

from .go_runner import run_go_mutants, run_go_tests
from .mutants import mutants_of
from .verify import MUTANTS, REPEATS, Verified, judge, unverified

__all__ = ["drop_go_tests", "verify_go"]

# A mutant's run stops after this long (a mutant that makes a test hang is killed by it).
MUTANT_SECONDS = 3.0
# Imports a generated test file may stop needing once tests are dropped.
_OPTIONAL = ("fmt", "reflect")


def verify_go(code: str, source: str, path: Path, root: Path, span: tuple[int, int]) -> Verified:
    """Run ``code`` (a ``_test.go`` file of ``path``'s package) against ``source``."""
    mutants = mutants_of(source, "go", *span)[:MUTANTS]
    sources = [m.source for m in mutants]
    with ThreadPoolExecutor(max_workers=2) as pool:
        # The mutants run alongside the current code, every test on each; only the outcomes
        # of the tests that pass every run on the current code count (``judge``).
        on_all = pool.submit(
            run_go_mutants, code, source, sources, path, root, None, MUTANT_SECONDS
        )
        current = run_go_tests(code, source, path, root, count=REPEATS)
        found = on_all.result()
    if current.error:
        return unverified(f"the tests do not build or run: {current.error}", current.error)
    passed = [name for name, runs in current.results.items() if all(runs)]
    on_mutants = found if found is not None else []
    if found is None and passed:
        # One of them hung or forked: each on its own, so only that one passes nothing.
        with ThreadPoolExecutor(max_workers=2) as pool:
            on_mutants = list(
                pool.map(
                    lambda m: (
                        run_go_tests(
                            code, m, path, root, passed, 1, MUTANT_SECONDS, vet=False
                        ).results
                    ),
                    sources,
                )
            )
    return judge(code, current.results, on_mutants, mutants, "go test", drop_go_tests)


def drop_go_tests(code: str, names: set[str]) -> str:
    """``code`` without its top-level functions named in ``names`` (and imports left unused)."""
    if not names:
        return code
    data = code.encode("utf-8")
    tree = tree_sitter.Parser(ts_language("go")).parse(data)
    spans = []
    for node in tree.root_node.named_children:
        name = node.child_by_field_name("name")
        if node.type == "function_declaration" and name is not None:
            if (name.text or b"").decode() in names:
                spans.append((node.start_byte, node.end_byte))
    for start, end in sorted(spans, reverse=True):
        data = data[:start] + data[end:].lstrip(b"\n")
    text = data.decode("utf-8")
    body = text.split(")\n", 1)[-1]
    for package in _OPTIONAL:
        if f"{package}." not in body:
            text = text.replace(f'\t"{package}"\n', "", 1)
    return text.rstrip("\n") + "\n"
