"""The language-server fixtures of ``tests/server``, for the editor end-to-end test."""

from tests.server.conftest import client, prompts, workspace

__all__ = ["client", "prompts", "workspace"]
