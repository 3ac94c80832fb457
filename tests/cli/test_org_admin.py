"""``accord org policy|audit|usage|users|approvals``: against a running org server with a user's
login, and on the store as its operator (``--store``); a developer is refused each one."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from accord.protocol.org import ApprovalView, UsageReport
from tests.cli.running import accord_in_process
from tests.org.approvals import ask
from tests.org.server import Inbox, OrgServer


def _policy(tmp_path: Path, extra: str = "") -> Path:
    text = files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
    path = tmp_path / f"policy{len(extra)}.yaml"
    path.write_text(text + extra, "utf-8")
    return path


async def test_an_admin_sets_diffs_lists_and_rolls_back_the_policy_through_the_server(
    org: OrgServer, homes: dict[str, Path], tmp_path: Path
) -> None:
    admin, server = homes["admin"], ("--server", org.url)
    first, second = _policy(tmp_path), _policy(tmp_path, "# second\n")
    inbox = Inbox()
    listener = await org.client("dev@acme.test", inbox)
    try:
        code, out, err = await accord_in_process(
            "org", "policy", "set", str(first), *server, home=admin
        )
        assert code == 0 and "revision 1" in out, err
        pushed = await inbox.next("policy.changed")
        assert getattr(pushed, "revision", None) == 1
    finally:
        await listener.close()
    code, out, _ = await accord_in_process(
        "org", "policy", "diff", str(second), *server, home=admin
    )
    assert code == 0 and "+# second" in out and "revision 1" in out
    assert (await accord_in_process("org", "policy", "set", str(second), *server, home=admin))[
        0
    ] == 0
    code, out, _ = await accord_in_process("org", "policy", "get", *server, home=admin)
    assert out.endswith("# second\n")
    code, out, _ = await accord_in_process("org", "policy", "rollback", "1", *server, home=admin)
    assert code == 0 and "as revision 3" in out
    code, out, _ = await accord_in_process(
        "org", "policy", "history", "--json", *server, home=admin
    )
    history = json.loads(out)["revisions"]
    assert [r["revision"] for r in history] == [3, 2, 1]
    assert {r["actor"] for r in history} == {"admin@acme.test"}
    code, out, _ = await accord_in_process("org", "policy", "get", *server, home=admin)
    assert not out.endswith("# second\n")


async def test_a_bad_policy_file_is_refused_before_anything_is_pushed(
    org: OrgServer, homes: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("risk_levels: [\n", "utf-8")
    code, _, err = await accord_in_process(
        "org", "policy", "set", str(bad), "--server", org.url, home=homes["admin"]
    )
    assert code == 2 and "nothing was pushed" in err and "bad.yaml:" in err
    code, _, err = await accord_in_process(
        "org", "policy", "rollback", "7", "--server", org.url, home=homes["admin"]
    )
    assert code == 1 and "no policy revision 7" in err
    code, out, _ = await accord_in_process(
        "org", "policy", "history", "--server", org.url, home=homes["admin"]
    )
    assert "built-in default" in out


async def test_a_developer_is_refused_every_admin_command(
    org: OrgServer, homes: dict[str, Path], tmp_path: Path
) -> None:
    dev, server = homes["dev"], ("--server", org.url)
    commands = [
        ("policy", "get"),
        ("policy", "set", str(_policy(tmp_path))),
        ("policy", "history"),
        ("policy", "rollback", "1"),
        ("audit", "query"),
        ("audit", "export"),
        ("audit", "verify"),
        ("usage",),
        ("users", "list"),
        ("users", "roles", "dev2@acme.test", "--role", "admin"),
        ("users", "remove", "lead@acme.test"),
        ("approvals", "list"),
        ("approvals", "show", "x"),
    ]
    for command in commands:
        code, out, err = await accord_in_process("org", *command, *server, home=dev)
        assert code == 1 and "refused" in err and "roles" in err, (command, out, err)
    async with org.opened() as store:
        lead = await store.user_by_email(org.users["lead@acme.test"].org_id, "lead@acme.test")
    assert lead is not None and lead.active


async def test_audit_query_export_and_offline_verify(
    org: OrgServer, homes: dict[str, Path], tmp_path: Path
) -> None:
    admin, lead, server = homes["admin"], homes["lead"], ("--server", org.url)
    await accord_in_process("org", "policy", "set", str(_policy(tmp_path)), *server, home=admin)
    code, out, _ = await accord_in_process(
        "org", "audit", "query", "--type", "policy.changed", "--json", *server, home=lead
    )
    events = json.loads(out)["events"]
    assert code == 0 and [e["actor"] for e in events] == ["admin@acme.test"]
    code, out, _ = await accord_in_process(
        "org", "audit", "query", "--actor", "nobody@acme.test", "--json", *server, home=lead
    )
    assert json.loads(out)["events"] == []
    code, out, _ = await accord_in_process(
        "org", "audit", "query", "--until", "2000-01-01", *server, home=lead
    )
    assert code == 0 and "policy.changed" not in out

    exported = tmp_path / "audit.jsonl"
    code, _, err = await accord_in_process(
        "org", "audit", "export", "-o", str(exported), *server, home=lead
    )
    assert code == 0 and "exported 2 events" in err, err  # the policy change and the export
    code, out, _ = await accord_in_process("org", "audit", "verify", "--file", str(exported))
    assert code == 0 and "2 events" in out and ": ok" in out
    as_csv = tmp_path / "audit.csv"
    assert (
        await accord_in_process(
            "org", "audit", "export", "--format", "csv", "-o", str(as_csv), *server, home=admin
        )
    )[0] == 0
    assert (await accord_in_process("org", "audit", "verify", "--file", str(as_csv)))[0] == 0

    lines = exported.read_text("utf-8").splitlines()
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join([lines[0], lines[1].replace("admin@", "eve@"), *lines[2:]]))
    code, out, _ = await accord_in_process("org", "audit", "verify", "--file", str(tampered))
    assert code == 1 and "edited" in out and "FAILED" in out
    code, out, _ = await accord_in_process(
        "org", "audit", "verify", "--file", str(exported), "--org-key", "0000000000000000"
    )
    assert code == 1 and "not the expected" in out
    code, _, err = await accord_in_process(
        "org", "audit", "export", "--format", "csv", *server, home=admin
    )
    assert code == 2 and "--output" in err
    code, out, _ = await accord_in_process("org", "audit", "verify", *server, home=lead)
    assert code == 0 and ": ok" in out


async def test_usage_users_and_approvals_for_the_whole_org(
    org: OrgServer, homes: dict[str, Path]
) -> None:
    admin, server = homes["admin"], ("--server", org.url)
    dev = await org.client("dev@acme.test")
    try:
        for provider, cost in (("anthropic", 0.25), ("anthropic", 0.5), ("litellm", 0.125)):
            data = {
                "action": "fix",
                "provider": provider,
                "input_tokens": 1000,
                "output_tokens": 200,
                "cost_usd": cost,
            }
            await dev.call(
                "usage.report",
                UsageReport(
                    project="shop", event_type="agent.proposal", event_data=data
                ).model_dump(),
            )
        pending = ApprovalView.model_validate(
            await dev.call("approval.request", ask(8.0).model_dump())
        )
    finally:
        await dev.close()
    code, out, _ = await accord_in_process(
        "org", "usage", "--by", "provider", "--json", *server, home=admin
    )
    buckets = {b["key"]: b for b in json.loads(out)["buckets"]}
    assert buckets["anthropic"]["cost_usd"] == 0.75 and buckets["anthropic"]["events"] == 2
    assert buckets["litellm"]["input_tokens"] == 1000
    code, out, _ = await accord_in_process("org", "usage", "--by", "user", *server, home=admin)
    assert "dev@acme.test" in out and "$0.8750" in out
    code, out, _ = await accord_in_process(
        "org", "usage", "--since", "2100-01-01", "--json", *server, home=admin
    )
    assert json.loads(out)["buckets"] == []

    code, out, _ = await accord_in_process("org", "approvals", "list", *server, home=homes["lead"])
    assert pending.id in out and "pending" in out
    code, out, _ = await accord_in_process(
        "org", "approvals", "show", pending.id, *server, home=admin
    )
    assert "src/auth.py" in out and "risk" in out
    code, _, err = await accord_in_process(
        "org", "approvals", "show", "no-such-id", *server, home=admin
    )
    assert code == 1 and "no approval no-such-id" in err

    code, out, _ = await accord_in_process(
        "org", "users", "roles", "dev2@acme.test", "--role", "tech_lead", *server, home=admin
    )
    assert code == 0 and "dev2@acme.test: tech_lead" in out
    code, _, err = await accord_in_process(
        "org", "users", "roles", "dev2@acme.test", "--role", "wizard", *server, home=admin
    )
    assert code == 1 and "unknown role" in err
    code, _, err = await accord_in_process(
        "org", "users", "remove", "admin@bob.test", *server, home=admin
    )
    assert code == 1 and "not a member" in err
    code, out, _ = await accord_in_process(
        "org", "users", "remove", "dev2@acme.test", *server, home=admin
    )
    assert code == 0 and "removed dev2@acme.test" in out
    code, out, _ = await accord_in_process("org", "users", "list", "--json", *server, home=admin)
    users = {u["email"]: u for u in json.loads(out)["users"]}
    assert users["dev2@acme.test"]["active"] is False and "admin@bob.test" not in users
    code, out, _ = await accord_in_process(
        "org", "audit", "query", "--type", "admin.action", "--json", *server, home=admin
    )
    actions = [(e["actor"], e["payload"]["action"]) for e in json.loads(out)["events"]]
    assert actions == [("admin@acme.test", "user.roles"), ("admin@acme.test", "user.remove")]


async def test_the_operator_works_on_the_store_directly(org: OrgServer, tmp_path: Path) -> None:
    acme = org.users["admin@acme.test"].org_id
    local = ("--store", org.store, "--org", acme, "--as", "ops@acme.test")
    code, out, _ = await accord_in_process("org", "policy", "set", str(_policy(tmp_path)), *local)
    assert code == 0 and "revision 1" in out
    code, out, _ = await accord_in_process("org", "users", "list", *local)
    assert "lead@acme.test" in out and "bob.test" not in out
    code, out, _ = await accord_in_process("org", "audit", "verify", *local)
    assert code == 0 and "1 events" in out
    code, _, err = await accord_in_process("org", "users", "list", "--store", org.store)
    assert code == 1 and "pass --org" in err
    code, _, err = await accord_in_process("org", "usage", "--store", "mysql://x")
    assert code == 2
    code, out, _ = await accord_in_process("org", "policy", "history", *local)
    assert "ops@acme.test" in out
