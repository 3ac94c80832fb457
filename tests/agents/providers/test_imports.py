"""The language server starts without the provider SDKs: they load on the first call."""

from __future__ import annotations

import subprocess
import sys


def test_the_server_starts_without_importing_litellm() -> None:
    probe = (
        "import sys, accord.server.app, accord.agents.providers.gateway;"
        "print('litellm' in sys.modules, 'anthropic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
