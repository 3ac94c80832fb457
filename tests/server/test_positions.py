"""Positions in the encoding the client negotiated: UTF-16 (VS Code) or UTF-8 (Neovim 0.11)."""

from __future__ import annotations

from pathlib import Path

from pytest_lsp import LanguageClient

from .lsp import change_doc, edit, open_doc

# `route` starts after 11 ASCII characters, two emoji and 12 more ASCII characters.
LINE = 'const s = "😀😀"; function route(x) { if (x) { return 1; } return 2; }\n'
COLUMNS = {"utf-8": 11 + 8 + 12, "utf-16": 11 + 4 + 12}


def _encoding(client: LanguageClient) -> str:
    general = client.capabilities.general if client.capabilities else None
    encodings = (general.position_encodings if general else None) or ["utf-16"]
    return "utf-8" if encodings[0] == "utf-8" else "utf-16"


async def test_columns_are_counted_in_the_negotiated_encoding(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 0\n")
    uri, diagnostics = await open_doc(client, workspace, "emoji.js", LINE, "javascript")
    encoding = _encoding(client)
    [found] = [d for d in diagnostics if d.code == "ACC001"]
    assert (found.range.start.line, found.range.start.character) == (0, COLUMNS[encoding])
    assert found.range.end.character - found.range.start.character == len("route")

    # An edit placed after the emoji, in the client's units, lands where the client meant.
    column = COLUMNS[encoding] + len("route")
    renamed = await change_doc(client, uri, 2, edit((0, column), (0, column), "Long"))
    [found] = [d for d in renamed if d.code == "ACC001"]
    assert found.range.end.character - found.range.start.character == len("routeLong")
    assert "routeLong" in found.message
