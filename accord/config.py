"""Settings: the raw option sources, their precedence, and the resolved, validated result.

Precedence, highest first: the editor's ``workspace/configuration`` section ``accord`` (or the
command line's ``--config KEY=VALUE``), then ``accord.toml``, then ``[tool.accord]`` in
``pyproject.toml``, then the defaults. Sources are merged as plain dictionaries and validated
once; a source with an error is reported (file and key) and left out, so a bad file never stops
the linter or the language server.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from accord.globs import matches_any
from accord.vocabulary import DEFAULT_EXCLUDE, Severity

__all__ = [
    "AgentSettings",
    "DEFAULT_EXCLUDE",
    "ConfigError",
    "EgressSettings",
    "LoadedSettings",
    "ProviderSettings",
    "Settings",
    "Severity",
    "load_settings",
    "parse_override",
    "resolve",
]

CONFIG_FILES = ("accord.toml", "pyproject.toml")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class ComplexitySettings(_Section):
    threshold: int = Field(10, ge=0, description="Report functions whose complexity exceeds this.")


class DuplicationSettings(_Section):
    min_lines: int = Field(6, ge=2, alias="min-lines", description="Shortest duplicated block.")
    min_tokens: int = Field(
        50, ge=1, alias="min-tokens", description="Fewest tokens a reported block holds."
    )
    declarative_tables: bool = Field(
        False,
        alias="declarative-tables",
        description="Also report repeated declarative tables: runs of calls, entries or "
        "assignments holding only names and literals (option tables, dict literals).",
    )


class SizeSettings(_Section):
    max_function_lines: int = Field(80, ge=1, alias="max-function-lines")
    max_file_lines: int = Field(1000, ge=1, alias="max-file-lines")


class SecretsSettings(_Section):
    min_entropy: float = Field(3.5, ge=0, alias="min-entropy", description="Bits per character.")
    min_length: int = Field(12, ge=1, alias="min-length")


class RateLimitSettings(_Section):
    """A token bucket: ``requests-per-minute`` on average, up to ``burst`` at once."""

    requests_per_minute: float = Field(60, gt=0, alias="requests-per-minute")
    burst: int = Field(10, ge=1)


class BreakerSettings(_Section):
    """Open after ``failure-threshold`` consecutive failures; try again after ``cool-down`` s."""

    failure_threshold: int = Field(5, ge=1, alias="failure-threshold")
    cool_down: float = Field(30.0, ge=0, alias="cool-down")


class ProviderSettings(_Section):
    """One AI provider (seed spec §3.4): what it is, what it can do, and its limits."""

    kind: Literal["local", "anthropic", "litellm"]
    enabled: bool = True
    # The model name (anthropic) or LiteLLM model string (``openrouter/…``, ``ollama/…``).
    model: str = ""
    # Lower is tried first.
    priority: int = 100
    capabilities: tuple[str, ...] = ("code_generation", "analysis", "debugging")
    fallback_providers: tuple[str, ...] = Field((), alias="fallback-providers")
    # The environment variable holding the API key; never the key itself.
    api_key_env: str | None = Field(None, alias="api-key-env")
    base_url: str | None = Field(None, alias="base-url")
    timeout: float = Field(60.0, gt=0, description="Seconds for one call.")
    # Where the model runs: "external" providers never see confidential files.
    deployment: Literal["local", "on_premise", "external"] = "external"
    rate_limit: RateLimitSettings | None = Field(None, alias="rate-limit")
    breaker: BreakerSettings = BreakerSettings()
    # USD per million tokens, for the cost ledger; unset means the SDK's own price (or 0).
    input_cost_per_mtok: float | None = Field(None, ge=0, alias="input-cost-per-mtok")
    output_cost_per_mtok: float | None = Field(None, ge=0, alias="output-cost-per-mtok")


class EgressSettings(_Section):
    """What may leave the machine for a provider (see ``accord.agents.guard``)."""

    # Paths (globs, relative to the project root) only local or on-premise providers may see.
    confidential: tuple[str, ...] = ()
    # Files that never leave, on top of .gitignore, .accordignore, .env* and key files.
    never_send: tuple[str, ...] = Field((), alias="never-send")


class AgentSettings(_Section):
    pool_size: int = Field(8, ge=1, alias="pool-size")
    idle_timeout: float = Field(300.0, gt=0, alias="idle-timeout", description="Seconds.")
    max_attempts: int = Field(3, ge=1, alias="max-attempts")
    backoff: float = Field(0.5, ge=0, description="First retry delay in seconds; doubles.")
    context_tokens: int = Field(8000, ge=256, alias="context-tokens")
    # Bounds of one Ask task's tool-using loop.
    max_steps: int = Field(12, ge=1, alias="max-steps", description="Model calls per Ask task.")
    max_task_tokens: int = Field(200_000, ge=1, alias="max-task-tokens")
    max_task_cost: float = Field(1.0, ge=0, alias="max-task-cost", description="USD per Ask task.")


class ApprovalSettings(_Section):
    """Who the local user is to the approval gates (single-user mode, until the org server)."""

    # The roles this user holds; in local mode their approval fills each of them.
    roles: tuple[str, ...] = ("developer",)


class OrgSettings(_Section):
    """The org server this project federates to (``[tool.accord.org]``); none when ``url`` is unset."""

    url: str | None = Field(None, description="ws:// or wss:// URL of the org server.")
    # The project's room and approval scope on the org server; the root folder's name by default.
    project: str | None = None


class CodegenSettings(_Section):
    """Code generation (``[codegen]``): the template pack the project pins."""

    pack: str = Field(
        "standard", description="`name@MAJOR[.MINOR[.PATCH]]`: built-in or `.accord/templates`."
    )


def _default_providers() -> dict[str, ProviderSettings]:
    return {
        "local": ProviderSettings(
            kind="local",
            priority=1000,
            deployment="local",
            capabilities=("code_generation", "analysis", "debugging", "basic_generation"),
        )
    }


class Settings(_Section):
    """Every option Accord's analyzers read, with its default."""

    select: tuple[str, ...] | None = Field(None, description="Rule codes to run; all when unset.")
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    exclude: tuple[str, ...] = Field(
        DEFAULT_EXCLUDE, description="Folder and file patterns left out; ruff's defaults."
    )
    per_file_ignores: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, alias="per-file-ignores"
    )
    max_file_size: int = Field(
        5_000_000, ge=1, alias="max-file-size", description="Bytes; larger files are skipped."
    )
    complexity: ComplexitySettings = ComplexitySettings()
    duplication: DuplicationSettings = DuplicationSettings()
    size: SizeSettings = SizeSettings()
    secrets: SecretsSettings = SecretsSettings()
    # AI providers by name; ``local`` (offline) is always there unless disabled.
    providers: dict[str, ProviderSettings] = Field(default_factory=_default_providers)
    egress: EgressSettings = EgressSettings()
    agents: AgentSettings = AgentSettings()
    approvals: ApprovalSettings = ApprovalSettings()
    org: OrgSettings = OrgSettings()
    codegen: CodegenSettings = CodegenSettings()

    @field_validator("providers")
    @classmethod
    def _keep_local(cls, providers: dict[str, ProviderSettings]) -> dict[str, ProviderSettings]:
        """The offline ``local`` provider stays available unless configured (or disabled)."""
        return {**_default_providers(), **providers}

    def rule_enabled(self, code: str, path: str | None = None) -> bool:
        """Whether rule ``code`` runs, for ``path`` if given (per-file ignores apply)."""
        if self.select is not None and not any(code.startswith(s) for s in self.select):
            return False
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        return path is None or not any(
            code.startswith(prefix)
            for pattern, prefixes in self.per_file_ignores.items()
            if matches_any(path, (pattern,))
            for prefix in prefixes
        )

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def excluded(self, path: str) -> bool:
        """Whether ``path`` (relative to the project root) falls under an ``exclude`` pattern."""
        return matches_any(path, self.exclude)

    def excluded_by_default(self, path: str) -> bool:
        """Whether ``path`` is left out only by a default pattern the project did not choose."""
        return self.exclude == DEFAULT_EXCLUDE and self.excluded(path)


@dataclass(frozen=True, slots=True)
class ConfigError:
    """A problem in one settings source: where, which key, and what is wrong."""

    source: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.key}: {self.message}" if self.key else f"{where}{self.message}"


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """Settings resolved from their sources, with the errors of the sources left out."""

    settings: Settings
    errors: tuple[ConfigError, ...] = ()
    sources: tuple[str, ...] = field(default=())


def resolve(layers: Iterable[tuple[str, Mapping[str, Any]]]) -> LoadedSettings:
    """Merge ``(source name, options)`` layers, lowest precedence first, and validate them.

    A layer that fails validation is dropped whole (its errors are returned), so the result is
    always valid settings.
    """
    merged: dict[str, Any] = {}
    errors: list[ConfigError] = []
    used: list[str] = []
    for source, options in layers:
        candidate = _deep_merge(merged, options)
        problems = _validate(source, candidate)
        if problems:
            errors.extend(problems)
            continue
        merged = candidate
        used.append(source)
    return LoadedSettings(Settings.model_validate(merged), tuple(errors), tuple(used))


def _validate(source: str, options: Mapping[str, Any]) -> list[ConfigError]:
    try:
        Settings.model_validate(options)
    except ValidationError as error:
        return [
            ConfigError(source, ".".join(str(part) for part in detail["loc"]), _worded(detail))
            for detail in error.errors()
        ]
    return []


def _worded(detail: Any) -> str:
    """pydantic's message, in the words of a settings file (an unknown key names the nearest)."""
    if detail["type"] != "extra_forbidden":
        return str(detail["msg"])
    *section, key = (str(part) for part in detail["loc"])
    known = _keys_of(section)
    nearest = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean `{nearest[0]}`?" if nearest else f"known keys: {', '.join(known)}"
    return f"unknown key ({hint})"


def _keys_of(section: Sequence[str]) -> list[str]:
    """The keys a settings section accepts (as spelled in TOML), ``[]`` where it takes any."""
    model: Any = Settings
    for part in section:
        fields = {info.alias or name: info for name, info in model.model_fields.items()}
        annotation = fields[part].annotation if part in fields else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return sorted(info.alias or name for name, info in model.model_fields.items())


def _deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` merged into ``base``, section by section; JSON-style keys spelled as in TOML."""
    merged = dict(base)
    for key, value in top.items():
        key = key.replace("_", "-") if key in _ALIASED else key
        if isinstance(value, Mapping):
            below = merged.get(key)
            merged[key] = _deep_merge(below if isinstance(below, Mapping) else {}, value)
        else:
            merged[key] = value
    return merged


# Keys that may be written either way (TOML style with dashes, or JSON style with underscores).
_ALIASED = {
    "per_file_ignores",
    "max_file_size",
    "min_lines",
    "min_tokens",
    "max_function_lines",
    "max_file_lines",
    "min_entropy",
    "min_length",
    "requests_per_minute",
    "failure_threshold",
    "cool_down",
    "fallback_providers",
    "api_key_env",
    "base_url",
    "rate_limit",
    "input_cost_per_mtok",
    "output_cost_per_mtok",
    "never_send",
    "pool_size",
    "idle_timeout",
    "max_attempts",
    "context_tokens",
}


def file_layers(root: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[ConfigError]]:
    """The settings found in ``root``'s config files, lowest precedence first."""
    layers: list[tuple[str, dict[str, Any]]] = []
    errors: list[ConfigError] = []
    for name in reversed(CONFIG_FILES):
        path = root / name
        if not path.is_file():
            continue
        try:
            document = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            errors.append(ConfigError(str(path), "", f"not valid TOML: {error}"))
            continue
        options = document if name == "accord.toml" else document.get("tool", {}).get("accord")
        if isinstance(options, dict):
            layers.append((str(path), _normalise(options)))
    return layers, errors


def _normalise(options: dict[str, Any]) -> dict[str, Any]:
    return _deep_merge({}, options)


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding an Accord config file or a VCS root."""
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in CONFIG_FILES) or (folder / ".git").exists():
            return folder
    return start


def load_settings(
    root: Path, overrides: Iterable[tuple[str, Mapping[str, Any]]] = ()
) -> LoadedSettings:
    """Settings for the project at ``root``: its config files, then ``overrides`` on top."""
    layers, errors = file_layers(root)
    loaded = resolve([*layers, *overrides])
    return LoadedSettings(loaded.settings, (*errors, *loaded.errors), loaded.sources)


def parse_override(assignment: str) -> dict[str, Any]:
    """``complexity.threshold=0`` → ``{"complexity": {"threshold": 0}}``; values are TOML.

    A value that is not valid TOML is taken as a string (``exclude=build`` works unquoted).

    Raises:
        ValueError: the assignment has no ``=`` or no key.
    """
    key, sep, raw = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"--config expects KEY=VALUE, got {assignment!r}")
    try:
        value: Any = tomllib.loads(f"value = {raw.strip()}")["value"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    for part in reversed(key.split(".")):
        value = {part: value}
    return _normalise(value)
