"""Document on real code nobody here wrote: every line of an existing docstring or doc comment
is kept, what is missing is added in the comment's own style, and where nothing is missing
there is no edit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from accord.agents.actions import document
from accord.agents.actions.apply import apply_edits
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind

from .real_docs import copy_module, docstring_after, documented_functions, kept_in_order, task_for
from .tasks import errors_in, make_task

# Module → the style its docstrings are in, and a line every added part of it starts like.
MODULES = {
    "textwrap": "Returns:",
    "shlex": "Args:",
    "functools": "Returns:",
    "statistics": "Raises:",
    "fractions": "Returns:",
    "difflib": "Returns:",
    "jinja2.filters": ":param ",
    "pytest_lsp.client": "----",
    "tqdm.contrib": "----",
    "websockets.asyncio.client": "Args:",
}


@pytest.mark.parametrize("module", list(MODULES))
def test_every_docstring_line_is_kept(module: str, tmp_path: Path) -> None:
    path = copy_module(module, tmp_path)
    text = path.read_text("utf-8")
    functions = documented_functions(path, 12)
    completed = unchanged = 0
    for function in functions:
        task = task_for(function)
        proposal = document.to_proposal(task, document.local_answer(task))
        if not proposal.files:
            unchanged += 1
            assert "already documents" in proposal.rationale
            continue
        completed += 1
        edits = proposal.files[0].edits
        assert all(edit.range.start == edit.range.end for edit in edits)
        edited = apply_edits(text, edits)
        ast.parse(edited)
        after = docstring_after(edited, function)
        # Line by line, as written, in order: nothing human-written is lost.
        assert kept_in_order(function.lines, after) == [], function.name
        assert len(after) > len(function.lines)
        assert proposal.evidence[0].name == "keeps documentation"
    assert len(functions) >= 3 and completed >= 1
    styles = {line.strip() for function in functions for line in _added(function, tmp_path, text)}
    assert any(line.startswith(MODULES[module]) for line in styles), (module, styles)
    assert unchanged + completed == len(functions)


def _added(function: object, root: Path, text: str) -> list[str]:
    from .real_docs import Documented

    assert isinstance(function, Documented)
    task = task_for(function)
    proposal = document.to_proposal(task, document.local_answer(task))
    if not proposal.files:
        return []
    after = docstring_after(apply_edits(text, proposal.files[0].edits), function)
    return [line for line in after if line not in function.lines]


DOCTESTED = '''\
def median(data):
    """Return the median (middle value) of numeric data.

    When the number of data points is even, the median is interpolated:

    >>> median([1, 3, 5])
    3
    >>> median([1, 3, 5, 7])
    4.0
    """
    data = sorted(data)
    if not data:
        raise StatisticsError("no median for empty data")
    return data[len(data) // 2]
'''


def test_doctests_stay_whole_and_still_run() -> None:
    task = make_task(ActionKind.DOCUMENT, "python", DOCTESTED, 0)
    edited = apply_edits(
        DOCTESTED, document.to_proposal(task, document.local_answer(task)).files[0].edits
    )
    docstring = ast.get_docstring(ast.parse(edited).body[0]) or ""  # type: ignore[arg-type]
    assert (
        ">>> median([1, 3, 5])\n3\n>>> median([1, 3, 5, 7])\n4.0\n\nRaises:\n    StatisticsError: If `not data`."
        in docstring
    )


NOTHING_MISSING = [
    (
        "python",
        "def quote(s):\n"
        '    """Return a shell-escaped version of the string *s*."""\n'
        '    if not s:\n        return "\'\'"\n    return "\'" + s.replace("\'", "\'\\"\'\\"\'") + "\'"\n',
        0,
    ),
    (
        "java",
        "class Objects {\n    /**\n     * Checks that the specified object reference is not null.\n"
        "     *\n     * @param obj the object reference to check for nullity\n"
        "     * @param <T> the type of the reference\n     * @return {@code obj} if not null\n"
        "     * @throws NullPointerException if {@code obj} is {@code null}\n     * @since 1.7\n"
        "     */\n    public static <T> T requireNonNull(T obj) {\n"
        "        if (obj == null)\n            throw new NullPointerException();\n"
        "        return obj;\n    }\n}\n",
        10,
    ),
]


@pytest.mark.parametrize(("language", "source", "line"), NOTHING_MISSING, ids=["python", "java"])
def test_nothing_missing_means_no_edit(language: str, source: str, line: int) -> None:
    column = len(source.split("\n")[line]) - len(source.split("\n")[line].lstrip())
    task = make_task(ActionKind.DOCUMENT, language, source, line, column=column)
    proposal = document.to_proposal(task, document.local_answer(task))
    assert proposal.files == ()
    assert proposal.rationale.startswith("No edit:") and "already documents" in proposal.rationale


RXJS_MAP = """\
/**
 * Applies a given `project` function to each value emitted by the source
 * Observable, and emits the resulting values as an Observable.
 *
 * @example
 * ```ts
 * const positions = clicks.pipe(map(ev => ev.clientX));
 * ```
 *
 * @see {@link mapTo}
 *
 * @param project The function to apply to each `value` emitted by the source
 * Observable. The `index` parameter is the number `i` for the i-th emission.
 * @return A function that returns an Observable that emits the values from the
 * source Observable transformed by the given `project` function.
 */
export function map<T, R>(project: (value: T, index: number) => R, thisArg?: any): OperatorFunction<T, R> {
  return operate((source, subscriber) => {
    let index = 0;
    source.subscribe(
      createOperatorSubscriber(subscriber, (value: T) => {
        subscriber.next(project.call(thisArg, value, index++));
      })
    );
  });
}
"""


def test_jsdoc_gets_the_functions_own_parameter_not_an_inner_one() -> None:
    task = make_task(ActionKind.DOCUMENT, "typescript", RXJS_MAP, 17, column=7)
    proposal = document.to_proposal(task, document.local_answer(task))
    edited = apply_edits(RXJS_MAP, proposal.files[0].edits)
    assert errors_in("typescript", edited) == []
    before, after = RXJS_MAP.split("\n"), edited.split("\n")
    assert kept_in_order(tuple(before), tuple(after)) == []
    added = [line for line in after if line not in before]
    assert added == [" * @param {any} thisArg - TODO: describe thisArg."]


JDK_JAVADOC = """\
public final class Integer {
    /**
     * Parses the string argument as a signed decimal integer.
     *
     * @param s    a {@code String} containing the {@code int}
     *             representation to be parsed
     * @return     the integer value represented by the argument in decimal.
     * @since 1.0
     */
    public static int parseInt(String s, int radix) throws NumberFormatException {
        return parseInt(s, 10);
    }
}
"""


def test_javadoc_keeps_since_and_adds_the_missing_tags_before_it() -> None:
    task = make_task(ActionKind.DOCUMENT, "java", JDK_JAVADOC, 9, column=4)
    proposal = document.to_proposal(task, document.local_answer(task))
    edited = apply_edits(JDK_JAVADOC, proposal.files[0].edits)
    assert errors_in("java", edited) == []
    assert kept_in_order(tuple(JDK_JAVADOC.split("\n")), tuple(edited.split("\n"))) == []
    assert (
        "     * @param radix TODO: describe radix.\n     * @return     the integer value represented by"
        in edited
    )
    assert (
        "     * @throws NumberFormatException TODO: say when it raises NumberFormatException.\n     * @since 1.0"
        in edited
    )


def test_a_one_quote_docstring_is_opened_by_insertion_only() -> None:
    source = "def area(width, height):\n    'Area of a rectangle.'\n    return width * height\n"
    task = make_task(ActionKind.DOCUMENT, "python", source, 0)
    proposal = document.to_proposal(task, document.local_answer(task))
    edited = apply_edits(source, proposal.files[0].edits)
    assert all(e.range.start == e.range.end for e in proposal.files[0].edits)
    function = ast.parse(edited).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function) == (
        "Area of a rectangle.\n\nArgs:\n    width: TODO: describe width.\n"
        "    height: TODO: describe height.\n\nReturns:\n    TODO: describe the result."
    )


KOTLIN = """\
/**
 * Returns the first element matching the given [predicate].
 *
 * @sample samples.collections.Collections.Elements.find
 */
fun <T> firstOrThrow(items: List<T>, predicate: (T) -> Boolean): T {
    throw NoSuchElementException("Collection contains no element matching the predicate.")
}
"""


def test_kdoc_keeps_its_sample_and_adds_its_tags_before_it() -> None:
    task = make_task(ActionKind.DOCUMENT, "kotlin", KOTLIN, 5, column=4)
    edited = apply_edits(
        KOTLIN, document.to_proposal(task, document.local_answer(task)).files[0].edits
    )
    assert errors_in("kotlin", edited) == []
    assert kept_in_order(tuple(KOTLIN.split("\n")), tuple(edited.split("\n"))) == []
    assert (
        " * @param items TODO: describe items.\n * @param predicate TODO: describe predicate.\n"
        " * @throws NoSuchElementException TODO: say when it raises NoSuchElementException.\n"
        " * @sample" in edited
    )


def test_a_jsdoc_answer_that_drops_lines_is_repaired_with_its_own_words() -> None:
    source = RXJS_MAP
    task = make_task(ActionKind.DOCUMENT, "typescript", source, 17, column=7)
    answer = (
        "```text\n/**\n * Maps values.\n * @param project The projection.\n"
        " * @param thisArg The `this` of each call to `project`.\n */\n```"
    )
    proposal = document.to_proposal(task, answer)
    edited = apply_edits(source, proposal.files[0].edits)
    assert kept_in_order(tuple(source.split("\n")), tuple(edited.split("\n"))) == []
    assert "Maps values." not in edited
    assert " * @param {any} thisArg - The `this` of each call to `project`.\n" in edited
    assert proposal.evidence[0].detail.startswith("repaired: the answer drops")


def test_an_answer_with_nothing_usable_is_refused() -> None:
    task = make_task(ActionKind.DOCUMENT, "typescript", RXJS_MAP, 17, column=7)
    with pytest.raises(ActionFailed, match="refused the model's doc comment"):
        document.to_proposal(task, "```text\n/** Maps. */\n```")
