import assert from "node:assert/strict";
import { test } from "node:test";

import { applyTextEdits } from "../src/edits";

const at = (line: number, character: number) => ({ line, character });

const cases: [string, string, Parameters<typeof applyTextEdits>[1], string][] = [
  [
    "replace within a line",
    "a = 1\nb = 2\n",
    [{ range: { start: at(1, 4), end: at(1, 5) }, newText: "3" }],
    "a = 1\nb = 3\n",
  ],
  [
    "insert before the first line",
    "x\n",
    [{ range: { start: at(0, 0), end: at(0, 0) }, newText: "import os\n" }],
    "import os\nx\n",
  ],
  [
    "several edits, given in any order",
    "one\ntwo\nthree\n",
    [
      { range: { start: at(0, 0), end: at(0, 3) }, newText: "1" },
      { range: { start: at(2, 0), end: at(2, 5) }, newText: "3" },
    ],
    "1\ntwo\n3\n",
  ],
  ["a multi-line range", "a\nb\nc\n", [{ range: { start: at(0, 1), end: at(2, 0) }, newText: " " }], "a c\n"],
  [
    "positions past the line or the text are clamped",
    "ab\n",
    [{ range: { start: at(0, 9), end: at(5, 0) }, newText: "!" }],
    "ab!",
  ],
  [
    "a new file",
    "",
    [{ range: { start: at(0, 0), end: at(0, 0) }, newText: "def test():\n    pass\n" }],
    "def test():\n    pass\n",
  ],
  [
    "UTF-16 columns",
    's = "é😀x"\n',
    [{ range: { start: at(0, 8), end: at(0, 9) }, newText: "y" }],
    's = "é😀y"\n',
  ],
];

for (const [name, text, edits, expected] of cases) {
  test(name, () => assert.equal(applyTextEdits(text, edits), expected));
}
