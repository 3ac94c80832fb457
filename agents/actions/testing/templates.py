"""Offline test files for Kotlin, Swift and Rust (which Accord cannot run yet), from
per-framework templates. (Python, JavaScript, TypeScript, Go and Java get recorded tests.)

What a template can soundly check without running the code is narrow: the function runs on
representative inputs of its declared simple types without throwing (or panicking), and, where
the language does not check it at compile time, that the result has the declared type. A
function with a parameter of a type the table has no value for gets no test (``ActionFailed``
says which).
"""

from __future__ import annotations

import re

from accord.agents.exceptions import ActionFailed

from ..outline import Outline
from .placement import TestPlan

__all__ = ["template_tests"]

# A representative value per declared type, per language.
VALUES: dict[str, dict[str, str]] = {
    "kotlin": {
        "Int": "1",
        "Long": "1L",
        "Short": "1",
        "Byte": "1",
        "Double": "1.0",
        "Float": "1.0f",
        "Boolean": "true",
        "Char": "'a'",
        "String": '"a"',
    },
    "swift": {"Int": "1", "Double": "1.0", "Float": "1.0", "Bool": "true", "String": '"a"'},
    "rust": {
        "i8": "1",
        "i16": "1",
        "i32": "1",
        "i64": "1",
        "i128": "1",
        "isize": "1",
        "u8": "1",
        "u16": "1",
        "u32": "1",
        "u64": "1",
        "u128": "1",
        "usize": "1",
        "f32": "1.0",
        "f64": "1.0",
        "bool": "true",
        "char": "'a'",
        "&str": '"a"',
        "String": 'String::from("a")',
    },
}


def template_tests(definition: Outline, language: str, plan: TestPlan, owner: str | None) -> str:
    """A test file (or, for Rust, a test module) exercising ``definition``.

    ``owner`` is the class declaring a method, if it is one.

    Raises:
        ActionFailed: the definition is a class, or a parameter has no representative value.
    """
    if definition.kind != "function":
        raise ActionFailed("offline tests for this language are generated per function")
    args = _arguments(definition, language)
    render = _RENDERERS[plan.framework if language != "kotlin" else language]
    return render(definition, args, plan, owner)


def _arguments(definition: Outline, language: str) -> list[str]:
    values = VALUES[language]
    args = []
    for parameter in definition.parameters:
        kind = (parameter.type or "").strip().lstrip(":").strip()
        value = parameter.default or values.get(kind)
        if value is None:
            raise ActionFailed(
                f"no sound test for {definition.name}: no representative value for "
                f"{parameter.name}{f' ({kind})' if kind else ''}"
            )
        label = f"{parameter.name}: " if language == "swift" else ""
        args.append(label + value)
    return args


def _call(definition: Outline, args: list[str], receiver: str | None) -> str:
    prefix = f"{receiver}." if receiver else ""
    return f"{prefix}{definition.name}({', '.join(args)})"


def _kotlin(definition: Outline, args: list[str], plan: TestPlan, owner: str | None) -> str:
    package = f"package {plan.module}\n\n" if plan.module else ""
    call = _call(definition, args, f"{owner}()" if owner else None)
    name = _pascal(definition.name)
    return (
        f"{package}import kotlin.test.Test\n\n"
        f"class {owner or name}Test {{\n"
        "    @Test\n"
        f"    fun `{definition.name} runs on representative input`() {{\n"
        f"        {call}\n"
        "    }\n}\n"
    )


def _swift(definition: Outline, args: list[str], plan: TestPlan, owner: str | None) -> str:
    call = _call(definition, args, f"{owner}()" if owner else None)
    attempt = f"try {call}" if definition.error_result or definition.raises else call
    return (
        f"import XCTest\n@testable import {plan.module}\n\n"
        f"final class {_pascal(definition.name)}Tests: XCTestCase {{\n"
        f"    func test{_pascal(definition.name)}RunsOnRepresentativeInput() {{\n"
        f"        XCTAssertNoThrow({attempt})\n"
        "    }\n}\n"
    )


def _rust(definition: Outline, args: list[str], plan: TestPlan, owner: str | None) -> str:
    call = _call(definition, args, None if owner is None else owner.replace("impl ", ""))
    call = call.replace(f"{owner}.", f"{owner}::") if owner else call
    return (
        "#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n"
        f"    fn {definition.name}_runs_on_representative_input() {{\n"
        f"        let _ = {call};\n    }}\n}}\n"
    )


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


_RENDERERS = {"kotlin": _kotlin, "xctest": _swift, "rust": _rust}
