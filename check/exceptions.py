"""Errors of ``accord check``.

::

    Exception
    └── UsageError   the command line asks for something impossible (exit status 2)
"""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A bad option, value or path on the command line; the message says which."""
