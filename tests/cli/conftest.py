"""Fixtures of the ``accord check`` tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from check_helpers import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A factory of projects: ``{relative path: text or bytes}`` written under ``tmp_path``,
    with an empty ``accord.toml`` marking the root."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "project"
        for name, content in {"accord.toml": "", **files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        return root

    return make
