import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { compareVersions, serverVersionWarning, versionParts } from "../src/serverVersion";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf-8")) as {
  version: string;
  accord: { minimumServerVersion: string };
};
const minimum = manifest.accord.minimumServerVersion;

test("versions compare by their numeric parts", () => {
  assert.deepEqual(versionParts("0.10.2"), [0, 10, 2]);
  assert.deepEqual(versionParts("v1.2.0rc1"), [1, 2, 0]);
  assert.equal(versionParts("dev"), undefined);
  assert.ok(compareVersions([0, 9], [0, 10]) < 0);
  assert.ok(compareVersions([1, 0, 1], [1]) > 0);
  assert.equal(compareVersions([1, 0, 0], [1]), 0);
});

test("a server at the declared minimum or newer gets no warning", () => {
  assert.ok(versionParts(minimum) !== undefined, `accord.minimumServerVersion is ${minimum}`);
  assert.equal(serverVersionWarning({ name: "accord", version: minimum }, minimum, "accord"), undefined);
  assert.equal(
    serverVersionWarning({ name: "accord", version: manifest.version }, minimum, "accord"),
    undefined,
  );
  assert.equal(serverVersionWarning({ name: "accord", version: "99.0.0" }, minimum, "accord"), undefined);
});

test("an older server is named with its version, the minimum and how to upgrade", () => {
  const message = serverVersionWarning(
    { name: "accord", version: "0.0.9" },
    "0.1.0",
    "/opt/accord/bin/accord",
  );
  assert.ok(message !== undefined);
  assert.match(message, /\/opt\/accord\/bin\/accord\) is version 0\.0\.9, older than the 0\.1\.0/);
  assert.match(message, /Install Accord 0\.1\.0 or newer/);
});

test("a server that says no version, or nonsense, is warned about too", () => {
  for (const info of [undefined, null, {}, { name: "accord" }, { version: 7 }, { version: "dev" }]) {
    assert.match(serverVersionWarning(info, "0.1.0", "accord") ?? "", /did not say its version/);
  }
});
