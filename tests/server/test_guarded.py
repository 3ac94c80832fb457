"""One error wrapper for every handler, sync or async: logged by name, answered, never fatal."""

from __future__ import annotations

import pytest
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams

from accord.server.features import RAISE, guarded


def test_a_failing_sync_handler_is_logged_by_name_and_answers_its_fallback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @guarded("code_actions", fallback=list)
    def actions(uri: str) -> list[str]:
        raise KeyError(uri)

    assert actions("file:///x.py") == []
    assert "Error in 'code_actions.actions' handler" in caplog.text


async def test_a_failing_async_handler_is_logged_and_a_command_fails_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @guarded("org")
    async def shutdown() -> None:
        raise OSError("socket gone")

    @guarded("agent_commands", fallback=RAISE)
    async def run(data: object) -> dict[str, str]:
        raise ValueError("no such action")

    assert await shutdown() is None
    with pytest.raises(JsonRpcInternalError, match="agent_commands.run failed: no such action"):
        await run({})
    assert "Error in 'org.shutdown' handler" in caplog.text
    assert "Error in 'agent_commands.run' handler" in caplog.text


async def test_json_rpc_errors_are_the_answer_and_pass_through() -> None:
    @guarded("collaboration", fallback=RAISE)
    async def set_mode(request: dict[str, str]) -> None:
        raise JsonRpcInvalidParams(message="takes {'mode': ...}")

    @guarded("documents")
    def did_open(uri: str) -> None:
        raise JsonRpcInvalidParams(message="bad uri")

    with pytest.raises(JsonRpcInvalidParams):
        await set_mode({})
    with pytest.raises(JsonRpcInvalidParams):
        did_open("")
