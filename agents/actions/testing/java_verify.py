"""Verifying a JUnit 5 test class before anyone sees it: each test repeated five times on the
current code, then the tests that passed run once on each of a few mutants of the method, all in
one JVM; only tests that passed every repetition are kept, each reported as killing a mutant or
not (``verify.judge``)."""

from __future__ import annotations

import tree_sitter

from accord.analyzers.languages import ts_language

from .java_runner import JavaSubject, run_junit
from .mutants import mutants_of
from .verify import MUTANTS, REPEATS, Verified, judge, unverified

__all__ = ["drop_java_tests", "verify_java"]

# A mutant's run stops after this long (a mutant that makes a test hang is killed by it).
MUTANT_SECONDS = 20.0


def verify_java(code: str, subject: JavaSubject, name: str, span: tuple[int, int]) -> Verified:
    """Run the test class ``name`` (``code``) against ``subject``."""
    mutants = mutants_of(subject.source, "java", *span)[:MUTANTS]
    current = run_junit(
        subject, name, code, REPEATS, [m.source for m in mutants], mutant_seconds=MUTANT_SECONDS
    )
    if current.error or not current.results:
        why = current.error or "JUnit ran no test"
        return unverified(f"the tests do not build or run: {why}", why)
    on_mutants = list(current.on_mutants)
    return judge(code, current.results, on_mutants, mutants, "JUnit 5", drop_java_tests)


def drop_java_tests(code: str, names: set[str]) -> str:
    """``code`` without the test methods named in ``names`` (with their annotations)."""
    if not names:
        return code
    data = code.encode("utf-8")
    tree = tree_sitter.Parser(ts_language("java")).parse(data)
    spans = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        name = node.child_by_field_name("name")
        if node.type == "method_declaration" and name is not None:
            if (name.text or b"").decode() in names:
                start = data.rfind(b"\n", 0, node.start_byte) + 1
                spans.append((start, node.end_byte + 1))
            continue
        stack.extend(node.named_children)
    for start, end in sorted(spans, reverse=True):
        data = data[:start] + data[end:]
    text = data.decode("utf-8")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
