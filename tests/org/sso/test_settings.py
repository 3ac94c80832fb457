"""SSO settings and the group → role mapping (pure)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from accord.org.sso.members import claimed_groups
from accord.org.sso.settings import SsoSettings, parse_map, roles_for, settings_from


def test_map_pairs_become_a_role_map_a_group_may_repeat() -> None:
    assert parse_map(["eng=developer", "leads=tech_lead,developer", "eng=security_team"]) == {
        "eng": ("developer", "security_team"),
        "leads": ("tech_lead", "developer"),
    }


@pytest.mark.parametrize(
    ("pair", "said"),
    [("eng", "expected GROUP=ROLE"), ("=admin", "expected GROUP=ROLE"), ("eng=wizard", "wizard")],
)
def test_bad_map_pairs_are_refused_with_the_reason(pair: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_map([pair])


def test_roles_are_the_union_of_the_mapped_groups_in_map_order() -> None:
    role_map = {"eng": ("developer",), "leads": ("tech_lead", "developer"), "sec": ("cto",)}
    assert roles_for(["leads", "eng", "marketing"], role_map) == ("developer", "tech_lead")
    assert roles_for(["marketing"], role_map) == ()


def test_the_groups_claim_may_be_a_list_or_one_string() -> None:
    assert claimed_groups({"roles": ["a", "b"]}, "roles") == ("a", "b")
    assert claimed_groups({"roles": "a"}, "roles") == ("a",)
    assert claimed_groups({"groups": ["a"]}, "roles") == ()


def test_settings_validate_and_never_show_the_secret() -> None:
    settings = SsoSettings(
        issuer="https://idp.acme.test/",
        client_id="accord",
        client_secret="hunter2",
        role_map={"eng": ("developer",)},
        domains=("@Acme.Test",),
    )
    assert settings.issuer == "https://idp.acme.test"
    assert settings.accepts("ada@ACME.test") and not settings.accepts("ada@bob.test")
    assert "hunter2" not in str(settings.shown())
    assert settings_from(settings.model_dump(mode="json")) == settings
    assert settings_from(None) is None
    with pytest.raises(ValueError, match="stored SSO settings are invalid"):
        settings_from({"issuer": "ftp://x", "client_id": "a"})
    with pytest.raises(ValidationError):
        SsoSettings(issuer="https://x", client_id="a", role_map={"eng": ("wizard",)})
