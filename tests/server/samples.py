"""Sample documents the server tests open."""

from __future__ import annotations

ROUTE = """def route(x):
    if x == 1:
        return "a"
    elif x == 2:
        return "b"
    elif x == 3:
        return "c"
    return "z"


def simple():
    return 1
"""
