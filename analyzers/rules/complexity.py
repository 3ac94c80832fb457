"""ACC001: functions whose cyclomatic complexity exceeds the configured threshold.

Python is counted as mccabe 0.7.0 counts it (what flake8 and ruff C901 report): closures fold
into their function, methods stand alone. The other languages are counted as lizard counts
them. The finding sits on the function's name, on the line that defines it, and carries the
complexity as its ``value``.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ..complexity import FunctionComplexity, function_complexities
from ..findings import Finding
from . import RuleContext, checked

__all__ = ["RULE", "check"]

CODE = "ACC001"


def check(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """A finding for each function inside ``node`` more complex than the threshold."""
    threshold = context.settings.complexity.threshold
    for function in function_complexities(context.document.spec.name, node):
        if function.complexity > threshold:
            yield _finding(function, threshold)


def _finding(function: FunctionComplexity, threshold: int) -> Finding:
    who = f"`{function.name}`" if function.name else "This function"
    message = (
        f"{who} has cyclomatic complexity {function.complexity} (threshold {threshold}): "
        "split it into smaller functions"
    )
    anchor = function.anchor
    return Finding(CODE, message, anchor.start_byte, anchor.end_byte, value=function.complexity)


RULE = checked(CODE, check)
