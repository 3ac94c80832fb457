"""``accord/team`` and ``accord.team.suggestion`` on a workspace with no org server."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_an_unlinked_workspace_says_how_to_link_it(client: LanguageClient) -> None:
    view = await client.protocol.send_request_async("accord/team", {})

    assert view.connected is False and view.project is None
    assert view.online == [] and view.suggestions == []
    assert "[org] url" in view.problem


async def test_deciding_with_no_team_is_a_clear_error(client: LanguageClient) -> None:
    with pytest.raises(Exception, match="no suggestion 'e:1' in the Team view"):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="accord.team.suggestion", arguments=[{"id": "e:1", "decision": "accept"}]
            )
        )
