"""Projects for org tests: two projects of Acme with members in different roles, written into
the store as an operator would (``accord org project``)."""

from __future__ import annotations

from accord.org.store import OrgStore

from .server import OrgServer

TEAMS = {
    "shop": {
        "dev@acme.test": ("developer",),
        "lead@acme.test": ("developer",),  # a tech lead elsewhere, a developer here
        "shoplead@acme.test": ("tech_lead",),  # a developer elsewhere, the tech lead here
        "mgr@acme.test": ("manager",),
    },
    "billing": {
        "lead@acme.test": ("tech_lead",),
        "dev2@acme.test": ("developer",),
        "mgr@acme.test": ("manager",),
    },
}


async def seed_projects(org: OrgServer) -> None:
    """Add shoplead@acme.test (an org developer) and register :data:`TEAMS`."""
    async with org.opened() as store:
        acme = org.users["dev@acme.test"].org_id
        org.users["shoplead@acme.test"] = await store.add_user(
            acme, "shoplead@acme.test", ("developer",)
        )
        for name, members in TEAMS.items():
            project = await store.create_project(
                acme, name, (f"git@github.com:acme/{name}.git",), {}, "test"
            )
            for email, roles in members.items():
                await store.set_project_member(project, org.users[email].id, roles, False)


async def remove_member(store: OrgStore, org: OrgServer, project: str, email: str) -> None:
    user = org.users[email]
    found = await store.get_project(user.org_id, project)
    assert found is not None
    assert await store.remove_project_member(found, user.id)
