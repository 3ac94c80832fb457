"""Agent actions, one module each, named after its ``ActionKind`` value.

Every action module provides the same four things (see ``Action``): the provider capability it
needs, the prompt a remote model gets, the answer the offline ``local`` provider gives (in the
very format the prompt asks for), and the conversion of an answer into a ``Proposal``. So a
model's answer and the local answer go through one path.
"""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.protocol import Proposal

__all__ = ["Action", "action_for"]


class Action(Protocol):
    """What each ``accord.agents.actions.<kind>`` module provides."""

    KIND: ActionKind
    # The provider capability the action needs ("code_generation", "analysis", …).
    CAPABILITY: str
    # The agent expertise it is routed by ("test_automation", "documentation", …).
    EXPERTISE: str

    def prompt(self, task: Task) -> tuple[str, tuple[Message, ...]]:
        """The system prompt and messages for a remote model (context is added separately)."""
        ...

    def local_answer(self, task: Task) -> str:
        """The offline provider's deterministic answer, in the format ``prompt`` asks for.

        Raises:
            ActionFailed: the target cannot be handled (e.g. not a function).
        """
        ...

    def to_proposal(self, task: Task, answer: str) -> Proposal:
        """The proposal an answer amounts to.

        Raises:
            ActionFailed: the answer does not hold what the prompt asked for.
        """
        ...


def action_for(kind: ActionKind) -> Action:
    """The module implementing ``kind``."""
    return cast(Action, importlib.import_module(f"{__name__}.{kind.value}"))
