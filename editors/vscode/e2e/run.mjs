// End to end: the packaged extension in a real VS Code (code-server) driven by headless Chromium.
//
// Installs accord.vsix into a fresh code-server, opens a migration holding a hard-coded token,
// and checks what a user sees: the ACC003 squiggle and its row in the Problems panel, the status
// bar item, the `Accord: Fix ACC003` code action, the approval prompt (Show diff, then Apply),
// the fixed file, Reject on a second migration, the agents' runs in the "Accord activity" view,
// a mode switch, and the message when the configured server is missing. Exits 0 when every
// check passes; otherwise prints the failure and the path of a screenshot, and exits 1.
//
// Usage: node e2e/run.mjs --python PYTHON [--results DIR]
//   PYTHON: an interpreter whose environment has Accord installed (its `accord` script is used).
// Needs: .e2e/ from scripts/install-e2e.sh (Node 24 + code-server), /usr/bin/chromium.
// The workbench (code-server, Chromium, checks) is e2e/workbench.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

import {
  check,
  OPTIONS,
  notificationButton,
  quickOpen,
  runWorkbench,
  TIMEOUT,
  writeMachineSettings,
} from "./workbench.mjs";

const MIGRATION = `def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
`;

const { values: options } = parseArgs({ options: OPTIONS });

/** Pick `Accord: Fix ACC003` from the code action menu on the token's line. */
async function runFix(page) {
  const fix = page.locator(".action-widget .monaco-list-row", { hasText: "Accord: Fix ACC003" }).first();
  // The menu lists what the server answered when it opened: ask again if it was too early.
  for (let attempt = 1; ; attempt++) {
    await page.locator(".monaco-editor .view-line", { hasText: "ghp_" }).click();
    await page.keyboard.press("Control+.");
    try {
      await fix.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 5) {
        throw error;
      }
      await page.keyboard.press("Escape");
    }
  }
  await fix.click();
}

async function scenario(page, dirs, port) {
  const file = join(dirs.project, "db/migrations/0002_seed.py");
  await check("the workbench loads", async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.project)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: TIMEOUT });
  });
  await check("the migration opens", () => quickOpen(page, "0002_seed.py"));
  await check("the ACC003 diagnostic shows as a squiggle", async () => {
    await page.locator(".monaco-editor .squiggly-error").first().waitFor({ timeout: TIMEOUT });
  });
  await check("the status bar shows the collaboration mode", async () => {
    await page.locator(".statusbar-item", { hasText: "Accord: guidance" }).waitFor({ timeout: TIMEOUT });
  });
  await check("the Problems panel lists ACC003", async () => {
    await page.keyboard.press("Control+Shift+M");
    await page
      .locator(".markers-panel .monaco-list-row", { hasText: "ACC003" })
      .first()
      .waitFor({ timeout: TIMEOUT });
  });
  await check("the code action menu offers Accord: Fix ACC003, and it runs", () => runFix(page));
  await check("the approval prompt explains the risk and offers Apply / Reject / Show diff", async () => {
    const toast = page.locator(".notification-toast", { hasText: "managed development" });
    await toast.waitFor({ timeout: TIMEOUT });
    for (const label of ["Apply", "Reject", "Show diff"]) {
      await notificationButton(page, "managed development", label).waitFor({ timeout: TIMEOUT });
    }
  });
  await check("Show diff opens the proposal beside the file", async () => {
    await notificationButton(page, "managed development", "Show diff").click();
    await page.locator(".tab", { hasText: "Accord proposal" }).waitFor({ timeout: TIMEOUT });
    await page
      .locator(".monaco-diff-editor .view-line", { hasText: "os.environ" })
      .first()
      .waitFor({ timeout: TIMEOUT });
  });
  await check("Apply fixes the migration, closes the diff, and the diagnostic goes away", async () => {
    await notificationButton(page, "managed development", "Apply").click();
    await page
      .locator(".tab", { hasText: "Accord proposal" })
      .waitFor({ state: "detached", timeout: TIMEOUT });
    await page
      .locator(".markers-panel", { hasText: "No problems have been detected" })
      .waitFor({ timeout: TIMEOUT });
    await page.locator(".monaco-editor .view-line", { hasText: "os.environ" }).first().click();
    await page.keyboard.press("Control+S");
    const deadline = Date.now() + TIMEOUT;
    while (!readFileSync(file, "utf-8").includes("os.environ")) {
      if (Date.now() > deadline) {
        throw new Error(`${file} was not fixed:\n${readFileSync(file, "utf-8")}`);
      }
      await page.waitForTimeout(200);
    }
  });
  await check("Reject leaves another migration as it was", async () => {
    const other = join(dirs.project, "db/migrations/0003_seed.py");
    await quickOpen(page, "0003_seed.py");
    await runFix(page);
    await notificationButton(page, "managed development", "Reject").click();
    await page
      .locator(".notification-toast", { hasText: "managed development" })
      .waitFor({ state: "detached", timeout: TIMEOUT });
    await page
      .locator(".markers-panel .monaco-list-row", { hasText: "ACC003" })
      .first()
      .waitFor({ timeout: TIMEOUT });
    await page.waitForTimeout(1000);
    const text = await page.locator(".monaco-editor .view-lines").first().innerText();
    if (!text.includes("ghp_") || text.includes("os.environ") || readFileSync(other, "utf-8") !== MIGRATION) {
      throw new Error(`the rejected change reached ${other}:\n${text}`);
    }
  });
  await check("the Accord activity view shows the agent's run", async () => {
    await page.locator(".activitybar .action-item [aria-label^='Accord']").first().click();
    const view = page.locator(".pane", { hasText: "Accord activity" });
    await view
      .locator(".monaco-list-row", { hasText: "fix · 0002_seed.py" })
      .first()
      .waitFor({ timeout: TIMEOUT });
    await view
      .locator(".monaco-list-row", { hasText: "fix · 0003_seed.py" })
      .first()
      .waitFor({ timeout: TIMEOUT });
    await view
      .locator(".monaco-list-row", { hasText: "proposal — completed" })
      .first()
      .waitFor({ timeout: TIMEOUT });
  });
  await check("clicking the status bar item switches the mode (accord.mode.set)", async () => {
    await page.locator(".statusbar-item", { hasText: "Accord: guidance" }).click();
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "observation" }).first().click();
    await page.locator(".statusbar-item", { hasText: "Accord: observation" }).waitFor({ timeout: TIMEOUT });
  });
  await check("a server path that is not there: a clear message, and the server is down", async () => {
    const missing = join(dirs.root, "no-such-accord");
    writeMachineSettings(dirs, { "accord.server.path": missing });
    const message = `accord.server.path is ${missing}, which is not an executable file`;
    await page.locator(".notification-toast", { hasText: message }).waitFor({ timeout: TIMEOUT });
    await notificationButton(page, message, "Open settings").waitFor({ timeout: TIMEOUT });
    const stopped = page.locator(".statusbar-item:has(.codicon-error)", { hasText: "Accord" });
    await stopped.waitFor({ timeout: TIMEOUT });
  });
}

process.exitCode = await runWorkbench(
  options,
  { "db/migrations/0002_seed.py": MIGRATION, "db/migrations/0003_seed.py": MIGRATION },
  scenario,
);
