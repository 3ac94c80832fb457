"""Accord's policy: a pure core that scores a change's risk and decides its approval.

``model`` holds the policy's shape, ``loading`` reads it (with errors naming file, line and key),
``scoring`` turns change facts into a 0-10 risk score with reasons, and ``approval`` is the
approval state machine with an injected clock.
"""

__all__: list[str] = []
