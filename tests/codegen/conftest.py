"""The language-server fixtures of ``tests/server``, for the editor end-to-end test."""

from tests.server.conftest import client, workspace
from tests.server.test_approval_gate import prompts

__all__ = ["client", "prompts", "workspace"]
