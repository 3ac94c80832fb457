"""Errors of the audit package.

::

    AuditError
    └── StoreError     the audit database cannot be opened, read or written
"""

from __future__ import annotations

__all__ = ["AuditError", "StoreError"]


class AuditError(Exception):
    """Base of every error the audit trail raises."""


class StoreError(AuditError):
    """The audit database at a path cannot be opened, read or written; the message says which."""
