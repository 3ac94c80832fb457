"""Offline Go tests for a top-level function: calls recorded with ``go test``, rendered as
ordinary ``testing`` tests of the same package.

Argument values come from the parameters' declared types (``go_values.toml``); each call runs
in the sandbox under a recording test (with a timeout per call, a panic recovered), and what it
returned (written back by ``%#v`` as a Go literal) or the panic's message becomes a test. Only
results of basic types, slices and maps of them, and ``error`` are asserted; a function whose
results are none of these gets no test, and says so.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import tree_sitter

from accord.agents.exceptions import ActionFailed

from .go_runner import go, run_go_tests

__all__ = ["GoSignature", "go_signature", "go_tests"]

CALLS = 14
RETURNING = 10
PANICKING = 3
_MARK = "ACCORD:"
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


@dataclass(frozen=True, slots=True)
class GoSignature:
    """A function's name, its parameters (name, type, variadic) and its result types."""

    name: str
    parameters: tuple[tuple[str, str, bool], ...]
    results: tuple[str, ...]


def go_signature(node: tree_sitter.Node) -> GoSignature | None:
    """The signature of a top-level ``function_declaration`` (None for methods and others)."""
    if node.type != "function_declaration" or node.child_by_field_name("type_parameters"):
        return None
    name = _text(node.child_by_field_name("name"))
    parameters: list[tuple[str, str, bool]] = []
    listed = node.child_by_field_name("parameters")
    for declaration in listed.named_children if listed else []:
        kind = _text(declaration.child_by_field_name("type"))
        names = [_text(c) for c in declaration.children_by_field_name("name")] or ["_"]
        variadic = declaration.type == "variadic_parameter_declaration"
        parameters += [(each, kind, variadic) for each in names]
    result = node.child_by_field_name("result")
    results: list[str] = []
    if result is not None and result.type == "parameter_list":
        for declaration in result.named_children:
            kind = _text(declaration.child_by_field_name("type"))
            results += [kind] * max(1, len(declaration.children_by_field_name("name")))
    elif result is not None:
        results.append(_text(result))
    return GoSignature(name, tuple(parameters), tuple(results))


def go_tests(
    source: str, node: tree_sitter.Node, path: Path, root: Path, package: str
) -> tuple[str, str]:
    """The ``_test.go`` text for the function at ``node`` and a rationale.

    Raises:
        ActionFailed: not a top-level function, a result or parameter Accord has no value
            for, Go missing, the package does not build, or no call yielded a test.
    """
    signature = go_signature(node)
    if signature is None:
        raise ActionFailed("no test can be derived: only top-level, non-generic functions")
    why = unassertable(signature)
    if why:
        raise ActionFailed(f"no test can be derived for {signature.name}: {why}")
    if go() is None:
        raise ActionFailed("no test can be run: Go is not on the PATH")
    calls = [
        (f"call_{n}", args) for n, args in enumerate(_variations(_options(signature))[:CALLS], 1)
    ]
    # Not vetted here: the test file proposed is, when it is verified.
    run = run_go_tests(
        _harness(package, signature, calls), source, path, root, ["TestAccordRecord"], vet=False
    )
    if run.error:
        raise ActionFailed(f"no test of {signature.name} could be recorded: {run.error}")
    recorded = [
        json.loads(line.split(_MARK, 1)[1]) for line in run.stdout.splitlines() if _MARK in line
    ]
    tests = _tests(signature, dict(calls), recorded)
    if not tests:
        reasons = sorted({r.get("why", "a value Go cannot write back") for r in recorded})
        raise ActionFailed(
            f"no test of {signature.name} could be recorded: {', '.join(reasons) or 'nothing ran'}"
        )
    imports = ["testing"]
    text = "\n".join(tests)
    imports += [name for name in ("fmt", "reflect") if f"{name}." in text]
    header = f"package {package}\n\nimport (\n" + "".join(f'\t"{i}"\n' for i in sorted(imports))
    rationale = (
        f"{len(tests)} Go characterisation tests of {signature.name}: each call was run with "
        "go test and what it returned or panicked with is asserted."
    )
    return header + ")\n\n" + text, rationale


def unassertable(signature: GoSignature) -> str:
    """Why no test can be derived from the signature alone, or ``""``."""
    if not signature.results:
        return "it returns nothing, so no value can be asserted"
    odd = [kind for kind in signature.results if kind != "error" and not _writable(kind)]
    if odd:
        return f"Accord cannot write a {odd[0]} back as a Go literal"
    table = _table()
    missing = [
        name
        for name, kind, variadic in signature.parameters
        if kind not in table["variadic" if variadic else "types"]
    ]
    if missing:
        return f"no value known for {', '.join(missing)}"
    return ""


def _writable(kind: str) -> bool:
    basic = "|".join(map(re.escape, _table()["results"]))
    pattern = rf"(\[\])*({basic})|map\[({basic})\](\[\])*({basic})"
    return re.fullmatch(pattern, kind.replace(" ", "")) is not None


def _options(signature: GoSignature) -> list[list[str]]:
    table = _table()
    return [
        list(table["variadic" if variadic else "types"][kind])
        for _, kind, variadic in signature.parameters
    ]


def _variations(options: list[list[str]]) -> list[str]:
    """The first value of each parameter, then each parameter varied on its own."""
    base = [values[0] for values in options]
    lists = [base]
    for index, values in enumerate(options):
        lists += [base[:index] + [value] + base[index + 1 :] for value in values[1:]]
    return [", ".join(a for a in arguments if a) for arguments in lists]


def _harness(package: str, signature: GoSignature, calls: list[tuple[str, str]]) -> str:
    """A test of the package that runs each call and prints what it did, a JSON line each."""
    names = [f"r{i}" for i in range(len(signature.results))]
    shown = ", ".join(
        f"accordError({n})" if kind == "error" else f'accordfmt.Sprintf("%#v", {n})'
        for n, kind in zip(names, signature.results, strict=True)
    )
    body = "".join(
        f'\taccordCall("{ident}", func() []string {{\n'
        f"\t\t{', '.join(names)} := {signature.name}({args})\n"
        f"\t\treturn []string{{{shown}}}\n\t}})\n"
        for ident, args in calls
    )
    return f"""package {package}

import (
\taccordjson "encoding/json"
\taccordfmt "fmt"
\taccordtesting "testing"
\taccordtime "time"
)

func accordError(err error) string {{
\tif err == nil {{
\t\treturn "nil"
\t}}
\treturn "error:" + err.Error()
}}

func accordCall(id string, f func() []string) {{
\tdone := make(chan map[string]any, 1)
\tgo func() {{
\t\tdefer func() {{
\t\t\tif r := recover(); r != nil {{
\t\t\t\tdone <- map[string]any{{"id": id, "outcome": "panics", "message": accordfmt.Sprint(r)}}
\t\t\t}}
\t\t}}()
\t\tdone <- map[string]any{{"id": id, "outcome": "returns", "values": f()}}
\t}}()
\tvar item map[string]any
\tselect {{
\tcase item = <-done:
\tcase <-accordtime.After(2 * accordtime.Second):
\t\titem = map[string]any{{"id": id, "outcome": "dropped", "why": "hangs"}}
\t}}
\tline, _ := accordjson.Marshal(item)
\taccordfmt.Println("{_MARK}" + string(line))
}}

func TestAccordRecord(t *accordtesting.T) {{
{body}}}
"""


def _tests(
    signature: GoSignature, calls: dict[str, str], recorded: list[dict[str, Any]]
) -> list[str]:
    returning: list[str] = []
    panicking: dict[str, str] = {}
    seen: set[str] = set()
    for result in recorded:
        args = calls.get(result.get("id", ""))
        if args is None:
            continue
        call = f"{signature.name}({args})"
        if result["outcome"] == "returns" and len(returning) < RETURNING:
            values = result["values"]
            if call in seen or not all(_literal(v) for v in values):
                continue
            seen.add(call)
            returning.append(_returning(signature, call, values, len(returning) + 1))
        elif result["outcome"] == "panics" and len(panicking) < PANICKING:
            message = result["message"]
            if message not in panicking and not _ADDRESS.search(message):
                panicking[message] = _panicking(signature, call, message, len(panicking) + 1)
    return returning + list(panicking.values())


def _literal(value: str) -> bool:
    """Whether a recorded ``%#v`` text compiles back to the same value."""
    return not re.search(r"\b(NaN|Inf)\b|0x[0-9a-f]{8,}|\(\*", value)


def _returning(signature: GoSignature, call: str, values: list[str], number: int) -> str:
    names = ["got"] if len(values) == 1 else [f"got{i}" for i in range(len(values))]
    shown = json.dumps(call)
    lines = [f"\t{', '.join(names)} := {call}"]
    for name, kind, value in zip(names, signature.results, values, strict=True):
        if kind == "error" and value == "nil":
            lines.append(
                f"\tif {name} != nil {{\n"
                f'\t\tt.Errorf("%s: error %v, want nil", {shown}, {name})\n\t}}'
            )
        elif kind == "error":
            message = json.dumps(value.removeprefix("error:"))
            lines.append(
                f"\tif {name} == nil || {name}.Error() != {message} {{\n"
                f'\t\tt.Errorf("%s: error %v, want %s", {shown}, {name}, {message})\n\t}}'
            )
        else:
            differs = (
                f"{name} != want{name[3:]}"
                if _basic(kind)
                else f"!reflect.DeepEqual({name}, want{name[3:]})"
            )
            lines.append(
                f"\tvar want{name[3:]} {kind} = {value}\n\tif {differs} {{\n"
                f'\t\tt.Errorf("%s = %#v, want %#v", {shown}, {name}, want{name[3:]})\n\t}}'
            )
    title = f"Test{_pascal(signature.name)}Recorded{number}"
    return f"func {title}(t *testing.T) {{\n" + "\n".join(lines) + "\n}\n"


def _panicking(signature: GoSignature, call: str, message: str, number: int) -> str:
    expected = json.dumps(message)
    title = f"Test{_pascal(signature.name)}Panics{number}"
    return (
        f"func {title}(t *testing.T) {{\n"
        "\tdefer func() {\n"
        f"\t\tif r := recover(); r == nil || fmt.Sprint(r) != {expected} {{\n"
        f'\t\t\tt.Errorf("%s: panic %v, want %s", {json.dumps(call)}, r, {expected})\n'
        "\t\t}\n\t}()\n"
        f"\t{call}\n}}\n"
    )


def _basic(kind: str) -> bool:
    return kind in _table()["results"]


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _text(node: tree_sitter.Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("go_values.toml").read_text("utf-8")
    return tomllib.loads(text)
