"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.check.helpers import Project, project_factory


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A factory of projects under ``tmp_path`` (see :func:`tests.check.helpers.project_factory`)."""
    return project_factory(tmp_path)
