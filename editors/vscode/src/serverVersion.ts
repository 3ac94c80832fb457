/**
 * Whether the running `accord lsp` is new enough for this extension: the version it sends in
 * `initialize`'s `serverInfo`, against the minimum this extension declares in its package.json
 * (`accord.minimumServerVersion`). Pure: the caller shows the message.
 */

/** A version's numeric parts ("0.10.2" → [0, 10, 2]), or undefined when it has none. */
export function versionParts(version: string): number[] | undefined {
  const found = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return found?.[1]?.split(".").map(Number);
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer (missing parts are 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

/**
 * What to tell the user about the server `initialize` answered with, or undefined when it is at
 * least `minimum`. `serverInfo` is the answer's field as received (anything).
 */
export function serverVersionWarning(
  serverInfo: unknown,
  minimum: string,
  command: string,
): string | undefined {
  const version = (serverInfo as { version?: unknown } | null | undefined)?.version;
  const wanted = versionParts(minimum);
  const upgrade = `Install Accord ${minimum} or newer (see "Install" in the extension's README) or set accord.server.path.`;
  if (typeof version !== "string" || versionParts(version) === undefined) {
    return `Accord: the language server (${command}) did not say its version; this extension needs ${minimum} or newer. ${upgrade}`;
  }
  if (wanted !== undefined && compareVersions(versionParts(version) ?? [], wanted) < 0) {
    return `Accord: the language server (${command}) is version ${version}, older than the ${minimum} this extension needs; some features will fail. ${upgrade}`;
  }
  return undefined;
}
