"""An organisation's single sign-on settings, stored with the organisation (pure).

``role_map`` maps the identity provider's groups (read from the ID token's ``groups_claim``) to
Accord roles; ``domains``, when given, are the email domains the organisation accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, field_validator

from ..rbac import valid_roles

__all__ = ["SETTING", "SsoSettings", "parse_map", "roles_for", "settings_from"]

SETTING = "sso"
"""The name of the organisation setting that holds them."""


class SsoSettings(BaseModel):
    """How an organisation signs its members in through its OIDC provider."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(min_length=1, max_length=2000, pattern=r"^https?://")
    client_id: str = Field(min_length=1, max_length=500)
    client_secret: str | None = Field(default=None, max_length=2000)
    groups_claim: str = Field(default="groups", min_length=1, max_length=200)
    role_map: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    domains: tuple[str, ...] = ()
    scope: str = "openid email profile"

    @field_validator("issuer")
    @classmethod
    def _no_trailing_slash(cls, issuer: str) -> str:
        return issuer.rstrip("/")

    @field_validator("role_map")
    @classmethod
    def _known_roles(cls, role_map: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {group: valid_roles(roles) for group, roles in role_map.items()}

    @field_validator("domains")
    @classmethod
    def _lower(cls, domains: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.lower().lstrip("@") for d in domains)

    def accepts(self, email: str) -> bool:
        """Whether ``email`` belongs to one of the organisation's domains (any, when none)."""
        domain = email.rsplit("@", 1)[-1].lower()
        return not self.domains or domain in self.domains

    def shown(self) -> dict[str, JsonValue]:
        """The settings for display: the client secret is never shown back."""
        data: dict[str, JsonValue] = self.model_dump(mode="json")
        if self.client_secret:
            data["client_secret"] = "(set)"
        return data


def settings_from(value: JsonValue) -> SsoSettings | None:
    """The stored settings, or None when the organisation has none; raises ValueError when
    what is stored does not validate."""
    if value is None:
        return None
    try:
        return SsoSettings.model_validate(value)
    except ValidationError as error:
        raise ValueError(
            f"the stored SSO settings are invalid: {error.errors()[0]['msg']}"
        ) from None


def parse_map(pairs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``GROUP=ROLE[,ROLE]`` pairs (a group may repeat) as a role map; raises ValueError."""
    mapped: dict[str, list[str]] = {}
    for pair in pairs:
        group, sep, roles = pair.partition("=")
        if not sep or not group.strip() or not roles.strip():
            raise ValueError(f"--map {pair!r}: expected GROUP=ROLE (e.g. engineers=developer)")
        mapped.setdefault(group.strip(), []).extend(r.strip() for r in roles.split(",") if r)
    return {group: valid_roles(roles) for group, roles in mapped.items()}


def roles_for(groups: Sequence[str], role_map: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The Accord roles that ``groups`` map to, in the map's order, each once."""
    held = set(groups)
    return tuple(dict.fromkeys(r for g, roles in role_map.items() if g in held for r in roles))
