/** The "Accord activity" view: agent runs and their steps, from `accord/agentAction`. */
import * as vscode from "vscode";

import {
  ActivityLog,
  runStatus,
  runTitle,
  stepLabel,
  type Run,
  type Step,
  type StepStatus,
} from "./activity";

type Node = { readonly run: Run } | { readonly step: Step };

const ICONS: Record<StepStatus, string> = {
  started: "play-circle",
  in_progress: "sync",
  completed: "pass",
  failed: "error",
  cancelled: "circle-slash",
};

export class ActivityTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  readonly log = new ActivityLog();
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Record one notification and redraw. */
  add(message: unknown): void {
    if (this.log.add(message)) {
      this.changed.fire(undefined);
    }
  }

  clear(): void {
    this.log.clear();
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.log.list().map((run) => ({ run }));
    }
    return "run" in node ? node.run.steps.map((step) => ({ step })) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ("run" in node) {
      const item = new vscode.TreeItem(runTitle(node.run), vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(ICONS[runStatus(node.run)]);
      item.description = runStatus(node.run).replace("_", " ");
      item.tooltip = `task ${node.run.id}, agent ${node.run.agentId}`;
      return item;
    }
    const item = new vscode.TreeItem(stepLabel(node.step), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(ICONS[node.step.status]);
    item.description = node.step.detail;
    item.tooltip = node.step.time;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
