"""Each organisation's policy: the stored revision (or the built-in default, revision 0), signed
with the organisation's key (:mod:`accord.org.signing`)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace

from pydantic import JsonValue

from accord.audit.chain import canonical_json
from accord.policy.loading import default_policy, parse_yaml_policy
from accord.policy.model import Policy
from accord.protocol.org import PolicyDocument

from .keyring import KeyRing
from .signing import OrgKey, policy_payload, sign
from .store import OrgStore

__all__ = ["OrgPolicy", "PolicyBook"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OrgPolicy:
    revision: int
    etag: str
    policy: Policy
    body: dict[str, JsonValue]
    """The policy as stored and signed."""
    key_id: str
    signature: str

    def document(self, known_revision: int | None = None) -> PolicyDocument:
        """The revision as sent; without the policy itself when the client holds it."""
        if known_revision == self.revision:
            return PolicyDocument(revision=self.revision, etag=self.etag)
        return PolicyDocument(
            revision=self.revision,
            etag=self.etag,
            policy=self.body,
            key_id=self.key_id,
            signature=self.signature,
        )


def _etag(policy: Policy) -> str:
    text = canonical_json(policy.model_dump(mode="json"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _signature(org_id: str, revision: int, body: JsonValue, key: OrgKey) -> tuple[str, str]:
    return key.key_id, sign(key.private, policy_payload(org_id, revision, body))


_DEFAULT = default_policy()
_DEFAULT_BODY: dict[str, JsonValue] = _DEFAULT.model_dump(mode="json")
_DEFAULT_ETAG = _etag(_DEFAULT)
_DEFAULT_POLICY = OrgPolicy(0, _DEFAULT_ETAG, _DEFAULT, _DEFAULT_BODY, "", "")


class PolicyBook:
    """Reads and writes organisations' policies, caching each parsed (and signed) revision."""

    def __init__(self, store: OrgStore, keys: KeyRing | None = None) -> None:
        self._store = store
        self.keys = keys or KeyRing(store)
        self._parsed: dict[tuple[str, int, str], OrgPolicy] = {}

    async def current(self, org_id: str) -> OrgPolicy:
        """The organisation's latest revision (read from the store each time: replicas and the
        admin CLI may have changed it); its signature is "" when it was stored unsigned."""
        stored = await self._store.policy(org_id)
        if stored is None:
            return _DEFAULT_POLICY
        key = (org_id, stored.revision, stored.key_id)
        if key not in self._parsed:
            body = _object(stored.document)
            self._parsed[key] = _org_policy(stored.revision, body, stored.key_id, stored.signature)
        return self._parsed[key]

    async def signed(self, org_id: str) -> OrgPolicy:
        """:meth:`current` as pushed: the built-in default (revision 0) is signed here with the
        current key. A stored revision carries the signature it was stored with; one stored
        without (before policies were signed, or written into the store by hand) goes out
        unsigned, and language servers refuse it: set the policy again to sign it."""
        found = await self.current(org_id)
        if found.signature:
            return found
        if found.revision != 0:
            log.warning("policy revision %d of %s is not signed", found.revision, org_id)
            return found
        signer = await self.keys.current(org_id)
        key = (org_id, found.revision, signer.key_id)
        if key not in self._parsed:
            key_id, signature = _signature(org_id, found.revision, found.body, signer)
            self._parsed[key] = replace(found, key_id=key_id, signature=signature)
        return self._parsed[key]

    async def put(self, org_id: str, yaml_text: str) -> OrgPolicy:
        """Validate, sign and store a new revision; raises PolicyError naming the bad line."""
        policy = parse_yaml_policy(yaml_text, "policy.yaml")
        body: dict[str, JsonValue] = policy.model_dump(mode="json")
        signer = await self.keys.current(org_id)
        signed: list[tuple[str, str]] = []

        def sign_revision(revision: int) -> tuple[str, str]:
            signed.append(_signature(org_id, revision, body, signer))
            return signed[-1]

        revision = await self._store.put_policy(org_id, yaml_text, body, sign_revision)
        found = OrgPolicy(revision, _etag(policy), policy, body, *signed[-1])
        self._parsed[(org_id, revision, found.key_id)] = found
        return found


def _object(document: JsonValue) -> dict[str, JsonValue]:
    if not isinstance(document, dict):
        raise ValueError("a stored policy is not a JSON object")
    return document


def _org_policy(
    revision: int, body: dict[str, JsonValue], key_id: str, signature: str
) -> OrgPolicy:
    policy = Policy.model_validate(body)
    return OrgPolicy(revision, _etag(policy), policy, body, key_id, signature)
