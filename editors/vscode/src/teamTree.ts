/**
 * The "Team" view: the project's team from `accord/team` (fetched at start and on Refresh) and
 * `accord/teamChanged`; suggestions teammates posted carry Accept / Dismiss actions, and a new
 * one is announced with a notification.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { isTeamView, teamRows, type Row, type Suggestion, type TeamView } from "./team";

export const TEAM = "accord/team";
export const TEAM_CHANGED = "accord/teamChanged";
const DECIDE = "accord.team.suggestion";

export class TeamTree implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private view: TeamView | undefined;
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Follow a started client: fetch the view now, and take its changes as they come. */
  follow(client: LanguageClient): void {
    client.onNotification(TEAM_CHANGED, (view: unknown) => this.update(view));
    void this.refresh(client);
  }

  async refresh(client: LanguageClient | undefined): Promise<void> {
    if (client?.isRunning()) {
      this.update(await client.sendRequest(TEAM, {}).catch(() => undefined));
    }
  }

  update(view: unknown): void {
    if (!isTeamView(view)) {
      return;
    }
    const known = new Set(this.view?.suggestions.map((s) => s.id) ?? []);
    const fresh = view.suggestions.filter((s) => s.state === "open" && !known.has(s.id));
    this.view = view;
    this.changed.fire(undefined);
    for (const suggestion of fresh) {
      void vscode.window.showInformationMessage(`Accord: ${suggestion.author} suggests: ${suggestion.text}`);
    }
  }

  /** Accept or dismiss a suggestion (from its row's action). */
  async decide(
    client: LanguageClient | undefined,
    row: Row | undefined,
    decision: "accept" | "dismiss",
  ): Promise<void> {
    const suggestion: Suggestion | undefined = row?.suggestion;
    if (!suggestion || !client?.isRunning()) {
      return;
    }
    try {
      await client.sendRequest("workspace/executeCommand", {
        command: DECIDE,
        arguments: [{ id: suggestion.id, decision }],
      });
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Accord: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await this.refresh(client);
  }

  getChildren(row?: Row): Row[] {
    return row ? [...(row.children ?? [])] : teamRows(this.view);
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const state = row.children
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(row.label, state);
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    item.tooltip = row.suggestion ? `${row.suggestion.author}: ${row.suggestion.text}` : row.label;
    if (row.suggestion) {
      item.contextValue = `accord.suggestion.${row.suggestion.state}`;
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
