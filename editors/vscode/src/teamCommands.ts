/**
 * Commands around the team: post a suggestion on the selection (`accord.room.suggest`), and run
 * agents over folders or several files picked in the explorer (`accord.agents.runMany`: the
 * architect splits the request across the files; the combined proposal is gated once, through
 * the usual approval prompt).
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { selectedUris } from "./team";

const KINDS: readonly (vscode.QuickPickItem & { action: string })[] = [
  { label: "Document", detail: "Write the doc comments the functions lack.", action: "document" },
  { label: "Generate tests", detail: "Write tests for the functions.", action: "generate_tests" },
];

/** Ask for a suggestion and post it to the project room, on the active editor's selection. */
export async function suggest(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const text = await vscode.window.showInputBox({
    title: "Accord: suggest to the team",
    prompt: editor && !editor.selection.isEmpty ? "A suggestion about the selection" : "A suggestion",
    ignoreFocusOut: true,
  });
  if (!text?.trim()) {
    return;
  }
  const argument: Record<string, unknown> = { text };
  if (editor) {
    const { start, end } = editor.selection;
    argument["uri"] = editor.document.uri.toString();
    if (!editor.selection.isEmpty) {
      argument["range"] = {
        start: { line: start.line, character: start.character },
        end: { line: end.line, character: end.character },
      };
    }
  }
  try {
    const sent = (await client.sendRequest("workspace/executeCommand", {
      command: "accord.room.suggest",
      arguments: [argument],
    })) as { project?: string };
    void vscode.window.showInformationMessage(`Accord: suggestion sent to ${sent.project ?? "the room"}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Accord: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The explorer's "Run agents on these files": pick an action, then one request over them all. */
export async function runOnFiles(
  clicked: vscode.Uri | undefined,
  selection: vscode.Uri[] | undefined,
): Promise<void> {
  const uris = selectedUris(clicked, selection);
  if (uris.length === 0) {
    return void vscode.window.showWarningMessage("Accord: pick a folder or files in the explorer.");
  }
  const picked = await vscode.window.showQuickPick(KINDS, {
    title: `Accord: run agents on ${uris.length === 1 ? vscode.workspace.asRelativePath(uris[0]!) : `${uris.length} items`}`,
  });
  if (!picked) {
    return;
  }
  try {
    const result = (await vscode.commands.executeCommand("accord.agents.runMany", {
      kind: picked.action,
      uris: uris.map((uri) => uri.toString()),
    })) as { files?: string[]; applied?: boolean } | undefined;
    const files = result?.files?.length ?? 0;
    const outcome = result?.applied ? "applied" : "not applied";
    void vscode.window.showInformationMessage(
      `Accord: ${picked.label.toLowerCase()} — ${files} files, ${outcome}.`,
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Accord: ${error instanceof Error ? error.message : String(error)}`);
  }
}
