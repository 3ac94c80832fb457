"""Language-neutral readings of syntax nodes, relying on conventions all ten grammars share:
names are node kinds ending in ``identifier``, and string literals are quoted text with an
optional prefix (``r``, ``f``, ``b``, ``@``, ``$``, ``#``)."""

from __future__ import annotations

import re

import tree_sitter

__all__ = ["byte_offset", "contains_kind", "is_constant", "literal_value", "node_text"]

# Keywords naming the current object; like names, they make an expression depend on run time.
_SELF_KINDS = frozenset({"this", "self", "super", "this_expression", "self_expression"})


def node_text(node: tree_sitter.Node) -> str:
    """The node's source text; bytes that are not UTF-8 survive as surrogates, so character
    offsets convert back to byte offsets exactly (``byte_offset``)."""
    return (node.text or b"").decode("utf-8", errors="surrogateescape")


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of character ``index`` of a text read by ``node_text``."""
    return index if text.isascii() else len(text[:index].encode("utf-8", "surrogateescape"))


def is_constant(node: tree_sitter.Node) -> bool:
    """Whether the expression ``node`` holds no name: literals and operators on literals only,
    no variable, call, field or interpolated value."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type.endswith("identifier") or current.type in _SELF_KINDS:
            return False
        stack.extend(current.children)
    return True


def contains_kind(node: tree_sitter.Node, kinds: frozenset[str], part: str = "\0") -> bool:
    """Whether ``node`` or a node inside it is of one of ``kinds``, or of a kind whose name
    contains ``part``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in kinds or part in current.type:
            return True
        stack.extend(current.children)
    return False


_QUOTED = re.compile(r"""[A-Za-z@$]*#*("{3}|'{3}|["'`])(?P<body>.*)\1#*""", re.DOTALL)


def literal_value(node: tree_sitter.Node) -> str:
    """A string literal's text without its prefix and quotes (escapes are left as written)."""
    text = node_text(node)
    match = _QUOTED.fullmatch(text)
    return match.group("body") if match else text
