"""The org server's ``sso.*`` methods (callable before ``authenticate``).

``sso.config`` tells a client where the organisation's provider is, ``sso.device`` starts a
device authorization there, and ``sso.exchange`` redeems what the client got (an authorization
code with its PKCE verifier and nonce, or a device code) at the provider, validates the ID
token, admits the user (:mod:`.members`) and answers an Accord token pair.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from accord.protocol.org import SsoConfig, SsoDevice, SsoExchange, SsoExchanged, SsoOrg

from ..errors import NotFound, Unauthenticated
from ..hub import Peer
from ..metrics import Metrics
from ..records import Organisation, User
from ..store import OrgStore
from ..tokens import TokenIssuer
from .members import admit
from .provider import Pending, Provider, Providers, SsoError
from .settings import SETTING, SsoSettings, settings_from

__all__ = ["SsoHandlers", "org_settings", "sign_in"]

T = TypeVar("T")

CALLS_PER_CONNECTION = 20
"""``sso.*`` calls one connection may make: each may cost a request to the provider, and they
come before the caller has proved anything (a device login polls once per connection)."""


async def org_settings(store: OrgStore, org: str) -> tuple[Organisation, SsoSettings]:
    """The organisation named ``org`` (id or name; empty: the only one with single sign-on)
    and its settings; raises :class:`NotFound` when there is no such organisation with SSO."""
    found: list[tuple[Organisation, SsoSettings]] = []
    for candidate in await store.list_orgs():
        if org and org not in (candidate.id, candidate.name):
            continue
        try:
            settings = settings_from(await store.org_setting(candidate.id, SETTING))
        except ValueError as error:
            raise NotFound(f"{candidate.name}: {error}") from None
        if settings is not None:
            found.append((candidate, settings))
    if len(found) == 1:
        return found[0]
    if not found:
        where = f"organisation {org!r}" if org else "any organisation here"
        raise NotFound(f"single sign-on is not set up for {where}")
    raise NotFound("several organisations sign in here; name yours (--org ID_OR_NAME)")


async def sign_in(
    store: OrgStore,
    provider: Provider,
    org: Organisation,
    settings: SsoSettings,
    tokens: dict[str, Any],
    nonce: str | None,
) -> User:
    """The member a provider's token response stands for, its ID token verified (for the
    request of ``nonce``); raises :class:`SsoError` when they may not come in."""
    claims = await provider.verified_claims(
        tokens.get("id_token", ""), nonce, tokens.get("access_token")
    )
    return await admit(store, org.id, org.name, settings, claims)


class SsoHandlers:
    """``sso.config``, ``sso.device`` and ``sso.exchange`` over one store and token issuer."""

    def __init__(
        self,
        store: OrgStore,
        issuer: TokenIssuer,
        metrics: Metrics | None = None,
        providers: Providers | None = None,
    ) -> None:
        self.store, self.issuer, self.metrics = store, issuer, metrics
        self.providers = providers or Providers()
        self._calls: WeakKeyDictionary[Peer, int] = WeakKeyDictionary()

    def _count(self, peer: Peer) -> None:
        """Refuse a connection's call beyond :data:`CALLS_PER_CONNECTION`."""
        calls = self._calls[peer] = self._calls.get(peer, 0) + 1
        if calls > CALLS_PER_CONNECTION:
            raise Unauthenticated(
                f"too many single sign-on calls on one connection (over {CALLS_PER_CONNECTION}); "
                "open a new connection"
            )

    def table(self) -> dict[str, Any]:
        """The handlers by method name, for the service's table."""
        return {"sso.config": self.config, "sso.device": self.device, "sso.exchange": self.exchange}

    async def config(self, peer: Peer, params: SsoOrg) -> SsoConfig:
        self._count(peer)
        org, settings = await org_settings(self.store, params.org)
        metadata = await self._refusing(self.providers.of(settings).metadata())
        return SsoConfig(
            org_id=org.id,
            org_name=org.name,
            issuer=settings.issuer,
            client_id=settings.client_id,
            authorization_endpoint=metadata["authorization_endpoint"],
            scope=settings.scope,
        )

    async def device(self, peer: Peer, params: SsoOrg) -> SsoDevice:
        self._count(peer)
        _, settings = await org_settings(self.store, params.org)
        answer = await self._refusing(self.providers.of(settings).start_device())
        try:
            return SsoDevice.model_validate(
                {k: answer[k] for k in SsoDevice.model_fields if k in answer}
            )
        except ValueError:
            raise Unauthenticated("the identity provider's device answer is malformed") from None

    async def exchange(self, peer: Peer, params: SsoExchange) -> SsoExchanged:
        from ..service import issue_pair

        self._count(peer)
        org, settings = await org_settings(self.store, params.org_id)
        provider = self.providers.of(settings)
        if params.device_code:
            try:
                tokens = await self._refusing(provider.poll_device(params.device_code))
            except Pending as pending:
                return SsoExchanged(pending=True, slow_down=pending.slow_down)
            nonce = None
        else:
            if not (params.code and params.code_verifier and params.redirect_uri and params.nonce):
                raise ValueError(
                    "sso.exchange needs code, code_verifier (PKCE), redirect_uri and nonce, "
                    "or a device_code"
                )
            tokens = await self._refusing(
                provider.redeem_code(params.code, params.code_verifier, params.redirect_uri)
            )
            nonce = params.nonce
        user = await self._refusing(sign_in(self.store, provider, org, settings, tokens, nonce))
        pair = await issue_pair(self.store, self.issuer, user)
        return SsoExchanged(pair=pair, email=user.email, roles=user.roles)

    async def _refusing(self, work: Awaitable[T]) -> T:
        """``await work``, an :class:`SsoError` turned into a refusal to authenticate (and
        counted as an authentication failure, reason ``sso``)."""
        try:
            return await work
        except SsoError as error:
            if self.metrics is not None:
                self.metrics.auth_failures.labels(reason="sso").inc()
            raise Unauthenticated(f"single sign-on refused: {error}") from None
