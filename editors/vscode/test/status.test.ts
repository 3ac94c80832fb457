import assert from "node:assert/strict";
import { test } from "node:test";

import { parseStatus, statusView } from "../src/status";

test("without an org server: the mode and the local policy", () => {
  const view = statusView(parseStatus({ mode: "guidance" }, { links: [] }));
  assert.equal(view.text, "$(shield) Accord: guidance");
  assert.match(view.tooltip, /No org server/);
});

test("with an org server: online or offline, as whom, which policy revision", () => {
  const link = {
    url: "ws://127.0.0.1:8765",
    project: "shop",
    online: true,
    user: "alice@acme.test",
    policy_revision: 3,
  };
  const online = statusView(parseStatus({ mode: "control" }, { links: [link] }));
  assert.equal(online.text, "$(cloud) Accord: control");
  assert.match(online.tooltip, /ws:\/\/127\.0\.0\.1:8765 \(online\)/);
  assert.match(online.tooltip, /as alice@acme\.test/);
  assert.match(online.tooltip, /Policy revision: 3/);
  const offline = statusView(
    parseStatus({ mode: "control" }, { links: [{ ...link, online: false, user: null }] }),
  );
  assert.equal(offline.text, "$(cloud-offline) Accord: control");
  assert.match(offline.tooltip, /not logged in/);
});

test("malformed answers read as unknown, not as a crash", () => {
  assert.deepEqual(parseStatus(null, "nonsense"), { mode: undefined, links: [] });
  assert.equal(statusView(parseStatus(undefined, undefined)).text, "$(shield) Accord: unknown");
  assert.equal(statusView("stopped").text, "$(error) Accord");
});
