import assert from "node:assert/strict";
import { test } from "node:test";

import { ASK, askMiddleware, editorScope, needsInstruction, withInstruction } from "../src/ask";

const scope = { scope: { uri: "file:///p/report.py" } };

test("an Ask from the code action needs the user's instruction; other commands do not", () => {
  assert.equal(needsInstruction(ASK, [scope]), true);
  assert.equal(needsInstruction(ASK, [{ ...scope, instruction: "  " }]), true);
  assert.equal(needsInstruction(ASK, [{ ...scope, instruction: "rename a to b" }]), false);
  assert.equal(needsInstruction("accord.agents.run", [scope]), false);
});

test("the instruction joins the scope the code action carried", () => {
  assert.deepEqual(withInstruction([scope], " add type hints "), [
    { ...scope, instruction: "add type hints" },
  ]);
});

test("the middleware asks, then sends; a cancelled prompt sends nothing", async () => {
  const sent: unknown[][] = [];
  const next = (_: string, args: unknown[]) => sent.push(args);
  await askMiddleware(async () => "add missing docstrings").executeCommand(ASK, [scope], next);
  assert.deepEqual(sent, [[{ ...scope, instruction: "add missing docstrings" }]]);
  await askMiddleware(async () => undefined).executeCommand(ASK, [scope], next);
  await askMiddleware(async () => "never asked").executeCommand("accord.agents.status", [], next);
  assert.deepEqual(sent.slice(1), [[]]);
});

test("the editor's scope: its selection, or the whole file", () => {
  const at = { line: 3, character: 0 };
  assert.deepEqual(editorScope("file:///a.py", { start: at, end: at }), { scope: { uri: "file:///a.py" } });
  const range = { start: at, end: { line: 5, character: 2 } };
  assert.deepEqual(editorScope("file:///a.py", range), { scope: { uri: "file:///a.py", range } });
});
