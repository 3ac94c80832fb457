"""Projects as values: recognising a workspace's remote, and the roles a member acts in (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accord.org.projects import (
    Project,
    ProjectMember,
    effective_roles,
    normalise_remote,
    recognises,
)
from accord.policy.loading import default_policy

SHOP = Project(
    "p1",
    "o1",
    "shop",
    datetime(2026, 1, 1, tzinfo=UTC),
    repositories=("git@github.com:acme/shop.git", "gitlab.acme.test/web/*", "/srv/checkouts/shop*"),
    members=(ProjectMember("u1", "dev@acme.test", ("tech_lead",)),),
)


@pytest.mark.parametrize(
    ("remote", "known"),
    [
        ("https://github.com/Acme/shop", True),
        ("ssh://git@github.com/acme/shop.git", True),
        ("git@github.com:acme/shop", True),
        ("https://github.com/acme/shop-admin", False),
        ("https://user:pw@gitlab.acme.test/web/storefront.git", True),
        ("/srv/checkouts/shop-2", True),
        ("https://github.com/acme/billing", False),
    ],
)
def test_a_remote_is_recognised_however_it_is_spelled(remote: str, known: bool) -> None:
    assert recognises(SHOP, remote) is known


def test_normalised_remotes_drop_scheme_user_and_suffix() -> None:
    assert normalise_remote("git@GitHub.com:Acme/Shop.git/") == "github.com/acme/shop"


def test_roles_are_held_per_project_except_the_org_wide_ones() -> None:
    policy = default_policy()
    held = ("developer", "security_team")
    assert effective_roles(policy, SHOP, "dev@acme.test", held) == {"tech_lead", "security_team"}
    assert effective_roles(policy, SHOP, "other@acme.test", held) == {"security_team"}
    assert effective_roles(policy, None, "other@acme.test", held) == set(held)
