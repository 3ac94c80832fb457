"""The data guard: the one rule for what may leave the machine for an AI provider.

Everything that sends workspace content to a provider — the gateway's provider calls, and so
the context builder's symbol outlines and files, the conversation history and the task's own
source — goes through ``prepare_egress`` just before the call; code that gathers content ahead
of time (the symbol map, the history) asks ``egress_allowed`` so that never-sent files are not
even read into it. No other module decides this.

- Never sent: files ignored by the project's ``.gitignore`` files (nested ones and ``!``
  negations included) or ``.accordignore``; ``.env``/``.env.*``; private keys, keystores and
  credential files (``SECRET_FILES``); ``egress.never-send`` globs.
- Confidential (``egress.confidential`` globs): only ``local`` and ``on_premise`` providers.
- Secrets found by ACC003's detector are replaced by ``REDACTED`` in all text that is sent.
- A ``local`` provider runs in this process: its requests pass unchanged.
"""

from __future__ import annotations

from .egress import REDACTED, Deployment, egress_allowed, prepare_egress, refusal
from .rules import SECRET_FILES, Verdict, judge

__all__ = [
    "REDACTED",
    "SECRET_FILES",
    "Deployment",
    "Verdict",
    "egress_allowed",
    "judge",
    "prepare_egress",
    "refusal",
]
