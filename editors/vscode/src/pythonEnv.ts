/**
 * The active Python interpreter, as the Python extension (ms-python.python) reports it, else
 * the `python.defaultInterpreterPath` setting. Undefined when neither says anything.
 */
import * as vscode from "vscode";

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  };
}

export async function activeInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>("ms-python.python");
  if (extension) {
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const active = api.environments?.getActiveEnvironmentPath(resource)?.path;
      if (active && active !== "python") {
        return active;
      }
    } catch {
      // The Python extension failed to activate: fall back to its setting.
    }
  }
  const configured = vscode.workspace
    .getConfiguration("python", resource)
    .get<string>("defaultInterpreterPath");
  return configured && configured !== "python" ? configured : undefined;
}
