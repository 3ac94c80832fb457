"""Which path classes a file belongs to, and which providers may see it."""

from __future__ import annotations

from functools import lru_cache

import pathspec

from .model import Confidentiality, PathClass, Policy

__all__ = ["classes_of", "confidentiality_of", "provider_may_see"]


@lru_cache(maxsize=256)
def _spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(globs)


def classes_of(policy: Policy, path: str) -> dict[str, PathClass]:
    """The path classes whose globs match ``path`` (relative, ``/``-separated)."""
    return {n: c for n, c in policy.path_classes.items() if _spec(c.globs).match_file(path)}


def confidentiality_of(policy: Policy, path: str) -> Confidentiality:
    """The most confidential class ``path`` is in; ``internal`` when it is in none."""
    found = [c.confidentiality for c in classes_of(policy, path).values()]
    return max(found, key=lambda c: c.rank, default=Confidentiality.INTERNAL)


def provider_may_see(policy: Policy, provider: str, path: str) -> bool:
    """True when ``provider`` may receive ``path``'s contents; unknown providers see public only."""
    access = policy.provider_access.get(provider)
    limit = access.max_confidentiality if access else Confidentiality.PUBLIC
    return confidentiality_of(policy, path).rank <= limit.rank
