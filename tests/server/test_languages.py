"""Every supported language, opened in the editor: its functions' complexity is reported on
the line of their definition, and moves when lines are inserted above."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_lsp import LanguageClient

from .lsp import change_doc, edit, open_doc

# (file name, languageId, source); the function `pick` is defined on line 1 (0-based).
SAMPLES = [
    ("pick.py", "python", "# picks\ndef pick(x):\n    if x:\n        return 1\n    return 2\n"),
    (
        "pick.js",
        "javascript",
        "// picks\nfunction pick(x) {\n  if (x) { return 1; }\n  return 2;\n}\n",
    ),
    (
        "pick.ts",
        "typescript",
        "// picks\nfunction pick(x: number): number {\n  if (x) { return 1; }\n  return 2;\n}\n",
    ),
    (
        "pick.tsx",
        "typescriptreact",
        "// picks\nfunction pick(x: number) {\n  if (x) { return <b/>; }\n  return <i/>;\n}\n",
    ),
    (
        "Pick.java",
        "java",
        "class Pick {\n  int pick(int x) {\n    if (x > 0) { return 1; }\n    return 2;\n  }\n}\n",
    ),
    (
        "pick.kt",
        "kotlin",
        "// picks\nfun pick(x: Int): Int {\n    if (x > 0) { return 1 }\n    return 2\n}\n",
    ),
    (
        "pick.swift",
        "swift",
        "// picks\nfunc pick(x: Int) -> Int {\n    if x > 0 { return 1 }\n    return 2\n}\n",
    ),
    (
        "pick.go",
        "go",
        "package p\nfunc pick(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t}\n\treturn 2\n}\n",
    ),
    (
        "pick.rs",
        "rust",
        "// picks\nfn pick(x: i32) -> i32 {\n    if x > 0 { return 1; }\n    2\n}\n",
    ),
    (
        "Pick.cs",
        "csharp",
        "class Pick {\n  int pick(int x) {\n    if (x > 0) { return 1; }\n    return 2;\n  }\n}\n",
    ),
]


@pytest.mark.parametrize(("name", "language_id", "text"), SAMPLES, ids=[s[1] for s in SAMPLES])
async def test_each_language_reports_complexity_on_the_definition_line(
    client: LanguageClient, workspace: Path, name: str, language_id: str, text: str
) -> None:
    (workspace / "accord.toml").write_text("select = ['ACC001']\n[complexity]\nthreshold = 1\n")
    uri, diagnostics = await open_doc(client, workspace, name, text, language_id)
    [found] = diagnostics
    assert found.code == "ACC001"
    assert found.range.start.line == 1
    assert "pick" in found.message
    assert found.data == {"value": 2}

    moved = await change_doc(client, uri, 2, edit((0, 0), (0, 0), "\n\n"))
    assert [d.range.start.line for d in moved] == [3]
