"""Where the approval gate's policy and roles come from (pure).

One source when a workspace is linked to an org: the org. Its policy is the one in force (a
project's own policy file is not read then, so it can never loosen the org's), and the user's
approval roles are the ones the org gives them (``[approvals] roles`` in ``accord.toml`` is
ignored). Until the org's policy is known, the built-in default scores the change and every
change goes to the org to decide (fail closed). Single-user mode (no org) is the project's own
policy and the local roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .loading import default_policy
from .model import Policy

__all__ = ["Authority", "in_force"]


@dataclass(frozen=True, slots=True)
class Authority:
    """The policy and roles the gate uses, and whether every change must go to the org."""

    policy: Policy
    roles: frozenset[str]
    org_decides_all: bool


def in_force(
    linked: bool,
    org_policy: Policy | None,
    org_roles: Iterable[str] | None,
    local_policy: Callable[[], Policy],
    local_roles: Iterable[str],
) -> Authority:
    """The authority over a workspace: the org's when ``linked``, else the project's."""
    if not linked:
        return Authority(local_policy(), frozenset(local_roles), False)
    known = org_policy is not None
    policy = org_policy if org_policy is not None else default_policy()
    return Authority(policy, frozenset(org_roles or ()), not known)
