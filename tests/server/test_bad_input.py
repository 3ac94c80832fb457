"""Bad input gets a clear message and loses nothing: the server keeps serving afterwards."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lsp import change_doc, edit, open_doc, published, wait_for
from .samples import ROUTE
from .wire import _read_message, start_lsp

THRESHOLD_3 = "[complexity]\nthreshold = 3\n"


async def _still_serving(client: LanguageClient, workspace: Path) -> None:
    _, diagnostics = await open_doc(client, workspace, "after.py", ROUTE, "python")
    assert [d.code for d in diagnostics if d.code == "ACC001"] == ["ACC001"]


async def test_a_binary_document_is_skipped_with_a_message(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text(THRESHOLD_3)
    _, diagnostics = await open_doc(client, workspace, "blob.py", "x = 1\x00\x01\x02", "python")
    assert diagnostics == []
    await wait_for(lambda: any("blob.py" in m.message for m in client.messages))
    assert any("binary" in m.message for m in client.messages)
    await _still_serving(client, workspace)


async def test_a_50_mb_document_is_skipped_quickly(client: LanguageClient, workspace: Path) -> None:
    (workspace / "accord.toml").write_text(THRESHOLD_3)
    line = "value = compute(1, 2, 3)  # padding padding padding padding padding\n"
    huge = line * (50_000_000 // len(line))
    uri = (workspace / "huge.py").as_uri()
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=huge)
    params = types.DidOpenTextDocumentParams(text_document=item)
    diagnostics = await asyncio.wait_for(
        published(client, uri, lambda: client.text_document_did_open(params)), 60
    )
    assert diagnostics == []
    assert any("huge.py" in m.message and "max-file-size" in m.message for m in client.messages)
    await _still_serving(client, workspace)


async def test_out_of_range_positions_are_clamped(client: LanguageClient, workspace: Path) -> None:
    (workspace / "accord.toml").write_text(THRESHOLD_3)
    uri, _ = await open_doc(client, workspace, "route.py", ROUTE, "python")
    # A character past the end of line 0 means its end; a line past the end means the end.
    after = await change_doc(client, uri, 2, edit((0, 500), (0, 900), "  # note"))
    assert [d.range.start.line for d in after if d.code == "ACC001"] == [0]
    appended = await change_doc(client, uri, 3, edit((400, 0), (401, 7), "\nz = 1\n"))
    assert [d.range.start.line for d in appended if d.code == "ACC001"] == [0]
    reversed_range = await change_doc(client, uri, 4, edit((11, 0), (10, 0), ""))
    assert [d.range.start.line for d in reversed_range if d.code == "ACC001"] == [0]


async def test_an_unknown_language_gets_no_diagnostics(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text(THRESHOLD_3)
    _, diagnostics = await open_doc(client, workspace, "deck.cbl", "IDENTIFICATION.", "cobol")
    assert diagnostics == []
    await _still_serving(client, workspace)


async def test_an_invalid_config_file_is_reported_and_defaults_apply(
    client: LanguageClient, workspace: Path
) -> None:
    config = workspace / "accord.toml"
    config.write_text('[complexity]\nthreshold = "high"\n')
    _, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")
    assert diagnostics is not None  # analysed with the defaults (threshold 10)
    params = types.DidChangeConfigurationParams(settings=None)
    client.workspace_did_change_configuration(params)
    await wait_for(lambda: any(str(config) in m.message for m in client.messages))
    [message] = {m.message for m in client.messages if str(config) in m.message}
    assert "complexity.threshold" in message


async def test_malformed_json_rpc_gets_an_error_and_the_server_carries_on() -> None:
    server = await start_lsp()
    assert server.stdin and server.stdout
    try:
        for body in (b"{not json", b'{"jsonrpc": "2.0", "id": 1, "method": 7}'):
            server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        initialize = {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
        body = json.dumps(initialize).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await server.stdin.drain()
        replies = [await asyncio.wait_for(_read_message(server.stdout), 15) for _ in range(2)]
        while not any(reply.get("id") == 2 for reply in replies):
            replies.append(await asyncio.wait_for(_read_message(server.stdout), 15))
        errors = [reply["error"]["code"] for reply in replies if "error" in reply]
        assert -32700 in errors  # parse error for the broken JSON
        [answer] = [reply for reply in replies if reply.get("id") == 2]
        assert answer["result"]["serverInfo"]["name"] == "accord"
    finally:
        server.kill()
        await server.wait()
