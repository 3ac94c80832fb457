"""ACC002 duplication: a workspace rule, kept by ``accord.analyzers.duplication``."""

from . import checked

RULE = checked("ACC002")
