"""Verified ID token claims turned into a member of the organisation, with roles from groups.

A user is matched by verified email within the organisation alone (another organisation's user
of the same email is another person); one not seen before is created. Their roles are the ones
their groups map to now, on every login. Nobody is let in without a mapped group.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..records import User
from ..store import Conflict, OrgStore
from .provider import SsoError
from .settings import SsoSettings, roles_for

__all__ = ["admit", "claimed_groups"]


def claimed_groups(claims: dict[str, Any], claim: str) -> tuple[str, ...]:
    """The groups the ID token names in ``claim`` (a list, or one string)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(group) for group in value)
    return ()


def _email(claims: dict[str, Any], settings: SsoSettings, org_name: str) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SsoError("the identity provider did not say who you are (no email in the ID token)")
    if claims.get("email_verified") is not True:
        raise SsoError(f"the identity provider has not verified {email}; verify it there first")
    if not settings.accepts(email):
        raise SsoError(
            f"{email} is not an address of {org_name} (it accepts "
            f"{', '.join('@' + d for d in settings.domains)})"
        )
    return email


async def admit(
    store: OrgStore, org_id: str, org_name: str, settings: SsoSettings, claims: dict[str, Any]
) -> User:
    """The member the claims stand for, created or with their roles brought up to date;
    raises :class:`SsoError` when they may not come in."""
    email = _email(claims, settings, org_name)
    groups = claimed_groups(claims, settings.groups_claim)
    roles = roles_for(groups, settings.role_map)
    if not roles:
        raise SsoError(
            f"{email} is in no group that {org_name} maps to an Accord role "
            f"(groups: {', '.join(groups) or 'none'}); ask an admin to add a mapping "
            "(`accord org sso set --map GROUP=ROLE`)"
        )
    user = await store.user_by_email(org_id, email)
    if user is None:
        try:
            return await store.add_user(org_id, email, roles)
        except Conflict:  # another login of theirs created them first
            user = await store.user_by_email(org_id, email)
            if user is None:
                raise
    if not user.active:
        raise SsoError(f"{email} was removed from {org_name}; an admin must add them again")
    if user.roles != roles:
        user = await store.update_user(replace(user, roles=roles))
    return user
