/**
 * Approval prompts. A proposal that the policy sends for approval arrives as
 * `workspace/applyEdit` with a change annotation that needs confirmation; instead of VS Code's
 * refactor preview, the user gets a prompt with the score and its reasons: Apply / Reject /
 * Show diff. Show diff opens each changed file beside its proposed text, then asks again; the
 * diffs close once the user has answered.
 * The answer goes back to the server as the `applied` of the request, which records it.
 * Edits that need no confirmation pass straight through.
 */
import * as vscode from "vscode";
import {
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  CancellationToken,
  type Middleware,
  ResponseError,
} from "vscode-languageclient/node";

import { applyTextEdits } from "./edits";
import { confirmed, needsConfirmation, promptText, proposedFiles, type WorkspaceEditJson } from "./proposal";

export const APPLY = "Apply";
export const REJECT = "Reject";
export const SHOW_DIFF = "Show diff";
export const SCHEME = "accord-proposal";

type Next = (params: ApplyWorkspaceEditParams) => Promise<ApplyWorkspaceEditResult>;

export class Approvals implements vscode.Disposable {
  /** Proposed texts shown in diffs, by the virtual document's URI. */
  private readonly proposed = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
    provideTextDocumentContent: (uri) => this.proposed.get(uri.toString()) ?? "",
  });
  private shown = 0;

  /** The language client middleware that puts the prompt in front of confirmations. */
  middleware(): Middleware {
    return {
      workspace: {
        handleApplyEdit: (params, next) =>
          this.handle(params, (p) => settled(next(p, CancellationToken.None))),
      },
    };
  }

  private async handle(params: ApplyWorkspaceEditParams, next: Next): Promise<ApplyWorkspaceEditResult> {
    const edit = params.edit as unknown as WorkspaceEditJson;
    if (!needsConfirmation(edit)) {
      return next(params);
    }
    const answer = await this.ask(promptText(params.label, edit), edit).finally(() => this.closeDiffs());
    if (answer !== APPLY) {
      return { applied: false, failureReason: answer === REJECT ? "rejected by the user" : "dismissed" };
    }
    return next({ ...params, edit: confirmed(params.edit) });
  }

  private async ask(message: string, edit: WorkspaceEditJson): Promise<string | undefined> {
    let choices = [APPLY, REJECT, SHOW_DIFF];
    for (;;) {
      const picked = await vscode.window.showWarningMessage(message, ...choices);
      if (picked !== SHOW_DIFF) {
        return picked;
      }
      await this.showDiff(edit);
      choices = [APPLY, REJECT];
    }
  }

  private async showDiff(edit: WorkspaceEditJson): Promise<void> {
    for (const file of proposedFiles(edit)) {
      const original = vscode.Uri.parse(file.uri);
      const before = file.created ? "" : await readText(original);
      const proposedUri = vscode.Uri.from({
        scheme: SCHEME,
        path: original.path,
        query: String(++this.shown),
      });
      this.proposed.set(proposedUri.toString(), applyTextEdits(before, file.edits));
      const left = file.created ? proposedUri.with({ query: `${this.shown}-empty` }) : original;
      const title = `${vscode.workspace.asRelativePath(original)} ↔ Accord proposal`;
      await vscode.commands.executeCommand("vscode.diff", left, proposedUri, title, { preview: false });
    }
  }

  /** Close the proposal diffs this prompt opened. */
  private async closeDiffs(): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === SCHEME);
    await vscode.window.tabGroups.close(tabs);
    this.proposed.clear();
  }

  dispose(): void {
    this.registration.dispose();
    this.proposed.clear();
  }
}

/** A handler's result as a promise of the result; a ResponseError becomes a rejection. */
async function settled(
  result:
    ApplyWorkspaceEditResult | ResponseError<void> | Thenable<ApplyWorkspaceEditResult | ResponseError<void>>,
): Promise<ApplyWorkspaceEditResult> {
  const value = await result;
  if (value instanceof ResponseError) {
    throw value;
  }
  return value;
}

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return (await vscode.workspace.openTextDocument(uri)).getText();
  } catch {
    return "";
  }
}
