"""ACC002: duplicated blocks by token shape, in one file and across files."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analyzers.duplication import DuplicateIndex, fingerprint
from accord.analyzers.duplication.fingerprint import token_count
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument

REPORT = """def monthly_report(orders):
    rows = []
    for order in orders:
        total = round(order["total"], 2)
        currency = order.get("currency", "EUR")
        rows.append([order["id"], order["customer"], total, currency])
    rows.sort(key=lambda row: row[2])
    return rows
"""
# The same code with other names and values.
RENAMED = (
    REPORT.replace("monthly_report", "yearly_summary")
    .replace("orders", "sales")
    .replace("order", "sale")
    .replace('"EUR"', '"USD"')
    .replace("2)", "4)")
)
OTHER = """def unrelated(values):
    if not values:
        raise ValueError("no values")
    result = 0
    while values:
        result += values.pop()
    return result * 3
"""


def _print(text: str, language: str = "python"):
    return fingerprint(SourceDocument.from_text(all_languages()[language], text))


def _index(**files: str) -> DuplicateIndex:
    index = DuplicateIndex(min_lines=6, min_tokens=30)
    for key, text in files.items():
        index.update(key, _print(text))
    return index


def test_a_block_copied_to_another_file_is_reported_once_in_its_first_place() -> None:
    index = _index(a=REPORT, b=REPORT)
    [in_a] = index.findings("a")
    assert index.findings("b") == []  # the other copy is the finding's related place
    assert in_a.code == "ACC002"
    assert in_a.value == 8
    assert "repeat lines 1-8 of b" in in_a.message and "other names" not in in_a.message
    [related] = in_a.related
    assert (related.path, related.start_row, related.end_row) == ("b", 0, 7)
    assert REPORT.encode()[in_a.start : in_a.end].startswith(b"def monthly_report")
    assert REPORT.encode()[in_a.start : in_a.end].endswith(b"return rows")


def test_the_same_shape_with_other_names_is_a_duplicate() -> None:
    index = _index(a=REPORT, b=RENAMED)
    [finding] = index.findings("a")
    assert "with other names or values" in finding.message


def test_different_code_is_not_a_duplicate() -> None:
    assert _index(a=REPORT, b=OTHER).findings("a") == []


def test_a_block_repeated_within_one_file() -> None:
    text = REPORT + "\n\n" + RENAMED
    index = _index(a=text)
    [first] = index.findings("a")
    assert first.related[0].start_row == 10


@pytest.mark.parametrize(("lines", "found"), [(5, False), (6, True)])
def test_the_shortest_block_is_min_lines(lines: int, found: bool) -> None:
    body = "".join(f"    total_{i} = compute(alpha, beta, gamma, {i})\n" for i in range(lines))
    text_a = "def first():\n" + body
    text_b = "x = 1\n" + body
    index = DuplicateIndex(min_lines=6, min_tokens=10)
    index.update("a", _print(text_a))
    index.update("b", _print(text_b))
    assert bool(index.findings("a")) == found


def test_trivial_blocks_below_min_tokens_are_left_out() -> None:
    text = "".join(f"x{i} = 1\n" for i in range(8))
    index = DuplicateIndex(min_lines=6, min_tokens=30)
    index.update("a", _print(text))
    index.update("b", _print(text))
    assert index.findings("a") == []


def test_comments_blank_lines_and_imports_do_not_break_a_block() -> None:
    noisy = REPORT.replace("    rows = []\n", "    rows = []\n\n    # the rows\n")
    index = _index(a=REPORT, b="import os\nimport sys\n" + noisy)
    [finding] = index.findings("a")
    assert finding.related[0].start_row == 2


def test_removing_a_file_clears_its_partner() -> None:
    index = _index(a=REPORT, b=REPORT)
    assert index.remove("b") == {"a", "b"}
    assert index.findings("a") == []


def test_update_reports_the_keys_whose_findings_change() -> None:
    index = _index(a=REPORT, c=OTHER)
    assert index.update("b", _print(REPORT)) == {"a", "b"}
    assert index.update("b", _print(OTHER)) >= {"a", "b"}
    assert index.findings("a") == []


SNIPPETS = {
    "javascript": "function f(items) {\n  let total = 0;\n  for (const item of items) {\n    total += item.price * item.count;\n    console.log(item.name, total);\n  }\n  const tax = total * 0.2;\n  return total + tax;\n}\n",
    "typescript": "function f(items: Item[]): number {\n  let total = 0;\n  for (const item of items) {\n    total += item.price * item.count;\n    console.log(item.name, total);\n  }\n  const tax = total * 0.2;\n  return total + tax;\n}\n",
    "tsx": "function F(p: Props) {\n  let total = 0;\n  for (const item of p.items) {\n    total += item.price * item.count;\n    console.log(item.name, total);\n  }\n  const tax = total * 0.2;\n  return <b>{total + tax}</b>;\n}\n",
    "java": "class A {\n  int f(List<Item> items) {\n    int total = 0;\n    for (Item item : items) {\n      total += item.price * item.count;\n      log.info(item.name + total);\n    }\n    int tax = total / 5;\n    return total + tax;\n  }\n}\n",
    "kotlin": "fun f(items: List<Item>): Int {\n    var total = 0\n    for (item in items) {\n        total += item.price * item.count\n        println(item.name + total)\n    }\n    val tax = total / 5\n    return total + tax\n}\n",
    "swift": "func f(items: [Item]) -> Int {\n    var total = 0\n    for item in items {\n        total += item.price * item.count\n        print(item.name, total)\n    }\n    let tax = total / 5\n    return total + tax\n}\n",
    "go": "func f(items []Item) int {\n\ttotal := 0\n\tfor _, item := range items {\n\t\ttotal += item.Price * item.Count\n\t\tfmt.Println(item.Name, total)\n\t}\n\ttax := total / 5\n\treturn total + tax\n}\n",
    "rust": 'fn f(items: &[Item]) -> i32 {\n    let mut total = 0;\n    for item in items {\n        total += item.price * item.count;\n        println!("{} {}", item.name, total);\n    }\n    let tax = total / 5;\n    total + tax\n}\n',
    "csharp": "class A {\n  int F(List<Item> items) {\n    int total = 0;\n    foreach (var item in items) {\n      total += item.Price * item.Count;\n      Console.WriteLine(item.Name + total);\n    }\n    int tax = total / 5;\n    return total + tax;\n  }\n}\n",
}


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_every_language_finds_a_renamed_copy(language: str) -> None:
    text = SNIPPETS[language]
    renamed = text.replace("total", "sum").replace("item", "entry").replace("tax", "fee")
    index = DuplicateIndex(min_lines=6, min_tokens=30)
    index.update("a", _print(text, language))
    index.update("b", _print(renamed, language))
    [finding] = index.findings("a")
    assert "with other names or values" in finding.message


def test_strings_and_comments_are_masked_by_the_grammar() -> None:
    text = 'x = "def f(): return 1"  # if while for\n'
    [shape] = _print(text).shapes
    assert b"def" not in shape and b"while" not in shape
    assert shape.startswith(b"I = ")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([REPORT, RENAMED, OTHER]), min_size=1, max_size=4), st.data())
def test_findings_do_not_depend_on_the_order_files_arrive(files: list[str], data) -> None:
    order = data.draw(st.permutations(list(range(len(files)))))
    forward = DuplicateIndex(min_lines=6, min_tokens=30)
    shuffled = DuplicateIndex(min_lines=6, min_tokens=30)
    for key, text in enumerate(files):
        forward.update(str(key), _print(text))
    for key in order:
        shuffled.update(str(key), _print(files[key]))
    for key in range(len(files)):
        assert forward.findings(str(key)) == shuffled.findings(str(key))


OPTIONS = "".join(
    f'opt_{name}: Callable[..., Option] = partial(\n    Option,\n    "--{name}",\n'
    f'    dest="{name}",\n    action="store_true",\n    default=False,\n'
    f'    help="Turn {name} on.",\n)\n\n'
    for name in ("verbose", "quiet", "color", "cache", "isolated", "proxy", "retries")
)


@pytest.mark.parametrize(("declarative", "reported"), [(False, False), (True, True)])
def test_declarative_tables_are_left_out_unless_asked_for(
    declarative: bool, reported: bool
) -> None:
    index = DuplicateIndex(min_lines=6, min_tokens=30, declarative=declarative)
    index.update("a", _print(OPTIONS))
    index.update("b", _print(OPTIONS.replace("opt_", "flag_")))
    assert bool(index.findings("a") or index.findings("b")) is reported


def test_code_among_literals_is_still_reported() -> None:
    index = DuplicateIndex(min_lines=6, min_tokens=30, declarative=False)
    index.update("a", _print(REPORT))
    index.update("b", _print(RENAMED))
    assert index.findings("a")


def test_pip_option_tables_are_left_out() -> None:
    """On pip's own option tables (pip/_internal/cli), a real declarative corpus."""
    import sysconfig
    from pathlib import Path

    root = Path(sysconfig.get_paths()["purelib"]) / "pip" / "_internal" / "cli"
    if not root.is_dir():
        pytest.skip("pip is not installed")
    counts = {}
    for declarative in (False, True):
        index = DuplicateIndex(min_lines=6, min_tokens=50, declarative=declarative)
        for path in sorted(root.glob("*.py")):
            index.update(str(path), _print(path.read_text("utf-8")))
        counts[declarative] = sum(len(index.findings(str(p))) for p in root.glob("*.py"))
    assert counts[False] < counts[True] / 2


def test_a_group_of_three_copies_is_one_finding_with_two_related_places() -> None:
    index = _index(a=REPORT, b=RENAMED, c=REPORT)
    [finding] = index.findings("a")
    assert [item.path for item in finding.related] == ["b", "c"]
    assert index.findings("b") == [] and index.findings("c") == []


def test_overlapping_blocks_of_one_file_are_one_region() -> None:
    longer = REPORT.replace("    return rows\n", "    rows.reverse()\n    return rows\n")
    index = _index(a=REPORT + "\n\n" + longer, b=longer)
    spans = [(f.start, f.end) for f in index.findings("a")]
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


# Fourteen statements, each of its own shape, so no window of them is boilerplate.
_STEPS = [
    "total = price * quantity",
    "if total > limit: raise ValueError(total)",
    "tax = round(total * rate, 2)",
    "lines.append((name, total, tax))",
    "for item in basket.items(): seen.add(item.key)",
    "discount = coupons.get(customer.id, 0) / 100",
    "total -= total * discount",
    "while pending: handled.append(pending.pop())",
    "log.info('billed %s', customer.name)",
    "return_value = {'total': total, 'tax': tax}",
    "assert not pending, 'queue not drained'",
    "archive[customer.id] = [total, tax, discount]",
    "stats.update(count=len(lines), sum=sum(x[1] for x in lines))",
    "notify(customer.email, subject=f'Invoice {total}')",
]


def _function(name: str, steps: list[str]) -> str:
    return f"def {name}(price, quantity, limit, rate, lines, basket, seen):\n" + "".join(
        f"    {step}\n" for step in steps
    )


def test_copies_of_different_extents_are_each_reported() -> None:
    """b holds steps 1-14; a copies steps 1-8 of it and c steps 6-14 (a and c share only 3).
    The group's first place (a) relates only to b, so b reports its region too, and c's copy
    is not lost."""
    index = _index(
        a=_function("first", _STEPS[:8]),
        b=_function("whole", _STEPS),
        c=_function("tail", _STEPS[5:]),
    )
    reported = {key: index.findings(key) for key in "abc"}
    flagged = {key for key, found in reported.items() if found}
    flagged |= {place.path for found in reported.values() for f in found for place in f.related}
    assert flagged == {"a", "b", "c"}
    assert len(reported["a"]) == len(reported["b"]) == 1
    assert reported["c"] == []  # c comes after b: b's finding names it
    assert [place.path for place in reported["b"][0].related] == ["a", "c"]


def test_lines_left_out_of_shapes_still_count_as_tokens() -> None:
    """pip's commands/cache.py and index.py share a dispatch whose string argument and closing
    parenthesis sit alone on their lines: jscpd counts their tokens, and so does ACC002."""
    dispatch = """def run(self, options, args):
    handler_map = self.handler_map()
    if not args or args[0] not in handler_map:
        logger.error(
            "Need an action (%s) to perform.",
            ", ".join(sorted(handler_map)),
        )
        return ERROR
    action = args[0]
    try:
        handler_map[action](options, args[1:])
    except PipError as e:
        logger.error(e.args[0])
"""
    print_ = _print(dispatch)
    assert print_.gaps[1:].count(0) < len(print_.gaps) - 1  # the string and ")" lines
    shown = sum(map(token_count, print_.shapes))
    index = DuplicateIndex(min_lines=6, min_tokens=shown + 1)
    for key in "ab":
        index.update(key, print_)
    assert len(index.findings("a")) == 1  # more than the significant lines' tokens


def test_a_common_shape_copied_word_for_word_is_still_a_copy() -> None:
    """Keyword arguments passed through (``name=template.name,``) share one shape in many
    places; two places with the same words are a copy all the same."""
    names = ["user_supplied", "comes_from", "use_pep517", "isolated", "constraint", "options"]

    def call(source: str, function: str) -> str:
        arguments = "".join(f"        {n}={source}.{n},\n" for n in names)
        return f"def {function}():\n    return make(\n        line,\n{arguments}    )\n"

    files = {f"f{i}": call(f"source{i}", f"build{i}") for i in range(14)}
    files["copy"] = call("source0", "build_again")
    index = _index(**files)
    [finding] = index.findings("copy") or index.findings("f0")
    assert {finding.related[0].path, "f0", "copy"} == {"f0", "copy"}
    assert all(index.findings(f"f{i}") == [] for i in range(1, 14))
