import assert from "node:assert/strict";
import { test } from "node:test";

import { confirmed, needsConfirmation, promptText, proposedFiles } from "../src/proposal";

const range = { start: { line: 1, character: 12 }, end: { line: 1, character: 54 } };

/** What accord lsp sends for a proposal that needs approval (server/edits.py). */
const gated = {
  documentChanges: [
    {
      textDocument: { uri: "file:///p/db/migrations/0002_seed.py", version: 1 },
      edits: [{ range, newText: 'os.environ["TOKEN"]', annotationId: "accord" }],
    },
    {
      kind: "create",
      uri: "file:///p/tests/test_seed.py",
      options: { overwrite: false, ignoreIfExists: true },
      annotationId: "accord",
    },
    {
      textDocument: { uri: "file:///p/tests/test_seed.py", version: null },
      edits: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: "x\n",
          annotationId: "accord",
        },
      ],
    },
  ],
  changeAnnotations: {
    accord: { label: "Fix ACC003", needsConfirmation: true, description: "read it from the environment" },
  },
};

test("a gated proposal needs confirmation; a plain edit does not", () => {
  assert.equal(needsConfirmation(gated), true);
  assert.equal(needsConfirmation({ changes: { "file:///a.py": [] } }), false);
  assert.equal(
    needsConfirmation({ ...gated, changeAnnotations: { accord: { label: "x", needsConfirmation: false } } }),
    false,
  );
});

test("confirmed lifts the confirmation and keeps everything else", () => {
  const after = confirmed(gated);
  assert.equal(needsConfirmation(after), false);
  assert.deepEqual(after.documentChanges, gated.documentChanges);
  assert.equal(after.changeAnnotations.accord?.description, "read it from the environment");
  assert.equal(needsConfirmation(gated), true, "the original is not modified");
});

test("the files a proposal touches, with created files marked", () => {
  const files = proposedFiles(gated);
  assert.deepEqual(
    files.map((f) => [f.uri, f.created, f.edits.length]),
    [
      ["file:///p/db/migrations/0002_seed.py", false, 1],
      ["file:///p/tests/test_seed.py", true, 1],
    ],
  );
  assert.deepEqual(
    proposedFiles({ changes: { "file:///a.py": [{ range, newText: "" }] } }).map((f) => f.uri),
    ["file:///a.py"],
  );
});

test("the prompt says what the server's label says, else the annotation", () => {
  assert.equal(promptText("Accord: Fix ACC003. Risk 8/10", gated), "Accord: Fix ACC003. Risk 8/10");
  assert.equal(promptText(undefined, gated), "Accord: Fix ACC003");
});
