/** The language client that runs `accord lsp` over stdio, with Accord's middleware. */
import * as vscode from "vscode";
import { LanguageClient, type Middleware } from "vscode-languageclient/node";

import { askMiddleware } from "./ask";
import { accordSection, configurationMiddleware } from "./configuration";
import { lspArgs, type AccordCommand } from "./serverCommand";

/** The languages Accord analyses (VS Code language ids). */
export const LANGUAGES = [
  "python",
  "javascript",
  "typescript",
  "typescriptreact",
  "java",
  "kotlin",
  "swift",
  "go",
  "rust",
  "csharp",
] as const;

export function createClient(
  accord: AccordCommand,
  output: vscode.LogOutputChannel,
  approvals: Middleware,
): LanguageClient {
  const settings = vscode.workspace.getConfiguration("accord");
  const command = { command: accord.command, args: lspArgs(accord, settings.get("server.logFile", "")) };
  return new LanguageClient(
    "accord",
    "Accord",
    { run: command, debug: command },
    {
      documentSelector: LANGUAGES.map((language) => ({ scheme: "file", language })),
      initializationOptions: {
        diagnosticMode: settings.get("diagnosticMode", "auto"),
        settings: accordSection(),
      },
      outputChannel: output,
      middleware: {
        ...approvals,
        ...askMiddleware(() =>
          vscode.window.showInputBox({
            title: "Accord: Ask an agent",
            prompt: "What should the agent do? (e.g. rename parse to parse_config, add type hints)",
            ignoreFocusOut: true,
          }),
        ),
        workspace: { ...approvals.workspace, ...configurationMiddleware().workspace },
      },
    },
  );
}
