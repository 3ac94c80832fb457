"""Fixtures of the ``accord check`` tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import Project, project_factory


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A factory of projects under ``tmp_path`` (see :func:`.helpers.project_factory`)."""
    return project_factory(tmp_path)
