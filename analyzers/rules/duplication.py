"""ACC002 duplication: a workspace rule, kept by ``accord.analyzers.duplication``."""

from . import DUPLICATION, checked

RULE = checked(DUPLICATION)
