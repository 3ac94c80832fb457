/**
 * Settings mirrored to the server: the `accord` section answered to `workspace/configuration`
 * (and sent with `initializationOptions` and `workspace/didChangeConfiguration`), built from the
 * settings the user set explicitly (see `settings.ts`).
 */
import * as vscode from "vscode";
import type { Middleware } from "vscode-languageclient/node";

import { serverSettings, type Inspected } from "./settings";

export const SECTION = "accord";

/** The server's `accord` section for `scope` (a folder or file URI), or the whole workspace. */
export function accordSection(scope?: vscode.Uri): Record<string, unknown> {
  return serverSettings(contributedKeys().map((key) => inspect(key, scope)));
}

/** The configuration middleware: `accord` is answered from `accordSection`, the rest by VS Code. */
export function configurationMiddleware(): Middleware {
  return {
    workspace: {
      configuration: async (params, token, next) => {
        const answers = await next(params, token);
        if (!Array.isArray(answers)) {
          return answers;
        }
        return params.items.map((item, index) =>
          item.section === SECTION
            ? accordSection(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
            : answers[index],
        );
      },
    },
  };
}

function inspect(key: string, scope?: vscode.Uri): Inspected {
  const found = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
  return {
    key,
    globalValue: found?.globalValue,
    workspaceValue: found?.workspaceValue,
    workspaceFolderValue: found?.workspaceFolderValue,
  };
}

/** The keys under `accord.` this extension contributes, from its package.json. */
function contributedKeys(): string[] {
  const extension = vscode.extensions.getExtension("accord.accord");
  const properties = extension?.packageJSON?.contributes?.configuration?.properties ?? {};
  return Object.keys(properties as Record<string, unknown>).map((key) => key.slice(SECTION.length + 1));
}
