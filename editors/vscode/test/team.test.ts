import assert from "node:assert/strict";
import { test } from "node:test";

import { isTeamView, selectedUris, teamRows, type TeamView } from "../src/team";

const VIEW: TeamView = {
  project: "shop",
  connected: true,
  me: "ann@acme.test",
  online: ["ann@acme.test", "bob@acme.test"],
  activity: [
    {
      actor: "bob@acme.test",
      step: "proposal",
      status: "completed",
      action: "document",
      file: "pricing.py",
      at: "t",
    },
  ],
  approvals: [
    {
      id: "a1",
      title: "Fix ACC003",
      requester: "bob@acme.test",
      risk: 8,
      state: "pending",
      missing_roles: ["tech_lead"],
    },
  ],
  suggestions: [
    { id: "e:3", author: "bob@acme.test", text: "Round prices", file: "shop/pricing.py", state: "open" },
  ],
};

test("the view has a section each for online members, agents, approvals and suggestions", () => {
  const [online, agents, approvals, suggestions] = teamRows(VIEW);
  assert.equal(online!.label, "Online in shop");
  assert.deepEqual(
    online!.children!.map((r) => [r.label, r.description]),
    [
      ["ann@acme.test", "you"],
      ["bob@acme.test", ""],
    ],
  );
  assert.equal(agents!.children![0]!.label, "bob@acme.test: document pricing.py");
  assert.equal(agents!.children![0]!.description, "proposal completed");
  assert.equal(approvals!.children![0]!.description, "bob@acme.test · risk 8 · needs tech_lead");
  assert.equal(suggestions!.children![0]!.suggestion!.id, "e:3");
  assert.equal(suggestions!.children![0]!.description, "open · shop/pricing.py");
});

test("an unlinked workspace, or no answer yet, is one row that says so", () => {
  assert.equal(teamRows(undefined)[0]!.label, "Waiting for the language server…");
  const unlinked = { ...VIEW, project: null, problem: "not linked" };
  assert.deepEqual(
    teamRows(unlinked).map((r) => r.label),
    ["not linked"],
  );
});

test("only a Team view is taken from the server", () => {
  assert.equal(isTeamView(VIEW), true);
  assert.equal(isTeamView({ online: [] }), false);
  assert.equal(isTeamView(null), false);
});

test("an explorer command acts on the selection, else on what was clicked", () => {
  assert.deepEqual(selectedUris("a", ["b", "c"]), ["b", "c"]);
  assert.deepEqual(selectedUris("a", []), ["a"]);
  assert.deepEqual(selectedUris(undefined, undefined), []);
});
