import assert from "node:assert/strict";
import { test } from "node:test";

import { ActivityLog, runStatus, runTitle, stepLabel, type StepStatus } from "../src/activity";

function envelope(agent: string, type: string, status: StepStatus, data: Record<string, unknown> = {}) {
  return {
    version: 1,
    type: "agent_action",
    timestamp: "2026-01-01T00:00:00Z",
    session_id: "s",
    agent_id: agent,
    action: { type, status, data },
  };
}

test("steps are grouped per agent run, newest run first", () => {
  const log = new ActivityLog();
  const about = { file_path: "/p/db/migrations/0002_seed.py", action: "fix" };
  log.add(envelope("a", "routing", "started", about));
  log.add(envelope("b", "routing", "started"));
  log.add(envelope("a", "routed", "completed", { ...about, agent: "security", progress: 10 }));
  const runs = log.list();
  assert.deepEqual(
    runs.map((r) => r.id),
    ["a", "b"],
  );
  assert.deepEqual(runs[0]!.steps.map(stepLabel), ["routing — started", "routed — completed"]);
  assert.equal(runTitle(runs[0]!), "fix · 0002_seed.py (security)");
  assert.equal(runTitle(runs[1]!), "routing");
  assert.equal(runStatus(runs[0]!), "completed");
});

test("one agent's successive tasks are separate runs", () => {
  const log = new ActivityLog();
  log.add(envelope("a", "routed", "completed", { task: "t1", action: "fix", file_path: "/p/0002_seed.py" }));
  log.add(envelope("a", "proposal", "completed", { task: "t1" }));
  log.add(envelope("a", "routed", "completed", { task: "t2", action: "fix", file_path: "/p/0003_seed.py" }));
  assert.deepEqual(
    log.list().map((r) => [r.id, r.agentId, r.steps.length]),
    [
      ["t2", "a", 1],
      ["t1", "a", 2],
    ],
  );
  assert.equal(runTitle(log.list()[0]!), "fix · 0003_seed.py");
});

test("repeated progress of one step updates it in place", () => {
  const log = new ActivityLog();
  log.add(envelope("a", "generate", "in_progress", { progress: 10 }));
  log.add(envelope("a", "generate", "in_progress", { progress: 60 }));
  log.add(envelope("a", "generate", "completed", { progress: 100 }));
  assert.deepEqual(
    log.list()[0]!.steps.map((s) => s.status),
    ["in_progress", "completed"],
  );
});

test("anything that is not an agent_action envelope is ignored", () => {
  const log = new ActivityLog();
  assert.equal(log.add({ type: "agent_action", agent_id: "a" }), false);
  assert.equal(log.add(envelope("a", "x", "bogus" as StepStatus)), false);
  assert.equal(log.add(null), false);
  assert.equal(log.list().length, 0);
});

test("only the newest runs are kept, and clear empties the log", () => {
  const log = new ActivityLog(3);
  for (const agent of ["a", "b", "c", "d"]) {
    log.add(envelope(agent, "routing", "started"));
  }
  assert.deepEqual(
    log.list().map((r) => r.id),
    ["d", "c", "b"],
  );
  log.clear();
  assert.equal(log.list().length, 0);
});
