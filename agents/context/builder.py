"""The context for a task: the workspace's most relevant code and the recent conversation.

``ContextBuilder.build`` spends ``agents.context-tokens`` (estimated, see ``budget``): the
recent history takes up to ``history_share`` of it, and ranked files (``rank``) fill the rest,
the task's own file left out (its text travels in the task). The target's text is taken into
the symbol map first, so unsaved edits count. Items are not yet guarded: the gateway passes
every request through ``accord.agents.guard.prepare_egress`` before it leaves.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from pathlib import Path

from accord.agents.providers.types import ContextItem
from accord.agents.tasks import Task
from accord.check.analysis import read_source
from accord.config import Settings

from .budget import estimate_tokens, fit
from .history import History
from .rank import rank
from .symbols import SymbolMap

__all__ = ["ContextBuilder", "mentioned_names"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ContextBuilder:
    """Builds context for the project at ``root``; the symbol map is built on first use unless
    one (kept current by its owner) is given."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        symbols: SymbolMap | None = None,
        history: History | None = None,
        history_share: float = 0.25,
    ) -> None:
        self.root = root
        self.settings = settings
        self.history = history
        self.history_share = history_share
        self._symbols = symbols
        # build() runs in worker threads; the symbol map is updated and read under this lock.
        self._lock = threading.Lock()
        # The editor's text of the open files, as of the last build.
        self._open: dict[Path, str] = {}

    @property
    def symbols(self) -> SymbolMap:
        if self._symbols is None:
            self._symbols = SymbolMap(self.root, self.settings)
            self._symbols.build()
        return self._symbols

    def build(
        self, task: Task, open_texts: Mapping[Path, str] | None = None
    ) -> tuple[ContextItem, ...]:
        """Ranked code context, then history (oldest first), within the token budget.

        ``open_texts`` holds the editor's text of the open files (unsaved edits included): the
        symbol map takes in those that changed since the last build, and their text is what
        goes out as context, not the copy on disk. Safe to call from several threads at once
        (calls are serialised).
        """
        with self._lock:
            texts = dict(open_texts or {})
            for path, text in texts.items():
                if self._open.get(path) != text:
                    self.symbols.update(path, text)
            self._open = texts
            return self._build(task)

    def _build(self, task: Task) -> tuple[ContextItem, ...]:
        budget = self.settings.agents.context_tokens
        past = self._history(int(budget * self.history_share))
        left = budget - sum(estimate_tokens(item.text) for item in past)
        target = Path(task.target.path)
        self.symbols.update(target, task.target.source)
        focus = self.symbols.relative(target)
        ranked = rank(self.symbols.files, [focus] if focus else [], mentioned_names(task))
        others = (file for file in ranked if file.path != focus)
        return (*fit(others, self.root, left, self._read), *past)

    def _history(self, tokens: int) -> tuple[ContextItem, ...]:
        return () if self.history is None else self.history.recent(tokens=tokens)

    def _read(self, rel: str) -> str | None:
        if (edited := self._open.get(self.root / rel)) is not None:
            return edited
        data, _ = read_source(self.root / rel, self.settings.max_file_size)
        return None if data is None else data.decode("utf-8")


def mentioned_names(task: Task) -> frozenset[str]:
    """The identifiers in the task's target range, with its symbol and instructions."""
    target = task.target
    lines = target.source.splitlines()[target.range.start.line : target.range.end.line + 1]
    words = _IDENTIFIER.findall("\n".join([*lines, target.symbol or "", task.instructions]))
    return frozenset(words)
