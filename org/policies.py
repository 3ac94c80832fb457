"""Each organisation's policy: the stored revision (or the built-in default, revision 0)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from accord.audit.chain import canonical_json
from accord.policy.loading import default_policy, parse_yaml_policy
from accord.policy.model import Policy
from accord.protocol.org import PolicyDocument

from .store import OrgStore

__all__ = ["OrgPolicy", "PolicyBook"]


@dataclass(frozen=True, slots=True)
class OrgPolicy:
    revision: int
    etag: str
    policy: Policy

    def document(self, known_revision: int | None = None) -> PolicyDocument:
        """The revision as sent; without the policy itself when the client holds it."""
        same = known_revision == self.revision
        body = None if same else self.policy.model_dump(mode="json")
        return PolicyDocument(revision=self.revision, etag=self.etag, policy=body)


def _etag(policy: Policy) -> str:
    text = canonical_json(policy.model_dump(mode="json"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_DEFAULT = default_policy()
_DEFAULT_ETAG = _etag(_DEFAULT)


class PolicyBook:
    """Reads and writes organisations' policies, caching each parsed revision."""

    def __init__(self, store: OrgStore) -> None:
        self._store = store
        self._parsed: dict[tuple[str, int], OrgPolicy] = {}

    async def current(self, org_id: str) -> OrgPolicy:
        """The organisation's latest revision (read from the store each time: replicas and the
        admin CLI may have changed it)."""
        stored = await self._store.policy(org_id)
        if stored is None:
            return OrgPolicy(0, _DEFAULT_ETAG, _DEFAULT)
        revision, document = stored
        key = (org_id, revision)
        if key not in self._parsed:
            policy = Policy.model_validate(document)
            self._parsed[key] = OrgPolicy(revision, _etag(policy), policy)
        return self._parsed[key]

    async def put(self, org_id: str, yaml_text: str) -> OrgPolicy:
        """Validate and store a new revision; raises PolicyError naming the bad line."""
        policy = parse_yaml_policy(yaml_text, "policy.yaml")
        revision = await self._store.put_policy(org_id, yaml_text, policy.model_dump(mode="json"))
        found = OrgPolicy(revision, _etag(policy), policy)
        self._parsed[(org_id, revision)] = found
        return found
