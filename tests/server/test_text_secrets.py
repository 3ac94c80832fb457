"""The language server reads files of no supported language as text for secrets (ACC003):
env files, YAML, Dockerfiles get diagnostics as they are opened and edited."""

from __future__ import annotations

from pathlib import Path

from pytest_lsp import LanguageClient

from .lsp import change_doc, edit, open_doc

PASSWORD = "Summer" + "2024!"
TOKEN = "ghp_" + "k3Jd9Qm2Xv7Lp4Rt8Wz1Nb6Hc5Fy0Ga2Se7U"


async def test_an_env_file_gets_secret_diagnostics_that_follow_edits(
    client: LanguageClient, workspace: Path
) -> None:
    uri, diagnostics = await open_doc(
        client, workspace, ".env", f"DEBUG=1\nDB_PASSWORD={PASSWORD}\n", "dotenv"
    )
    assert [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics] == [
        ("ACC003", 1, 12)
    ]
    moved = await change_doc(client, uri, 2, edit((0, 0), (0, 0), f"# {TOKEN}\n"))
    assert sorted((d.code, d.range.start.line) for d in moved) == [("ACC003", 0), ("ACC003", 2)]
    fixed = await change_doc(client, uri, 3, edit((2, 12), (2, 12 + len(PASSWORD)), "${DB_PW}"))
    assert [d.range.start.line for d in fixed] == [0]


async def test_a_dockerfile_and_yaml_are_read(client: LanguageClient, workspace: Path) -> None:
    _, docker = await open_doc(
        client, workspace, "Dockerfile", f"FROM python:3.12\nENV TOKEN={TOKEN}\n", "dockerfile"
    )
    _, yaml = await open_doc(
        client, workspace, "ci.yaml", f"db:\n  password: '{PASSWORD}'\n", "yaml"
    )
    assert [d.range.start.line for d in docker] == [1]
    assert [d.range.start.line for d in yaml] == [1]
