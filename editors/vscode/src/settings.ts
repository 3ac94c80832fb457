/**
 * The `accord.*` settings the server reads (workspace/configuration, section `accord`).
 *
 * Only settings the user actually set are sent: a default sent from here would override the
 * project's accord.toml, which the server ranks below the editor. Client-only settings (how to
 * start the server, tracing) never reach it: the server rejects keys it does not know.
 */

/** Dotted keys under `accord.` that belong to the extension, not the server. */
export const CLIENT_ONLY = ["server", "trace", "diagnosticMode"] as const;

/** What VS Code's `inspect()` says about one key: the values set at each level. */
export interface Inspected {
  readonly key: string;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/** The server's `accord` section from the user's explicit settings, nested by dotted key. */
export function serverSettings(inspected: readonly Inspected[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const item of inspected) {
    const value = explicitValue(item);
    if (value !== undefined && !isClientOnly(item.key)) {
      place(settings, item.key.split("."), value);
    }
  }
  return settings;
}

/** The most specific value the user set (folder over workspace over user), if any. */
export function explicitValue(item: Inspected): unknown {
  return item.workspaceFolderValue ?? item.workspaceValue ?? item.globalValue;
}

function isClientOnly(key: string): boolean {
  const head = key.split(".")[0];
  return CLIENT_ONLY.some((prefix) => prefix === head);
}

function place(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) {
    return;
  }
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const inner = target[head];
  const child: Record<string, unknown> =
    typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {};
  target[head] = child;
  place(child, rest, value);
}
