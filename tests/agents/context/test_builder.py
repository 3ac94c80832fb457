"""The context for a task: ranked code and history within the budget, through the guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.agents.context.budget import estimate_tokens
from accord.agents.context.builder import ContextBuilder, mentioned_names
from accord.agents.context.history import History
from accord.agents.guard import REDACTED, prepare_egress
from accord.agents.providers.types import ContextKind, Message, ProviderRequest
from accord.agents.tasks import Task
from accord.config import ProviderSettings, Settings, validated

from .projects import document_task, write_tree

TOKEN = "ghp_" + "k3Jd9Qm2Xv7Lp4Rt8Wz1Nb6Hc5Fy0Ga2Se7U"
SOURCE = "from .parser import parse\n\n\ndef handle(raw):\n    return parse(raw, Config())\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        ".gitignore": "private/\n",
        "app/handler.py": SOURCE,
        "app/parser.py": "def parse(raw, config):\n    return tokenise(raw)\n\n"
        "def tokenise(raw):\n    return raw.split()\n",
        "app/config.py": "class Config:\n    debug = False\n",
        "app/plot.py": "def plot():\n    return draw()\n\ndef draw():\n    pass\n",
        "private/notes.py": "def parse_secret():\n    return parse('x')\n",
    }
    return write_tree(tmp_path, files)


def task(root: Path, source: str = SOURCE) -> Task:
    return document_task(root, "app/handler.py", source, (3, 4), "handle")


def settings(tokens: int) -> Settings:
    return validated(Settings, {"agents": {"context-tokens": tokens}})


def test_mentioned_names_come_from_the_target_range() -> None:
    assert mentioned_names(task(Path("/p"))) == {
        "def",
        "handle",
        "raw",
        "return",
        "parse",
        "Config",
    }


def test_the_files_the_target_uses_come_first(project: Path) -> None:
    items = ContextBuilder(project, settings(2000)).build(task(project))
    paths = [item.path for item in items]
    assert paths[:2] == sorted(paths[:2]) and set(paths[:2]) == {
        str(project / "app/config.py"),
        str(project / "app/parser.py"),
    }
    assert str(project / "app/handler.py") not in paths
    assert str(project / "private/notes.py") not in paths


def test_unsaved_target_text_counts(project: Path) -> None:
    edited = SOURCE.replace("parse(raw, Config())", "plot()")
    items = ContextBuilder(project, settings(2000)).build(task(project, edited))
    assert items[0].path == str(project / "app/plot.py")


@pytest.mark.parametrize("budget", [256, 300, 600])
def test_code_and_history_stay_within_the_budget(project: Path, budget: int) -> None:
    history = History(project)
    for n in range(40):
        history.append("user", f"earlier request number {n} about parse")
    items = ContextBuilder(project, settings(budget), history=history).build(task(project))
    assert sum(estimate_tokens(item.text) for item in items) <= budget
    kinds = [item.kind for item in items]
    assert ContextKind.HISTORY in kinds and kinds[-1] is ContextKind.HISTORY
    assert kinds.index(ContextKind.HISTORY) > 0


def test_history_leaves_through_the_guard_redacted(project: Path) -> None:
    history = History(project)
    history.append("user", f"my token is {TOKEN}")
    context = ContextBuilder(project, settings(2000), history=History(project)).build(task(project))
    request = ProviderRequest(
        capability="analysis",
        system="",
        messages=(Message(role="user", content="go"),),
        context=context,
        task=task(project),
        paths=tuple(item.path for item in context if item.path),
    )
    sent = prepare_egress(request, ProviderSettings(kind="anthropic"), project, Settings().egress)
    (past,) = [item for item in sent.context if item.kind is ContextKind.HISTORY]
    assert past.text == f"user: my token is {REDACTED}"
    assert sent.paths == request.paths and len(sent.paths) == 3
