/**
 * The Team view's model, from the server's `accord/team` answer and `accord/teamChanged`
 * notifications: who is online in the project, what each teammate's agent is doing now, the
 * project's pending approvals, and the suggestions teammates posted. Pure: no VS Code API, so the
 * unit tests run it as is.
 */

export interface AgentStep {
  readonly actor: string;
  readonly step: string;
  readonly status: string;
  readonly action: string;
  readonly file: string | null;
  readonly at: string;
}

export interface PendingApproval {
  readonly id: string;
  readonly title: string;
  readonly requester: string;
  readonly risk: number;
  readonly state: string;
  readonly missing_roles: readonly string[];
}

export interface Suggestion {
  readonly id: string;
  readonly author: string;
  readonly text: string;
  readonly file: string | null;
  readonly state: "open" | "accepted" | "dismissed";
}

export interface TeamView {
  readonly project: string | null;
  readonly connected: boolean;
  readonly me: string | null;
  readonly online: readonly string[];
  readonly activity: readonly AgentStep[];
  readonly approvals: readonly PendingApproval[];
  readonly suggestions: readonly Suggestion[];
  readonly problem?: string;
}

/** One row of the view: a section heading or an entry (with the suggestion it shows, if any). */
export interface Row {
  readonly label: string;
  readonly description: string;
  readonly icon: string;
  readonly suggestion?: Suggestion;
  readonly children?: readonly Row[];
}

/** The view as rows: one section each for the online members, agents, approvals, suggestions. */
export function teamRows(view: TeamView | undefined): Row[] {
  if (!view) {
    return [{ label: "Waiting for the language server…", description: "", icon: "loading~spin" }];
  }
  if (view.problem || !view.project) {
    return [{ label: view.problem ?? "Not linked to an org server", description: "", icon: "info" }];
  }
  const online = view.online.map((email) => ({
    label: email,
    description: email === view.me ? "you" : "",
    icon: "person",
  }));
  const agents = view.activity.map((step) => ({
    label: `${step.actor}: ${[step.action, step.file].filter(Boolean).join(" ")}`,
    description: `${step.step.replace(/_/g, " ")} ${step.status.replace(/_/g, " ")}`,
    icon: step.status === "failed" ? "error" : step.status === "completed" ? "pass" : "sync",
  }));
  const approvals = view.approvals.map((approval) => ({
    label: approval.title,
    description: `${approval.requester} · risk ${approval.risk} · needs ${approval.missing_roles.join(", ") || "nobody"}`,
    icon: "shield",
  }));
  const suggestions = view.suggestions.map((suggestion) => ({
    label: `${suggestion.author}: ${suggestion.text}`,
    description: [suggestion.state, suggestion.file].filter(Boolean).join(" · "),
    icon:
      suggestion.state === "accepted" ? "check" : suggestion.state === "dismissed" ? "close" : "lightbulb",
    suggestion,
  }));
  const section = (label: string, children: Row[], icon: string): Row => ({
    label,
    description: String(children.length),
    icon,
    children,
  });
  return [
    section(`Online in ${view.project}${view.connected ? "" : " (offline)"}`, online, "organization"),
    section("Agents", agents, "hubot"),
    section("Pending approvals", approvals, "shield"),
    section("Suggestions", suggestions, "comment-discussion"),
  ];
}

/** Whether `value` looks like a Team view (what the server sends). */
export function isTeamView(value: unknown): value is TeamView {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return ["online", "activity", "approvals", "suggestions"].every((key) => Array.isArray(v[key]));
}

/** Which files or folders a command from the explorer acts on: the selection, else the one clicked. */
export function selectedUris<U>(clicked: U | undefined, selection: readonly U[] | undefined): U[] {
  if (selection && selection.length > 0) {
    return [...selection];
  }
  return clicked ? [clicked] : [];
}
