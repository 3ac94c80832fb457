"""Offline Java tests for a static method: calls recorded by running them with ``java``,
rendered as a JUnit 5 test class of the same package.

Argument values come from the parameters' declared types (``java_values.toml``); each call runs
in the sandbox in a recording main class (a thread per call, stopped waiting after two seconds)
and what it returned (written back as a Java literal) or threw (the exception's class and
message) becomes a test. Only static, non-private, non-generic methods whose return type is a
primitive, a boxed primitive, ``String`` or an array of those are tested; elsewhere the action
says why.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import tree_sitter

from accord.agents.exceptions import ActionFailed

from .java_runner import JavaSubject, java_tools, run_java_main

__all__ = ["JavaSignature", "java_signature", "java_tests", "java_unassertable"]

CALLS = 16
RETURNING = 10
THROWING = 3
RECORD_SECONDS = 60.0
_MARK = "ACCORD:"
_CLASSES = ("class_declaration", "interface_declaration", "enum_declaration", "record_declaration")


@dataclass(frozen=True, slots=True)
class JavaSignature:
    """A method's owner (``Outer.Inner``), name, modifiers, parameters and return type."""

    owner: str
    name: str
    modifiers: frozenset[str]
    parameters: tuple[tuple[str, str, bool], ...]
    returns: str
    generic: bool


def java_signature(node: tree_sitter.Node) -> JavaSignature | None:
    """The signature of a ``method_declaration`` in a chain of classes (None otherwise)."""
    if node.type != "method_declaration":
        return None
    owners = []
    parent = node.parent
    while parent is not None:
        if parent.type in _CLASSES:
            owners.append(_text(parent.child_by_field_name("name")))
        elif parent.type not in ("class_body", "interface_body", "enum_body", "program"):
            if parent.type != "enum_body_declarations":
                return None
        parent = parent.parent
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    words = frozenset(_text(c) for c in modifiers.children) if modifiers else frozenset()
    parameters: list[tuple[str, str, bool]] = []
    listed = node.child_by_field_name("parameters")
    for parameter in listed.named_children if listed else []:
        if parameter.type == "formal_parameter":
            kind = _text(parameter.child_by_field_name("type"))
            parameters.append((_text(parameter.child_by_field_name("name")), kind, False))
        elif parameter.type == "spread_parameter":
            kind = next((_text(c) for c in parameter.named_children if "type" in c.type), "")
            parameters.append(("varargs", kind, True))
    return JavaSignature(
        ".".join(reversed(owners)),
        _text(node.child_by_field_name("name")),
        words,
        tuple(parameters),
        _text(node.child_by_field_name("type")),
        node.child_by_field_name("type_parameters") is not None,
    )


def java_unassertable(signature: JavaSignature) -> str:
    """Why no test can be derived from the signature alone, or ``""``."""
    if "static" not in signature.modifiers:
        return "only static methods are tested (an instance needs a constructed object)"
    if "private" in signature.modifiers:
        return "it is private, so no test can call it"
    if signature.generic:
        return "it is generic"
    if signature.returns == "void":
        return "it returns nothing, so no value can be asserted"
    if not _writable(signature.returns):
        return f"Accord cannot write a {signature.returns} back as a Java literal"
    table = _table()
    missing = [
        name
        for name, kind, variadic in signature.parameters
        if kind not in table["variadic" if variadic else "types"]
    ]
    return f"no value known for {', '.join(missing)}" if missing else ""


def java_tests(subject: JavaSubject, node: tree_sitter.Node, test_class: str) -> tuple[str, str]:
    """The JUnit 5 test class ``test_class`` for the method at ``node``, and a rationale.

    Raises:
        ActionFailed: not a testable method, Java missing, the class does not compile, or
            no call yielded a test (says why, in one line).
    """
    signature = java_signature(node)
    if signature is None:
        raise ActionFailed("no test can be derived: only methods of classes are tested")
    why = java_unassertable(signature)
    if why:
        raise ActionFailed(f"no test can be derived for {signature.name}: {why}")
    if java_tools() is None:
        raise ActionFailed("no test can be run: javac and java are not on the PATH")
    calls = [(f"call_{n}", args) for n, args in enumerate(_variations(signature)[:CALLS], 1)]
    harness = _harness(subject, signature, calls)
    run = run_java_main(subject, "AccordRecord", harness, RECORD_SECONDS)
    if run.error:
        raise ActionFailed(f"no test of {signature.name} could be recorded: {run.error}")
    recorded = [
        json.loads(line.split(_MARK, 1)[1]) for line in run.stdout.splitlines() if _MARK in line
    ]
    tests = _tests(signature, dict(calls), recorded)
    if not tests:
        reasons = sorted({r.get("why", "a value Java cannot write back") for r in recorded})
        raise ActionFailed(
            f"no test of {signature.name} could be recorded: {', '.join(reasons) or 'nothing ran'}"
        )
    body = "\n".join(tests)
    used = [
        name
        for name in ("assertArrayEquals", "assertEquals", "assertNull", "assertThrows")
        if f"{name}(" in body
    ]
    header = f"package {subject.package};\n\n" if subject.package else ""
    header += "".join(f"import static org.junit.jupiter.api.Assertions.{n};\n" for n in used)
    header += "\nimport org.junit.jupiter.api.Test;\n\n"
    rationale = (
        f"{len(tests)} JUnit 5 characterisation tests of {signature.name}: each call was run "
        "with java and what it returned or threw is asserted."
    )
    return f"{header}class {test_class} {{\n\n{body}}}\n", rationale


def _writable(kind: str) -> bool:
    return kind.removesuffix("[]") in _table()["results"]


def _variations(signature: JavaSignature) -> list[str]:
    """The first value of each parameter, then each parameter varied on its own."""
    table = _table()
    options = [
        [_cast(value, kind) for value in table["variadic" if variadic else "types"][kind]]
        for _, kind, variadic in signature.parameters
    ]
    for index, (name, kind, variadic) in enumerate(signature.parameters):
        if kind in ("int", "Integer") and not variadic and re.fullmatch(table["char_names"], name):
            options[index] = [*table["types"]["char"], "-1", "0x7F"]
    base = [values[0] for values in options]
    lists = [base]
    for index, values in enumerate(options):
        lists += [base[:index] + [value] + base[index + 1 :] for value in values[1:]]
    return [", ".join(a for a in arguments if a) for arguments in lists]


def _cast(value: str, kind: str) -> str:
    return f"({kind}) null" if value == "null" else value


def _harness(subject: JavaSubject, signature: JavaSignature, calls: list[tuple[str, str]]) -> str:
    """``AccordRecord.java`` with the package clause and a line per call."""
    method = f"{signature.owner}.{signature.name}"
    lines = "".join(f'        call("{ident}", () -> {method}({args}));\n' for ident, args in calls)
    package = f"package {subject.package};\n" if subject.package else ""
    template = resources.files(__package__).joinpath("AccordRecord.java").read_text("utf-8")
    return template.replace("// PACKAGE\n", package).replace("        // CALLS\n", lines)


def _tests(
    signature: JavaSignature, calls: dict[str, str], recorded: list[dict[str, Any]]
) -> list[str]:
    returning: list[str] = []
    throwing: dict[str, str] = {}
    method = f"{signature.owner}.{signature.name}"
    for result in recorded:
        args = calls.get(result.get("id", ""))
        if args is None:
            continue
        call = f"{method}({args})"
        if result["outcome"] == "returns" and len(returning) < RETURNING:
            number = len(returning) + 1
            returning.append(
                _test(f"{signature.name}Recorded{number}", _check(signature, call, result["value"]))
            )
        elif (
            result["outcome"] == "raises"
            and result.get("name")
            and result["name"] not in throwing
            and len(throwing) < THROWING
        ):
            exception = re.sub(r"^java\.lang\.(?=[A-Z])", "", result["name"])
            message = result.get("message")
            expected = "thrown.getMessage()"
            check = (
                f"assertNull({expected});"
                if message is None
                else f"assertEquals({json.dumps(message)}, {expected});"
            )
            body = f"Throwable thrown = assertThrows({exception}.class, () -> {call});\n        {check}"
            throwing[result["name"]] = _test(f"{signature.name}Throws{len(throwing) + 1}", body)
    return returning + list(throwing.values())


def _check(signature: JavaSignature, call: str, value: str) -> str:
    if value == "null":
        return f"assertNull({call});"
    if signature.returns.endswith("[]"):
        return f"assertArrayEquals({value}, {call});"
    return f"assertEquals({value}, {call});"


def _test(name: str, body: str) -> str:
    return f"    @Test\n    void {name}() {{\n        {body}\n    }}\n"


def _text(node: tree_sitter.Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("java_values.toml").read_text("utf-8")
    return tomllib.loads(text)
