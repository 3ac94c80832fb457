"""Project membership as the org server's methods check it: who may enter a project's room,
ask for and decide its approvals, and in which roles.

Projects are read from the store (other replicas and the admin CLI change them) and kept for
:data:`FRESH_SECONDS`, so a removed member is refused within that long.
"""

from __future__ import annotations

import time

from accord.policy.model import Policy
from accord.protocol.org import Identity
from accord.protocol.projects import ProjectResolve, ProjectResolved

from .projects import Project, effective_roles, org_wide_roles, recognises
from .rbac import ADMIN, Forbidden
from .store import OrgStore

__all__ = ["FRESH_SECONDS", "Membership", "NotAMember"]

FRESH_SECONDS = 1.0


class NotAMember(Forbidden):
    """The caller is not a member of the project they addressed."""


class Membership:
    """Reads projects (briefly cached) and answers membership questions."""

    def __init__(self, store: OrgStore) -> None:
        self._store = store
        self._cache: dict[tuple[str, str], tuple[Project | None, float]] = {}

    async def project(self, org_id: str, name: str) -> Project | None:
        """The registered project ``name`` of the organisation, or None (an org-wide name)."""
        key = (org_id, name)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[1] < FRESH_SECONDS:
            return cached[0]
        found = await self._store.get_project(org_id, name)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (found, now)
        return found

    async def require_member(self, caller: Identity, name: str, what: str) -> Project | None:
        """Raise :class:`NotAMember` unless the caller may ``what`` in project ``name``."""
        project = await self.project(caller.org_id, name)
        if project is not None and project.member(caller.email) is None:
            raise NotAMember(
                f"{what}: {caller.email} is not a member of project {name}; "
                f"its owners ({', '.join(project.owners) or 'the admins'}) can add you"
            )
        return project

    async def roles(
        self, policy: Policy, org_id: str, name: str, email: str, org_roles: tuple[str, ...]
    ) -> frozenset[str]:
        """The roles ``email`` acts in for project ``name``."""
        return effective_roles(policy, await self.project(org_id, name), email, org_roles)

    async def may_see(self, policy: Policy, caller: Identity, name: str) -> bool:
        """Whether the caller may read project ``name``'s approvals: a member, a holder of an
        org-wide role, or an admin (any member, for an unregistered name)."""
        project = await self.project(caller.org_id, name)
        return (
            project is None
            or project.member(caller.email) is not None
            or ADMIN in caller.roles
            or bool(org_wide_roles(policy, caller.roles))
        )

    async def require_decider(
        self, policy: Policy, caller: Identity, name: str, org_roles: tuple[str, ...]
    ) -> frozenset[str]:
        """The caller's roles for deciding in ``name``; a non-member without an org-wide role
        is refused."""
        project = await self.project(caller.org_id, name)
        if (
            project is not None
            and project.member(caller.email) is None
            and not org_wide_roles(policy, org_roles)
        ):
            raise NotAMember(
                f"approval.decide: {caller.email} is not a member of project {name} and holds "
                "no organisation-wide role the policy lets decide there"
            )
        return effective_roles(policy, project, caller.email, org_roles)

    async def resolve(self, caller: Identity, params: ProjectResolve) -> ProjectResolved:
        """The project whose repositories include the workspace's remote (the first by name)."""
        for project in await self._store.list_projects(caller.org_id):
            if recognises(project, params.remote):
                member = project.member(caller.email)
                return ProjectResolved(
                    project=project.name,
                    member=member is not None,
                    roles=member.roles if member else (),
                )
        return ProjectResolved()
