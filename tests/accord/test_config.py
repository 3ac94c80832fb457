"""Settings: sources, precedence, validation errors naming source and key, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import load_settings, parse_override, resolve


def test_defaults_apply_without_config(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path)
    assert loaded.settings.complexity.threshold == 10
    assert loaded.errors == ()


def test_accord_toml_overrides_pyproject_and_overrides_override_both(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.accord]\nignore = ['ACC005']\n[tool.accord.complexity]\nthreshold = 5\n"
    )
    (tmp_path / "accord.toml").write_text("[complexity]\nthreshold = 7\n")
    loaded = load_settings(tmp_path)
    assert loaded.settings.complexity.threshold == 7
    assert loaded.settings.ignore == ("ACC005",)
    top = load_settings(tmp_path, [("--config", parse_override("complexity.threshold=0"))])
    assert top.settings.complexity.threshold == 0


def test_an_invalid_file_is_reported_with_its_path_and_key_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.accord.duplication]\nmin-lines = 9\n")
    (tmp_path / "accord.toml").write_text('[complexity]\nthreshold = "high"\n')
    loaded = load_settings(tmp_path)
    [error] = loaded.errors
    assert error.source == str(tmp_path / "accord.toml")
    assert error.key == "complexity.threshold"
    assert str(tmp_path / "accord.toml") in str(error)
    assert loaded.settings.complexity.threshold == 10
    assert loaded.settings.duplication.min_lines == 9


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    (tmp_path / "accord.toml").write_text("[complexity]\nthreshhold = 3\n")
    [error] = load_settings(tmp_path).errors
    assert error.key == "complexity.threshhold"
    assert error.message == "unknown key (did you mean `threshold`?)"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('selekt = ["ACC"]\n', "selekt", "unknown key (did you mean `select`?)"),
        ("[duplication]\nmin-line = 4\n", "duplication.min-line", "did you mean `min-lines`?"),
        ("[size]\nzzz = 1\n", "size.zzz", "known keys: max-file-lines, max-function-lines"),
    ],
)
def test_an_unknown_key_names_the_nearest_known_one(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    (tmp_path / "accord.toml").write_text(text)
    [error] = load_settings(tmp_path).errors
    assert error.key == key and message in error.message
    assert str(tmp_path / "accord.toml") in str(error)


def test_broken_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "accord.toml").write_text("[complexity\n")
    [error] = load_settings(tmp_path).errors
    assert "not valid TOML" in error.message


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("complexity.threshold=0", {"complexity": {"threshold": 0}}),
        ("select=['ACC001', 'ACC003']", {"select": ["ACC001", "ACC003"]}),
        ("duplication.min_lines=8", {"duplication": {"min-lines": 8}}),
        ("severity.ACC005=warning", {"severity": {"ACC005": "warning"}}),
    ],
)
def test_overrides_take_toml_values(assignment: str, expected: dict) -> None:
    assert parse_override(assignment) == expected


def test_an_override_without_equals_is_refused() -> None:
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_override("complexity.threshold")


def test_per_file_ignores_and_select() -> None:
    settings = resolve(
        [
            (
                "x",
                {
                    "select": ["ACC00"],
                    "ignore": ["ACC002"],
                    "per-file-ignores": {"tests/**": ["ACC003"]},
                },
            )
        ]
    ).settings
    assert settings.rule_enabled("ACC001", "src/a.py")
    assert not settings.rule_enabled("ACC002", "src/a.py")
    assert not settings.rule_enabled("ACC003", "tests/test_a.py")
    assert settings.rule_enabled("ACC003", "src/a.py")


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"duplication": {"min-lines": 1}}, "duplication.min-lines", "greater than or equal to 2"),
        ({"providers": {"x": {"kind": "local", "timeout": 0}}}, "providers.x.timeout", "than 0"),
        ({"agents": {"pool_size": 0}}, "agents.pool-size", "greater than or equal to 1"),
        ({"severity": {"ACC001": "loud"}}, "severity.ACC001", "'error'"),
    ],
)
def test_bounds_and_choices_are_enforced(options: dict, key: str, message: str) -> None:
    [error] = resolve([("editor", options)]).errors
    assert error.key == key and message in error.message


def test_settings_are_frozen_and_keep_the_offline_provider() -> None:
    settings = resolve([("x", {"providers": {"claude": {"kind": "anthropic"}}})]).settings
    assert list(settings.providers) == ["local", "claude"]
    with pytest.raises(AttributeError):
        settings.complexity.threshold = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("section", "key", "toml", "json"),
    [
        ("agents", "max_steps", 5, 7),
        ("agents", "max_task_cost", 0.5, 2.0),
        ("duplication", "declarative_tables", True, False),
        ("duplication", "min_lines", 8, 9),
    ],
)
def test_a_json_style_key_overrides_its_toml_spelling(
    section: str, key: str, toml: object, json: object
) -> None:
    """The editor sends ``max_steps``, a settings file says ``max-steps``: the same option."""
    loaded = resolve(
        [
            ("accord.toml", {section: {key.replace("_", "-"): toml}}),
            ("editor", {section: {key: json}}),
        ]
    )
    assert loaded.errors == ()
    assert getattr(getattr(loaded.settings, section), key) == json
