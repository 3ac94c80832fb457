// End to end, the team: the packaged extension in a real VS Code (code-server, headless
// Chromium) linked to a real org server, while a teammate's language server works in the same
// project room (the test runs it). Checks what the user sees: the Team view lists who is online,
// the teammate's agent at work and their suggestion (announced by a notification); Accept marks
// it accepted; then "Run agents on these files..." on a folder in the explorer documents its
// files as one proposal. Exits 0 when every check passes (see run.mjs for the failure output).
//
// Usage: node e2e/team.mjs --python PYTHON --org-url URL --config-home DIR [--results DIR]
//   DIR: the ACCORD_CONFIG_HOME where `accord login` saved the user's credentials.
import { parseArgs } from "node:util";

import { check, OPTIONS, runWorkbench, TIMEOUT } from "./workbench.mjs";

const { values: options } = parseArgs({
  options: { ...OPTIONS, "org-url": { type: "string" }, "config-home": { type: "string" } },
});

const FILES = {
  "accord.toml": `[org]\nurl = "${options["org-url"]}"\nproject = "shop"\n`,
  "shop/__init__.py": "",
  "shop/pricing.py":
    "def apply_discount(price: float, percent: int) -> float:\n    return price * (100 - percent) / 100\n",
  "shop/stock/levels.py": "def reorder(level: int, minimum: int) -> bool:\n    return level < minimum\n",
};

/** The row of a tree view whose text contains `text`. */
function row(page, text) {
  return page.locator(".monaco-list-row", { hasText: text }).first();
}

async function scenario(page, dirs, port) {
  await check("the workbench loads", async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.project)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: TIMEOUT });
  });
  await check("the Team view lists the teammate online", async () => {
    await page.locator(".activitybar .action-item [aria-label^='Accord']").first().click();
    await row(page, "Online in shop").waitFor({ timeout: TIMEOUT });
    await row(page, "bob@acme.test").waitFor({ timeout: TIMEOUT });
  });
  await check("the teammate's agent at work shows in the Team view", async () => {
    await row(page, "bob@acme.test: document pricing.py").waitFor({ timeout: 2 * TIMEOUT });
  });
  await check("the teammate's suggestion is announced and listed", async () => {
    await page
      .locator(".notification-toast", { hasText: "bob@acme.test suggests: Round prices to cents" })
      .waitFor({ timeout: TIMEOUT });
    await row(page, "bob@acme.test: Round prices to cents").waitFor({ timeout: TIMEOUT });
  });
  await check("Accept on the suggestion marks it accepted", async () => {
    const suggestion = row(page, "bob@acme.test: Round prices to cents");
    await suggestion.hover();
    await suggestion.locator(".action-label[aria-label*='Accept suggestion']").click();
    await page
      .locator(".monaco-list-row", { hasText: "Round prices to cents" })
      .filter({ hasText: "accepted" })
      .first()
      .waitFor({ timeout: TIMEOUT });
  });
  await check("Run agents on a folder from the explorer documents its files as one proposal", async () => {
    await page.keyboard.press("Control+Shift+E");
    const folder = page.locator(".explorer-folders-view .monaco-list-row", { hasText: /^shop$/ }).first();
    await folder.waitFor({ timeout: TIMEOUT });
    await folder.click({ button: "right" });
    // VS Code's menus act on the item under the pointer when Enter is pressed.
    await page
      .locator(".context-view .action-label", { hasText: "Run agents on these files..." })
      .first()
      .hover();
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Document" }).first().click();
    await page
      .locator(".notification-toast", { hasText: "Accord: document — 2 files, applied." })
      .waitFor({ timeout: 2 * TIMEOUT });
  });
}

process.exitCode = await runWorkbench(options, FILES, scenario, {
  ACCORD_CONFIG_HOME: options["config-home"] ?? "",
});
