"""Characterisation tests from recorded calls: what the code did becomes what the test asserts.

A call that returned a literal becomes ``assert <call> == <recorded repr>`` (plus the final
value of any argument it changed); one that raised becomes ``pytest.raises(E, match=...)`` (or
``assertRaisesRegex`` under unittest); one that hung, forked or failed in its setup is dropped.
Never an ``isinstance`` check. Rendered for pytest or for unittest, whichever the project's
interpreter has. Pure.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .python_cases import slug
from .python_runner import Call, Recorded

__all__ = ["Case", "cases_from", "render"]

# At most this many tests per function: returning calls first, then raising ones.
RETURNING = 10
RAISING = 3
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_SPECIAL = re.compile(r"[.^$*+?{}\[\]\\|()]")


@dataclass(frozen=True, slots=True)
class Case:
    """One test: its name, the imports it needs, and its statements (``expect`` is abstract).

    ``checks`` are ``(expression, repr)`` pairs to assert equal; ``raises`` is ``(exception
    expression, message pattern or "")`` when the call is expected to raise.
    """

    name: str
    imports: tuple[str, ...]
    setup: tuple[str, ...]
    call: str
    checks: tuple[tuple[str, str], ...] = ()
    raises: tuple[str, str] | None = None


def cases_from(
    function: str, module: str, calls: Sequence[Call], recorded: Sequence[Recorded]
) -> list[Case]:
    """Tests for the calls whose behaviour was recorded, distinct behaviours first."""
    by_id = {call.id: call for call in calls}
    returning: list[Case] = []
    raising: list[Case] = []
    seen: set[tuple[str, ...]] = set()
    for result in recorded:
        call = by_id.get(result.id)
        if call is None:
            continue
        source = result.id.rsplit("_", 1)[0]
        if result.outcome == "returns":
            case = _returning(function, source, call, result)
            if case is not None and _behaviour(case) not in seen and len(returning) < RETURNING:
                seen.add(_behaviour(case))
                returning.append(case)
        elif result.outcome == "raises" and len(raising) < RAISING:
            case = _raising(function, module, call, result)
            if (case.name, *(case.raises or ())) not in seen:
                seen.add((case.name, *(case.raises or ())))
                raising.append(case)
    return _named([*returning, *raising])


def _behaviour(case: Case) -> tuple[str, ...]:
    return (*case.setup, case.call, *(f"{a}=={b}" for a, b in case.checks), str(case.raises))


def _returning(function: str, source: str, call: Call, result: Recorded) -> Case | None:
    checks: list[tuple[str, str]] = []
    if result.repr is not None and not (result.none and result.changed):
        checks.append((call.expr, result.repr))
    checks += [(name, text) for name, text in result.changed.items()]
    if not checks:
        return None
    return Case(f"test_{function}_{source}", call.imports, call.setup, call.expr, tuple(checks))


def _raising(function: str, module: str, call: Call, result: Recorded) -> Case:
    imports = list(call.imports)
    if result.module == "builtins":
        exception = result.name
    elif result.module == module:
        top = result.name.partition(".")[0]
        imports.append(f"from {module} import {top}")
        exception = result.name
    else:
        imports.append(f"import {result.module}")
        exception = f"{result.module}.{result.name}"
    message = result.message
    usable = message and "\n" not in message and len(message) < 120 and not _ADDRESS.search(message)
    pattern = _SPECIAL.sub(r"\\\g<0>", message) if usable else ""
    name = f"test_{function}_raises_{slug(result.name.rpartition('.')[2])}"
    return Case(
        name, tuple(dict.fromkeys(imports)), call.setup, call.expr, raises=(exception, pattern)
    )


def _named(cases: list[Case]) -> list[Case]:
    """Each name made unique with a number: ``test_f_doctest_1``, ``test_f_doctest_2``…"""
    counts: dict[str, int] = {}
    named = []
    for case in cases:
        counts[case.name] = counts.get(case.name, 0) + 1
        named.append(
            Case(
                f"{case.name}_{counts[case.name]}",
                case.imports,
                case.setup,
                case.call,
                case.checks,
                case.raises,
            )
        )
    return named


def render(cases: Sequence[Case], framework: str, subject: str) -> str:
    """The test file for ``cases`` in ``framework`` (``pytest`` or ``unittest``)."""
    imports = list(dict.fromkeys(line for case in cases for line in case.imports))
    header = [f'"""Characterisation tests of {subject}, recorded by Accord from running it."""', ""]
    if framework == "unittest":
        header += ["import unittest", *sorted(imports), "", "", ""]
        body = [f"class Test{_pascal(subject)}(unittest.TestCase):"]
        body += ["\n".join(f"    {line}" for line in _unittest(case)) + "\n" for case in cases]
        footer = ["", 'if __name__ == "__main__":', "    unittest.main()"]
        return "\n".join(header + body + footer) + "\n"
    needs_pytest = any(case.raises for case in cases)
    header += [*(["import pytest"] if needs_pytest else []), *sorted(imports), "", ""]
    blocks = ["\n".join(_pytest(case)) for case in cases]
    return "\n".join(header) + "\n" + "\n\n\n".join(blocks) + "\n"


def _pytest(case: Case) -> list[str]:
    def check(shown: str, expected: str) -> str:
        return f"assert {shown} is None" if expected == "None" else f"assert {shown} == {expected}"

    head = f"def {case.name}() -> None:"
    if case.raises is not None:
        exception, pattern = case.raises
        match = f", match={pattern!r}" if pattern else ""
        return [head, *_body(case.setup, (f"with pytest.raises({exception}{match}):",), case.call)]
    return [head, *_body(case.setup, _statements(case, check))]


def _unittest(case: Case) -> list[str]:
    def check(shown: str, expected: str) -> str:
        if expected == "None":
            return f"self.assertIsNone({shown})"
        return f"self.assertEqual({shown}, {expected})"

    head = f"def {case.name}(self) -> None:"
    if case.raises is not None:
        exception, pattern = case.raises
        opening = f"with self.assertRaisesRegex({exception}, {pattern!r}):"
        return [head, *_body(case.setup, (opening,), case.call)]
    return [head, *_body(case.setup, _statements(case, check))]


def _statements(case: Case, check: Callable[[str, str], str]) -> tuple[str, ...]:
    """The call (bound to ``result`` when more than its value is checked) and the checks."""
    first = case.checks[0][0]
    if len(case.checks) == 1 and first == case.call:
        return (check(case.call, case.checks[0][1]),)
    statements = [f"result = {case.call}" if first == case.call else case.call]
    for expression, expected in case.checks:
        statements.append(check("result" if expression == case.call else expression, expected))
    return tuple(statements)


def _body(setup: Sequence[str], statements: Sequence[str], inner: str = "") -> list[str]:
    """Setup and statements indented once, ``inner`` (a ``with`` block's body) twice."""
    lines = [textwrap.indent(text, "    ") for text in (*setup, *statements)]
    if inner:
        lines.append(textwrap.indent(inner, "        "))
    return lines


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", text) if part)
