import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

import { lspArgs, loginArgs, resolveAccord, type Sources } from "../src/serverCommand";

/** The folders `tree` made, removed once the tests are done. */
const made: string[] = [];
after(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

/** A folder with executables (shell scripts) at the given relative paths. */
function tree(...executables: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "accord-cmd-"));
  made.push(root);
  for (const path of executables) {
    const file = join(root, path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, "#!/bin/sh\n");
    chmodSync(file, 0o755);
  }
  return root;
}

const none: Sources = { executable: "", pythonPath: "", activeInterpreter: undefined, path: "" };

test("the accord.server.path setting comes first", () => {
  const root = tree("bin/accord", "venv/bin/python", "venv/bin/accord");
  const found = resolveAccord({
    ...none,
    executable: join(root, "bin/accord"),
    pythonPath: join(root, "venv/bin/python"),
    path: join(root, "venv/bin"),
  });
  assert.deepEqual(found, {
    ok: true,
    accord: { command: join(root, "bin/accord"), prefix: [], source: "setting accord.server.path" },
  });
});

test("a configured path that is not executable is reported, not skipped", () => {
  const root = tree("bin/accord");
  writeFileSync(join(root, "plain"), "");
  const found = resolveAccord({ ...none, executable: join(root, "plain"), path: join(root, "bin") });
  assert.equal(found.ok, false);
  assert.match(
    !found.ok ? found.message : "",
    /accord\.server\.path is .*plain, which is not an executable file/,
  );
});

test("a configured interpreter runs the accord script beside it", () => {
  const root = tree("venv/bin/python", "venv/bin/accord");
  const found = resolveAccord({ ...none, pythonPath: join(root, "venv/bin/python") });
  assert.equal(found.ok && found.accord.command, join(root, "venv/bin/accord"));
  assert.deepEqual(found.ok && found.accord.prefix, []);
});

test("a configured interpreter without the script runs python -m accord", () => {
  const root = tree("py/bin/python3");
  const found = resolveAccord({ ...none, pythonPath: join(root, "py/bin/python3") });
  assert.ok(found.ok);
  assert.equal(found.accord.command, join(root, "py/bin/python3"));
  assert.deepEqual(lspArgs(found.accord, ""), ["-m", "accord", "lsp"]);
});

test("the active Python environment comes before PATH", () => {
  const root = tree("env/bin/python", "env/bin/accord", "usr/bin/accord");
  const found = resolveAccord({
    ...none,
    activeInterpreter: join(root, "env/bin/python"),
    path: join(root, "usr/bin"),
  });
  assert.equal(found.ok && found.accord.source, "the active Python environment");
  assert.equal(found.ok && found.accord.command, join(root, "env/bin/accord"));
});

test("an active environment without Accord falls back to PATH", () => {
  const root = tree("env/bin/python", "usr/bin/accord");
  const found = resolveAccord({
    ...none,
    activeInterpreter: join(root, "env/bin/python"),
    path: ["/nonexistent", join(root, "usr/bin")].join(":"),
  });
  assert.equal(found.ok && found.accord.command, join(root, "usr/bin/accord"));
  assert.equal(found.ok && found.accord.source, "PATH");
});

test("nothing found: the message names what was tried and the settings that fix it", () => {
  const root = tree("env/bin/python");
  const found = resolveAccord({ ...none, activeInterpreter: join(root, "env/bin/python"), path: root });
  assert.equal(found.ok, false);
  const message = found.ok ? "" : found.message;
  assert.match(message, /not found/);
  assert.ok(message.includes(join(root, "env/bin/python")));
  assert.match(message, /accord\.server\.path/);
  assert.match(message, /accord\.server\.pythonPath/);
});

test("lsp and login arguments", () => {
  const accord = { command: "/x/accord", prefix: [], source: "PATH" };
  assert.deepEqual(lspArgs(accord, "/tmp/accord.log"), ["lsp", "--log-file", "/tmp/accord.log"]);
  assert.deepEqual(loginArgs({ ...accord, prefix: ["-m", "accord"] }, "ws://h:1", "t0k"), [
    "-m",
    "accord",
    "login",
    "ws://h:1",
    "--token",
    "t0k",
  ]);
});
