"""Offline JavaScript tests for an exported function: calls recorded with Node, rendered for
Node's built-in test runner (``node:test`` with ``node:assert/strict``), vitest or jest.

Argument values come from the parameters' defaults and names (``js_values.toml``); each call
runs in the sandbox and what it returned (``deepStrictEqual`` on a JSON-writable value) or
threw (``assert.throws`` with the error's name and message) becomes a test. ES modules only.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from accord.agents.exceptions import ActionFailed

from ..outline import Outline, split_words
from .node_runner import node, record_js

__all__ = ["js_tests"]

# At most this many calls, and tests of each kind.
CALLS = 12
RETURNING = 10
THROWING = 3


def js_tests(
    source: str,
    outline: Outline,
    specifier: str,
    framework: str = "node:test",
    commonjs: bool = False,
) -> tuple[str, str]:
    """The test file importing the function from ``specifier``, and a rationale; for
    ``node:test`` (``node:assert/strict``), ``vitest`` (its ``expect``) or ``jest`` (its
    ``test``/``expect`` globals; with ``commonjs``, the function is ``require``d).

    Raises:
        ActionFailed: not an exported function of an ES module, no value known for a
            parameter, Node missing, or no call yielded a test (says why, in one line).
    """
    name = outline.name
    if outline.kind != "function" or not re.search(
        rf"\bexport\b[^\n]*\b{re.escape(name)}\b", source
    ):
        raise ActionFailed(f"no test can be derived for {name}: only exported functions are tested")
    if node() is None:
        raise ActionFailed("no test can be run: Node is not on the PATH")
    options = [_values(p.name, p.default, p.type) for p in outline.parameters]
    missing = [p.name for p, values in zip(outline.parameters, options, strict=True) if not values]
    if missing:
        raise ActionFailed(
            f"no test can be derived for {name}: no value known for {', '.join(missing)}"
        )
    calls = [(f"call_{n}", args) for n, args in enumerate(_variations(options)[:CALLS], 1)]
    recorded = record_js(source, name, calls)
    tests = _tests(name, dict(calls), recorded, framework in ("vitest", "jest"))
    if not tests:
        reasons = sorted({r.get("why", "returned a value JSON cannot write") for r in recorded})
        raise ActionFailed(
            f"no test of {name} could be recorded: {', '.join(reasons) or 'nothing ran'}"
        )
    header = _HEADERS.get(framework, _HEADERS["node:test"]) + (
        f'const {{ {name} }} = require("{specifier}");\n'
        if commonjs
        else f'import {{ {name} }} from "{specifier}";\n'
    )
    rationale = (
        f"{len(tests)} {framework} characterisation tests of {name}: each call was run in a sandbox "
        "and what it returned or threw is asserted."
    )
    return header + "\n" + "\n".join(tests), rationale


# What a test file of each framework imports before the function under test.
_HEADERS = {
    "node:test": 'import { test } from "node:test";\nimport assert from "node:assert/strict";\n',
    "vitest": 'import { expect, test } from "vitest";\n',
    "jest": "",
}


def _tests(
    name: str, calls: dict[str, str], recorded: list[dict[str, Any]], vitest: bool = False
) -> list[str]:
    """The recorded calls as tests; ``vitest`` writes them with ``expect`` (vitest, jest)."""
    returning: list[str] = []
    throwing: dict[str, str] = {}
    for result in recorded:
        call = f"{name}({calls[result['id']]})"
        if result["outcome"] == "returns" and result.get("value") and len(returning) < RETURNING:
            body = (
                f"expect({call}).toStrictEqual({result['value']});"
                if vitest
                else f"assert.deepStrictEqual({call}, {result['value']});"
            )
            returning.append(
                _block(f"{name} returns for {calls[result['id']] or 'no arguments'}", body)
            )
        elif (
            result["outcome"] == "raises"
            and result["name"] not in throwing
            and len(throwing) < THROWING
        ):
            expected = json.dumps({"name": result["name"], "message": result["message"]})
            body = f"assert.throws(() => {call}, {expected});"
            if vitest:
                pair = json.dumps([result["name"], result["message"]])
                body = (
                    f"let thrown;\n  try {{\n    {call};\n  }} catch (error) {{\n"
                    f"    thrown = error;\n  }}\n"
                    f"  expect([thrown?.name, thrown?.message]).toStrictEqual({pair});"
                )
            throwing[result["name"]] = _block(
                f"{name} throws {result['name']} for {calls[result['id']]}", body
            )
    return returning + list(throwing.values())


def _block(title: str, body: str) -> str:
    return f"test({json.dumps(title)}, () => {{\n  {body}\n}});\n"


def _values(name: str, default: str | None, declared: str | None = None) -> list[str]:
    table = _table()
    kind = _kind_of(default) or _declared(declared) or _named(name, table["names"])
    values: list[str] = list(table["types"].get(kind, [])) if kind else []
    return list(dict.fromkeys([default, *values] if default else values))


def _named(name: str, patterns: dict[str, str]) -> str | None:
    """The type a parameter's name suggests: the whole name less trailing digits (``str1``),
    else its last word (``oldPrefix`` → ``prefix``)."""
    words = split_words(name)
    for candidate in (re.sub(r"\d+$", "", name), words[-1] if words else ""):
        for kind, pattern in patterns.items():
            if candidate and re.fullmatch(pattern, candidate, re.IGNORECASE):
                return kind
    return None


def _declared(declared: str | None) -> str | None:
    """The kind a TypeScript annotation declares (``: number``, ``string[]``), if simple."""
    text = (declared or "").strip().lstrip(":").strip()
    members = [member.strip() for member in text.split("|")]
    known = [member for member in members if member in ("number", "string", "boolean")]
    if known:
        return known[0]
    return "array" if re.fullmatch(r"(number|string)\[\]|Array<(number|string)>", text) else None


def _kind_of(default: str | None) -> str | None:
    if default is None:
        return None
    text = default.strip()
    if text in ("true", "false"):
        return "boolean"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return "number"
    if text[:1] in "\"'`":
        return "string"
    return {"[": "array", "{": "object"}.get(text[:1])


def _variations(options: list[list[str]]) -> list[str]:
    """The first value of each parameter, then each parameter varied on its own."""
    base = [values[0] for values in options]
    lists = [base]
    for index, values in enumerate(options):
        lists += [base[:index] + [value] + base[index + 1 :] for value in values[1:]]
    return [", ".join(arguments) for arguments in lists]


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("js_values.toml").read_text("utf-8")
    return tomllib.loads(text)
