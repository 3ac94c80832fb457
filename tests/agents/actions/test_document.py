"""Document: the local answer placed in each language parses and says what the AST shows."""

from __future__ import annotations

import ast

import pytest

from accord.agents.actions import action_for, document
from accord.agents.actions.apply import apply_edits
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind

from .tasks import errors_in, make_task

# language, source, line inside the definition, texts the documented source must hold.
CASES = [
    (
        "python",
        "import os\n\n\ndef parse_config_file(path: str, strict=False) -> dict:\n    if strict:\n        raise ValueError(path)\n    return {}\n",
        4,
        [
            "Parse config file.",
            "path (str): Passed to `ValueError`.",
            "strict: Defaults to `False`.",
            "Returns:",
            "ValueError: If `strict`.",
        ],
    ),
    (
        "javascript",
        "class A {\n  parseConfig(path, strict = false) {\n    if (strict) throw new TypeError('x');\n    return {};\n  }\n}\n",
        2,
        ["/**", "   * Parse config.", "@param [strict=false]", "@returns", "@throws {TypeError}"],
    ),
    (
        "typescript",
        "export function parseConfig(path: string): number {\n  throw new RangeError('x');\n}\n",
        1,
        ["/**\n * Parse config.", "@param {string} path", "@throws {RangeError}"],
    ),
    (
        "tsx",
        "function renderItem(item: string): number {\n  return 1;\n}\n",
        1,
        ["@param {string} item", "@returns {number}"],
    ),
    (
        "java",
        "class A {\n  @Override\n  public int parseConfig(String path) throws IOException {\n    return 1;\n  }\n}\n",
        3,
        [
            "  /**\n   * Parse config.",
            "@param path TODO: describe path.",
            "@return TODO: describe the result.",
            "@throws IOException",
            "*/\n  @Override",
        ],
    ),
    (
        "kotlin",
        'class A {\n  fun parseConfig(path: String): Int {\n    throw IllegalStateException("x")\n  }\n}\n',
        2,
        ["@param path TODO: describe path.", "@throws IllegalStateException"],
    ),
    (
        "swift",
        "class A {\n  func parseConfig(path: String) throws -> Int {\n    throw ConfigError.bad\n    return 1\n  }\n}\n",
        2,
        [
            "  /// Parse config.",
            "///   - path: TODO: describe path.",
            "/// - Returns: TODO: describe the result.",
            "/// - Throws: ConfigError.bad",
        ],
    ),
    (
        "go",
        "package m\n\nfunc ParseConfig(path string) (int, error) {\n\treturn 0, nil\n}\n",
        3,
        ["// ParseConfig does this: parse config.", "path (string)", "non-nil error"],
    ),
    (
        "rust",
        'fn parse_config(path: &str) -> Result<i32, String> {\n    if path.is_empty() { panic!("empty"); }\n    Ok(1)\n}\n',
        1,
        [
            "/// Parse config.",
            "/// * `path` - Its `is_empty` is used.",
            "/// # Errors",
            "/// # Panics",
        ],
    ),
    (
        "csharp",
        'class A {\n  public int ParseConfig(string path) {\n    throw new ArgumentException("x");\n    return 1;\n  }\n}\n',
        2,
        [
            "  /// <summary>",
            '/// <param name="path">TODO: describe path.</param>',
            "<returns>",
            '<exception cref="ArgumentException">',
        ],
    ),
]


@pytest.mark.parametrize(
    ("language", "source", "line", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_local_answer_placed_parses_and_documents(
    language: str, source: str, line: int, expected: list[str]
) -> None:
    task = make_task(ActionKind.DOCUMENT, language, source, line)
    proposal = document.to_proposal(task, document.local_answer(task))
    edited = apply_edits(source, proposal.files[0].edits)
    assert errors_in(language, edited) == []
    for text in expected:
        assert text in edited
    # The comment is inserted: nothing of the original is replaced.
    assert all(edit.range.start == edit.range.end for edit in proposal.files[0].edits)


@pytest.mark.parametrize(
    ("source", "line", "docstring"),
    [
        (
            "def f(a):\n    return a\n",
            1,
            "F.\n\nArgs:\n    a: Returned as is.\n\nReturns:\n    TODO: describe the result.",
        ),
        (
            'def f():\n    """Old."""\n    return 1\n',
            1,
            "Old.\n\nReturns:\n    TODO: describe the result.",
        ),
        ("def f(): return 1\n", 0, "F.\n\nReturns:\n    TODO: describe the result."),
        (
            "def f(\n    a,\n): return a\n",
            0,
            "F.\n\nArgs:\n    a: Returned as is.\n\nReturns:\n    TODO: describe the result.",
        ),
        ("class Http_Server:\n    x = 1\n", 1, "Http server."),
        (
            "def gen(n):\n    yield n\n",
            1,
            "Gen.\n\nArgs:\n    n: TODO: describe n.\n\nYields:\n    TODO: describe the values it yields.",
        ),
    ],
)
def test_python_docstring_is_the_first_statement(source: str, line: int, docstring: str) -> None:
    task = make_task(ActionKind.DOCUMENT, "python", source, line)
    edited = apply_edits(
        source, document.to_proposal(task, document.local_answer(task)).files[0].edits
    )
    definition = ast.parse(edited).body[0]
    assert isinstance(definition, ast.FunctionDef | ast.ClassDef)
    assert ast.get_docstring(definition) == docstring


def test_model_answer_with_quotes_is_escaped() -> None:
    source = "def f():\n    pass\n"
    task = make_task(ActionKind.DOCUMENT, "python", source, 1)
    answer = 'Sure:\n```text\nSays """hi""" and \\n.\n```\n'
    edited = apply_edits(source, document.to_proposal(task, answer).files[0].edits)
    function = ast.parse(edited).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function) == 'Says """hi""" and \\n.'


@pytest.mark.parametrize("answer", ["no block here", "```text\n\n```"])
def test_answer_without_a_comment_fails(answer: str) -> None:
    task = make_task(ActionKind.DOCUMENT, "python", "def f():\n    pass\n", 1)
    with pytest.raises(ActionFailed):
        document.to_proposal(task, answer)


def test_outside_a_definition_fails() -> None:
    task = make_task(ActionKind.DOCUMENT, "python", "x = 1\n", 0)
    with pytest.raises(ActionFailed, match="not inside a function or class"):
        document.local_answer(task)


def test_contract_and_prompt() -> None:
    action = action_for(ActionKind.DOCUMENT)
    assert (action.KIND, action.CAPABILITY, action.EXPERTISE) == (
        ActionKind.DOCUMENT,
        "code_generation",
        "documentation",
    )
    task = make_task(ActionKind.DOCUMENT, "go", CASES[7][1], 3)
    system, messages = action.prompt(task)
    assert "ParseConfig" in messages[-1].content and "```text" in messages[-1].content and system


@pytest.mark.parametrize(
    ("language", "source", "line", "kept"),
    [
        (
            "java",
            "class A {\n  // keep me\n  /**\n   * Old.\n   */\n  int f() { return 1; }\n}\n",
            5,
            [
                "// keep me",
                "  /**\n   * Old.\n   *\n   * @return TODO: describe the result.\n   */\n  int f()",
            ],
        ),
        ("rust", "/// Old.\n/// More.\nfn f() {}\n", 2, []),
        ("go", "package m\n\n// F Old.\nfunc F() {}\n", 3, ["package m"]),
        (
            "typescript",
            "/* licence */\n/** Old. */\nexport function f(a: number): void {}\n",
            2,
            [
                "/* licence */",
                "/** Old.\n *\n * @param {number} a - TODO: describe a.\n */\nexport",
            ],
        ),
    ],
)
def test_existing_doc_comment_is_kept_and_completed(
    language: str, source: str, line: int, kept: list[str]
) -> None:
    task = make_task(
        ActionKind.DOCUMENT, language, source, line, column=len(source.split("\n")[line]) - 1
    )
    proposal = document.to_proposal(task, document.local_answer(task))
    edited = apply_edits(source, [e for f in proposal.files for e in f.edits])
    assert "Old." in edited and errors_in(language, edited) == []
    assert all(text in edited for text in kept)
    assert all(e.range.start == e.range.end for f in proposal.files for e in f.edits)
    if not proposal.files:
        assert edited == source and "No edit" in proposal.rationale


def test_offline_descriptions_say_what_the_code_shows_and_mark_the_rest_todo() -> None:
    source = (
        "def send(message, recipients, retries=3):\n"
        "    if not recipients:\n"
        "        raise ValueError('nobody to send to')\n"
        "    for _ in recipients:\n"
        "        pass\n"
        "    return deliver(message.body, retries)\n"
    )
    task = make_task(ActionKind.DOCUMENT, "python", source, 0)

    proposal = document.to_proposal(task, document.local_answer(task))

    edited = apply_edits(source, proposal.files[0].edits)
    assert "message: Its `body` is used." in edited
    assert "recipients: Iterated over." in edited
    assert "retries: Passed to `deliver`; defaults to `3`." in edited
    assert "    What `deliver` returns." in edited
    assert "ValueError: If `not recipients`." in edited
    assert "TODO" not in edited and "TODO" not in proposal.rationale


def test_what_the_code_does_not_show_is_a_todo_the_proposal_mentions() -> None:
    source = "def area(width, height):\n    return width * height\n"
    task = make_task(ActionKind.DOCUMENT, "python", source, 0)

    proposal = document.to_proposal(task, document.local_answer(task))

    edited = apply_edits(source, proposal.files[0].edits)
    assert "width: TODO: describe width." in edited
    assert "TODO: describe the result." in edited
    assert "3 descriptions are marked TODO" in proposal.rationale
