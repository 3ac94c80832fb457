"""The LSP4IJ template (``editors/jetbrains/``): the fields LSP4IJ reads, in agreement with
Accord's languages and settings, and a command that really starts the server.

No IDE runs here: the server is started with the template's command for this OS, given the
template's initializationOptions, answered ``workspace/configuration`` from its settings.json
(as LSP4IJ does), and sent a sample file under the languageId its fileTypeMappings give.

``settings.schema.json`` is generated from ``accord.config.Settings``; regenerate it with
``python -m tests.editors.test_jetbrains``.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import os
import shlex
import sys
from collections.abc import AsyncIterator
from typing import Any

import jsonschema
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from accord.analyzers.languages import LanguageSpec, all_languages
from accord.config import settings_schema as settings_schema_of_accord

from .harness import EDITORS, SAMPLE, SEARCH_PATH

TEMPLATE_DIR = EDITORS / "jetbrains"
OS_KEY = "windows" if sys.platform == "win32" else "mac" if sys.platform == "darwin" else "unix"


def load(name: str) -> Any:
    return json.loads((TEMPLATE_DIR / name).read_text("utf-8"))


def settings_schema() -> dict[str, Any]:
    """settings.json's schema: the ``accord`` section, as ``accord.config.Settings`` takes it."""
    settings = settings_schema_of_accord()
    definitions = settings.pop("$defs") | {"Settings": settings}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "LSP4IJ/accord/settings.schema.json",
        "$comment": "Generated from accord.config.Settings by python -m tests.editors.test_jetbrains",
        "title": "Accord settings",
        "description": "The accord section, read with workspace/configuration; it takes "
        "precedence over accord.toml and [tool.accord] in pyproject.toml.",
        "type": "object",
        "properties": {"accord": {"$ref": "#/definitions/Settings"}},
        "definitions": definitions,
    }


def program_args() -> list[str]:
    """The template's command for this OS, as LSP4IJ picks it (the OS's key, else default)."""
    args = load("template.json")["programArgs"]
    return shlex.split(args.get(OS_KEY, args["default"]))


def language_id_for(file_name: str) -> str:
    """The languageId LSP4IJ sends for ``file_name``, from the template's pattern mappings."""
    for mapping in load("template.json")["fileTypeMappings"]:
        if any(fnmatch.fnmatch(file_name, p) for p in mapping["fileType"]["patterns"]):
            return str(mapping["languageId"])
    raise AssertionError(f"no fileTypeMapping for {file_name}")


def test_the_template_has_the_fields_lsp4ij_reads() -> None:
    template = load("template.json")

    assert (template["id"], template["name"]) == ("accord", "Accord")
    assert set(template["programArgs"]) == {"default", "windows", "mac", "unix"}
    assert all(" lsp" in command for command in template["programArgs"].values())
    for mapping in template["fileTypeMappings"]:
        assert mapping["fileType"]["name"] and mapping["fileType"]["patterns"]
        assert all(p.startswith("*.") for p in mapping["fileType"]["patterns"])
    for mapping in template["languageMappings"]:
        assert mapping["language"] and mapping["languageId"]


@pytest.mark.parametrize("language", all_languages().values(), ids=lambda spec: spec.name)
def test_every_language_accord_reads_is_mapped(language: LanguageSpec) -> None:
    for extension in language.extensions:
        assert language_id_for(f"file{extension}") in language.language_ids


def test_every_mapping_names_a_language_accord_reads() -> None:
    template = load("template.json")
    known = {i for spec in all_languages().values() for i in spec.language_ids}

    for mapping in template["fileTypeMappings"] + template["languageMappings"]:
        assert mapping["languageId"] in known, mapping


def test_the_installer_installs_with_pip_then_configures_the_command() -> None:
    installer = load("installer.json")

    assert installer["id"] == "accord" and "exec" in installer["check"]
    venv = installer["run"]["exec"]
    pip = venv["onSuccess"]["exec"]
    configure = pip["onSuccess"]["configureServer"]
    assert "-m venv" in venv["command"]["default"]
    assert all("-m pip install" in c and "${package}" in c for c in pip["command"].values())
    assert "#sha256=" in installer["properties"]["package"]  # tests/test_release.py checks it
    assert configure["update"] is True
    assert {k: c.split()[-1] for k, c in configure["command"].items()} == {
        "windows": "lsp",
        "default": "lsp",
    }


def test_settings_and_their_schema() -> None:
    schema = load("settings.schema.json")

    assert schema == settings_schema(), "regenerate: python -m tests.editors.test_jetbrains"
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(load("settings.json"), schema)
    jsonschema.validate({"accord": {"ignore": ["ACC005"], "complexity": {"threshold": 12}}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"accord": {"complexity": {"treshold": 12}}}, schema)
    assert set(load("initializationOptions.json")) <= {"diagnosticMode", "settings"}


TEMPLATE_SERVER = ClientServerConfig(
    server_command=program_args(), server_env=dict(os.environ) | {"PATH": SEARCH_PATH}
)


@pytest_lsp.fixture(config=TEMPLATE_SERVER)
async def lsp4ij(lsp_client: LanguageClient) -> AsyncIterator[LanguageClient]:
    """The server started with the template's command, set up as LSP4IJ would."""

    lsp_client.set_configuration(load("settings.json"))  # sections are looked up in it
    root = SAMPLE.as_uri()
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(configuration=True)
    )
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root,
            workspace_folders=[types.WorkspaceFolder(uri=root, name=SAMPLE.name)],
            initialization_options=load("initializationOptions.json"),
        )
    )
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_the_template_command_starts_the_server(lsp4ij: LanguageClient) -> None:
    path = SAMPLE / "shop" / "pricing.py"
    uri = path.as_uri()
    item = types.TextDocumentItem(
        uri=uri, language_id=language_id_for(path.name), version=1, text=path.read_text("utf-8")
    )

    lsp4ij.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await asyncio.wait_for(
        lsp4ij.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20
    )

    found = {(d.source, str(d.code)) for d in lsp4ij.diagnostics[uri]}
    assert ("accord", "ACC001") in found


if __name__ == "__main__":
    target = TEMPLATE_DIR / "settings.schema.json"
    target.write_text(json.dumps(settings_schema(), indent=2) + "\n", "utf-8")
    print(f"wrote {target}")
