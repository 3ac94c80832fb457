"""Errors the org server's methods raise; the connection turns each into its JSON-RPC error."""

from __future__ import annotations

__all__ = ["NotFound", "Unauthenticated"]


class NotFound(LookupError):
    """No such thing in the caller's organisation (another tenant's ids look the same)."""


class Unauthenticated(PermissionError):
    """The connection has not authenticated, or its credentials no longer hold."""
