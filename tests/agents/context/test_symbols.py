"""Symbols per language from the tags.scm queries, and the map kept current file by file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.agents.context.symbols import SymbolMap, extract
from accord.analyzers.languages import all_languages
from accord.config import Settings, validated

from .projects import write_tree

# language → (source, expected (name, kind, start line) definitions, expected referenced names)
CASES = {
    "python": (
        (
            "class A(Base):\n    @property\n    def m(self) -> Thing:\n        return helper(x.go())\n"
            "def f():\n    pass\n"
        ),
        [("A", "class", 1), ("m", "method", 3), ("f", "function", 5)],
        {"Base", "Thing", "helper", "go"},
    ),
    "javascript": (
        (
            "class A extends B {\n  m() { return helper(x).go() }\n}\nfunction f() { new C() }\n"
            "const g = () => 1\n"
        ),
        [("A", "class", 1), ("m", "method", 2), ("f", "function", 4), ("g", "function", 5)],
        {"B", "helper", "go", "C"},
    ),
    "typescript": (
        (
            "interface I { m(): void }\nclass A extends B implements I {\n  m(): T { return h(x) }\n}\n"
            "type U = string\nfunction f(a: P) { new C() }\n"
        ),
        [
            ("I", "interface", 1),
            ("m", "method", 1),
            ("A", "class", 2),
            ("m", "method", 3),
            ("U", "type", 5),
            ("f", "function", 6),
        ],
        {"B", "I", "T", "h", "P", "C"},
    ),
    "tsx": (
        "function App(): JSX.Element {\n  return <Widget a={go()} />\n}\n",
        [("App", "function", 1)],
        {"Widget", "go", "Element"},
    ),
    "java": (
        (
            "class A extends B {\n  A() {}\n  int m(Q q) { return helper(q).go(); }\n}\n"
            "interface I {}\n"
        ),
        [("A", "class", 1), ("A", "method", 2), ("m", "method", 3), ("I", "interface", 5)],
        {"B", "Q", "helper", "go"},
    ),
    "kotlin": (
        (
            "class Foo : Bar() {\n  fun baz(x: Qux): Int { return helper(x).go() }\n}\n"
            "object O\nfun top() = Foo()\n"
        ),
        [("Foo", "class", 1), ("baz", "method", 2), ("O", "class", 4), ("top", "function", 5)],
        {"Bar", "Qux", "Int", "helper", "go", "Foo"},
    ),
    "swift": (
        (
            "class Foo: Bar {\n  func baz(x: Qux) -> Int { return helper(x).go() }\n}\n"
            "protocol P { func need() }\nfunc top() { let f = Foo() }\n"
        ),
        [
            ("Foo", "class", 1),
            ("baz", "method", 2),
            ("P", "interface", 4),
            ("need", "method", 4),
            ("top", "function", 5),
        ],
        {"Bar", "Qux", "Int", "helper", "go", "Foo"},
    ),
    "go": (
        (
            "package m\ntype S struct{}\ntype I interface{ M() }\n"
            "func (s *S) M() T { return helper(x).Go() }\nfunc F() {}\n"
        ),
        [("S", "class", 2), ("I", "interface", 3), ("M", "method", 4), ("F", "function", 5)],
        {"S", "T", "helper", "Go"},
    ),
    "rust": (
        (
            "struct S;\ntrait T { fn need(&self); }\n"
            'impl T for S {\n  fn need(&self) { helper(); self.go(); Vec::new(); println!("x"); }\n}\n'
            "fn top(x: Q) {}\n"
        ),
        [
            ("S", "class", 1),
            ("T", "interface", 2),
            ("need", "method", 2),
            ("need", "method", 4),
            ("top", "function", 6),
        ],
        {"T", "S", "helper", "go", "new", "println", "Q"},
    ),
    "csharp": (
        (
            "class Foo : Bar {\n  int Baz(Qux x) { return Helper(x).Go(); }\n  Foo() { new C(); }\n}\n"
            "interface I {}\n"
        ),
        [("Foo", "class", 1), ("Baz", "method", 2), ("Foo", "method", 3), ("I", "interface", 5)],
        {"Bar", "Qux", "Helper", "Go", "C"},
    ),
}


def test_every_language_has_a_case() -> None:
    assert set(CASES) == set(all_languages())


@pytest.mark.parametrize("language", sorted(CASES))
def test_definitions_and_references(language: str) -> None:
    source, definitions, references = CASES[language]
    symbols = extract(all_languages()[language], source)
    assert [(d.name, d.kind, d.start_line) for d in symbols.definitions] == definitions
    assert set(symbols.references) == references


def test_lines_span_the_definition_and_the_signature_is_its_first_line() -> None:
    source = "def outer(a,\n          b):\n    return a\n"
    (definition,) = extract(all_languages()["python"], source).definitions
    assert (definition.start_line, definition.end_line) == (1, 3)
    assert definition.signature == "def outer(a,"


def test_references_are_counted() -> None:
    symbols = extract(all_languages()["python"], "go()\ngo()\nx.go()\n")
    assert symbols.references == {"go": 3}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    files = {
        ".gitignore": "ignored/\n",
        "app/main.py": "from .util import helper\n\ndef main():\n    return helper()\n",
        "app/util.py": "def helper():\n    return 1\n",
        "web/ui.ts": "export function render(): void {}\n",
        "ignored/secret.py": "def hidden(): pass\n",
        "node_modules/lib/index.js": "function vendored() {}\n",
        ".env.py": "def env(): pass\n",
        "notes.txt": "def not_code(): pass\n",
        "big.py": "x = 1\n" * 100,
        "blob.py": "def f(): pass\n\0",
    }
    return write_tree(tmp_path, files)


def built(root: Path) -> SymbolMap:
    symbols = SymbolMap(root, validated(Settings, {"max-file-size": 300}))
    symbols.build()
    return symbols


def test_build_keeps_only_eligible_files(workspace: Path) -> None:
    assert sorted(built(workspace).files) == ["app/main.py", "app/util.py", "web/ui.ts"]


def test_update_and_remove(workspace: Path) -> None:
    symbols = built(workspace)
    symbols.update(workspace / "app/util.py", "def helper():\n    pass\n\ndef extra(): pass\n")
    assert [d.name for d in symbols.files["app/util.py"].definitions] == ["helper", "extra"]
    symbols.remove(workspace / "app/util.py")
    assert "app/util.py" not in symbols.files
    assert symbols.update(workspace / "ignored/secret.py", "def x(): pass\n") is None
    assert symbols.update(workspace / "notes.txt", "def x(): pass\n") is None
    assert "ignored/secret.py" not in symbols.files


_PYTHON_LINES = st.sampled_from(
    [
        "def alpha():\n    return beta()\n",
        "class Gamma(Delta):\n    def run(self):\n        return alpha()\n",
        "def beta(x: Gamma):\n    pass\n",
        "value = alpha() + beta()\n",
        "",
    ]
)


_NAMES = st.sampled_from(["a.py", "b.py", "pkg/c.py", "pkg/d.ts"])


@settings(max_examples=40, deadline=None)
@given(edits=st.lists(st.tuples(_NAMES, st.one_of(_PYTHON_LINES, st.none())), max_size=10))
def test_incremental_updates_equal_a_full_rebuild(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, str | None]]
) -> None:
    """Edits (text) and deletions (None), applied one file at a time, leave the same map as
    building afresh from the files on disk."""
    root = write_tree(tmp_path_factory.mktemp("incremental"), {"a.py": "def start(): pass\n"})
    live = built(root)
    for name, text in edits:
        if text is None:
            (root / name).unlink(missing_ok=True)
            live.remove(root / name)
        else:
            write_tree(root, {name: text})
            live.update(root / name, text)
    assert dict(live.files) == dict(built(root).files)


def test_refresh_reads_the_file_again(workspace: Path) -> None:
    symbols = built(workspace)
    util = workspace / "app/util.py"
    util.write_text("def renamed():\n    pass\n")
    assert [d.name for d in symbols.refresh(util).definitions] == ["renamed"]  # type: ignore[union-attr]
    util.write_bytes(b"def f(): pass\n\0")
    assert symbols.refresh(util) is None
    assert "app/util.py" not in symbols.files
