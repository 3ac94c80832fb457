"""End to end: ``Accord: Translate model to …`` on a Kotlin data class, through the real server
over stdio, creates the Swift and TypeScript files through the approval gate (a new model in
two languages is supervised development under the default policy: the tech lead approves)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_lsp import LanguageClient

from accord.codegen.lift import lift
from tests.server.actions import actions_at, run, titled
from tests.server.approvals import roles
from tests.server.lsp import open_doc

USER = """\
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** A customer. */
@Serializable
data class User(
    val id: Long,
    @SerialName("display_name") val displayName: String = "anonymous",
    val email: String?,
)
"""


async def test_translate_model_creates_swift_and_typescript_files(
    client: LanguageClient, prompts: dict[str, Any], workspace: Path
) -> None:
    roles(workspace, "tech_lead")
    prompts["answers"] = ["Show diff", "Apply"]
    uri, _ = await open_doc(client, workspace, "app/User.kt", USER, "kotlin")
    actions = await actions_at(client, uri, 5, 12)
    action = titled(actions, "Accord: Translate model to Swift, TypeScript")

    result = await run(client, action)

    assert result["applied"] is True and result["workflow"] == "supervised_development"
    swift = workspace / "generated" / "swift" / "User.swift"
    typescript = workspace / "generated" / "typescript" / "user.ts"
    assert "public struct User: Codable" in swift.read_text("utf-8")
    assert "export interface User" in typescript.read_text("utf-8")
    model = lift(USER, "kotlin")
    assert lift(swift.read_text("utf-8"), "swift") == model
    assert lift(typescript.read_text("utf-8"), "typescript") == model
