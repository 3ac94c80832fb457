"""Role-based access: which of the seed's roles may call which org method (pure).

Approving is not decided here: the org's policy says which roles each workflow needs, and the
approval state machine checks the decider's roles as they are when they decide.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ADMIN", "ROLES", "Forbidden", "allowed", "check", "valid_roles"]

ADMIN = "admin"
ROLES = ("developer", "tech_lead", "manager", "security_team", "cto", ADMIN)
"""The seed's roles (§3.5); a user may hold several."""

_REVIEWERS = frozenset({"tech_lead", "manager", "security_team", "cto", ADMIN})
_ANY_MEMBER: frozenset[str] = frozenset()

_RULES: dict[str, frozenset[str]] = {
    "policy.set": frozenset({ADMIN}),
    "audit.query": _REVIEWERS,
    "audit.verify": _REVIEWERS,
}
"""Methods limited to some roles; every other method is open to any member of the org."""


class Forbidden(PermissionError):
    """The caller's roles do not allow the call."""


def allowed(method: str, roles: Iterable[str]) -> bool:
    """Whether a member holding ``roles`` may call ``method``."""
    needed = _RULES.get(method, _ANY_MEMBER)
    return not needed or bool(needed & set(roles))


def check(method: str, roles: Iterable[str]) -> None:
    """Raise :class:`Forbidden` naming the roles ``method`` needs, unless ``roles`` allow it."""
    held = tuple(roles)
    if not allowed(method, held):
        needed = ", ".join(sorted(_RULES[method]))
        raise Forbidden(
            f"{method} needs one of the roles {needed}; you hold {', '.join(held) or 'none'}"
        )


def valid_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """``roles`` checked against :data:`ROLES`; raises ValueError naming an unknown one."""
    checked = tuple(dict.fromkeys(roles))
    for role in checked:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return checked
