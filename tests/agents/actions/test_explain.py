"""Explain: the local markdown states the signature, flow, calls and findings of the target."""

from __future__ import annotations

import pytest

from accord.agents.actions import action_for, explain
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, TargetKind

from .tasks import make_task

PY = (
    "def load_user(cur, user_id: int) -> list:\n"
    "    for i in range(3):\n"
    "        if i:\n"
    "            cur.execute('SELECT * FROM u WHERE id = ' + str(user_id))\n"
    "    raise KeyError(user_id)\n"
)

CASES = [
    (
        "python",
        PY,
        1,
        [
            "Function `load_user`",
            "`user_id`: `int`",
            "`KeyError`",
            "cyclomatic complexity 3",
            "`cur.execute`",
            "`ACC004`",
            "line 4",
        ],
    ),
    (
        "javascript",
        "function check(a) {\n  if (a) { return eval(a); }\n  throw new TypeError('x');\n}\n",
        1,
        ["Function `check`", "`TypeError`", "cyclomatic complexity 2", "`eval`", "returns a value"],
    ),
    (
        "java",
        "class A {\n  int f(int a) {\n    while (a > 0) { a = g(a); }\n    return a;\n  }\n}\n",
        2,
        ["Function `f`", "`a`: `int`", "cyclomatic complexity 2", "`g`", "Findings**: none"],
    ),
    (
        "go",
        'package m\n\nfunc Run(n int) error {\n\tif n > 0 {\n\t\treturn nil\n\t}\n\treturn fmt.Errorf("x")\n}\n',
        3,
        ["Function `Run`", "an error result", "cyclomatic complexity 2", "`fmt.Errorf`"],
    ),
    (
        "rust",
        'fn f(a: i32) -> i32 {\n    if a > 1 { panic!("x"); }\n    a\n}\n',
        1,
        ["Function `f`", "`panic`", "cyclomatic complexity 2"],
    ),
]


@pytest.mark.parametrize(
    ("language", "source", "line", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_local_explanation(language: str, source: str, line: int, expected: list[str]) -> None:
    task = make_task(ActionKind.EXPLAIN, language, source, line)
    proposal = explain.to_proposal(task, explain.local_answer(task))
    assert proposal.files == ()
    for text in expected:
        assert text in proposal.markdown


def test_selection_outside_definitions_lists_its_findings() -> None:
    source = "import os\nos.system('ls ' + name)\n"
    task = make_task(
        ActionKind.EXPLAIN, "python", source, 1, target=TargetKind.SELECTION, end=(1, 23)
    )
    markdown = explain.to_proposal(task, explain.local_answer(task)).markdown
    assert markdown.startswith("### Selection") and "`ACC004`" in markdown


@pytest.mark.parametrize(
    ("answer", "markdown"),
    [
        ("```markdown\n# Hi\n```", "# Hi\n"),
        ("  # Hi\n", "# Hi\n"),
        ("Text\n```py\nx\n```", "Text\n```py\nx\n```\n"),
    ],
)
def test_model_answer_is_the_markdown(answer: str, markdown: str) -> None:
    task = make_task(ActionKind.EXPLAIN, "python", PY, 1)
    assert explain.to_proposal(task, answer).markdown == markdown


def test_empty_answer_fails() -> None:
    with pytest.raises(ActionFailed):
        explain.to_proposal(make_task(ActionKind.EXPLAIN, "python", PY, 1), " \n")


def test_contract() -> None:
    action = action_for(ActionKind.EXPLAIN)
    assert (action.CAPABILITY, action.EXPERTISE) == ("analysis", "problem_solving")
    _, messages = action.prompt(make_task(ActionKind.EXPLAIN, "python", PY, 1))
    assert "markdown" in messages[-1].content
