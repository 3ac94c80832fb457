/**
 * What the status-bar item says: the collaboration mode (accord.mode.get) and the org link
 * (accord.org.status). Pure: the caller asks the server and shows the result.
 */

export interface OrgLinkStatus {
  readonly url: string;
  readonly project: string;
  readonly online: boolean;
  readonly user: string | null;
  readonly policy_revision: number | string | null;
}

export interface ServerStatus {
  /** The collaboration mode, or undefined when the server has not answered. */
  readonly mode: string | undefined;
  readonly links: readonly OrgLinkStatus[];
}

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
}

export function statusView(status: ServerStatus | "starting" | "stopped"): StatusView {
  if (status === "starting") {
    return { text: "$(sync~spin) Accord", tooltip: "Accord: starting the language server" };
  }
  if (status === "stopped") {
    return { text: "$(error) Accord", tooltip: "Accord: the language server is not running" };
  }
  const mode = status.mode ?? "unknown";
  const link = status.links[0];
  if (!link) {
    return {
      text: `$(shield) Accord: ${mode}`,
      tooltip: `Collaboration mode: ${mode}\nNo org server (local policy)\nClick to change the mode`,
    };
  }
  const icon = link.online ? "$(cloud)" : "$(cloud-offline)";
  const who = link.user ?? "not logged in";
  const revision = link.policy_revision === null ? "none yet" : String(link.policy_revision);
  return {
    text: `${icon} Accord: ${mode}`,
    tooltip:
      `Collaboration mode: ${mode}\n` +
      `Org server: ${link.url} (${link.online ? "online" : "offline"})\n` +
      `Project: ${link.project}, as ${who}\nPolicy revision: ${revision}\nClick to change the mode`,
  };
}

/** Reads the answers of accord.mode.get and accord.org.status, tolerating missing fields. */
export function parseStatus(mode: unknown, org: unknown): ServerStatus {
  const modeValue = (mode as { mode?: unknown } | null)?.mode;
  const links = (org as { links?: unknown } | null)?.links;
  return {
    mode: typeof modeValue === "string" ? modeValue : undefined,
    links: Array.isArray(links) ? (links as OrgLinkStatus[]) : [],
  };
}
