"""Errors of the agents package.

::

    AgentError
    ├── IllegalTransition      a lifecycle change the state machine does not allow
    ├── PoolExhausted          no agent free and the pool is at its size limit
    ├── NoAgentFor             no registered agent type has the capability a task needs
    ├── EditConflict           two sub-tasks' edits overlap in the same file
    ├── ActionFailed           an action could not produce a proposal (bad answer, bad target)
    │   └── ProposalWithdrawn  a proposal failed a check before anyone saw it (carries the evidence)
    ├── EgressDenied           the data guard refused to let content leave for a provider
    └── ProviderError          a provider call failed (carries the provider's name)
        ├── RateLimited        429; ``retry_after`` seconds if the provider said
        ├── ProviderTimeout    no answer within the provider's timeout
        ├── ProviderUnavailable  5xx, connection refused or reset
        ├── MalformedResponse  an answer that does not parse as the API promises
        ├── CircuitOpen        the provider's breaker is open; not called
        └── NoProvider         no configured provider can serve the request (all failed or none fit)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.protocol.proposal import Check

__all__ = [
    "ActionFailed",
    "AgentError",
    "CircuitOpen",
    "EditConflict",
    "EgressDenied",
    "IllegalTransition",
    "MalformedResponse",
    "NoAgentFor",
    "NoProvider",
    "PoolExhausted",
    "ProposalWithdrawn",
    "ProviderError",
    "ProviderTimeout",
    "ProviderUnavailable",
    "RateLimited",
]


class AgentError(Exception):
    """Base of every error raised by ``accord.agents``."""


class IllegalTransition(AgentError):
    """A lifecycle transition that is not allowed; says the state it was in and the one asked."""


class PoolExhausted(AgentError):
    """The agent pool is at its size limit with no idle agent of the needed type."""


class NoAgentFor(AgentError):
    """No agent type in the registry offers the capability a task needs."""


class EditConflict(AgentError):
    """Two edits to the same file overlap; the merge refuses to pick one silently."""


class ActionFailed(AgentError):
    """An action could not turn its target or the provider's answer into a proposal."""


class ProposalWithdrawn(ActionFailed):
    """A proposal failed a check (it does not parse, its finding is still there, a test fails);
    ``evidence`` holds every check run, the failed ones included."""

    def __init__(self, reason: str, evidence: tuple[Check, ...]) -> None:
        super().__init__(reason)
        self.evidence = evidence


class EgressDenied(AgentError):
    """Content was refused by the data guard (ignored, key or confidential file, or policy)."""


class ProviderError(AgentError):
    """A provider call failed."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class RateLimited(ProviderError):
    """The provider answered 429 (or our own rate limit refused the call)."""

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    """The provider did not answer in time."""


class ProviderUnavailable(ProviderError):
    """A 5xx answer or a connection failure."""


class MalformedResponse(ProviderError):
    """An answer that is not what the provider's API promises."""


class CircuitOpen(ProviderError):
    """The provider's circuit breaker is open, so it was not called."""


class NoProvider(ProviderError):
    """No provider could serve the request; ``failures`` lists why each one that was tried failed."""

    def __init__(self, message: str, failures: tuple[ProviderError, ...] = ()) -> None:
        super().__init__("gateway", message)
        self.failures = failures
