"""Constructs a lifter does not support stop with a message naming the line; none is dropped."""

from __future__ import annotations

import pytest

from accord.codegen.exceptions import CodegenError, LiftError
from accord.codegen.gen import translate

CASES = [
    (
        "kotlin",
        "data class A(\n    val tags: List<String> = buildList { },\n)\n",
        2,
        "not a literal",
    ),
    ("kotlin", "data class A(\n    val x: Pair<Int, Int>,\n)\n", 2, "not supported"),
    ("kotlin", "data class A(\n    val id: Long,\n) {\n    val y: Int = 1\n}\n", 4, "class body"),
    ("swift", "struct A {\n    var x: Set<Int>\n}\n", 2, "not supported"),
    ("swift", "enum E: Int {\n    case a = 1\n}\n", 1, "String raw values"),
    ("typescript", "interface A {\n  x: string | number;\n}\n", 2, "union"),
    ("typescript", "interface A {\n  f(): void;\n}\n", 2, "not a property"),
    (
        "python",
        "from pydantic import BaseModel\nclass A(BaseModel):\n    x: Foo\n",
        3,
        "neither supported nor declared",
    ),
    (
        "python",
        "from pydantic import BaseModel, Field\nclass A(BaseModel):\n"
        "    x: list[int] = Field(default_factory=list)\n",
        3,
        "default_factory",
    ),
    ("go", 'package m\n\ntype A struct {\n\tX chan int `json:"x"`\n}\n', 4, "neither supported"),
    ("go", "package m\n\ntype A struct {\n\tx int64\n}\n", 4, "unexported"),
    ("java", "record A(\n    Set<Long> x\n) {}\n", 2, "not supported"),
    ("java", "enum E {\n    A(1),\n}\n", 2, "arguments"),
    ("rust", "struct A {\n    x: Rc<i64>,\n}\n", 2, "not supported"),
    ("rust", "enum E {\n    A,\n    B(i64),\n}\n", 3, "with data"),
    ("rust", "struct A(i64);\n", 1, "tuple"),
    ("dart", "class A {\n  final Set<int> x;\n}\n", 2, "not supported"),
    ("dart", "class A {\n  int x = 1;\n}\n", 2, "final"),
]
PATHS = {
    "kotlin": "A.kt",
    "swift": "A.swift",
    "typescript": "a.ts",
    "python": "a.py",
    "go": "a.go",
    "java": "A.java",
    "rust": "a.rs",
    "dart": "a.dart",
}


@pytest.mark.parametrize(("platform", "text", "line", "words"), CASES)
def test_unsupported_constructs_name_their_line(
    platform: str, text: str, line: int, words: str
) -> None:
    with pytest.raises(LiftError) as raised:
        translate(text, PATHS[platform], ["kotlin"])
    assert raised.value.line == line
    assert str(raised.value).startswith(f"{PATHS[platform]}:{line}: ") and words in str(
        raised.value
    )


def test_an_unknown_symbol_lists_the_models_of_the_file() -> None:
    with pytest.raises(CodegenError, match=r"no model called `B` \(models in the file: A\)"):
        translate("data class A(val x: Int)\n", "A.kt", ["swift"], symbol="B")
