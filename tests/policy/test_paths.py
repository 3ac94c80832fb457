"""Path classes and which providers may see which files."""

from __future__ import annotations

import pytest

from accord.policy.loading import default_policy
from accord.policy.model import Confidentiality
from accord.policy.paths import classes_of, confidentiality_of, provider_may_see

POLICY = default_policy()

CASES = [
    ("app/migrations/0001_init.py", {"migrations"}, Confidentiality.INTERNAL),
    ("docs/guide/intro.md", {"docs"}, Confidentiality.PUBLIC),
    ("README.md", {"docs"}, Confidentiality.PUBLIC),
    ("config/secrets/prod.yaml", {"secrets"}, Confidentiality.CONFIDENTIAL),
    ("service/.env", {"secrets"}, Confidentiality.CONFIDENTIAL),
    ("src/app.py", set(), Confidentiality.INTERNAL),
]


@pytest.mark.parametrize(("path", "classes", "level"), CASES)
def test_classes_and_confidentiality(path: str, classes: set[str], level: Confidentiality) -> None:
    assert set(classes_of(POLICY, path)) == classes
    assert confidentiality_of(POLICY, path) is level


@pytest.mark.parametrize(
    ("provider", "path", "allowed"),
    [
        ("anthropic", "src/app.py", True),
        ("anthropic", "config/secrets/prod.yaml", False),
        ("local", "config/secrets/prod.yaml", True),
        ("unknown", "src/app.py", False),
        ("unknown", "docs/a.md", True),
    ],
)
def test_provider_access(provider: str, path: str, allowed: bool) -> None:
    assert provider_may_see(POLICY, provider, path) is allowed


def test_a_score_outside_every_trigger_is_an_error() -> None:
    narrow = POLICY.model_copy(
        update={"workflows": {"standard_development": POLICY.workflows["standard_development"]}}
    )
    with pytest.raises(ValueError, match="no workflow is triggered by score 7"):
        narrow.workflow_for(7)
