"""What reaches a remote provider: every secret ACC003 would flag is redacted by the egress
guard, wherever it rides (the target file, a neighbouring file in the context, the history),
proven on the bytes a fake Anthropic server received from the real SDK over loopback HTTP.

Sample secrets are assembled at run time so that this file holds none itself.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from accord.agents.context.builder import ContextBuilder
from accord.agents.context.history import History
from accord.agents.guard import REDACTED, prepare_egress
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import Message, ProviderRequest
from accord.config import ProviderSettings, Settings, resolve

from ..context.projects import document_task, write_tree
from .fakes import FakeProvider

PASSWORD = "Summer" + "2024!"
URL_PASSWORD = "Xk9mP2q" + "L7vR4"
AWS_TAIL = "QYLPMN5H" + "J3ZWXAB2"
ENCODED = base64.b64encode(("admin:" + PASSWORD).encode()).decode()
GITHUB = "ghp_" + "k3Jd9Qm2Xv7Lp4Rt8Wz1Nb6Hc5Fy0Ga2Se7U"

# (case, a line of Python holding the secret, the text that must not leave)
CASES = [
    (
        "url",
        f'DATABASE_URL = "postgresql://admin:{URL_PASSWORD}@db.internal:5432/app"',
        URL_PASSWORD,
    ),
    ("password", f'DB_PASSWORD = "{PASSWORD}"', PASSWORD),
    ("split-aws-key", f'AWS_KEY = "AKIA" + "{AWS_TAIL}"', AWS_TAIL),
    ("base64", f'AUTH = "{ENCODED}"', ENCODED),
    ("comment", f"# deploy with {GITHUB}", GITHUB),
]
TARGET = "from .settings import connect\n\n\ndef handle(raw):\n    return connect(raw)\n"


def anthropic(fake: FakeProvider) -> dict[str, object]:
    return {
        "kind": "anthropic",
        "model": "claude-fake",
        "base-url": fake.url,
        "api-key-env": "FAKE_KEY",
        "timeout": 2.0,
    }


async def send(root: Path, fake: FakeProvider, target: str, history: History) -> str:
    """Build the context for a task on ``app/handler.py`` and send it through the guard."""
    loaded = resolve([("test", {"providers": {"claude": anthropic(fake)}})])
    settings = loaded.settings

    def guard(request: ProviderRequest, provider: ProviderSettings) -> ProviderRequest:
        return prepare_egress(request, provider, root, settings.egress)

    task = document_task(root, "app/handler.py", target, (3, 5), "handle")
    context = ContextBuilder(root, settings, history=history).build(task)
    gateway = build_gateway(settings, root, "ada", guard=guard)
    try:
        request = ProviderRequest(
            capability="analysis",
            system="Document the function.",
            # The flagged code rides in the message, as Fix's prompt carries it.
            messages=(Message(role="user", content=f"Fix this:\n```python\n{target}\n```"),),
            context=context,
            task=task,
            paths=tuple(item.path for item in context if item.path),
        )
        unguarded = "\n".join([*(item.text for item in context), target])
        await gateway.complete(request)
    finally:
        await gateway.aclose()
    return unguarded


def project(tmp_path: Path, settings_py: str) -> Path:
    return write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/handler.py": TARGET,
            "app/settings.py": settings_py,
        },
    )


NEIGHBOUR = "def connect(raw):\n    return raw\n"


@pytest.mark.parametrize(("case", "line", "secret"), CASES, ids=[c[0] for c in CASES])
async def test_a_secret_in_the_target_never_leaves(
    tmp_path: Path, fake: FakeProvider, case: str, line: str, secret: str
) -> None:
    root = project(tmp_path, NEIGHBOUR)
    target = f"{line}\n{TARGET}"
    unguarded = await send(root, fake, target, History(root))
    assert secret in unguarded  # it would have been sent…
    sent = fake.seen_text()
    assert fake.requests and secret not in sent  # …and was not
    assert _escaped(REDACTED) in sent


@pytest.mark.parametrize(("case", "line", "secret"), CASES, ids=[c[0] for c in CASES])
async def test_a_secret_in_a_neighbouring_file_never_leaves(
    tmp_path: Path, fake: FakeProvider, case: str, line: str, secret: str
) -> None:
    root = project(tmp_path, f"{line}\n\n\n{NEIGHBOUR}")
    unguarded = await send(root, fake, TARGET, History(root))
    assert secret in unguarded
    sent = fake.seen_text()
    assert fake.requests and secret not in sent
    assert "def connect(raw)" in sent  # the neighbour itself still goes


@pytest.mark.parametrize(("case", "line", "secret"), CASES, ids=[c[0] for c in CASES])
async def test_a_secret_in_the_history_never_leaves(
    tmp_path: Path, fake: FakeProvider, case: str, line: str, secret: str
) -> None:
    root = project(tmp_path, NEIGHBOUR)
    history = History(root)
    history.append("user", f"earlier I pasted this:\n{line}\n")
    unguarded = await send(root, fake, TARGET, history)
    assert secret in unguarded
    assert fake.requests and secret not in fake.seen_text()


def test_the_guard_redacts_what_acc003_flags() -> None:
    """Each case is also an ACC003 finding in a Python file (the guard and the rule agree)."""
    from accord.analyzers.engine import DocumentAnalysis
    from accord.analyzers.languages import language_for
    from accord.analyzers.source import SourceDocument

    spec = language_for(path="settings.py")
    assert spec is not None
    for _, line, secret in CASES:
        document = SourceDocument.from_text(spec, line + "\n")
        findings = DocumentAnalysis(document, Settings()).findings
        flagged = [document.data[f.start : f.end].decode() for f in findings if f.code == "ACC003"]
        assert any(secret in text for text in flagged), (line, flagged)


def _escaped(text: str) -> str:
    """``text`` as ``json.dumps`` writes it (non-ASCII escaped)."""
    return text.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
