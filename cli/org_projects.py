"""``accord org project …``: an organisation's projects, their repositories and members.

Like ``accord org user``, these work on the store directly, as the server's operator; a running
server sees a change within a second. Every change is recorded in the organisation's audit chain
as a ``project.changed`` event.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from accord.audit.events import EventDraft, EventType
from accord.cli.org import CliError, _org, _roles, _run, _tenant_options, _with_store
from accord.org.governance import SERVER_ACTOR
from accord.org.projects import Project
from accord.org.store import Conflict, OrgStore

__all__ = ["add_projects"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_projects(commands: Commands) -> None:
    """Add ``accord org project`` (create, list, show, members add/remove, roles)."""
    project = commands.add_parser("project", help="projects, their repositories and members")
    actions = project.add_subparsers(dest="project_command", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="create a project")
    create.add_argument("name")
    create.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="URL_OR_GLOB",
        help="a git remote (or a glob over remotes or checkout paths) that is this project "
        "(repeatable)",
    )
    create.add_argument("--description", default="")
    create.add_argument(
        "--setting", action="append", default=[], metavar="KEY=JSON", help="a setting (repeatable)"
    )
    create.add_argument(
        "--owner", action="append", default=[], metavar="EMAIL", help="an owner (repeatable)"
    )
    _tenant_options(create)
    create.set_defaults(run=_run(_create))

    listing = actions.add_parser("list", help="list the organisation's projects")
    _tenant_options(listing)
    listing.set_defaults(run=_run(_list))

    show = actions.add_parser("show", help="a project's repositories, settings and members")
    show.add_argument("name")
    _tenant_options(show)
    show.set_defaults(run=_run(_show))

    members = actions.add_parser("members", help="add or remove a project's members")
    member_actions = members.add_subparsers(dest="members_command", metavar="ACTION", required=True)
    add = member_actions.add_parser("add", help="add a member with their roles in the project")
    add.add_argument("name")
    add.add_argument("email")
    add.add_argument("--role", action="append", default=[], help="a role here (repeatable)")
    add.add_argument("--owner", action="store_true", help="make them an owner too")
    _tenant_options(add)
    add.set_defaults(run=_run(_member_add))
    remove = member_actions.add_parser("remove", help="remove a member")
    remove.add_argument("name")
    remove.add_argument("email")
    _tenant_options(remove)
    remove.set_defaults(run=_run(_member_remove))

    roles = actions.add_parser("roles", help="replace a member's roles in the project")
    roles.add_argument("name")
    roles.add_argument("email")
    roles.add_argument("--role", action="append", required=True)
    _tenant_options(roles)
    roles.set_defaults(run=_run(_member_roles))


def _settings(given: list[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CliError(f"--setting {item!r}: write KEY=VALUE")
        try:
            settings[key] = json.loads(value)
        except json.JSONDecodeError:
            settings[key] = value
    return settings


async def _project(store: OrgStore, org_id: str, name: str) -> Project:
    found = await store.get_project(org_id, name)
    if found is None:
        raise CliError(f"no project {name} (see `accord org project list`)")
    return found


async def _audit(store: OrgStore, project: Project, change: str, **details: Any) -> None:
    await store.append_audit(
        project.org_id,
        [
            EventDraft(
                type=EventType.PROJECT_CHANGED,
                actor=SERVER_ACTOR,
                project=project.name,
                payload={"change": change, **details},
            )
        ],
    )


async def _user_id(store: OrgStore, org_id: str, email: str) -> str:
    user = await store.user_by_email(org_id, email)
    if user is None or not user.active:
        raise CliError(
            f"{email} is not an active member of the organisation (`accord org user add`)"
        )
    return user.id


async def _create(options: argparse.Namespace) -> int:
    settings = _settings(options.setting)

    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        owners = [await _user_id(store, org.id, email) for email in options.owner]
        try:
            project = await store.create_project(
                org.id,
                options.name,
                tuple(options.repo),
                settings,
                SERVER_ACTOR,
                options.description,
            )
        except Conflict as error:
            raise CliError(str(error)) from None
        for user_id in owners:
            await store.set_project_member(project, user_id, (), True)
        await _audit(
            store, project, "created", repositories=list(options.repo), owners=options.owner
        )
        print(f"project {project.name} created in {org.name}: {project.id}")
        return 0

    return await _with_store(options, job)


async def _list(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        for project in await store.list_projects(org.id):
            repos = " ".join(project.repositories) or "(no repositories)"
            print(f"{project.name}\t{len(project.members)} members\t{repos}")
        return 0

    return await _with_store(options, job)


async def _show(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        project = await _project(store, org.id, options.name)
        print(f"project {project.name} ({project.id})")
        if project.description:
            print(f"  {project.description}")
        print(f"repositories: {' '.join(project.repositories) or '(none)'}")
        print(f"settings: {json.dumps(dict(project.settings), sort_keys=True)}")
        print("members:")
        for member in project.members:
            owner = "  (owner)" if member.owner else ""
            print(f"  {member.email}\t{', '.join(member.roles) or '-'}{owner}")
        return 0

    return await _with_store(options, job)


async def _member_add(options: argparse.Namespace) -> int:
    roles = _roles(options.role)

    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        project = await _project(store, org.id, options.name)
        user_id = await _user_id(store, org.id, options.email)
        await store.set_project_member(project, user_id, roles, options.owner)
        await _audit(
            store,
            project,
            "member added",
            email=options.email,
            roles=list(roles),
            owner=options.owner,
        )
        print(f"{options.email} is a member of {project.name} as {', '.join(roles) or 'no role'}")
        return 0

    return await _with_store(options, job)


async def _member_remove(options: argparse.Namespace) -> int:
    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        project = await _project(store, org.id, options.name)
        user_id = await _user_id(store, org.id, options.email)
        if not await store.remove_project_member(project, user_id):
            raise CliError(f"{options.email} is not a member of {project.name}")
        await _audit(store, project, "member removed", email=options.email)
        print(f"removed {options.email} from {project.name}")
        return 0

    return await _with_store(options, job)


async def _member_roles(options: argparse.Namespace) -> int:
    roles = _roles(options.role)

    async def job(store: OrgStore) -> int:
        org = await _org(store, options.org)
        project = await _project(store, org.id, options.name)
        member = project.member(options.email)
        if member is None:
            raise CliError(
                f"{options.email} is not a member of {project.name} "
                "(`accord org project members add`)"
            )
        await store.set_project_member(project, member.user_id, roles, member.owner)
        await _audit(store, project, "roles changed", email=options.email, roles=list(roles))
        print(f"{options.email} in {project.name}: {', '.join(roles)}")
        return 0

    return await _with_store(options, job)
