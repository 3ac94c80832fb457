"""The multi-file Kotlin domain of the source-set tests (tests/codegen/data/domain): several
packages, cross-file and cross-package references, and the idioms of issue 17."""

from __future__ import annotations

from pathlib import Path

from accord.cli.gen import source_files
from accord.codegen.gen import GeneratedFile, translate_set
from accord.codegen.platforms import all_platforms
from accord.codegen.sourceset import Lifted, lift_set

DOMAIN = Path(__file__).parent / "data" / "domain"


def domain_files(root: Path = DOMAIN) -> list[tuple[str, str]]:
    """(path relative to the domain, text) of every source file."""
    return [(str(p.relative_to(root)), p.read_text("utf-8")) for p in source_files(root)]


def lifted_domain(types: list[str] | None = None) -> Lifted:
    """The domain lifted as one source set."""
    return lift_set(domain_files(), types)


def domain_in(target: str) -> list[GeneratedFile]:
    """The domain's files for ``target``."""
    return translate_set(lifted_domain(), [target])


PLATFORMS = list(all_platforms())
