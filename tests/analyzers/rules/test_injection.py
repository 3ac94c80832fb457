"""ACC004: injection-prone calls, per language."""

from __future__ import annotations

import pytest

from accord.analyzers.rules.injection import RULE
from accord.config import Settings

from .chunking import (
    assert_chunk_independent,
    assert_edits_keep_findings,
    document,
    full_run,
    reported,
)

# (language, source, the text each finding covers)
POSITIVE = [
    ("python", "eval(user_input)\n", ["eval(user_input)"]),
    ("python", 'exec(compile(src, "f", "exec"))\n', ['exec(compile(src, "f", "exec"))']),
    ("python", "subprocess.run(cmd, shell=True)\n", ["subprocess.run(cmd, shell=True)"]),
    ("python", 'check_output(f"ls {p}", shell=True)\n', ['check_output(f"ls {p}", shell=True)']),
    ("python", 'os.system("rm -rf " + path)\n', ['os.system("rm -rf " + path)']),
    ("python", "os.popen(command)\n", ["os.popen(command)"]),
    (
        "python",
        'cur.execute("SELECT * FROM t WHERE id = %s" % uid)\n',
        ['cur.execute("SELECT * FROM t WHERE id = %s" % uid)'],
    ),
    (
        "python",
        'cur.executemany(f"INSERT INTO {table} VALUES (?)", rows)\n',
        ['cur.executemany(f"INSERT INTO {table} VALUES (?)", rows)'],
    ),
    (
        "python",
        'cur.execute("SELECT {}".format(column))\n',
        ['cur.execute("SELECT {}".format(column))'],
    ),
    (
        "python",
        'User.objects.raw("SELECT * FROM u WHERE n = \'" + name + "\'")\n',
        ['User.objects.raw("SELECT * FROM u WHERE n = \'" + name + "\'")'],
    ),
    ("javascript", "eval(code);\n", ["eval(code)"]),
    ("javascript", 'const f = new Function("a", body);\n', ['new Function("a", body)']),
    ("javascript", 'setTimeout("tick()", 100);\n', ['setTimeout("tick()", 100)']),
    ("javascript", "el.innerHTML = html;\n", ["el.innerHTML = html"]),
    ("javascript", "el.outerHTML += `<b>${name}</b>`;\n", ["el.outerHTML += `<b>${name}</b>`"]),
    ("javascript", "document.write(banner);\n", ["document.write(banner)"]),
    ("javascript", "child.exec(`ls ${dir}`);\n", ["child.exec(`ls ${dir}`)"]),
    (
        "typescript",
        'db.query("SELECT * FROM t WHERE id = " + id);\n',
        ['db.query("SELECT * FROM t WHERE id = " + id)'],
    ),
    ("tsx", "node.innerHTML = props.html;\n", ["node.innerHTML = props.html"]),
    (
        "java",
        'class A { void f() { Runtime.getRuntime().exec("ls " + dir); } }\n',
        ['Runtime.getRuntime().exec("ls " + dir)'],
    ),
    (
        "java",
        'class A { void f() { c.createStatement().executeQuery("SELECT " + x); } }\n',
        ['c.createStatement().executeQuery("SELECT " + x)'],
    ),
    (
        "java",
        'class A { void f() { c.prepareStatement(String.format("SELECT %s", t)); } }\n',
        ['c.prepareStatement(String.format("SELECT %s", t))'],
    ),
    (
        "java",
        'class A { void f() { new ProcessBuilder("sh", "-c", cmd); } }\n',
        ['new ProcessBuilder("sh", "-c", cmd)'],
    ),
    (
        "kotlin",
        'fun f() { Runtime.getRuntime().exec("ls $dir") }\n',
        ['Runtime.getRuntime().exec("ls $dir")'],
    ),
    (
        "kotlin",
        'fun f() { Runtime.getRuntime().exec("ls " + dir) }\n',
        ['Runtime.getRuntime().exec("ls " + dir)'],
    ),
    (
        "kotlin",
        'fun f() { stmt.executeQuery("SELECT ${cols} FROM t") }\n',
        ['stmt.executeQuery("SELECT ${cols} FROM t")'],
    ),
    (
        "go",
        'package p\nfunc f() { db.Query(fmt.Sprintf("SELECT %s", c)) }\n',
        ['db.Query(fmt.Sprintf("SELECT %s", c))'],
    ),
    (
        "go",
        'package p\nfunc f() { db.ExecContext(ctx, "DELETE FROM " + t) }\n',
        ['db.ExecContext(ctx, "DELETE FROM " + t)'],
    ),
    (
        "go",
        'package p\nfunc f() { exec.Command("sh", "-c", cmd) }\n',
        ['exec.Command("sh", "-c", cmd)'],
    ),
    (
        "csharp",
        'class A { void F() { var c = new SqlCommand("SELECT " + x, conn); } }\n',
        ['new SqlCommand("SELECT " + x, conn)'],
    ),
    (
        "csharp",
        'class A { void F() { cmd.CommandText = $"SELECT {x}"; } }\n',
        ['cmd.CommandText = $"SELECT {x}"'],
    ),
    (
        "csharp",
        'class A { void F() { Process.Start("cmd", "/c " + x); } }\n',
        ['Process.Start("cmd", "/c " + x)'],
    ),
    (
        "rust",
        'fn f() { Command::new("sh").arg("-c").arg(format!("ls {}", d)).output(); }\n',
        ['Command::new("sh").arg("-c").arg(format!("ls {}", d))'],
    ),
    (
        "swift",
        'let e = NSExpression(format: "name == \\(input)")\n',
        ['NSExpression(format: "name == \\(input)")'],
    ),
    ("swift", 'task.arguments = ["-c", "ls \\(dir)"]\n', ['task.arguments = ["-c", "ls \\(dir)"]']),
]


@pytest.mark.parametrize(("language", "source", "expected"), POSITIVE)
def test_reports_injection_prone_calls(language: str, source: str, expected: list[str]) -> None:
    assert reported(RULE, language, source) == expected


NEGATIVE = [
    ("python", 'eval("1 + 2")\n'),
    ("python", 'subprocess.run("ls -l", shell=True)\n'),
    ("python", "subprocess.run(['ls', path])\n"),
    ("python", "subprocess.run(cmd)\n"),
    ("python", 'os.system("make")\n'),
    ("python", 'cur.execute("SELECT * FROM t WHERE id = %s", (uid,))\n'),
    ("python", "cur.execute(query, params)\n"),
    ("python", 'cur.execute("SELECT " "1")\n'),
    ("python", "model.eval()\n"),
    ("javascript", 'eval("2 + 2");\n'),
    ("javascript", 'new Function("a", "return a");\n'),
    ("javascript", "setTimeout(() => tick(), 100);\n"),
    ("javascript", 'el.innerHTML = "";\n'),
    ("javascript", "el.textContent = html;\n"),
    ("javascript", "db.query(sql, [id]);\n"),
    ("typescript", "const rows = sql`SELECT * FROM t WHERE id = ${id}`;\n"),
    ("java", 'class A { void f() { Runtime.getRuntime().exec(new String[] {"ls", dir}); } }\n'),
    ("java", 'class A { void f() { c.prepareStatement("SELECT * FROM t WHERE id = ?"); } }\n'),
    ("kotlin", 'fun f() { Runtime.getRuntime().exec("ls") }\n'),
    ("kotlin", 'fun f() { stmt.executeQuery("SELECT 1") }\n'),
    ("go", 'package p\nfunc f() { db.Query("SELECT * FROM t WHERE id = $1", id) }\n'),
    ("go", 'package p\nfunc f() { exec.Command("ls", dir) }\n'),
    ("csharp", 'class A { void F() { var c = new SqlCommand("SELECT 1", conn); } }\n'),
    ("csharp", 'class A { void F() { Process.Start("notepad.exe"); } }\n'),
    ("rust", 'fn f() { Command::new("ls").arg(dir).output(); }\n'),
    ("rust", 'fn f() { Command::new("sh").arg("-c").arg("ls -l").output(); }\n'),
    ("swift", 'let e = NSExpression(format: "name == %@", input)\n'),
    ("swift", 'task.arguments = ["-l", dir]\n'),
]


@pytest.mark.parametrize(("language", "source"), NEGATIVE)
def test_ignores_safe_calls(language: str, source: str) -> None:
    assert reported(RULE, language, source) == []


@pytest.mark.parametrize(
    ("language", "source", "callee"),
    [
        ("python", 'eval(expr, {"f": lambda v: v})\n', "eval"),
        ("javascript", "document.write(items.map(function (i) { return i; }));\n", "write"),
        ("javascript", "el.innerHTML = render(() => html);\n", "innerHTML"),
    ],
)
def test_a_call_holding_a_function_is_anchored_on_its_callee(
    language: str, source: str, callee: str
) -> None:
    assert reported(RULE, language, source) == [callee]


def test_message_names_the_sink_and_the_safe_alternative() -> None:
    (finding,) = full_run(RULE, document("python", "cur.execute(f'SELECT {x}')\n"), Settings())
    assert finding.message == (
        "SQL built from values can be injected: keep the values out of the SQL text and pass "
        "them separately, e.g. cursor.execute(sql, params) (`x` reaches it)."
    )


CHUNKED = {
    "python": """import os


class Shell:
    def run(self, cmd):
        os.system("sh " + cmd)
        return eval(cmd, {"k": lambda v: v})

    def query(self, cur, t):
        cur.execute(f"SELECT * FROM {t}")


eval(source)
""",
    "javascript": """class View {
  render(el, html) {
    el.innerHTML = html;
    setTimeout(() => document.write(html), 10);
  }
}
const handler = function (code) { return eval(code); };
""",
    "java": """class Db {
  void q(String t) { c.createStatement().executeQuery("SELECT * FROM " + t); }
  Runnable r = () -> Runtime.getRuntime().exec("ls " + dir);
}
""",
    "go": """package p

func Q(t string) {
	db.Query("SELECT * FROM " + t)
	go func() { exec.Command("sh", "-c", t) }()
}
""",
}


@pytest.mark.parametrize("language", sorted(CHUNKED))
def test_findings_do_not_depend_on_chunking(language: str) -> None:
    assert_chunk_independent(RULE, document(language, CHUNKED[language]), Settings())


@pytest.mark.parametrize("language", sorted(CHUNKED))
def test_engine_keeps_findings_through_edits(language: str) -> None:
    assert_edits_keep_findings(["ACC004"], document(language, CHUNKED[language]), Settings())


# Issue 18: values followed within a function, aliases, shell options, SQL where it is built.
FLOW = [
    # (source, the text each finding covers)
    (
        "def f(user):\n    cmd = 'ls ' + user\n    os.system(cmd)\n",
        ["os.system(cmd)"],
    ),
    (
        "def f(user):\n    cmd = 'ls'\n    cmd += ' ' + user\n    subprocess.run(cmd, shell=True)\n",
        ["subprocess.run(cmd, shell=True)"],
    ),
    (
        "def f(t):\n    q = 'SELECT * FROM {} WHERE a = 1'.format(t)\n    cur.execute(q)\n",
        ["'SELECT * FROM {} WHERE a = 1'.format(t)"],
    ),
    (
        "def f(n):\n    q = f'SELECT * FROM t WHERE n = {n}'\n    cur.execute(q)\n",
        ["f'SELECT * FROM t WHERE n = {n}'"],
    ),
    (
        "def f(v):\n    q = \"SELECT * FROM t WHERE id = '[V]'\".replace('[V]', v)\n",
        ["\"SELECT * FROM t WHERE id = '[V]'\".replace('[V]', v)"],
    ),
    (
        "def f(parts):\n    cmd = ' '.join(parts)\n    os.popen(cmd)\n",
        ["os.popen(cmd)"],
    ),
    (
        "def f(a):\n    sql = 'DELETE FROM t WHERE id = %s' % a\n",
        ["'DELETE FROM t WHERE id = %s' % a"],
    ),
    (
        "from subprocess import check_output as co\n\ndef f(c):\n    co(c, shell=True)\n",
        ["co(c, shell=True)"],
    ),
    ("from os import system as run_it\n\ndef f(c):\n    run_it(c)\n", ["run_it(c)"]),
    ("import os as o\n\ndef f(c):\n    o.system(c)\n", ["o.system(c)"]),
    ("def f(c):\n    subprocess.call(c, shell=1)\n", ["subprocess.call(c, shell=1)"]),
    ("def f(c):\n    subprocess.call(c, shell='True')\n", ["subprocess.call(c, shell='True')"]),
    (
        "def f(c):\n    subprocess.run(['sh', '-c', c])\n",
        ["subprocess.run(['sh', '-c', c])"],
    ),
    (
        "def f(c):\n    subprocess.Popen(['/bin/bash', '-c', 'ls ' + c])\n",
        ["subprocess.Popen(['/bin/bash', '-c', 'ls ' + c])"],
    ),
    ("def f(s):\n    User.objects.annotate(v=RawSQL(s, []))\n", ["RawSQL(s, [])"]),
    (
        "def f(w):\n    User.objects.extra(where=[w])\n",
        ["User.objects.extra(where=[w])"],
    ),
    (  # the outermost expression that builds the SQL, once, not its parts
        "def f(t, n):\n    sql = 'SELECT * FROM ' + t + f\" WHERE n = '{n}'\"\n",
        ["'SELECT * FROM ' + t + f\" WHERE n = '{n}'\""],
    ),
    (  # an f-string with two values is one construction
        "def f(t, n):\n    q = f'DELETE FROM {t} WHERE id = {n}'\n",
        ["f'DELETE FROM {t} WHERE id = {n}'"],
    ),
    (
        "eval(  # evaluate the user's text\n    text)\n",
        ["eval(  # evaluate the user's text\n    text)"],
    ),
]

FLOW_CLEAN = [
    "subprocess.Popen('/bin/ls {}'.format('something'), shell=True)\n",
    "subprocess.Popen('/bin/ls %s' % ('something',), shell=True)\n",
    "def f():\n    cmd = 'ls -l'\n    os.system(cmd)\n",
    "def f():\n    q = 'SELECT * FROM t'\n    q += ' WHERE a = 1'\n    cur.execute(q)\n",
    "def f(c):\n    subprocess.call(c, shell=False)\n",
    "def f(c):\n    subprocess.call(c, shell=0)\n",
    "def f(c):\n    subprocess.call(c, shell='')\n",
    "def f(c):\n    subprocess.run(['ls', '-c', c])\n",
    "def f(v):\n    User.objects.extra(where=['a = %s'], params=[v])\n",
    "def f(x):\n    cur.execute('SELECT * FROM t WHERE a = %s', (x,))\n",
    "def f(n):\n    q = 'SELECT * FROM t LIMIT %d' % int(n)\n    cur.execute(q)\n",
    "print('delete from the cache as the first argument')\n",
]


@pytest.mark.parametrize(("source", "expected"), FLOW)
def test_values_are_followed_to_the_sink(source: str, expected: list[str]) -> None:
    assert reported(RULE, "python", source) == expected


@pytest.mark.parametrize("source", FLOW_CLEAN)
def test_literal_only_values_are_not_reported(source: str) -> None:
    assert reported(RULE, "python", source) == []


def test_the_message_names_what_reaches_the_sink() -> None:
    source = "def f(request):\n    cmd = 'ls ' + request.args['d']\n    os.system(cmd)\n"
    (finding,) = full_run(RULE, document("python", source), Settings())
    assert "(`request.args['d']` reaches it)" in finding.message


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        ("javascript", "eval( // run it\n  code);\n", ["eval( // run it\n  code)"]),
        (
            "javascript",
            "db.query( /* q */ `SELECT ${a}`);\n",
            ["db.query( /* q */ `SELECT ${a}`)"],
        ),
        (
            "java",
            'class A { void f() { s.executeQuery( // q\n "SELECT " + x); } }\n',
            ['s.executeQuery( // q\n "SELECT " + x)'],
        ),
        (
            "go",
            'package p\nfunc f() { db.Query( // q\n fmt.Sprintf("SELECT %s", c)) }\n',
            ['db.Query( // q\n fmt.Sprintf("SELECT %s", c))'],
        ),
    ],
)
def test_a_comment_after_the_parenthesis_hides_nothing(
    language: str, source: str, expected: list[str]
) -> None:
    assert reported(RULE, language, source) == expected
