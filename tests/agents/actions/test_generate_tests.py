"""Generate tests: where the file goes, and that the offline tests run, pass and can fail.

The project has its own virtualenv (``pythons.project_venv``), which is what runs its code.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.testing.placement import plan_tests
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind
from accord.analyzers.languages import ts_language
from accord.protocol import Range
from accord.protocol.proposal import CheckStatus

from .pythons import make_project, project_venv
from .tasks import task_on

__all__ = ["project_venv"]

PRICING = '''\
"""Prices."""


def apply_discount(price: float, percent: int) -> float:
    """The price less ``percent`` per cent.

    >>> apply_discount(200.0, 50)
    100.0
    """
    if percent < 0:
        raise ValueError("percent must not be negative")
    if 100 < percent:
        raise ValueError("percent must be at most 100")
    return price * (100 - percent) / 100


class Cart:
    def __init__(self, limit: int = 3) -> None:
        if limit <= 0:
            raise ValueError("limit must be positive")
        self.items: list[str] = []

    def add(self, item: str) -> int:
        self.items.append(item)
        return len(self.items)


def combine(left, right):
    return left + right
'''

ACTION = action_for(ActionKind.GENERATE_TESTS)


@pytest.fixture
def project(tmp_path: Path, project_venv: Path) -> Path:
    files = {"src/shop/__init__.py": "", "src/shop/pricing.py": PRICING}
    return make_project(tmp_path, project_venv, files)


def generate(project: Path, line: int) -> Path:
    """Run the action offline on ``line`` of pricing.py, verify it, write the file it proposes."""
    task = task_on(
        project / "src" / "shop" / "pricing.py", ActionKind.GENERATE_TESTS, line, root=project
    )
    verdict = ACTION.verify(task, ACTION.to_proposal(task, ACTION.local_answer(task)))  # type: ignore[attr-defined]
    assert verdict.proposal is not None, verdict.reason
    assert [c.status for c in verdict.proposal.evidence] == [CheckStatus.PASSED] * 2
    [file] = verdict.proposal.files
    assert file.create
    path = Path(file.path)
    path.write_text(file.edits[0].new_text, "utf-8")
    return path


def pytest_run(project: Path, test: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [project / ".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("line", [3, 17])
def test_generated_tests_pass_and_catch_a_broken_function(project: Path, line: int) -> None:
    test = generate(project, line)

    assert test == project / "tests" / "test_pricing.py"
    passed = pytest_run(project, test)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    broken = (
        PRICING.replace("if percent < 0:", "if percent < -5:")
        .replace("if limit <= 0:", "if limit < 0:")
        .replace("return len(self.items)", "return None")
    )
    (project / "src" / "shop" / "pricing.py").write_text(broken, "utf-8")
    failed = pytest_run(project, test)
    assert failed.returncode == 1, failed.stdout


def test_tests_assert_recorded_values_and_exceptions_never_types(project: Path) -> None:
    text = generate(project, 3).read_text("utf-8")

    assert "assert apply_discount(200.0, 50) == 100.0" in text
    assert "pytest.raises(ValueError, match='percent must not be negative')" in text
    assert "pytest.raises(ValueError, match='percent must be at most 100')" in text
    assert "isinstance" not in text
    assert "from shop.pricing import apply_discount" in text


def test_nothing_to_derive_is_refused_in_one_line(project: Path) -> None:
    task = task_on(
        project / "src" / "shop" / "pricing.py", ActionKind.GENERATE_TESTS, 28, root=project
    )
    with pytest.raises(ActionFailed, match="no test can be derived for combine") as failed:
        ACTION.local_answer(task)
    assert "\n" not in str(failed.value)


def test_an_existing_test_file_is_appended_to(project: Path) -> None:
    existing = project / "tests" / "test_pricing.py"
    existing.write_text("def test_old() -> None:\n    assert True\n", "utf-8")
    task = task_on(
        project / "src" / "shop" / "pricing.py", ActionKind.GENERATE_TESTS, 3, root=project
    )

    [file] = ACTION.to_proposal(task, ACTION.local_answer(task)).files

    assert not file.create
    [edit] = file.edits
    assert (edit.range.start.line, edit.range.start.character) == (2, 0)
    assert edit.new_text.startswith("\n") and "def test_apply_discount" in edit.new_text


def test_a_models_answer_takes_the_same_path(project: Path) -> None:
    task = task_on(
        project / "src" / "shop" / "pricing.py", ActionKind.GENERATE_TESTS, 3, root=project
    )
    answer = "Here you are:\n```python\ndef test_x():\n    assert 1\n```\nCovers x."

    proposal = ACTION.to_proposal(task, answer)

    assert proposal.files[0].edits[0].new_text == "def test_x():\n    assert 1\n"
    assert proposal.rationale == "Here you are:\n\nCovers x."
    with pytest.raises(ActionFailed, match="no fenced code block"):
        ACTION.to_proposal(task, "I cannot do that.")


def test_prompt_names_framework_and_destination(project: Path) -> None:
    task = task_on(
        project / "src" / "shop" / "pricing.py", ActionKind.GENERATE_TESTS, 3, root=project
    )
    system, [message] = ACTION.prompt(task)
    assert "pytest" in system and "fenced code block" in system
    assert str(project / "tests" / "test_pricing.py") in message.content
    assert "def apply_discount" in message.content


def write(root: Path, relative: str, text: str = "") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("files", "source", "language", "framework", "expected", "module"),
    [
        ({}, "pkg/mod.py", "python", "pytest", "pkg/test_mod.py", "pkg.mod"),
        ({"test/x": ""}, "src/pkg/mod.py", "python", "pytest", "test/test_mod.py", "pkg.mod"),
        (
            {"package.json": json.dumps({"devDependencies": {"vitest": "^2"}})},
            "web/cart.ts",
            "typescript",
            "vitest",
            "web/cart.test.ts",
            "./cart",
        ),
        (
            {
                "package.json": json.dumps({"devDependencies": {"jest": "^29"}}),
                "web/__tests__/x": "",
            },
            "web/cart.js",
            "javascript",
            "jest",
            "web/__tests__/cart.test.js",
            "../cart",
        ),
        ({}, "web/cart.js", "javascript", "node:test", "web/cart.test.js", "./cart"),
        (
            {},
            "src/main/java/com/shop/Cart.java",
            "java",
            "junit5",
            "src/test/java/com/shop/CartTest.java",
            "com.shop",
        ),
        (
            {},
            "app/src/main/kotlin/shop/Cart.kt",
            "kotlin",
            "kotlin.test",
            "app/src/test/kotlin/shop/CartTest.kt",
            "shop",
        ),
        (
            {},
            "Sources/Shop/Cart.swift",
            "swift",
            "xctest",
            "Tests/ShopTests/CartTests.swift",
            "Shop",
        ),
        ({}, "cmd/stock/main.go", "go", "go test", "cmd/stock/main_test.go", ""),
        ({}, "src/lib.rs", "rust", "rust", "src/lib.rs", "super"),
    ],
)
def test_placement_follows_each_ecosystem(
    tmp_path: Path,
    files: dict[str, str],
    source: str,
    language: str,
    framework: str,
    expected: str,
    module: str,
) -> None:
    for relative, text in files.items():
        write(tmp_path, relative, text)

    plan = plan_tests(write(tmp_path, source), tmp_path, language)

    assert (plan.framework, plan.path, plan.module) == (framework, tmp_path / expected, module)


TEMPLATES = [
    (
        "kotlin",
        "src/main/kotlin/shop/Cart.kt",
        "package shop\n\nfun add(item: String, qty: Int): Int {\n    return qty\n}\n",
        (2, 0),
        "src/test/kotlin/shop/CartTest.kt",
        'add("a", 1)',
    ),
    (
        "swift",
        "Sources/Shop/Cart.swift",
        "func add(item: String, qty: Int) throws -> Int {\n    return qty\n}\n",
        (0, 0),
        "Tests/ShopTests/CartTests.swift",
        'XCTAssertNoThrow(try add(item: "a", qty: 1))',
    ),
    (
        "rust",
        "src/lib.rs",
        "pub fn add(item: &str, qty: i32) -> i32 {\n    qty\n}\n",
        (0, 4),
        "src/lib.rs",
        'let _ = add("a", 1);',
    ),
]


@pytest.mark.parametrize(("language", "source", "text", "at", "expected", "call"), TEMPLATES)
def test_other_languages_get_a_framework_test_that_parses(
    tmp_path: Path,
    language: str,
    source: str,
    text: str,
    at: tuple[int, int],
    expected: str,
    call: str,
) -> None:
    write(tmp_path, "package.json", json.dumps({"devDependencies": {"vitest": "^2"}}))
    path = write(tmp_path, source, text)
    task = task_on(path, ActionKind.GENERATE_TESTS, at[0], language=language, root=tmp_path)
    task = task.model_copy(
        update={
            "target": task.target.model_copy(update={"range": Range.of(at[0], at[1], at[0], at[1])})
        }
    )

    [file] = ACTION.to_proposal(task, ACTION.local_answer(task)).files

    assert Path(file.path) == tmp_path / expected
    written = file.edits[0].new_text if file.create else text + file.edits[0].new_text
    assert call in written
    tree = tree_sitter.Parser(ts_language(language)).parse(written.encode())
    assert not tree.root_node.has_error, written


def test_a_parameter_without_a_representative_value_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "src/main/kotlin/shop/Cart.kt",
        "package shop\n\nfun total(cart: Cart): Int {\n    return cart.sum\n}\n",
    )
    task = task_on(path, ActionKind.GENERATE_TESTS, 2, language="kotlin", root=tmp_path)
    with pytest.raises(ActionFailed, match="no representative value for cart"):
        ACTION.local_answer(task)
