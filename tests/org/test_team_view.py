"""The Team view (``accord/team``) of two language servers in one room of a real org server:
who is online, a teammate's agent at work, the project's pending approvals, and a suggestion
posted on a selection, then accepted; bad requests get a clear error."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types

from .editors import Editor, document_pricing, fix_the_migration, until


async def team(editor: Editor) -> Any:
    return await editor.client.protocol.send_request_async("accord/team", {})


async def test_the_team_view_shows_who_is_online_and_what_their_agents_do(
    pair: tuple[Editor, Editor],
) -> None:
    dev, lead = pair

    async def both_online() -> bool:
        return set((await team(lead)).online) == {"dev@acme.test", "lead@acme.test"}

    await until(both_online, what="both users online in lead's Team view")

    await document_pricing(dev)

    async def devs_agent_done() -> bool:
        activity = (await team(lead)).activity
        return any(a.actor == "dev@acme.test" and a.step == "proposal" for a in activity)

    await until(devs_agent_done, what="dev's agent in lead's Team view")
    [seen] = (await team(lead)).activity
    assert (seen.action, seen.file, seen.status) == ("document", "pricing.py", "completed")
    assert any(c.activity for c in lead.notes["accord/teamChanged"])  # pushed, not only answered

    result = await fix_the_migration(dev)
    assert result["state"] == "pending"

    await until(
        lambda: any(
            a.id == result["approval_id"]
            for note in lead.notes["accord/teamChanged"]
            for a in note.approvals
        ),
        what="the pending approval pushed to lead's Team view",
    )
    # The room hears of it too, so teammates the org server does not push it to read it again.
    await until(
        lambda: any(e.kind == "approval" and e.data.id == result["approval_id"] for e in lead.room),
        what="the approval's room event",
    )
    [approval] = (await team(lead)).approvals
    assert approval.requester == "dev@acme.test" and approval.risk >= 7
    assert "tech_lead" in approval.missing_roles


async def test_a_suggestion_on_a_selection_is_accepted_and_its_author_hears_of_it(
    pair: tuple[Editor, Editor],
) -> None:
    dev, lead = pair
    selection = {"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 0}}
    sent = await lead.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.room.suggest",
            arguments=[
                {
                    "text": "Round prices to cents",
                    "uri": (lead.root / "shop" / "pricing.py").as_uri(),
                    "range": selection,
                }
            ],
        )
    )
    assert sent["sent"] is True

    async def suggested() -> bool:
        return bool((await team(dev)).suggestions)

    await until(suggested, what="the suggestion in dev's Team view")
    [suggestion] = (await team(dev)).suggestions
    assert (suggestion.author, suggestion.text) == ("lead@acme.test", "Round prices to cents")
    assert suggestion.file == "shop/pricing.py" and suggestion.state == "open"
    assert suggestion.range.start.line == 3
    assert not (await team(lead)).suggestions  # one's own suggestions are not offered back

    answer = await dev.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.team.suggestion",
            arguments=[{"id": suggestion.id, "decision": "accept"}],
        )
    )

    assert answer["state"] == "accepted"
    assert (await team(dev)).suggestions[0].state == "accepted"
    await until(
        lambda: any(
            e.kind == "suggestion.decision" and e.data.decision == "accepted" for e in lead.room
        ),
        what="lead to hear the suggestion was accepted",
    )
    for wrong in ({"id": "nope:1", "decision": "accept"}, {"id": "x", "decision": "maybe"}, {}):
        with pytest.raises(Exception, match="suggestion"):
            await dev.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="accord.team.suggestion", arguments=[wrong])
            )
    with pytest.raises(Exception, match="not in the project"):
        await lead.client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="accord.room.suggest", arguments=[{"text": "hm", "uri": "file:///etc/x"}]
            )
        )
