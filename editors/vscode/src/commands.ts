/**
 * The extension's commands: switch the collaboration mode (`accord.mode.set` on the server) and
 * log in to an org server (`accord login URL --token TOKEN`, run as a child process).
 */
import { execFile } from "node:child_process";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { loginArgs, type AccordCommand } from "./serverCommand";

const MODES: readonly vscode.QuickPickItem[] = [
  { label: "observation", detail: "Agents work read-only: proposals are shown as a diff, never applied." },
  { label: "guidance", detail: "Every step is reported; approval is asked at decision points." },
  { label: "control", detail: "You (or a named teammate) approve every agent step and every change." },
  { label: "autonomous", detail: "Completion only; approval still asked wherever the policy requires." },
];

/** Ask for a mode and set it; returns the server's answer, or undefined when cancelled. */
export async function setMode(client: LanguageClient): Promise<unknown> {
  const picked = await vscode.window.showQuickPick(MODES, { title: "Accord: collaboration mode" });
  if (!picked) {
    return undefined;
  }
  const request: { mode: string; controller?: string } = { mode: picked.label };
  if (picked.label === "control") {
    const controller = await vscode.window.showInputBox({
      title: "Accord: who approves each step?",
      prompt: "A teammate's email (through the org server), or empty to approve them yourself",
    });
    if (controller === undefined) {
      return undefined;
    }
    if (controller.trim()) {
      request.controller = controller.trim();
    }
  }
  try {
    return await client.sendRequest("workspace/executeCommand", {
      command: "accord.mode.set",
      arguments: [request],
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`Accord: ${messageOf(error)}`);
    return undefined;
  }
}

/** Ask for the org server and a login token, and run `accord login`; true when logged in. */
export async function login(accord: AccordCommand, output: vscode.OutputChannel): Promise<boolean> {
  const configured = vscode.workspace.getConfiguration("accord").get<string | null>("org.url");
  const url = await vscode.window.showInputBox({
    title: "Accord: log in (1/2)",
    prompt: "The org server",
    value: configured ?? "ws://127.0.0.1:8765",
    validateInput: (value) => (/^wss?:\/\/\S+$/.test(value) ? undefined : "a ws:// or wss:// URL"),
  });
  const token =
    url &&
    (await vscode.window.showInputBox({
      title: "Accord: log in (2/2)",
      prompt: "Your login token (printed by `accord org user add`)",
      password: true,
    }));
  if (!url || !token) {
    return false;
  }
  const { code, text } = await run(accord.command, loginArgs(accord, url, token));
  output.appendLine(`accord login ${url}: ${text.trim()}`);
  if (code !== 0) {
    void vscode.window.showErrorMessage(`Accord: login failed: ${lastLine(text)}`);
    return false;
  }
  void vscode.window.showInformationMessage(`Accord: ${text.trim().split("\n")[0]}`);
  return true;
}

function run(command: string, args: string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, text: `${stdout}${stderr}` || String(error ?? "") });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "no output";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
