"""ACC002 duplication: a workspace rule, kept by ``accord.analyzers.duplication``."""

from ..findings import Severity
from . import RuleInfo

RULE = RuleInfo(
    code="ACC002",
    name="duplication",
    summary="Blocks of lines repeated in a file or across files, same tokens or same shape.",
    default_severity=Severity.WARNING,
    scope="workspace",
)
