"""The context builder: what of the workspace, and of the conversation so far, goes with a task.

- ``symbols``: the workspace symbol map (tree-sitter ``tags.scm`` queries), kept current per file;
- ``rank``: files and definitions by relevance to a task (personalised PageRank over references);
- ``budget``: ranked files cut to a token budget as context items;
- ``history``: the project's conversation history in SQLite, across sessions;
- ``builder``: all of the above for one task.

What this package gathers is judged by the data guard (``accord.agents.guard``) before it leaves.
"""

from __future__ import annotations

from .builder import ContextBuilder, mentioned_names
from .history import History
from .rank import RankedFile, rank
from .symbols import Definition, FileSymbols, SymbolMap, extract

__all__ = [
    "ContextBuilder",
    "Definition",
    "FileSymbols",
    "History",
    "RankedFile",
    "SymbolMap",
    "extract",
    "mentioned_names",
    "rank",
]
