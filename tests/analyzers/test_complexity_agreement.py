"""ACC001 agreement with the reference tools over real code on this machine, per function.

Python: every standard-library file against mccabe 0.7.0. Other languages: samples of the JDK
sources, npm's JavaScript, and any TypeScript/Go found, against lizard. Run with ``-s`` to see
the figures; docs/complexity-agreement.md records them. A corpus missing here is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from tests.requirements import optional

from .complexity_corpus import (
    Agreement,
    accord_counts,
    files_under,
    jdk_sources,
    lizard_agreement,
    mccabe_counts,
    stdlib_files,
)

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

Sources = Callable[[], Iterable[tuple[str, bytes]]]


def test_python_agrees_with_mccabe_on_the_standard_library() -> None:
    agreement = Agreement()
    for path in stdlib_files():
        data = path.read_bytes()
        reference = mccabe_counts(data)
        if reference is not None:
            agreement.add(str(path), reference, accord_counts("python", data))
    print("\n" + agreement.summary("python vs mccabe 0.7.0, CPython stdlib"))
    print("\n".join(agreement.differences))
    assert agreement.reference > 10_000
    assert agreement.matched == agreement.reference
    assert agreement.percent >= 99.9


def _typescript() -> Iterable[tuple[str, bytes]]:
    found = files_under([Path("/tmp/tscorpus")], (".ts",), 400)
    return ((name, data) for name, data in found if not name.endswith(".d.ts"))


# (language, corpus, floor in % of matched functions with identical counts, floor in % of
# lizard's functions matched: lizard also lists TypeScript overload and interface signatures)
CORPORA: list[tuple[str, Sources, float, float]] = [
    ("java", lambda: jdk_sources(300), 99.0, 95.0),
    (
        "javascript",
        lambda: files_under([Path("/usr/lib/node_modules/npm")], (".js",), 300),
        90.0,
        95.0,
    ),
    ("typescript", _typescript, 95.0, 60.0),
    (
        "go",
        lambda: files_under([Path("/usr/share/doc"), Path("/usr/lib/go")], (".go",), 300),
        95.0,
        95.0,
    ),
]


@pytest.mark.parametrize(
    ("language", "sources", "floor", "matched"), CORPORA, ids=[c[0] for c in CORPORA]
)
def test_other_languages_agree_with_lizard(
    language: str, sources: Sources, floor: float, matched: float
) -> None:
    agreement = lizard_agreement(language, sources())
    if not agreement.files:
        optional(f"no {language} corpus on this machine")
    print("\n" + agreement.summary(f"{language} vs lizard"))
    print("\n".join(agreement.differences[:20]))
    assert agreement.matched >= matched / 100 * agreement.reference
    assert agreement.percent >= floor
