"""ACC002 across open documents: a clone group is reported once, in its first place (by URI,
then line), pointing at the other copies; fixing one copy clears it once edits pause."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from ..analyzers.duplication.test_duplication import REPORT
from .lsp import edit, open_doc, wait_for


def _acc002(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.code == "ACC002"]


async def test_a_copy_in_another_file_is_reported_once_and_clears_when_fixed(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("select = ['ACC002']\n[duplication]\nmin-tokens = 30\n")
    first, _ = await open_doc(client, workspace, "reports.py", REPORT, "python")
    second, diagnostics = await open_doc(client, workspace, "exports.py", REPORT, "python")

    [copy] = [d for d in diagnostics if d.code == "ACC002"]
    assert copy.range.start == types.Position(line=0, character=0)
    assert copy.range.end.line == 7
    [related] = copy.related_information or []
    assert related.location.uri == first
    assert related.location.range.start.line == 0
    assert second < first  # exports.py comes first: the group is reported there alone
    await wait_for(lambda: not _acc002(client, first))

    # Rewrite the copy's loop: once the edits pause, neither file reports a duplicate.
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=second, version=2),
        content_changes=[edit((2, 0), (6, 0), "    rows.extend(map(summarise, orders))\n")],
    )
    client.text_document_did_change(params)
    await wait_for(lambda: not _acc002(client, first) and not _acc002(client, second))
