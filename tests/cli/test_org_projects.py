"""``accord org project …`` on a SQLite store, as the server's operator, through ``main``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from accord.audit.chain import verify
from accord.cli import main
from accord.org.store.opening import open_store


def _run(*args: str, store: str) -> int:
    return main(["org", *args, "--store", store])


def test_create_add_members_change_roles_show_and_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = f"sqlite:///{tmp_path / 'org.db'}"
    assert (
        main(["org", "init", "--name", "Acme", "--admin", "admin@acme.test", "--store", store]) == 0
    )
    assert _run("user", "add", "dev@acme.test", "--role", "developer", store=store) == 0
    capsys.readouterr()

    assert (
        _run(
            "project",
            "create",
            "shop",
            "--repo",
            "git@github.com:acme/shop.git",
            "--owner",
            "admin@acme.test",
            "--setting",
            'default_mode="control"',
            store=store,
        )
        == 0
    )
    assert (
        _run(
            "project", "members", "add", "shop", "dev@acme.test", "--role", "tech_lead", store=store
        )
        == 0
    )
    assert (
        _run("project", "roles", "shop", "dev@acme.test", "--role", "developer", store=store) == 0
    )
    capsys.readouterr()
    assert _run("project", "show", "shop", store=store) == 0
    shown = capsys.readouterr().out
    assert "repositories: git@github.com:acme/shop.git" in shown
    assert '"default_mode": "control"' in shown
    assert "  dev@acme.test\tdeveloper\n" in shown and "admin@acme.test\t-  (owner)" in shown
    assert _run("project", "list", store=store) == 0
    assert capsys.readouterr().out.startswith("shop\t2 members\tgit@github.com:acme/shop.git")

    assert _run("project", "create", "shop", store=store) == 2
    assert "a project named shop exists already" in capsys.readouterr().err
    assert _run("project", "members", "add", "shop", "nobody@acme.test", store=store) == 2
    assert "nobody@acme.test is not an active member" in capsys.readouterr().err
    assert (
        _run("project", "members", "add", "shop", "dev@acme.test", "--role", "boss", store=store)
        == 2
    )
    assert _run("project", "show", "nope", store=store) == 2
    assert "no project nope" in capsys.readouterr().err

    assert _run("project", "members", "remove", "shop", "dev@acme.test", store=store) == 0
    assert _run("project", "members", "remove", "shop", "dev@acme.test", store=store) == 2
    changes, findings = asyncio.run(_project_changes(store))
    assert changes == ["created", "member added", "roles changed", "member removed"]
    assert findings == []


async def _project_changes(url: str) -> tuple[list[str], list[object]]:
    store = open_store(url)
    await store.open()
    try:
        [org] = await store.list_orgs()
        events = await store.audit_events(org.id, "shop", "project.changed", 0, 100)
        findings = verify(await store.audit_rows(org.id), await store.audit_head(org.id))
        return [str(e.payload["change"]) for e in events], list(findings)
    finally:
        await store.close()
