"""Projects: who belongs to one, in which roles, and which repositories are its (pure values).

A project's members hold roles *in that project* (``tech_lead`` of A may be a developer in B).
A role the policy marks ``scope: org`` (``security_team``, ``cto`` in the default policy) counts
wherever its holder works, member or not; every other role counts only where it is held.
A name no project is registered under is an organisation-wide project, as before projects
existed: every member of the organisation may use it, with their organisation roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase

from pydantic import JsonValue

from accord.policy.model import Policy

__all__ = [
    "Project",
    "ProjectMember",
    "effective_roles",
    "normalise_remote",
    "org_wide_roles",
    "recognises",
]

_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ProjectMember:
    """A member of a project; ``owner`` may manage the project."""

    user_id: str
    email: str
    roles: tuple[str, ...]
    owner: bool = False


@dataclass(frozen=True, slots=True)
class Project:
    """A project of one organisation (seed §7.1's ``projects``, adapted).

    ``repositories`` are git remote URLs or globs over normalised remotes (``github.com/acme/*``)
    or over paths (``/srv/checkouts/shop*``), by which a workspace is recognised as this project.
    """

    id: str
    org_id: str
    name: str
    created_at: datetime
    description: str = ""
    repositories: tuple[str, ...] = ()
    settings: Mapping[str, JsonValue] = field(default_factory=dict)
    members: tuple[ProjectMember, ...] = ()

    def member(self, email: str) -> ProjectMember | None:
        """The member with ``email``, or None."""
        return next((m for m in self.members if m.email == email), None)

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(m.email for m in self.members if m.owner)


def normalise_remote(url: str) -> str:
    """A git remote as ``host/path`` in lower case, without scheme, user, ``.git`` or trailing
    slash: ``git@github.com:Acme/Shop.git`` and ``https://github.com/acme/shop`` are one."""
    text = url.strip()
    if not _SCHEME.match(text) and (scp := _SCP.match(text)) and "/" not in scp[1]:
        text = f"{scp[1]}/{scp[2]}"
    text = _SCHEME.sub("", text).rstrip("/")
    text = text.removesuffix(".git").rstrip("/")
    return text.lower()


def recognises(project: Project, remote: str) -> bool:
    """Whether ``remote`` (a git remote URL, or a checkout's path) is one of the project's."""
    wanted = normalise_remote(remote)
    for pattern in project.repositories:
        if any(c in pattern for c in "*?["):
            if fnmatchcase(wanted, normalise_remote(pattern)) or fnmatchcase(remote, pattern):
                return True
        elif normalise_remote(pattern) == wanted:
            return True
    return False


def org_wide_roles(policy: Policy, roles: Iterable[str]) -> frozenset[str]:
    """Of ``roles``, those the policy lets count in every project (``scope: org``)."""
    return frozenset(r for r in roles if r in policy.roles and policy.roles[r].scope == "org")


def effective_roles(
    policy: Policy, project: Project | None, email: str, org_roles: Iterable[str]
) -> frozenset[str]:
    """The roles ``email`` may act in for ``project``: in an unregistered project (None) their
    organisation roles; else their roles in the project plus their org-wide ones."""
    held = tuple(org_roles)
    if project is None:
        return frozenset(held)
    member = project.member(email)
    return org_wide_roles(policy, held) | frozenset(member.roles if member else ())
