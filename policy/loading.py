"""Reading a policy from YAML or ``[tool.accord.policy]`` text, with errors naming file, line, key.

The parsing functions are pure (text in, policy or errors out); ``load_policy`` reads files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .model import Policy

__all__ = [
    "DEFAULT_POLICY_NAME",
    "PolicyError",
    "PolicyProblem",
    "default_policy",
    "load_policy",
    "parse_toml_policy",
    "parse_yaml_policy",
]

DEFAULT_POLICY_NAME = "default-policy.yaml"
POLICY_FILE = "accord-policy.yaml"
# A model-level error that names its key first: "workflows.x: approver ... is not a role".
_NAMED = re.compile(r"^([\w.]+): (.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One problem in a policy file: 1-based ``line`` (0 when unknown) and dotted ``key``."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key or '<root>'}: {self.message}"


class PolicyError(ValueError):
    """A policy that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _key_lines(node: yaml.Node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    out[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            out[path] = key.start_mark.line + 1
            _children(value, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _key_lines(item, (*prefix, str(index)), out)


def _children(node: yaml.Node, path: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    line = out[path]
    _key_lines(node, path, out)
    out[path] = line


def _line_of(loc: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 0


def _problems(
    error: ValidationError, file: str, lines: dict[tuple[str, ...], int]
) -> list[PolicyProblem]:
    found = []
    for item in error.errors():
        loc = tuple(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if named := _NAMED.match(message):
            loc, message = (*loc, *named[1].split(".")), named[2]
        found.append(PolicyProblem(file, _line_of(loc, lines), ".".join(loc), message))
    return found


def _validate(data: Any, file: str, lines: dict[tuple[str, ...], int]) -> Policy:
    if not isinstance(data, dict):
        raise PolicyError([PolicyProblem(file, 1, "", "a policy must be a mapping")])
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyError(_problems(error, file, lines)) from error


_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
"""libyaml's loader where PyYAML has it: the default policy in ~1 ms instead of ~50 (the org
server parses on the event loop)."""


def _load(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node (for line numbers) and its data, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml_policy(text: str, file: str = POLICY_FILE) -> Policy:
    """The policy in YAML ``text``; raises ``PolicyError`` naming ``file``, line and key."""
    try:
        node, data = _load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise PolicyError([PolicyProblem(file, line, "", str(error.problem))]) from error
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _key_lines(node, (), lines)
    return _validate(data, file, lines)


def parse_toml_policy(text: str, file: str = "pyproject.toml") -> Policy | None:
    """The ``[tool.accord.policy]`` table of TOML ``text``, or None when it has none."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(
            [PolicyProblem(file, getattr(error, "lineno", 0), "", str(error))]
        ) from error
    table = data.get("tool", {}).get("accord", {}).get("policy")
    if table is None:
        return None
    header = next((i for i, s in enumerate(text.splitlines(), 1) if "tool.accord.policy" in s), 0)
    return _validate(table, file, {(): header})


def default_policy() -> Policy:
    """The policy shipped with Accord: the seed's tables."""
    text = resources.files(__package__).joinpath(DEFAULT_POLICY_NAME).read_text("utf-8")
    return parse_yaml_policy(text, DEFAULT_POLICY_NAME)


def load_policy(root: Path) -> Policy:
    """The project's policy under ``root``: accord-policy.yaml, pyproject's table, or the default."""
    yaml_file = root / POLICY_FILE
    if yaml_file.is_file():
        return parse_yaml_policy(yaml_file.read_text("utf-8"), str(yaml_file))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        found = parse_toml_policy(pyproject.read_text("utf-8"), str(pyproject))
        if found is not None:
            return found
    return default_policy()
