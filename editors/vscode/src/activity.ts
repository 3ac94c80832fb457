/**
 * The agents' activity, from `accord/agentAction` notifications (the envelope of seed §11.2):
 * one run per task (an agent from the pool works on many, one after the other; a step without a
 * task counts as its agent's), its steps in order, the newest runs first, at most `limit` kept.
 */

export type StepStatus = "started" | "in_progress" | "completed" | "failed" | "cancelled";

/** One `accord/agentAction` notification. */
export interface Envelope {
  readonly type: "agent_action";
  readonly timestamp: string;
  readonly session_id: string;
  readonly agent_id: string;
  readonly action: {
    readonly type: string;
    readonly status: StepStatus;
    readonly data?: Record<string, unknown>;
  };
}

export interface Step {
  readonly type: string;
  readonly status: StepStatus;
  readonly time: string;
  readonly detail: string;
  /** The kind of action (`fix`, `document`, …) and the agent that does it, where the step says. */
  readonly action: string;
  readonly agent: string;
}

export interface Run {
  /** The task's id, else the agent's. */
  readonly id: string;
  readonly agentId: string;
  readonly steps: Step[];
}

export class ActivityLog {
  /** Newest first. */
  private readonly runs: Run[] = [];

  constructor(private readonly limit = 50) {}

  /** Record a notification; returns false (and keeps nothing) when it is not an envelope. */
  add(message: unknown): boolean {
    if (!isEnvelope(message)) {
      return false;
    }
    const task = message.action.data?.["task"];
    const run = this.runFor(typeof task === "string" ? task : message.agent_id, message.agent_id);
    const step = toStep(message);
    const last = run.steps[run.steps.length - 1];
    if (last && last.type === step.type && last.status !== "started" && step.status === last.status) {
      run.steps[run.steps.length - 1] = step;
    } else {
      run.steps.push(step);
    }
    return true;
  }

  list(): readonly Run[] {
    return this.runs;
  }

  clear(): void {
    this.runs.length = 0;
  }

  private runFor(id: string, agentId: string): Run {
    const index = this.runs.findIndex((run) => run.id === id);
    const run = index >= 0 ? this.runs.splice(index, 1)[0]! : { id, agentId, steps: [] };
    this.runs.unshift(run);
    this.runs.length = Math.min(this.runs.length, this.limit);
    return run;
  }
}

/** A run's state: the status of its last step. */
export function runStatus(run: Run): StepStatus {
  return run.steps[run.steps.length - 1]?.status ?? "started";
}

/** A run's title: the action, the file it is about and the agent, from its steps' details. */
export function runTitle(run: Run): string {
  const pick = (field: "action" | "detail" | "agent") => run.steps.map((s) => s[field]).find(Boolean);
  const action = humanise(pick("action") ?? run.steps[0]?.type ?? "agent");
  const agent = pick("agent");
  return [action, pick("detail")].filter(Boolean).join(" · ") + (agent ? ` (${agent})` : "");
}

export function stepLabel(step: Step): string {
  return `${humanise(step.type)} — ${step.status.replace("_", " ")}`;
}

function toStep(envelope: Envelope): Step {
  const data = envelope.action.data ?? {};
  const detail = ["file_path", "path", "symbol", "provider"]
    .map((key) => data[key])
    .find((value): value is string => typeof value === "string" && value.length > 0);
  return {
    type: envelope.action.type,
    status: envelope.action.status,
    time: envelope.timestamp,
    detail: detail ? basename(detail) : "",
    action: text(data["action"]),
    agent: text(data["agent"]),
  };
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function humanise(type: string): string {
  return type.replace(/_/g, " ");
}

const STATUSES: readonly string[] = ["started", "in_progress", "completed", "failed", "cancelled"];

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  const action = v["action"] as Record<string, unknown> | undefined;
  return (
    v["type"] === "agent_action" &&
    typeof v["agent_id"] === "string" &&
    typeof v["timestamp"] === "string" &&
    typeof action === "object" &&
    action !== null &&
    typeof action["type"] === "string" &&
    STATUSES.includes(String(action["status"]))
  );
}
