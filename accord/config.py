"""Settings: the raw option sources, their precedence, and the resolved, validated result.

Settings are frozen dataclasses; pydantic validates options into them (reading each section's
``__pydantic_config__``), and is imported only when there are options to validate: the
defaults cost nothing, so ``accord check`` on a project without config starts fast.

Precedence, highest first: the editor's ``workspace/configuration`` section ``accord`` (or the
command line's ``--config KEY=VALUE``), then ``accord.toml``, then ``[tool.accord]`` in
``pyproject.toml``, then the defaults. Sources are merged as plain dictionaries and validated
once; a source with an error is reported (file and key) and left out, so a bad file never stops
the linter or the language server.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, cast, get_type_hints

from accord.globs import matches_any
from accord.vocabulary import DEFAULT_EXCLUDE, Severity

if TYPE_CHECKING:
    from pydantic import TypeAdapter

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
    "settings_digest",
    "settings_schema",
    "validated",
]

CONFIG_FILES = ("accord.toml", "pyproject.toml")

_T = TypeVar("_T")


class AtLeast:
    """A number option's lowest value, as ``Annotated`` metadata pydantic applies (``ge``).

    Not ``annotated_types.Ge``: importing that costs a warm ``accord check`` a tenth of its
    time, and settings need it only when pydantic validates.
    """

    __slots__ = ("bound",)
    _key = "ge"

    def __init__(self, bound: int) -> None:
        self.bound = bound

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        return {**handler(source), self._key: self.bound}


class Above(AtLeast):
    """A number option's exclusive lower bound (``gt``)."""

    __slots__ = ()
    _key = "gt"


def _dashed(name: str) -> str:
    """A field's key as settings files spell it: ``min_lines`` is ``min-lines``."""
    return name.replace("_", "-")


def _titled(name: str, _info: object) -> str:
    return name.replace("_", " ").title()


# How pydantic validates every section (it reads ``__pydantic_config__`` off a plain dataclass):
# unknown keys are errors, keys are spelled with dashes (or, from JSON, with underscores), and
# an attribute's docstring is its description in the JSON schema.
_SECTION_CONFIG: dict[str, Any] = {
    "extra": "forbid",
    "alias_generator": _dashed,
    "validate_by_name": True,
    "validate_by_alias": True,
    "use_attribute_docstrings": True,
    "field_title_generator": _titled,
}


class _Section:
    """A settings section: a frozen dataclass that pydantic validates as ``_SECTION_CONFIG``
    says."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SECTION_CONFIG


@dataclass(frozen=True, kw_only=True)
class ComplexitySettings(_Section):
    threshold: Annotated[int, AtLeast(0)] = 10
    """Report functions whose complexity exceeds this."""


@dataclass(frozen=True, kw_only=True)
class DuplicationSettings(_Section):
    min_lines: Annotated[int, AtLeast(2)] = 6
    """Shortest duplicated block."""
    min_tokens: Annotated[int, AtLeast(1)] = 50
    """Fewest tokens a reported block holds."""
    declarative_tables: bool = False
    """Also report repeated tables of names and literals (option tables, dict literals)."""


@dataclass(frozen=True, kw_only=True)
class SizeSettings(_Section):
    max_function_lines: Annotated[int, AtLeast(1)] = 80
    max_file_lines: Annotated[int, AtLeast(1)] = 1000


@dataclass(frozen=True, kw_only=True)
class SecretsSettings(_Section):
    min_entropy: Annotated[float, AtLeast(0)] = 3.5
    """Bits per character."""
    min_length: Annotated[int, AtLeast(1)] = 12


@dataclass(frozen=True, kw_only=True)
class RateLimitSettings(_Section):
    """A token bucket: ``requests-per-minute`` on average, up to ``burst`` at once."""

    requests_per_minute: Annotated[float, Above(0)] = 60
    burst: Annotated[int, AtLeast(1)] = 10


@dataclass(frozen=True, kw_only=True)
class BreakerSettings(_Section):
    """Open after ``failure-threshold`` consecutive failures; try again after ``cool-down`` s."""

    failure_threshold: Annotated[int, AtLeast(1)] = 5
    cool_down: Annotated[float, AtLeast(0)] = 30.0


@dataclass(frozen=True, kw_only=True)
class ProviderSettings(_Section):
    """One AI provider (seed spec §3.4): what it is, what it can do, and its limits."""

    kind: Literal["local", "anthropic", "litellm"]
    enabled: bool = True
    # The model name (anthropic) or LiteLLM model string (``openrouter/…``, ``ollama/…``).
    model: str = ""
    # Lower is tried first.
    priority: int = 100
    capabilities: tuple[str, ...] = ("code_generation", "analysis", "debugging")
    fallback_providers: tuple[str, ...] = ()
    # The environment variable holding the API key; never the key itself.
    api_key_env: str | None = None
    base_url: str | None = None
    timeout: Annotated[float, Above(0)] = 60.0
    """Seconds for one call."""
    # Where the model runs: "external" providers never see confidential files.
    deployment: Literal["local", "on_premise", "external"] = "external"
    rate_limit: RateLimitSettings | None = None
    breaker: BreakerSettings = BreakerSettings()
    # USD per million tokens, for the cost ledger; unset means the SDK's own price (or 0).
    input_cost_per_mtok: Annotated[float, AtLeast(0)] | None = None
    output_cost_per_mtok: Annotated[float, AtLeast(0)] | None = None


@dataclass(frozen=True, kw_only=True)
class EgressSettings(_Section):
    """What may leave the machine for a provider (see ``accord.agents.guard``)."""

    # Paths (globs, relative to the project root) only local or on-premise providers may see.
    confidential: tuple[str, ...] = ()
    # Files that never leave, on top of .gitignore, .accordignore, .env* and key files.
    never_send: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AgentSettings(_Section):
    pool_size: Annotated[int, AtLeast(1)] = 8
    idle_timeout: Annotated[float, Above(0)] = 300.0
    """Seconds."""
    max_attempts: Annotated[int, AtLeast(1)] = 3
    backoff: Annotated[float, AtLeast(0)] = 0.5
    """First retry delay in seconds; doubles."""
    context_tokens: Annotated[int, AtLeast(256)] = 8000
    # Bounds of one Ask task's tool-using loop.
    max_steps: Annotated[int, AtLeast(1)] = 12
    """Model calls per Ask task."""
    max_task_tokens: Annotated[int, AtLeast(1)] = 200_000
    max_task_cost: Annotated[float, AtLeast(0)] = 1.0
    """USD per Ask task."""


@dataclass(frozen=True, kw_only=True)
class ApprovalSettings(_Section):
    """Who the local user is to the approval gates (single-user mode, until the org server)."""

    # The roles this user holds; in local mode their approval fills each of them.
    roles: tuple[str, ...] = ("developer",)


@dataclass(frozen=True, kw_only=True)
class OrgSettings(_Section):
    """The org server this project federates to (``[tool.accord.org]``); none when ``url`` is unset."""

    url: str | None = None
    """ws:// or wss:// URL of the org server."""
    # The project's room and approval scope on the org server; the root folder's name by default.
    project: str | None = None


@dataclass(frozen=True, kw_only=True)
class CodegenSettings(_Section):
    """Code generation (``[codegen]``): the template pack the project pins."""

    pack: str = "standard"
    """`name@MAJOR[.MINOR[.PATCH]]`: built-in or `.accord/templates`."""


def _default_providers() -> dict[str, ProviderSettings]:
    return {
        "local": ProviderSettings(
            kind="local",
            priority=1000,
            deployment="local",
            capabilities=("code_generation", "analysis", "debugging", "basic_generation"),
        )
    }


@dataclass(frozen=True, kw_only=True)
class Settings(_Section):
    """Every option Accord's analyzers read, with its default."""

    select: tuple[str, ...] | None = None
    """Rule codes to run; all when unset."""
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    """Folder and file patterns left out; ruff's defaults."""
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_file_size: Annotated[int, AtLeast(1)] = 5_000_000
    """Bytes; larger files are skipped."""
    complexity: ComplexitySettings = ComplexitySettings()
    duplication: DuplicationSettings = DuplicationSettings()
    size: SizeSettings = SizeSettings()
    secrets: SecretsSettings = SecretsSettings()
    # AI providers by name; ``local`` (offline) is always there unless disabled.
    providers: dict[str, ProviderSettings] = field(default_factory=_default_providers)
    egress: EgressSettings = EgressSettings()
    agents: AgentSettings = AgentSettings()
    approvals: ApprovalSettings = ApprovalSettings()
    org: OrgSettings = OrgSettings()
    codegen: CodegenSettings = CodegenSettings()

    def __post_init__(self) -> None:
        # The offline ``local`` provider stays available unless configured (or disabled).
        object.__setattr__(self, "providers", {**_default_providers(), **self.providers})

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
    always valid settings. With no layer at all, the defaults need no validation (and pydantic
    is not even imported).
    """
    merged: dict[str, Any] = {}
    errors: list[ConfigError] = []
    used: list[str] = []
    settings = Settings()
    for source, options in layers:
        if not options:  # an empty file or section: nothing to validate
            used.append(source)
            continue
        candidate = _deep_merge(merged, options)
        try:
            settings = validated(Settings, candidate)
        except ValueError as error:
            errors.extend(_config_errors(source, error))
            continue
        merged = candidate
        used.append(source)
    return LoadedSettings(settings, tuple(errors), tuple(used))


def validated(section: type[_T], options: Mapping[str, Any]) -> _T:
    """``options`` (as a settings file spells them) validated into ``section``.

    Raises:
        pydantic.ValidationError: (a ``ValueError``) what is wrong, key by key.
    """
    return cast(_T, _validator(section).validate_python(options))


# One pydantic validator per section, built on first use.
_validators: dict[type[Any], TypeAdapter[Any]] = {}


def _validator(section: type[Any]) -> TypeAdapter[Any]:
    validator = _validators.get(section)
    if validator is None:
        from pydantic import TypeAdapter  # only where there are options to validate

        validator = _validators[section] = TypeAdapter(section)
    return validator


def settings_digest(settings: Settings) -> str:
    """A digest of every value in ``settings``: equal settings, equal digests."""
    text = json.dumps(asdict(settings), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def settings_schema() -> dict[str, Any]:
    """The JSON schema of ``Settings``, keys spelled as in settings files."""
    from pydantic.json_schema import GenerateJsonSchema

    class Schema(GenerateJsonSchema):
        def encode_default(self, dft: Any) -> Any:
            if is_dataclass(dft):  # a section's defaults, keys spelled as in settings files
                return _validator(type(dft)).dump_python(dft, mode="json", by_alias=True)
            return super().encode_default(dft)

    return _validator(Settings).json_schema(
        by_alias=True, ref_template="#/definitions/{model}", schema_generator=Schema
    )


def _config_errors(source: str, error: ValueError) -> list[ConfigError]:
    details = error.errors() if hasattr(error, "errors") else [{"loc": (), "msg": str(error)}]
    return [
        ConfigError(source, ".".join(str(part) for part in detail["loc"]), _worded(detail))
        for detail in details
    ]


def _worded(detail: Any) -> str:
    """pydantic's message, in the words of a settings file (an unknown key names the nearest)."""
    if detail.get("type") != "unexpected_keyword_argument":
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
        hints = get_type_hints(model)
        annotation = next((hints[f.name] for f in fields(model) if _dashed(f.name) == part), None)
        if not (isinstance(annotation, type) and is_dataclass(annotation)):
            return []
        model = annotation
    return sorted(_dashed(f.name) for f in fields(model))


def _deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` merged into ``base``, section by section; JSON-style keys spelled as in TOML."""
    merged = dict(base)
    for key, value in top.items():
        key = key.replace("_", "-") if key in _aliased() else key
        if isinstance(value, Mapping):
            below = merged.get(key)
            merged[key] = _deep_merge(below if isinstance(below, Mapping) else {}, value)
        else:
            merged[key] = value
    return merged


@cache
def _aliased() -> frozenset[str]:
    """The keys that may be written either way (TOML style with dashes, or JSON style with
    underscores): every section field whose name holds an underscore."""
    sections: list[type[Any]] = _Section.__subclasses__()  # every one a dataclass
    return frozenset(f.name for section in sections for f in fields(section) if "_" in f.name)


def file_layers(root: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[ConfigError]]:
    """The settings found in ``root``'s config files, lowest precedence first."""
    layers: list[tuple[str, dict[str, Any]]] = []
    errors: list[ConfigError] = []
    for name in reversed(CONFIG_FILES):
        path = root / name
        if not path.is_file():
            continue
        import tomllib  # only where there is a config file

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
    root: Path,
    overrides: Iterable[tuple[str, Mapping[str, Any]]] = (),
    resolver: Callable[[Sequence[tuple[str, Mapping[str, Any]]]], LoadedSettings] = resolve,
) -> LoadedSettings:
    """Settings for the project at ``root``: its config files, then ``overrides`` on top.

    ``resolver`` merges and validates the layers (``resolve``, or a cache in front of it).
    """
    layers, errors = file_layers(root)
    loaded = resolver([*layers, *overrides])
    return LoadedSettings(loaded.settings, (*errors, *loaded.errors), loaded.sources)


def parse_override(assignment: str) -> dict[str, Any]:
    """``complexity.threshold=0`` → ``{"complexity": {"threshold": 0}}``; values are TOML.

    A value that is not valid TOML is taken as a string (``exclude=build`` works unquoted).

    Raises:
        ValueError: the assignment has no ``=`` or no key.
    """
    import tomllib

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
