"""Fix: quick fixes for real ACC003/ACC004 findings parse, and the SQL fix stops injection."""

from __future__ import annotations

import sqlite3
import types

import pytest

from accord.agents.actions import action_for, fix
from accord.agents.actions.apply import apply_edits
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.config import Settings

from .tasks import SECRET, errors_in, finding_task


def fixed(task: Task) -> str:
    proposal = fix.to_proposal(task, fix.local_answer(task))
    return apply_edits(task.target.source, proposal.files[0].edits)


SECRETS = [
    (
        "python",
        f'"""Doc."""\nfrom __future__ import annotations\napi_key = "{SECRET}"\n',
        ['import annotations\nimport os\n\napi_key = os.environ["API_KEY"]'],
    ),
    (
        "python",
        f'import sys\nPASSWORD = "{SECRET}"\n',
        ['import os\nimport sys\nPASSWORD = os.environ["PASSWORD"]'],
    ),
    (
        "python",
        f'import os.path\nclient = Client(auth_token="{SECRET}")\n',
        ['Client(auth_token=os.environ["AUTH_TOKEN"])', "import os.path\nclient"],
    ),
    ("javascript", f'const apiKey = "{SECRET}";\n', ["const apiKey = process.env.API_KEY;"]),
    (
        "typescript",
        f'const config = {{ clientSecret: "{SECRET}" }};\n',
        ["clientSecret: process.env.CLIENT_SECRET"],
    ),
    ("tsx", f'const apiKey: string = "{SECRET}";\n', ["process.env.API_KEY"]),
    (
        "java",
        f'class A {{\n  String apiKey = "{SECRET}";\n}}\n',
        ['String apiKey = System.getenv("API_KEY");'],
    ),
    ("kotlin", f'val apiKey = "{SECRET}"\n', ['val apiKey = System.getenv("API_KEY")']),
    (
        "go",
        f'package m\n\nfunc f() {{\n\tapiKey := "{SECRET}"\n\t_ = apiKey\n}}\n',
        ['package m\n\nimport "os"\n', 'apiKey := os.Getenv("API_KEY")'],
    ),
    (
        "csharp",
        f'class A {{\n  string apiKey = "{SECRET}";\n}}\n',
        ["using System;\n", 'Environment.GetEnvironmentVariable("API_KEY")'],
    ),
    (
        "rust",
        f'fn f() {{\n    let api_key = "{SECRET}";\n}}\n',
        ['std::env::var("API_KEY").expect("API_KEY is not set")'],
    ),
    ("swift", f'let apiKey = "{SECRET}"\n', ['ProcessInfo.processInfo.environment["API_KEY"]']),
]


@pytest.mark.parametrize(
    ("language", "source", "expected"), SECRETS, ids=[f"{c[0]}-{i}" for i, c in enumerate(SECRETS)]
)
def test_secret_becomes_an_environment_lookup(
    language: str, source: str, expected: list[str]
) -> None:
    task = finding_task(language, source, "ACC003")
    assert fix.fixable("ACC003", language)
    edited = fixed(task)
    assert errors_in(language, edited) == []
    assert SECRET not in edited
    for text in expected:
        assert text in edited


def test_the_demos_migration_is_fixed_as_a_person_would_write_it() -> None:
    token = "ghp_" + "R8x2mQ7vL4nK9pT3wZ6yH1cJ5bF0dS8aE2gU"
    source = (
        f'def seed(connection):\n    token = "{token}"\n'
        '    connection.execute("insert into tokens values (?)", (token,))\n'
    )
    edited = fixed(finding_task("python", source, "ACC003"))
    assert edited.startswith("import os\n\n\ndef seed(connection):\n")
    assert 'token = os.environ["GITHUB_TOKEN"]' in edited


@pytest.mark.parametrize(
    ("name", "message", "variable"),
    [
        ("token", "Hard-coded GitHub token: move it", "GITHUB_TOKEN"),
        ("key", "Hard-coded AWS access key: move it", "AWS_ACCESS_KEY"),
        ("stripe_key", "Hard-coded secret: move it", "STRIPE_KEY"),
        ("deploy_token", "Hard-coded GitHub token: move it", "DEPLOY_TOKEN"),
        (None, "Hard-coded secret in a comment: x", "SECRET"),
    ],
)
def test_the_variable_is_the_more_telling_of_name_and_kind(
    name: str | None, message: str, variable: str
) -> None:
    from accord.agents.actions.secret_env import _variable

    assert _variable(name, message) == variable


def test_known_format_secret_is_named_after_its_kind() -> None:
    source = 'print("token ghp_R8x2mQ7vL4nK9pT3wZ6yH1cJ5bF0dS8aE2gU")\n'
    task = finding_task("python", source, "ACC003")
    assert 'print(os.environ["' in fixed(task)


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", "# key ghp_Q2w9Er4tY7uI1oP6aS3dF8gH5jK0lZxCvBn4\n"),
        ("go", f'package m\n\nconst apiKey = "{SECRET}"\n'),
    ],
)
def test_no_sound_fix(language: str, source: str) -> None:
    task = finding_task(language, source, "ACC003")
    with pytest.raises(ActionFailed, match="no sound fix"):
        fix.local_answer(task)


MODULE = "import sqlite3\n\n\ndef find(db, name):\n    return db.execute({query}).fetchall()\n"
QUERIES = [
    '"SELECT id FROM users WHERE name = \'" + name + "\'"',
    "f\"SELECT id FROM users WHERE name = '{name}'\"",
    "\"SELECT id FROM users WHERE name = '%s'\" % name",
    "\"SELECT id FROM users WHERE name = '%s' AND id > %d\" % (name, 0)",
    "\"SELECT id FROM users WHERE name = '{}'\".format(name)",
]


@pytest.mark.parametrize("query", QUERIES)
def test_sql_fix_runs_and_stops_injection(query: str) -> None:
    source = MODULE.format(query=query)
    vulnerable = _load(source)
    task = finding_task("python", source, "ACC004")
    edited = fixed(task)
    assert (
        "?" in edited
        and "sqlite3's style" not in fix.to_proposal(task, fix.local_answer(task)).rationale
    )
    safe = _load(edited)
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE users (id INTEGER, name TEXT); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');"
    )
    attack = "x' OR '1'='1"
    assert len(vulnerable(db, attack)) == 2  # the original leaks every row
    assert safe(db, attack) == [] and safe(db, "ann") == [(1,)]
    assert (
        DocumentAnalysis(
            SourceDocument.from_text(all_languages()["python"], edited), Settings(), "m"
        ).findings
        == []
    )


def _load(source: str) -> types.FunctionType:
    namespace: dict[str, object] = {}
    exec(compile(source, "<fixed>", "exec"), namespace)
    function = namespace["find"]
    assert isinstance(function, types.FunctionType)
    return function


@pytest.mark.parametrize(
    ("imports", "placeholder", "guessed"),
    [
        ("import psycopg2\n", "%s", False),
        ("", "?", True),
        ("import sqlite3\n", "?", False),
    ],
)
def test_placeholder_follows_the_driver(imports: str, placeholder: str, guessed: bool) -> None:
    source = (
        imports
        + "def f(cur, x):\n    cur.execute('SELECT 1 WHERE a = ' + x + ' AND b LIKE \"%\"')\n"
    )
    task = finding_task("python", source, "ACC004")
    proposal = fix.to_proposal(task, fix.local_answer(task))
    edited = apply_edits(source, proposal.files[0].edits)
    expected = "%%" if placeholder == "%s" else '%"'
    assert f"a = {placeholder}" in edited and expected in edited and ", (x,))" in edited
    assert ("not known from the imports" in proposal.rationale) is guessed


def test_model_answer_goes_through_the_same_path() -> None:
    task = finding_task("python", MODULE.format(query=QUERIES[0]), "ACC004")
    answer = 'Here:\n```python\ndb.execute("SELECT id FROM users WHERE name = ?", (name,))\n```'
    edited = apply_edits(task.target.source, fix.to_proposal(task, answer).files[0].edits)
    assert 'return db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()' in edited


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        ("ACC003", "rust", True),
        ("ACC004", "python", True),
        ("ACC004", "java", False),
        ("ACC001", "python", False),
    ],
)
def test_fixable(code: str, language: str, expected: bool) -> None:
    assert fix.fixable(code, language) is expected


def test_contract_and_prompt() -> None:
    action = action_for(ActionKind.FIX)
    assert (action.CAPABILITY, action.EXPERTISE) == ("code_generation", "security")
    task = finding_task("python", MODULE.format(query=QUERIES[0]), "ACC004")
    _, messages = action.prompt(task)
    assert "db.execute(" in messages[-1].content and "```text" in messages[-1].content


JS_SQL = [
    (
        "javascript",
        'const pg = require(\'pg\');\ndb.query("SELECT * FROM t WHERE id = " + id + " AND n = \'" + n + "\'");\n',
        'db.query("SELECT * FROM t WHERE id = $1 AND n = $2", [id, n])',
        False,
    ),
    (
        "typescript",
        "import mysql from 'mysql2';\ndb.query(`SELECT * FROM t WHERE id = ${id} AND s = \"x\"`);\n",
        'db.query("SELECT * FROM t WHERE id = ? AND s = \\"x\\"", [id])',
        False,
    ),
    (
        "tsx",
        "db.execute('SELECT * FROM t WHERE a = \\'' + a + \"'\");\n",
        'db.execute("SELECT * FROM t WHERE a = ?", [a])',
        True,
    ),
]


@pytest.mark.parametrize(
    ("language", "source", "expected", "guessed"), JS_SQL, ids=[c[0] for c in JS_SQL]
)
def test_js_sql_becomes_parameterised(
    language: str, source: str, expected: str, guessed: bool
) -> None:
    task = finding_task(language, source, "ACC004")
    proposal = fix.to_proposal(task, fix.local_answer(task))
    edited = apply_edits(source, proposal.files[0].edits)
    assert expected in edited
    assert errors_in(language, edited) == []
    assert ("not known from the imports" in proposal.rationale) is guessed
