import assert from "node:assert/strict";
import { test } from "node:test";

import { explicitValue, serverSettings } from "../src/settings";

test("only explicitly set keys are sent, nested by their dots", () => {
  const sent = serverSettings([
    { key: "complexity.threshold", globalValue: 5 },
    { key: "size.max-function-lines" },
    { key: "size.max-file-lines", workspaceValue: 300 },
    { key: "ignore", globalValue: ["ACC005"] },
    { key: "org.url", workspaceFolderValue: "ws://127.0.0.1:8765" },
  ]);
  assert.deepEqual(sent, {
    complexity: { threshold: 5 },
    size: { "max-file-lines": 300 },
    ignore: ["ACC005"],
    org: { url: "ws://127.0.0.1:8765" },
  });
});

test("client-only settings never reach the server", () => {
  const sent = serverSettings([
    { key: "server.path", globalValue: "/usr/bin/accord" },
    { key: "server.pythonPath", globalValue: "/usr/bin/python3" },
    { key: "trace.server", globalValue: "verbose" },
    { key: "diagnosticMode", globalValue: "push" },
    { key: "select", globalValue: ["ACC003"] },
  ]);
  assert.deepEqual(sent, { select: ["ACC003"] });
});

test("the most specific level wins: folder, then workspace, then user", () => {
  assert.equal(explicitValue({ key: "k", globalValue: 1, workspaceValue: 2, workspaceFolderValue: 3 }), 3);
  assert.equal(explicitValue({ key: "k", globalValue: 1, workspaceValue: 2 }), 2);
  assert.equal(explicitValue({ key: "k", globalValue: 1 }), 1);
  assert.equal(explicitValue({ key: "k" }), undefined);
});

test("null (the server's own default) is not sent; objects are sent whole", () => {
  assert.deepEqual(serverSettings([{ key: "select", workspaceValue: null }]), {});
  assert.deepEqual(serverSettings([{ key: "severity", globalValue: { ACC004: "error" } }]), {
    severity: { ACC004: "error" },
  });
});
