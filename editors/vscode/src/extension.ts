/**
 * Accord for VS Code: starts `accord lsp` and wires its extras — settings mirrored to the server,
 * the status-bar item, the "Accord activity" and "Team" views, approval prompts, asking an agent
 * in your own words, suggestions to the team, agents over folders, and the mode and login
 * commands.
 */
import * as vscode from "vscode";
import { DidChangeConfigurationNotification, type LanguageClient } from "vscode-languageclient/node";

import { ActivityTree } from "./activityTree";
import { ASK, editorScope } from "./ask";
import { Approvals } from "./approvals";
import { createClient } from "./client";
import { login, setMode } from "./commands";
import { accordSection } from "./configuration";
import { activeInterpreter } from "./pythonEnv";
import { resolveAccord, type AccordCommand } from "./serverCommand";
import { serverVersionWarning } from "./serverVersion";
import { StatusBar } from "./statusBar";
import { runOnFiles, suggest } from "./teamCommands";
import { TeamTree } from "./teamTree";

const AGENT_ACTION = "accord/agentAction";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Accord", { log: true });
  const status = new StatusBar();
  const activity = new ActivityTree();
  const approvals = new Approvals();
  const team = new TeamTree();
  context.subscriptions.push(output, status, activity, approvals, team);
  context.subscriptions.push(vscode.window.registerTreeDataProvider("accord.activity", activity));
  context.subscriptions.push(vscode.window.registerTreeDataProvider("accord.team", team));

  const start = async (): Promise<void> => {
    await stop(status);
    const accord = await findAccord(output);
    if (!accord) {
      status.show("stopped");
      return;
    }
    client = createClient(accord, output, approvals.middleware());
    client.onNotification(AGENT_ACTION, (params: unknown) => activity.add(params));
    status.show("starting");
    try {
      await client.start();
      warnIfOlder(client, accord, context);
      status.follow(client);
      team.follow(client);
    } catch (error) {
      output.error(`accord lsp failed to start: ${String(error)}`);
      status.show("stopped");
      void vscode.window.showErrorMessage(
        `Accord: the language server failed to start (${accord.command}). See the Accord output.`,
      );
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand("accord.setMode", async () => {
      if (!client?.isRunning()) {
        return void vscode.window.showWarningMessage("Accord: the language server is not running.");
      }
      await setMode(client);
      await status.refresh(client);
    }),
    vscode.commands.registerCommand("accord.login", async () => {
      const accord = await findAccord(output);
      if (accord && (await login(accord, output))) {
        await start();
      }
    }),
    vscode.commands.registerCommand("accord.ask", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client?.isRunning() || !editor) {
        return void vscode.window.showWarningMessage("Accord: open a file the language server runs on.");
      }
      const { start: from, end: to } = editor.selection;
      const selection = {
        start: { line: from.line, character: from.character },
        end: { line: to.line, character: to.character },
      };
      await vscode.commands.executeCommand(ASK, editorScope(editor.document.uri.toString(), selection));
    }),
    vscode.commands.registerCommand("accord.restartServer", start),
    vscode.commands.registerCommand("accord.showOutput", () => output.show()),
    vscode.commands.registerCommand("accord.clearActivity", () => activity.clear()),
    vscode.commands.registerCommand("accord.team.refresh", () => team.refresh(client)),
    vscode.commands.registerCommand("accord.team.accept", (row) => team.decide(client, row, "accept")),
    vscode.commands.registerCommand("accord.team.dismiss", (row) => team.decide(client, row, "dismiss")),
    vscode.commands.registerCommand("accord.suggest", async () => {
      if (!client?.isRunning()) {
        return void vscode.window.showWarningMessage("Accord: the language server is not running.");
      }
      await suggest(client);
    }),
    vscode.commands.registerCommand("accord.runOnFiles", runOnFiles),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (
        event.affectsConfiguration("accord.server") ||
        event.affectsConfiguration("accord.diagnosticMode")
      ) {
        await start();
      } else if (event.affectsConfiguration("accord") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { accord: accordSection() },
        });
        await status.refresh(client);
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Warns (output and a message) when the server is older than package.json's minimum. */
function warnIfOlder(running: LanguageClient, accord: AccordCommand, context: vscode.ExtensionContext): void {
  const manifest = context.extension.packageJSON as { accord?: { minimumServerVersion?: string } };
  const minimum = manifest.accord?.minimumServerVersion ?? "0";
  const serverInfo = running.initializeResult?.serverInfo;
  const warning = serverVersionWarning(serverInfo, minimum, [accord.command, ...accord.prefix].join(" "));
  if (warning) {
    running.outputChannel.appendLine(warning);
    void vscode.window.showWarningMessage(warning);
  } else {
    running.outputChannel.appendLine(`accord lsp ${serverInfo?.version ?? "?"} (needs ${minimum} or newer)`);
  }
}

async function stop(status: StatusBar): Promise<void> {
  status.stop();
  if (client) {
    const running = client;
    client = undefined;
    await running.dispose().catch(() => undefined);
  }
}

/** The `accord` to run, or undefined after telling the user what is missing. */
async function findAccord(output: vscode.LogOutputChannel): Promise<AccordCommand | undefined> {
  const settings = vscode.workspace.getConfiguration("accord");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const resolution = resolveAccord({
    executable: settings.get("server.path", ""),
    pythonPath: settings.get("server.pythonPath", ""),
    activeInterpreter: await activeInterpreter(folder),
    path: process.env["PATH"] ?? "",
  });
  if (!resolution.ok) {
    output.error(resolution.message);
    void vscode.window.showErrorMessage(resolution.message, "Open settings").then((picked) => {
      if (picked) {
        void vscode.commands.executeCommand("workbench.action.openSettings", "accord.server");
      }
    });
    return undefined;
  }
  const { command, prefix, source } = resolution.accord;
  output.info(`running ${[command, ...prefix].join(" ")} (from ${source})`);
  return resolution.accord;
}
