"""The org server's side of OIDC against a real provider: code + PKCE, the device grant, and
the ID tokens it must refuse."""

from __future__ import annotations

import httpx
import pytest

from accord.org.sso.provider import Pending, Provider, SsoError

from .flows import REDIRECT, authorized, settings_for
from .idp import Person
from .idp import Provider as Idp


async def _id_token_claims(idp: Idp) -> dict[str, object]:
    provider = Provider(settings_for(idp))
    code, nonce, verifier = await authorized(provider)
    tokens = await provider.redeem_code(code, verifier, REDIRECT)
    return await provider.verified_claims(tokens["id_token"], nonce, tokens["access_token"])


async def test_code_flow_with_pkce_yields_the_users_verified_claims(idp: Idp) -> None:
    idp.behaviour.user = Person("lin@acme.test", ["leads", "other"])
    claims = await _id_token_claims(idp)
    assert claims["email"] == "lin@acme.test"
    assert claims["email_verified"] is True
    assert claims["groups"] == ["leads", "other"]
    assert claims["iss"] == idp.url


async def test_an_id_token_signed_with_another_key_is_refused(idp: Idp) -> None:
    idp.behaviour.rogue = True
    with pytest.raises(SsoError, match="signature does not verify"):
        await _id_token_claims(idp)


async def test_an_id_token_for_another_client_is_refused(idp: Idp) -> None:
    idp.behaviour.audience = "some-other-app"
    with pytest.raises(SsoError, match="aud"):
        await _id_token_claims(idp)


async def test_an_expired_id_token_is_refused(idp: Idp) -> None:
    idp.behaviour.lifetime = -600
    with pytest.raises(SsoError, match="expired|exp"):
        await _id_token_claims(idp)


async def test_a_code_is_good_once(idp: Idp) -> None:
    provider = Provider(settings_for(idp))
    code, _, verifier = await authorized(provider)
    await provider.redeem_code(code, verifier, REDIRECT)
    with pytest.raises(SsoError, match="refused the code"):
        await provider.redeem_code(code, verifier, REDIRECT)


async def test_a_code_without_its_pkce_verifier_is_refused(idp: Idp) -> None:
    provider = Provider(settings_for(idp))
    code, _, _ = await authorized(provider)
    with pytest.raises(SsoError, match="refused the code"):
        await provider.redeem_code(code, "x" * 50, REDIRECT)


async def test_an_id_token_of_another_login_is_refused_by_its_nonce(idp: Idp) -> None:
    provider = Provider(settings_for(idp))
    code, _, verifier = await authorized(provider)
    tokens = await provider.redeem_code(code, verifier, REDIRECT)
    with pytest.raises(SsoError, match="nonce"):
        await provider.verified_claims(tokens["id_token"], "the-nonce-of-another-login")


async def test_discovery_naming_another_issuer_is_refused(idp: Idp) -> None:
    provider = Provider(settings_for(idp, issuer=idp.url.replace("127.0.0.1", "localhost")))
    with pytest.raises(SsoError, match="names itself"):
        await provider.metadata()


async def test_device_grant_is_pending_until_the_user_approves(idp: Idp) -> None:
    idp.behaviour.user = Person("ada@acme.test", ["engineers"])
    provider = Provider(settings_for(idp))
    device = await provider.start_device()
    with pytest.raises(Pending):
        await provider.poll_device(device["device_code"])
    async with httpx.AsyncClient() as http:
        approved = await http.get(device["verification_uri_complete"])
    assert approved.status_code == 200
    tokens = await provider.poll_device(device["device_code"])
    claims = await provider.verified_claims(tokens["id_token"], None)
    assert claims["email"] == "ada@acme.test"
    assert claims["groups"] == ["engineers"]
