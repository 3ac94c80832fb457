"""Generate tests: a test file in the project's framework, placed where the project keeps tests.

A model is asked for the complete test file in one fenced block; the local provider records
characterisation tests by running the code (Python: ``testing.python_tests``; JavaScript and
TypeScript: ``testing.js_tests``; Go: ``testing.go_tests``; Java: ``testing.java_tests``).
Either way ``verify`` runs the file before anyone sees it: only tests that pass on the current
code five runs in a row are kept, each reported as killing a mutant of the function or not, and
the proposal carries that evidence. The file is created, or, when it exists, the new tests are
appended to it (Go and Java: a new ``…_recorded_test.go`` / ``…RecordedTest.java`` instead).
Tests are proposed only where they can be run: Python (the project's interpreter, pytest or
unittest), JavaScript and TypeScript (``node --test``, or the project's own vitest or jest;
TypeScript through the project's own ``typescript``), Go (``go test``) and Java (JUnit 5's
console launcher); elsewhere, and where the signature shows no value can be asserted, the
action is not offered.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import tree_sitter

from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import all_languages, ts_language
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .answers import split_answer
from .outline import target_outline
from .testing.environment import PythonEnv, python_env
from .testing.go_runner import go as go_executable
from .testing.go_tests import go_signature, go_tests, unassertable
from .testing.go_verify import verify_go
from .testing.java_runner import JavaSubject, java_tools
from .testing.java_tests import java_signature, java_tests, java_unassertable
from .testing.java_verify import verify_java
from .testing.js_tests import js_tests
from .testing.node_runner import node as node_executable
from .testing.node_runner import project_jest, project_vitest
from .testing.placement import TestPlan, plan_tests
from .testing.python_runner import Subject
from .testing.python_tests import definition_at, python_tests
from .testing.templates import template_tests
from .testing.typescript import to_javascript
from .testing.verify import Verified, verify_js, verify_python
from .verdict import Verdict

__all__ = [
    "CAPABILITY",
    "EXPERTISE",
    "KIND",
    "local_answer",
    "offered",
    "prompt",
    "to_proposal",
    "verify",
]

KIND = ActionKind.GENERATE_TESTS
# Files that let jest load an ES module in a CommonJS project (Babel's or jest's own config).
TRANSFORM_CONFIGS = tuple(
    f"{stem}.{suffix}"
    for stem in ("babel.config", ".babelrc", "jest.config")
    for suffix in ("js", "cjs", "mjs", "json", "ts")
) + (".babelrc",)
JEST_COMMONJS = (
    "jest runs this project as CommonJS and cannot load an ES module: "
    'add "type": "module" to package.json or a Babel config (babel.config.js)'
)
CAPABILITY = "code_generation"
EXPERTISE = "test_automation"

FENCE = "```"
GO_PACKAGE = re.compile(r"^package\s+(\w+)", re.MULTILINE)
# Languages whose generated tests Accord can run, and so verify.
RUNNABLE = ("python", "javascript", "typescript", "go", "java")
SCRIPTS = ("javascript", "typescript")
JAVA_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
# Definitions nested in these cannot be reached from a test.
_SCOPES = (
    "function_definition",
    "function_declaration",
    "function_expression",
    "arrow_function",
    "method_definition",
)


def offered(language: str, node: tree_sitter.Node) -> bool:
    """Whether tests can possibly be derived and run for the definition ``node``.

    Not where no runner is known for the language, nor for a function nested in another
    function (no test can call it).
    """
    if language not in RUNNABLE or (language in SCRIPTS and node_executable() is None):
        return False
    if language == "go":
        signature = go_signature(node)
        return signature is not None and go_executable() is not None and not unassertable(signature)
    if language == "java":
        method = java_signature(node)
        return method is not None and java_tools() is not None and not java_unassertable(method)
    exported = False
    parent = node.parent
    while parent is not None:
        if parent.type in _SCOPES:
            return False
        exported = exported or parent.type == "export_statement"
        parent = parent.parent
    return exported or language not in SCRIPTS


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for the complete test file, in the project's framework, in one fenced block."""
    plan = _plan(task)
    target = task.target
    framework = _env(task, plan).framework if target.language == "python" else plan.framework
    system = (
        f"You are Accord's QA agent. You write {framework} tests that run as they are and "
        "assert real behaviour: exact values and exceptions, never only a type. Tests are plain "
        "functions without fixtures; they will be run, and those that fail are dropped. Reply "
        "with the complete test file in one fenced code block, then one short paragraph on what "
        "the tests cover."
    )
    code = _snippet(task)
    user = (
        f"Write {framework} tests for `{target.symbol or 'this code'}` from {target.path} "
        f"(reached as `{plan.module}`). The file will be saved as {plan.path}.\n\n"
        f"{FENCE}{target.language}\n{code}\n{FENCE}"
    )
    if task.instructions:
        user += f"\n\n{task.instructions}"
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """A test file recorded from running the code, with its rationale after the block.

    Python tests assert what calls from doctests, the project's call sites, type hints and
    defaults returned or raised (run in the sandbox); the other languages get a framework
    template that runs the function on representative inputs.

    Raises:
        ActionFailed: nothing can be derived or recorded (the message says why, in one line).
    """
    plan = _plan(task)
    language = task.target.language
    if language == "python":
        line = task.target.range.start.line
        path, root = Path(task.target.path), _root(task)
        env = _env(task, plan)
        text, rationale = python_tests(task.target.source, line, plan.module, path, root, env)
    elif language in SCRIPTS:
        _, outline = target_outline(task.target)
        framework = plan.framework if plan.framework in ("vitest", "jest") else "node:test"
        text, rationale = js_tests(
            _javascript(task), outline, _specifier(task, plan), framework, _commonjs(task, plan)
        )
    elif language == "go":
        _, outline = target_outline(task.target)
        path, root = Path(task.target.path), _root(task)
        text, rationale = go_tests(task.target.source, outline.node, path, root, plan.module)
    elif language == "java":
        _, outline = target_outline(task.target)
        text, rationale = java_tests(_java_subject(task, plan), outline.node, plan.path.stem)
    else:
        _, outline = target_outline(task.target)
        text = template_tests(outline, language, plan, _owner(outline.node, language))
        rationale = (
            f"A {plan.framework} test that runs {outline.name} on representative inputs "
            "of its declared types."
        )
    return f"{FENCE}{language}\n{text}{FENCE}\n\n{rationale}"


def to_proposal(task: Task, answer: str) -> Proposal:
    """Create the test file, or append the tests to it when it exists.

    Raises:
        ActionFailed: the answer holds no fenced code block.
    """
    plan = _plan(task)
    code, rationale = split_answer(answer)
    return _proposal(task, plan, code, rationale)


def verify(task: Task, proposal: Proposal) -> Verdict:
    """Run the proposed tests; keep those that pass every run (five) in a row, with the evidence."""
    language = task.target.language
    if language not in RUNNABLE:
        return Verdict(None, f"Accord cannot run {language} tests yet, so it proposes none")
    plan = _plan(task)
    code = _test_code(proposal)
    if language in SCRIPTS:
        vitest = project_vitest(_root(task)) if plan.framework == "vitest" else None
        jest = project_jest(_root(task)) if plan.framework == "jest" else None
        if plan.framework not in ("node:test", "vitest", "jest"):
            return Verdict(
                None, f"Accord runs tests with node:test, vitest or jest, not {plan.framework}"
            )
        if plan.framework == "vitest" and vitest is None:
            return Verdict(None, "vitest is listed in package.json but not installed (npm install)")
        if plan.framework == "jest" and jest is None:
            return Verdict(None, "jest is listed in package.json but not installed (npm install)")
        if _commonjs(task, plan) and not _transforms(_root(task)):
            return Verdict(None, JEST_COMMONJS)
        try:
            script = _javascript(task)
        except ActionFailed as error:
            return Verdict(None, str(error))
        lines = _script_span(script, target_outline(task.target)[1].name)
        verified = verify_js(code, script, _specifier(task, plan), lines, vitest, jest)
        return _verdict(task, plan, proposal, verified)
    if language == "go":
        _, outline = target_outline(task.target)
        lines = (outline.node.start_point[0], outline.node.end_point[0])
        path = Path(task.target.path)
        verified = verify_go(code, task.target.source, path, _root(task), lines)
        return _verdict(task, plan, proposal, verified)
    if language == "java":
        _, outline = target_outline(task.target)
        lines = (outline.node.start_point[0], outline.node.end_point[0])
        verified = verify_java(code, _java_subject(task, plan), plan.path.stem, lines)
        return _verdict(task, plan, proposal, verified)
    subject = Subject(plan.module, Path(task.target.path), task.target.source)
    verified = verify_python(code, subject, _env(task, plan), _span(task))
    return _verdict(task, plan, proposal, verified)


def _verdict(task: Task, plan: TestPlan, proposal: Proposal, verified: Verified) -> Verdict:
    if verified.code is None:
        return Verdict(None, verified.reason, verified.feedback)
    killers = [name for name, kills in verified.kills.items() if kills]
    others = [name for name, kills in verified.kills.items() if not kills]
    said = [proposal.rationale]
    if killers:
        said.append(f"Kill a mutant: {', '.join(killers)}.")
    if others:
        said.append(f"Kill no mutant: {', '.join(others)}.")
    checked = _proposal(task, plan, verified.code, "\n\n".join(said))
    verdict_proposal = checked.model_copy(update={"evidence": verified.evidence})
    return Verdict(verdict_proposal, feedback=verified.feedback)


def _proposal(task: Task, plan: TestPlan, code: str, rationale: str) -> Proposal:
    existing = _existing_text(task, plan.path)
    title = f"Tests for {task.target.symbol or Path(task.target.path).name}"
    if existing is None:
        edit = TextEdit(range=Range.of(0, 0, 0, 0), new_text=code)
        file = FileEdit(path=str(plan.path), edits=(edit,), create=True)
    else:
        file = FileEdit(path=str(plan.path), edits=(_append(existing, code),))
    summary = rationale or f"{plan.framework} tests in {plan.path}."
    return Proposal(action=KIND.value, title=title, rationale=summary, files=(file,))


def _owner(node: tree_sitter.Node, language: str) -> str | None:
    """The name of the class (or ``impl`` type) declaring a method, if it is one."""
    classes = all_languages()[language].classes
    parent = node.parent
    while parent is not None and parent.type not in classes:
        parent = parent.parent
    if parent is None:
        return None
    name = parent.child_by_field_name("name") or parent.child_by_field_name("type")
    return name.text.decode("utf-8", errors="replace") if name is not None and name.text else None


def _specifier(task: Task, plan: TestPlan) -> str:
    """How the test file imports the module: its relative path with the file's extension
    (TypeScript: ``.js``, as an ES module of TypeScript names it)."""
    suffix = Path(task.target.path).suffix
    if task.target.language == "typescript":
        suffix = {".mts": ".mjs", ".cts": ".cjs"}.get(suffix, ".js")
    return plan.module + suffix


def _transforms(root: Path) -> bool:
    """Whether the project's jest can load an ES module in CommonJS mode: a Babel config, or a
    jest config (which may name a transform)."""
    if any((root / name).is_file() for name in TRANSFORM_CONFIGS):
        return True
    manifest = _manifest(root)
    jest = manifest.get("jest")
    return "babel" in manifest or (isinstance(jest, dict) and "transform" in jest)


def _commonjs(task: Task, plan: TestPlan) -> bool:
    """Whether the project's jest runs this JavaScript test file as CommonJS (no
    ``"type": "module"`` in ``package.json``): the test then ``require``s the function."""
    if plan.framework != "jest" or task.target.language != "javascript":
        return False
    return (
        plan.path.suffix not in (".mjs", ".mts") and _manifest(_root(task)).get("type") != "module"
    )


def _manifest(root: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _javascript(task: Task) -> str:
    """The module's text as Node runs it: TypeScript with its types erased."""
    if task.target.language != "typescript":
        return task.target.source
    return to_javascript(task.target.source, Path(task.target.path), _root(task))


def _script_span(script: str, name: str) -> tuple[int, int]:
    """The zero-based lines of the function ``name`` in ``script`` (the whole file if absent)."""
    tree = tree_sitter.Parser(ts_language("javascript")).parse(script.encode("utf-8"))
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        found = node.child_by_field_name("name")
        if (
            node.type == "function_declaration"
            and found is not None
            and found.text == name.encode()
        ):
            return node.start_point[0], node.end_point[0]
        stack.extend(node.named_children)
    return 0, script.count("\n")


def _span(task: Task) -> tuple[int, int]:
    """The zero-based first and last lines of the definition under test."""
    _, chain = definition_at(task.target.source, task.target.range.start.line)
    node = chain[-1]
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return first - 1, (node.end_lineno or node.lineno) - 1


def _test_code(proposal: Proposal) -> str:
    """The test code a proposal adds: the new file's text, or what it appends."""
    edit = proposal.files[0].edits[0]
    return edit.new_text.lstrip("\n")


def _root(task: Task) -> Path:
    return Path(task.root) if task.root else Path(task.target.path).parent


def _env(task: Task, plan: TestPlan) -> PythonEnv:
    return python_env(_root(task), Path(task.target.path), plan.module)


def _plan(task: Task) -> TestPlan:
    root = _root(task)
    try:
        plan = plan_tests(Path(task.target.path), root, task.target.language)
    except ValueError as error:
        raise ActionFailed(str(error)) from error
    if task.target.language == "go" and (found := GO_PACKAGE.search(task.target.source)):
        return TestPlan(plan.framework, _go_test_path(plan.path), found.group(1))
    if task.target.language == "java":
        found = JAVA_PACKAGE.search(task.target.source)
        return TestPlan(
            plan.framework, _fresh(plan.path, "Recorded"), found.group(1) if found else ""
        )
    return plan


def _java_subject(task: Task, plan: TestPlan) -> JavaSubject:
    return JavaSubject(Path(task.target.path), task.target.source, plan.module, _root(task))


def _fresh(path: Path, word: str) -> Path:
    """``path``, or ``<stem><word><n><suffix>`` when it exists: a Java class is not appended to."""
    stem = path.stem.removesuffix("Test")
    candidates = [
        path,
        *(path.with_name(f"{stem}{word}{n or ''}Test{path.suffix}") for n in range(9)),
    ]
    return next((c for c in candidates if not c.exists()), candidates[-1])


def _go_test_path(path: Path) -> Path:
    """``x_test.go``, or ``x_recorded_test.go`` (…) when it exists: a Go file cannot be
    appended to another (each has its own package clause and imports)."""
    stem = path.name.removesuffix("_test.go")
    candidates = [path, *(path.with_name(f"{stem}_recorded{n or ''}_test.go") for n in range(9))]
    return next((c for c in candidates if not c.exists()), candidates[-1])


def _existing_text(task: Task, path: Path) -> str | None:
    if str(path) == task.target.path:
        return task.target.source
    try:
        return path.read_text("utf-8")
    except OSError:
        return None


def _append(existing: str, code: str) -> TextEdit:
    lines = existing.split("\n")
    end = Range.of(len(lines) - 1, len(lines[-1]), len(lines) - 1, len(lines[-1]))
    separator = "\n\n" if existing.endswith("\n") else "\n\n\n"
    return TextEdit(range=end, new_text=separator + code)


def _snippet(task: Task) -> str:
    lines = task.target.source.split("\n")
    span = task.target.range
    return "\n".join(lines[span.start.line : span.end.line + 1])
