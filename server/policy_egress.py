"""The policy's say on what a provider may see: path classes' confidentiality by provider kind.

The data guard (``accord.agents.guard``) applies the project's egress settings; this adds the
org policy's ``provider_access``: a provider kind sees a file only up to the confidentiality its
access allows (``provider_may_see``). A task on a file it may not see is refused for that
provider (the gateway then tries the next, e.g. ``local``); context from such files is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from accord.agents.exceptions import EgressDenied
from accord.agents.providers.types import ProviderRequest
from accord.config import ProviderSettings
from accord.policy.model import Policy
from accord.policy.paths import confidentiality_of, provider_may_see

__all__ = ["policy_egress", "policy_refusal"]


def policy_egress(
    request: ProviderRequest, provider: ProviderSettings, root: Path, policy: Policy
) -> ProviderRequest:
    """``request`` less what the policy keeps from ``provider``.

    Raises:
        EgressDenied: the task's own file is classed above what the provider may see.
    """

    def allowed(path: str) -> bool:
        return provider_may_see(policy, provider.kind, _relative(path, root))

    task = request.task
    if task is not None and not allowed(task.target.path):
        level = confidentiality_of(policy, _relative(task.target.path, root))
        raise EgressDenied(
            f"the policy classes {_relative(task.target.path, root)} as {level}, "
            f"above what {provider.kind} providers may see"
        )
    context = tuple(item for item in request.context if item.path is None or allowed(item.path))
    paths = tuple(path for path in request.paths if allowed(path))
    return request.model_copy(update={"context": context, "paths": paths})


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def policy_refusal(
    policy: Policy, kinds: Iterable[str], root: Path
) -> Callable[[Path], str | None]:
    """Why the policy keeps a file from one of the provider ``kinds`` (None when it does not):
    the Ask tools refuse to read such a file for a model."""
    chosen = sorted(set(kinds))

    def refuse(path: Path) -> str | None:
        rel = _relative(str(path), root)
        denied = [kind for kind in chosen if not provider_may_see(policy, kind, rel)]
        if not denied:
            return None
        level = confidentiality_of(policy, rel)
        return f"the policy classes {rel} as {level}, above what {', '.join(denied)} may see"

    return refuse
