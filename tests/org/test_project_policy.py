"""A project's override in the org policy reaches that project's editors only: the same
low-risk change is applied at once in one project and sent to approvers in the stricter one, and
a project's stricter provider access keeps its code from the provider its agents would use."""

from __future__ import annotations

import os
from pathlib import Path

from accord.protocol.org import PolicyDocument, PolicySet

from ..agents.providers.fakes import KEY, Behaviour, fake_provider
from .approvals import _default_policy_text
from .editors import document_pricing, link_status, log_in, start_editor, until
from .projects import seed_projects
from .server import OrgServer

os.environ["ACCORD_FAKE_KEY"] = KEY
MODEL_DOC = "```text\nApply a percentage discount to a price.\n```\nDocumented."

STRICTER_BILLING = """
projects:
  billing:
    workflows:
      standard_development:
        triggers: [{low: 0, high: 4.9}]
        approvers: [developer, tech_lead]
"""


async def test_the_stricter_override_reaches_the_billing_editor_only(
    org: OrgServer, tmp_path: Path
) -> None:
    await seed_projects(org)
    admin = await org.client("admin@acme.test")
    try:
        text = await _default_policy_text()
        stored = await admin.request(
            "policy.set", PolicySet(yaml=text + STRICTER_BILLING), PolicyDocument
        )
    finally:
        await admin.close()
    editors = []
    for email, project in (("dev@acme.test", "shop"), ("dev2@acme.test", "billing")):
        home = tmp_path / "home" / project
        await log_in(org, email, home)
        editors.append(
            await start_editor(org, email, home, tmp_path / project / "repo", project=project)
        )
    try:
        for editor in editors:
            await until(
                lambda e=editor: _revision(e, stored.revision), what="the policy with overrides"
            )
        shop, billing = editors
        in_shop = await document_pricing(shop)
        in_billing = await document_pricing(billing)
        assert in_shop["applied"] is True and shop.edits == 1
        assert in_billing["applied"] is False and billing.edits == 0
        assert in_billing["workflow"] == "standard_development"
        assert in_billing["state"] == "pending" and in_billing["approval_id"]
    finally:
        for editor in editors:
            await editor.client.shutdown_session()


async def _revision(editor: object, revision: int) -> bool:
    return bool((await link_status(editor))["policy_revision"] == revision)  # type: ignore[arg-type]


PUBLIC_ONLY_IN_BILLING = """
projects:
  billing:
    provider_access:
      anthropic: {max_confidentiality: public}
"""


async def test_a_projects_provider_access_keeps_its_code_from_the_provider(
    org: OrgServer, tmp_path: Path
) -> None:
    await seed_projects(org)
    admin = await org.client("admin@acme.test")
    try:
        text = await _default_policy_text()
        stored = await admin.request(
            "policy.set", PolicySet(yaml=text + PUBLIC_ONLY_IN_BILLING), PolicyDocument
        )
    finally:
        await admin.close()
    with fake_provider() as fake:
        provider = (
            f'[providers.claude]\nkind = "anthropic"\nmodel = "claude-fake"\n'
            f'base-url = "{fake.url}"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n'
        )
        seen: dict[str, int] = {}
        for email, project in (("dev@acme.test", "shop"), ("dev2@acme.test", "billing")):
            home = tmp_path / "home" / project
            await log_in(org, email, home)
            editor = await start_editor(
                org, email, home, tmp_path / project / "repo", provider, project
            )
            try:
                await until(lambda e=editor: _revision(e, stored.revision), what="the policy")
                before = len(fake.requests)
                fake.then(Behaviour(text=MODEL_DOC))
                await document_pricing(editor)
                seen[project] = len(fake.requests) - before
            finally:
                await editor.client.shutdown_session()
    assert seen == {"shop": 1, "billing": 0}
