// Records what calls of an exported JavaScript function return or throw, for Accord.
//
// Run by Node in a sandboxed subprocess: `node js_harness.mjs request.json`. The request names
// the module file, the export, the calls (argument lists as source text) and a results file;
// one JSON object per call is appended to it as it goes. Each call runs under a vm timeout (a
// call that hangs is stopped and reported), and creating processes is disabled (reported).
import fs from "node:fs";
import vm from "node:vm";
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

class Stopped extends Error {}

const request = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = fs.openSync(request.results, "a");
const emit = (item) => fs.writeSync(out, JSON.stringify(item) + "\n");

for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
  childProcess[name] = () => {
    throw new Stopped("forks");
  };
}
syncBuiltinESMExports();

function encode(value) {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Object.is(value, -0)) return "-0";
  if (typeof value === "bigint") return `${value}n`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined && text.length <= 400 && isDeepStrictEqual(JSON.parse(text), value)) {
      return text;
    }
  } catch {
    return null;
  }
  return null;
}

const module = await import(pathToFileURL(request.module).href);
const fn = module[request.export] ?? module.default?.[request.export];
for (const call of request.calls) {
  let args;
  try {
    args = new Function(`return [${call.args}];`)();
  } catch (error) {
    emit({ id: call.id, outcome: "dropped", why: `setup: ${error}` });
    continue;
  }
  try {
    const context = vm.createContext({ fn, args });
    const value = vm.runInContext("fn(...args)", context, { timeout: request.timeout });
    if (value instanceof Promise) {
      emit({ id: call.id, outcome: "dropped", why: "returns a promise" });
      continue;
    }
    emit({ id: call.id, outcome: "returns", value: encode(value) });
  } catch (error) {
    if (error instanceof Stopped) {
      emit({ id: call.id, outcome: "dropped", why: error.message });
    } else if (error?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      emit({ id: call.id, outcome: "dropped", why: "hangs" });
    } else {
      emit({ id: call.id, outcome: "raises", name: error?.name ?? "Error", message: String(error?.message ?? "") });
    }
  }
}
fs.closeSync(out);
