"""One file's analysis and the parallel run: positions, values, bad input, workers."""

from __future__ import annotations

import ast
from pathlib import Path

import mccabe
import pytest

from accord.check import prepare, run
from accord.check.analysis import analyse, human_size, read_source
from accord.check.discovery import discover
from accord.check.runner import analyse_all, worker_count
from accord.config import Settings

from .helpers import SAMPLE, Project

FUNCTIONS = """\
def plain():
    return 1


def branchy(a, b):
    if a and b:
        return 1
    for item in a:
        while item:
            item -= 1
    return 2


class Box:
    def method(self, x):
        try:
            return x[0]
        except IndexError:
            return None
"""


def mccabe_complexities(source: str) -> dict[int, int]:
    """mccabe's complexity of each function, by the line of its ``def``."""
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(ast.parse(source), visitor)
    return {graph.lineno: graph.complexity() for graph in visitor.graphs.values()}


def test_threshold_zero_reports_every_function_with_its_complexity(project: Project) -> None:
    root = project({"funcs.py": FUNCTIONS})
    request = prepare([str(root)], ["complexity.threshold=0"], select="ACC001")
    report = run(request)
    measured = {f.span.line: f.value for f in report.findings}
    assert measured == mccabe_complexities(FUNCTIONS)


def test_columns_count_characters_not_bytes(project: Project) -> None:
    root = project({"wide.py": 'label = "ééé"; result = eval(label)\n'})
    (finding,) = run(prepare([str(root)], select="ACC004")).findings
    assert finding.span.column == len('label = "ééé"; result = ') + 1


@pytest.mark.parametrize(
    "size, shown",
    [
        (999, "999 bytes"),
        (1_000, "1 kB"),
        (5_000_000, "5 MB"),
        (52_428_800, "52.4 MB"),
        (3_200_000_000, "3.2 GB"),
    ],
)
def test_human_size(size: int, shown: str) -> None:
    assert human_size(size) == shown


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"x = 1\n\x00", "binary file (it contains NUL bytes)"),
        (b"x = 1\n# \xff\n", "not UTF-8 (byte 0xff on line 2)"),
        (b"x" * 101, "101 bytes is over max-file-size (100 bytes)"),
    ],
)
def test_unreadable_sources_give_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    assert read_source(path, 100) == (None, reason)
    assert analyse(path, "bad.py", Settings(max_file_size=100)).skipped == reason


def test_utf8_text_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes("\ufeffx = 'é'\n".encode())
    assert read_source(path, 1000)[0] is not None


@pytest.mark.parametrize(
    "sizes, expected",
    [([], 1), ([10] * 5, 1), ([300_000], 1), ([300_000] * 2, 2), ([10**6] * 9, 2)],
)
def test_worker_count_follows_the_amount_of_source(sizes: list[int], expected: int) -> None:
    assert worker_count(sizes) == min(expected, 2)


def test_workers_find_what_one_process_finds() -> None:
    request = prepare([str(SAMPLE)])
    files, _ = discover(request.paths, request.root, request.settings)
    serial = analyse_all(files, request.settings, workers=1)
    parallel = analyse_all(files, request.settings, workers=2)
    assert [r.findings for r in parallel] == [r.findings for r in serial]
    assert any(r.findings for r in serial)
