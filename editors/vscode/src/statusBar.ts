/**
 * The status-bar item: collaboration mode and org connection, refreshed from the server after
 * it starts, after a mode change, and every 30 seconds while it runs. Clicking switches the mode.
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { parseStatus, statusView } from "./status";

const REFRESH_MS = 30_000;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "accord.status",
    vscode.StatusBarAlignment.Left,
    10,
  );
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = "Accord";
    this.item.command = "accord.setMode";
    this.show("starting");
    this.item.show();
  }

  /** Follow `client`: refresh now and periodically until `stop()`. */
  follow(client: LanguageClient): void {
    this.stop();
    void this.refresh(client);
    this.timer = setInterval(() => void this.refresh(client), REFRESH_MS);
  }

  async refresh(client: LanguageClient): Promise<void> {
    if (!client.isRunning()) {
      this.show("stopped");
      return;
    }
    try {
      const [mode, org] = await Promise.all([
        client.sendRequest("workspace/executeCommand", { command: "accord.mode.get", arguments: [] }),
        client.sendRequest("workspace/executeCommand", { command: "accord.org.status", arguments: [] }),
      ]);
      const view = statusView(parseStatus(mode, org));
      this.item.text = view.text;
      this.item.tooltip = view.tooltip;
    } catch {
      this.show("stopped");
    }
  }

  show(state: "starting" | "stopped"): void {
    const view = statusView(state);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.stop();
    this.item.dispose();
  }
}
