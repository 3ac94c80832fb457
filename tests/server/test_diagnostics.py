"""Diagnostics end to end: the real server over stdio, driven as VS Code and Neovim drive it."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lsp import change_doc, edit, open_doc, published, settled, wait_for
from .samples import ROUTE

# A GitHub token's shape (made up), which ACC003 reports.
TOKEN = "ghp_R2d2C3poBb8Kk1Mm0Nn9Pp7Qq6Ss5Tt4Uu3V"


def _complexity(diagnostics: list[types.Diagnostic]) -> list[tuple[int, int, object]]:
    return [
        (d.range.start.line, d.range.start.character, (d.data or {}).get("value"))
        for d in diagnostics
        if d.code == "ACC001"
    ]


async def test_a_complex_function_is_reported_where_it_is_defined(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 3\n")
    _, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")

    [found] = [d for d in diagnostics if d.code == "ACC001"]
    assert found.range == types.Range(
        start=types.Position(line=0, character=4), end=types.Position(line=0, character=9)
    )
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.source == "accord"
    assert found.data == {"value": 4}
    assert "route" in found.message and "4" in found.message
    assert found.code_description is not None
    assert found.code_description.href.endswith("docs/rules.md#acc001-complexity")


async def test_diagnostics_move_with_edits_and_go_when_fixed(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 3\n")
    uri, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")
    assert _complexity(diagnostics) == [(0, 4, 4)]

    moved = await change_doc(client, uri, 2, edit((0, 0), (0, 0), "import os\n\n"))
    assert _complexity(moved) == [(2, 4, 4)]

    # Delete the last elif branch (now lines 7-8): complexity 3 is within the threshold.
    fixed = await change_doc(client, uri, 3, edit((7, 0), (9, 0), ""))
    assert _complexity(fixed) == []

    # Two changes in one notification, applied in order.
    both = await change_doc(
        client,
        uri,
        4,
        edit((0, 0), (2, 0), ""),
        edit((5, 0), (5, 0), '    elif x == 4:\n        return "d"\n'),
    )
    assert _complexity(both) == [(0, 4, 4)]


async def test_pulled_diagnostics_agree_with_pushed(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 0\n")
    uri, pushed = await open_doc(client, workspace, "route.py", ROUTE, "python")

    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert list(report.items) == pushed
    assert len(pushed) >= 2

    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=report.result_id,
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)


async def test_closing_a_document_withdraws_its_diagnostics(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 0\n")
    uri, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")
    assert diagnostics

    params = types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    client.text_document_did_close(params)
    # a publish for the open document may still be on its way; the withdrawal comes after it
    await wait_for(lambda: uri in client.diagnostics and len(client.diagnostics[uri]) == 0)


async def test_a_configuration_change_relints_open_documents(
    client: LanguageClient, workspace: Path
) -> None:
    uri, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")
    assert _complexity(diagnostics) == []

    client.set_configuration({"complexity": {"threshold": 0}}, section="accord")
    params = types.DidChangeConfigurationParams(settings=None)
    client.workspace_did_change_configuration(params)
    # A late push from the open (the debounced duplicate lookup) may come first: wait for the
    # relint itself.
    await wait_for(lambda: bool(_complexity(list(client.diagnostics.get(uri, [])))))
    assert _complexity(list(client.diagnostics[uri])) == [(0, 4, 4), (10, 4, 1)]


async def test_a_suppression_comment_hides_the_finding(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "accord.toml").write_text("[complexity]\nthreshold = 3\n")
    text = ROUTE.replace("def route(x):", "def route(x):  # accord: ignore[ACC001]")
    _, diagnostics = await open_doc(client, workspace, "route.py", text, "python")
    assert _complexity(diagnostics) == []


async def test_editing_the_config_file_relints(client: LanguageClient, workspace: Path) -> None:
    config = workspace / "accord.toml"
    config.write_text("[complexity]\nthreshold = 10\n")
    uri, diagnostics = await open_doc(client, workspace, "route.py", ROUTE, "python")
    assert _complexity(diagnostics) == []

    config.write_text("[complexity]\nthreshold = 3\n")
    change = types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)
    params = types.DidChangeWatchedFilesParams(changes=[change])
    relinted = await published(
        client, uri, lambda: client.workspace_did_change_watched_files(params)
    )
    assert _complexity(relinted) == [(0, 4, 4)]


async def test_edited_document_publishes_what_a_freshly_opened_copy_does(
    client: LanguageClient, workspace: Path
) -> None:
    """Differential over the wire: after an Enter, a class broken and mended and a paste in a
    stdlib module, the diagnostics pushed for the edited document (moved ones reused, not
    re-encoded) equal those of a copy opened with the final text."""
    (workspace / "accord.toml").write_text(
        'ignore = ["ACC002"]\n[complexity]\nthreshold = 2\n[size]\nmax-function-lines = 8\n'
    )
    text = (Path(sysconfig.get_paths()["stdlib"]) / "fractions.py").read_text("utf-8")
    uri, _ = await open_doc(client, workspace, "edited.py", text, "python")
    lines = text.split("\n")
    method = next(i for i, line in enumerate(lines) if line.startswith("    def __pow__"))
    steps = [
        ((method - 1, 0), (method - 1, 0), "        \n"),
        ((method, 0), (method, 0), "x\n"),
        ((method, 0), (method + 1, 0), ""),
        ((method, 0), (method, 0), "def pasted(a):\n    if a:\n        return 1\n    return 2\n"),
    ]
    for version, (start, end, new) in enumerate(steps, start=2):
        await change_doc(client, uri, version, edit(start, end, new))
        edited = await settled(client, uri)
        text = _replaced(text, start, end, new)
        _, fresh = await open_doc(client, workspace, f"copy{version}.py", text, "python")
        assert edited == fresh
        assert any(d.code == "ACC001" for d in edited)


def _replaced(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    lines = text.split("\n")
    begin = sum(len(line) + 1 for line in lines[: start[0]]) + start[1]
    finish = sum(len(line) + 1 for line in lines[: end[0]]) + end[1]
    return text[:begin] + new + text[finish:]


async def test_a_bracket_typed_open_in_a_large_class_settles_to_what_a_fresh_copy_shows(
    client: LanguageClient, workspace: Path
) -> None:
    """`x = f(` typed key by key on a new line at column 0 in _pydecimal's largest class, then a
    token pasted and the bracket closed: every key gets its diagnostics at once (provisional where the whole
    parse ran past its budget: nothing yet on the line), and once the edits pause the document
    shows what a copy opened with the same text shows, the token's finding included."""
    (workspace / "accord.toml").write_text('ignore = ["ACC002"]\n[complexity]\nthreshold = 4\n')
    text = (Path(sysconfig.get_paths()["stdlib"]) / "_pydecimal.py").read_text("utf-8")
    uri, _ = await open_doc(client, workspace, "edited.py", text, "python")
    row = text.split("\n").index("    def _rescale(self, exp, rounding):")
    keys = ["\n", *"x = f(", f'"{TOKEN}")']
    column = 0
    for version, key in enumerate(keys, start=2):
        await change_doc(client, uri, version, edit((row, column), (row, column), key))
        column += len(key) if key != "\n" else 0
    edited = await settled(client, uri)
    line = "".join(keys[1:])
    text = _replaced(text, (row, 0), (row, 0), f"{line}\n")
    _, fresh = await open_doc(client, workspace, "copy.py", text, "python")
    assert edited == fresh
    assert any(d.code == "ACC003" and d.range.start.line == row for d in edited)
