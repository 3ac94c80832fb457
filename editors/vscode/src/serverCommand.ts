/**
 * Finds how to run Accord: the `accord` executable or a Python interpreter that has Accord.
 *
 * Precedence: the `accord.server.path` setting, then `accord.server.pythonPath`, then the
 * active Python environment, then `accord` on PATH. An interpreter is used through the `accord`
 * script beside it when there is one, else as `python -m accord`. No VS Code here: the caller
 * passes what the settings and the Python extension say.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** How to run `accord`: `command ...prefix <subcommand>`. */
export interface AccordCommand {
  readonly command: string;
  readonly prefix: readonly string[];
  /** Where it came from, for messages ("setting accord.server.path", "PATH", …). */
  readonly source: string;
}

export interface Sources {
  /** `accord.server.path`; empty when unset. */
  readonly executable: string;
  /** `accord.server.pythonPath`; empty when unset. */
  readonly pythonPath: string;
  /** The Python extension's active interpreter, if any. */
  readonly activeInterpreter: string | undefined;
  /** The PATH to search. */
  readonly path: string;
}

/** The command, or a message saying what was tried and how to fix it. */
export type Resolution =
  { readonly ok: true; readonly accord: AccordCommand } | { readonly ok: false; readonly message: string };

export function resolveAccord(sources: Sources): Resolution {
  if (sources.executable) {
    return isExecutable(sources.executable)
      ? found(sources.executable, [], "setting accord.server.path")
      : missing(`accord.server.path is ${sources.executable}, which is not an executable file.`);
  }
  if (sources.pythonPath) {
    return isExecutable(sources.pythonPath)
      ? fromInterpreter(sources.pythonPath, "setting accord.server.pythonPath")
      : missing(`accord.server.pythonPath is ${sources.pythonPath}, which is not an executable file.`);
  }
  const beside = sources.activeInterpreter && besideInterpreter(sources.activeInterpreter);
  if (beside) {
    return found(beside, [], "the active Python environment");
  }
  const onPath = searchPath("accord", sources.path);
  if (onPath) {
    return found(onPath, [], "PATH");
  }
  return missing(
    "Accord's language server was not found: no `accord` in the active Python environment" +
      (sources.activeInterpreter ? ` (${sources.activeInterpreter})` : "") +
      " nor on PATH. Install the release's wheel, pinned by its SHA-256 (see Install in the README), or set accord.server.path " +
      "(the accord executable) or accord.server.pythonPath (a Python that has it).",
  );
}

/** The arguments that start the language server. */
export function lspArgs(accord: AccordCommand, logFile: string): string[] {
  return [...accord.prefix, "lsp", ...(logFile ? ["--log-file", logFile] : [])];
}

/** The arguments of `accord login URL --token TOKEN`. */
export function loginArgs(accord: AccordCommand, url: string, token: string): string[] {
  return [...accord.prefix, "login", url, "--token", token];
}

function fromInterpreter(python: string, source: string): Resolution {
  const beside = besideInterpreter(python);
  return beside ? found(beside, [], source) : found(python, ["-m", "accord"], source);
}

/** The `accord` script installed in the same environment as `python`, if any. */
function besideInterpreter(python: string): string | undefined {
  const script = join(dirname(python), process.platform === "win32" ? "accord.exe" : "accord");
  return isExecutable(script) ? script : undefined;
}

function searchPath(name: string, path: string): string | undefined {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const hit = names.map((n) => join(folder, n)).find(isExecutable);
    if (hit) {
      return hit;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function found(command: string, prefix: string[], source: string): Resolution {
  return { ok: true, accord: { command, prefix, source } };
}

function missing(message: string): Resolution {
  return { ok: false, message };
}
