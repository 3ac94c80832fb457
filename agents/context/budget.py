"""Cut ranked files down to a token budget, as context items.

Tokens are estimated, not counted: ``estimate_tokens`` is ``ceil(characters / 4)``, the usual
rule of thumb for BPE vocabularies on English and code (real counts for source code run
3-4 characters a token, so the estimate errs a little low on dense code and high on
whitespace). It costs nothing and needs no tokenizer; the budget is a target, not a contract
with the provider.

Files are taken in rank order. A small file (at most ``whole_file_share`` of the budget) whose
text fits what is left goes whole (``ContextKind.FILE``); otherwise the file contributes an
outline (``ContextKind.SYMBOL``): its path, then the signature line of as many of its
definitions as fit, most relevant chosen first, shown in line order. Pure; text comes from
the ``read`` callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from accord.agents.providers.types import ContextItem, ContextKind

from .rank import RankedFile
from .symbols import Definition

__all__ = ["estimate_tokens", "fit", "outline"]

# Below this many tokens left, no further outline is worth starting.
_SMALLEST = 16


def estimate_tokens(text: str) -> int:
    """Roughly how many tokens ``text`` is for a model: one per four characters, rounded up."""
    return -(-len(text) // 4)


def outline(rel: str, definitions: Sequence[Definition]) -> str:
    """``rel`` and the signature lines of ``definitions``, in line order, one per line."""
    lines = [_entry(d) for d in sorted(definitions, key=_line)]
    return "\n".join([f"{rel}:", *lines])


def fit(
    ranked: Iterable[RankedFile],
    root: Path,
    budget: int,
    read: Callable[[str], str | None] = lambda rel: None,
    whole_file_share: float = 0.25,
) -> tuple[ContextItem, ...]:
    """Context items for ``ranked`` files whose estimated tokens add up to at most ``budget``."""
    items: list[ContextItem] = []
    left = budget
    for file in ranked:
        if left < _SMALLEST:
            break
        item = _whole(file, root, read, min(left, int(budget * whole_file_share)))
        item = item or _outline(file, root, left)
        if item is not None:
            items.append(item)
            left -= estimate_tokens(item.text)
    return tuple(items)


def _whole(
    file: RankedFile, root: Path, read: Callable[[str], str | None], limit: int
) -> ContextItem | None:
    text = read(file.path)
    if text is None or estimate_tokens(text) > limit:
        return None
    return ContextItem(kind=ContextKind.FILE, text=text, path=str(root / file.path))


def _outline(file: RankedFile, root: Path, left: int) -> ContextItem | None:
    chosen: list[Definition] = []
    characters = len(file.path) + 1  # the length of ``outline(file.path, chosen)``
    for definition in file.definitions:
        characters += len(_entry(definition)) + 1
        if -(-characters // 4) > left:
            break
        chosen.append(definition)
    if not chosen:
        return None
    text = outline(file.path, chosen)
    return ContextItem(kind=ContextKind.SYMBOL, text=text, path=str(root / file.path))


def _entry(definition: Definition) -> str:
    return f"{definition.start_line:>5}: {definition.signature}"


def _line(definition: Definition) -> int:
    return definition.start_line
