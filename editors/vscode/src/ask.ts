/**
 * "Accord: Ask an agent...": the code action runs `accord.agents.ask` with its scope only; the
 * middleware here asks the user for the instruction (an input box) before the command goes to
 * the server, and drops the command when the user cancels. Pure: no VS Code API, so the unit
 * tests run it as is.
 */

export const ASK = "accord.agents.ask";

/** What the server's command takes: the user's words and what may change. */
export interface AskArgument {
  instruction?: string;
  scope: {
    uri?: string;
    uris?: string[];
    range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  };
}

/** Whether `command` is an Ask that still lacks the user's instruction. */
export function needsInstruction(command: string, args: readonly unknown[]): boolean {
  if (command !== ASK) {
    return false;
  }
  const first = args[0] as Partial<AskArgument> | undefined;
  return !first?.instruction?.trim();
}

/** The command's arguments with the instruction added (the scope as the code action gave it). */
export function withInstruction(args: readonly unknown[], instruction: string): unknown[] {
  const first = (args[0] ?? {}) as AskArgument;
  return [{ ...first, instruction: instruction.trim() }, ...args.slice(1)];
}

/** The scope of the active editor: its selection, or the whole file when nothing is selected. */
export function editorScope(
  uri: string,
  selection: { start: { line: number; character: number }; end: { line: number; character: number } },
): AskArgument {
  const empty =
    selection.start.line === selection.end.line && selection.start.character === selection.end.character;
  return empty ? { scope: { uri } } : { scope: { uri, range: selection } };
}

type Prompt = () => PromiseLike<string | undefined>;
type Next = (command: string, args: unknown[]) => unknown;

/** The language client's `executeCommand` middleware: asks for the instruction when needed. */
export function askMiddleware(prompt: Prompt): {
  executeCommand: (command: string, args: unknown[], next: Next) => Promise<unknown>;
} {
  return {
    executeCommand: async (command, args, next) => {
      if (!needsInstruction(command, args)) {
        return next(command, args);
      }
      const instruction = await prompt();
      if (!instruction?.trim()) {
        return undefined;
      }
      return next(command, withInstruction(args, instruction));
    },
  };
}
