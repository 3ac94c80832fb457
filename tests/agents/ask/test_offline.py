"""The offline instructions performed on standard library modules copied into a tmp project.

Each result is run: the renamed package still globs, the converted plural formulas still
evaluate the same, the documented and annotated modules still wrap text, every original
docstring line is kept.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from accord.agents.actions import ask
from accord.agents.actions.apply import apply_edits
from accord.agents.ask.offline import perform
from accord.agents.exceptions import ActionFailed
from accord.protocol import Range

from .projects import ask_on, copy_module, run_python


def write(proposal_files: object, root: Path) -> None:
    for file in proposal_files:  # type: ignore[attr-defined]
        path = Path(file.path)
        path.write_text(apply_edits(path.read_text("utf-8"), file.edits), "utf-8")


@pytest.fixture
def globbing(tmp_path: Path) -> tuple[Path, Path]:
    """glob and fnmatch from the standard library, as a package of two modules."""
    matcher = copy_module(tmp_path, "fnmatch", "myfnmatch")
    globber = copy_module(
        tmp_path, "glob", "myglob", {"import fnmatch\n": "import myfnmatch as fnmatch\n"}
    )
    for name in ("a.py", "b.py", "c.txt"):
        (tmp_path / name).write_text("")
    return matcher, globber


def test_rename_across_files_keeps_the_program_working(
    tmp_path: Path, globbing: tuple[Path, Path]
) -> None:
    matcher, globber = globbing
    before = run_python(tmp_path, "import myglob; print(sorted(myglob.glob('*.py')))")
    task = ask_on(tmp_path, "rename filter to select_matching", matcher, globber)
    proposal = ask.to_proposal(task, ask.local_answer(task))
    assert {Path(f.path).name for f in proposal.files} == {"myfnmatch.py", "myglob.py"}
    write(proposal.files, tmp_path)
    assert run_python(tmp_path, "import myglob; print(sorted(myglob.glob('*.py')))") == before
    assert "fnmatch.select_matching(names, pattern)" in globber.read_text()
    names = run_python(tmp_path, "import myfnmatch; print(myfnmatch.__all__)")
    assert "select_matching" in names and "'filter'" not in names


def test_rename_leaves_a_builtin_of_the_same_name_alone(tmp_path: Path) -> None:
    matcher = copy_module(tmp_path, "fnmatch", "myfnmatch")
    user = tmp_path / "user.py"
    user.write_text(
        "import myfnmatch\n\nodd = list(filter(None, [0, 1]))\nx = myfnmatch.filter(['a'], '*')\n"
    )
    answer = perform(ask_on(tmp_path, "rename filter to pick", matcher, user))
    texts = dict(answer.files)
    assert "list(filter(None, [0, 1]))" in texts[str(user)]
    assert "myfnmatch.pick(['a'], '*')" in texts[str(user)]


@pytest.mark.parametrize(
    ("instruction", "reason"),
    [
        ("rename filter to translate", "translate is already used"),
        ("rename nothing_like_this to other", "does not occur"),
        ("rename len to size", "not defined in the files"),
        ("rename filter to class", "not a Python identifier"),
    ],
)
def test_rename_refuses_what_would_break(
    tmp_path: Path, globbing: tuple[Path, Path], instruction: str, reason: str
) -> None:
    with pytest.raises(ActionFailed, match=reason):
        perform(ask_on(tmp_path, instruction, *globbing))


def test_fstrings_in_gettext_evaluate_the_same(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "gettext", "mygettext")
    copy_module(tmp_path, "gettext", "oldgettext")
    task = ask_on(tmp_path, "convert % and .format to f-strings", module)
    proposal = ask.to_proposal(task, ask.local_answer(task))
    assert "Converted" in proposal.rationale
    write(proposal.files, tmp_path)
    assert "f'{result}({sub})'" in module.read_text()
    check = """
import mygettext, oldgettext
formulas = ['n != 1', 'n>1', '(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)',
            'n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2', 'n==1 ? 0 : n==2 ? 1 : 2']
for formula in formulas:
    new, old = mygettext.c2py(formula), oldgettext.c2py(formula)
    assert [new(n) for n in range(200)] == [old(n) for n in range(200)], formula
    assert mygettext._as_int.__code__ is not None
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    mygettext.c2py('n != 1')(1.0)
print(caught[0].message)
try:
    mygettext.c2py('n != 1')('x')
except TypeError as error:
    print(error)
"""
    out = run_python(tmp_path, check)
    assert out.splitlines() == [
        "Plural value must be an integer, got float",
        "Plural value must be an integer, got str",
    ]


def test_fstrings_leave_what_they_cannot_convert_exactly(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "def f(a, b, t):\n"
        "    x = '%d items' % (a,)\n"  # %d takes floats; {:d} does not
        "    y = '%s' % t\n"  # t may be a tuple
        "    z = '{0}{0}'.format(b.upper())\n"  # the call would run twice
        "    w = '%5.2f|%-6s|%r' % (a, b, t)\n"
        "    v = '{name!r:>8} {0[1]} {{}}'.format(t, name=b)\n"
        "    return x, y, z, w, v\n"
    )
    texts = dict(perform(ask_on(tmp_path, "use f-strings", source)).files)
    after = texts[str(source)]
    assert "'%d items' % (a,)" in after and "'%s' % t" in after and ".format(b.upper())" in after
    assert "f'{a:5.2f}|{b!s:<6}|{t!r}'" in after
    assert "f'{b!r:>8} {t[1]} {{}}'" in after
    namespace: dict[str, object] = {}
    exec(compile(after, "m.py", "exec"), namespace)
    expected: dict[str, object] = {}
    exec(compile(source.read_text(), "m.py", "exec"), expected)
    for a in (3, 2.5):
        arguments = (a, "seven", [1, 2])
        assert namespace["f"](*arguments) == expected["f"](*arguments)  # type: ignore[operator]


def docstring_lines(text: str) -> list[str]:
    lines = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            doc = ast.get_docstring(node, clean=False)
            lines += (doc or "").splitlines()
    return lines


def test_docstrings_are_added_and_every_original_line_kept(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "textwrap", "mytextwrap")
    before = module.read_text()
    task = ask_on(tmp_path, "add missing docstrings", module)
    proposal = ask.to_proposal(task, ask.local_answer(task))
    write(proposal.files, tmp_path)
    after = module.read_text()
    kept = docstring_lines(after)
    assert all(line in kept for line in docstring_lines(before))
    assert set(before.splitlines()) <= set(after.splitlines())
    assert "_split_chunks" in proposal.rationale
    assert (
        run_python(tmp_path, "import mytextwrap; print(mytextwrap.dedent('  a\\n  b'))") == "a\nb\n"
    )
    again = perform(ask_on(tmp_path, "add missing docstrings", module))
    assert again.files == () and "Nothing to change" in again.rationale


def test_docstrings_only_in_the_selection(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "textwrap", "mytextwrap")
    line = next(
        i for i, text in enumerate(module.read_text().split("\n")) if "def _split_chunks" in text
    )
    answer = perform(
        ask_on(tmp_path, "add docstrings", module, selection=Range.of(line, 0, line + 2, 0))
    )
    assert "_split_chunks" in answer.rationale and "and" not in answer.rationale.split(";")[0]


def test_type_hints_from_defaults_and_calls(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "textwrap", "mytextwrap")
    task = ask_on(tmp_path, "add type hints", module)
    proposal = ask.to_proposal(task, ask.local_answer(task))
    write(proposal.files, tmp_path)
    after = module.read_text()
    assert "width: int = 70," in after
    assert "placeholder: str = ' [...]'" in after
    assert "max_lines=None," in after  # seen only as None: nothing known
    out = run_python(
        tmp_path,
        "import mytextwrap, inspect\n"
        "print(mytextwrap.fill('hello world again', width=8))\n"
        "print(inspect.signature(mytextwrap.TextWrapper).parameters['width'].annotation)",
    )
    assert out == "hello\nworld\nagain\n<class 'int'>\n"


def test_extract_lines_of_a_stdlib_function(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "shlex", "myshlex")
    lines = module.read_text().split("\n")
    start = next(i for i, text in enumerate(lines) if text.startswith("def quote("))
    # The body after the docstring: the two checks and the return.
    body = [
        i for i in range(start, start + 20) if lines[i].strip().startswith(("if not s", "return"))
    ]
    instruction = f"extract lines {body[0] + 1}-{body[-1] + 1} into a function named _quoted"
    task = ask_on(tmp_path, instruction, module)
    proposal = ask.to_proposal(task, ask.local_answer(task))
    write(proposal.files, tmp_path)
    assert "def _quoted(s):" in module.read_text()
    out = run_python(
        tmp_path,
        "import myshlex; print(myshlex.quote(''), myshlex.quote('a b'), myshlex.quote('ab'))",
    )
    assert out == "'' 'a b' ab\n"


def test_anything_else_needs_a_model(tmp_path: Path) -> None:
    module = copy_module(tmp_path, "textwrap", "mytextwrap")
    with pytest.raises(ActionFailed, match="This needs a model") as raised:
        perform(ask_on(tmp_path, "make wrapping twice as fast", module))
    assert "rename OLD to NEW" in str(raised.value)
