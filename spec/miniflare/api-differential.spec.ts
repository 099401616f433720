/**
 * The Miniflare API, differentially: api-probes.mjs runs the same small programs against
 * Miniflare 4 and against durasim's front door (the build, as users import it), each in a Node 24
 * child process (Miniflare needs Node >= 22), and every record must agree. What only Miniflare's
 * HTTP loopback and workerd make is left out of the records and declared in the README.
 *
 * Both sides run on Node 24 whatever Node runs this file, so the record cannot depend on it: CI's
 * second Node (the smoke, spec/smoke.ts) leaves it to Node 24 rather than start the same two
 * processes again (~25 s of CPU).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { itBeyondSmoke } from "../smoke.js";

const ROOT = join(import.meta.dirname, "../..");
const NODE_24 = join(ROOT, "node_modules/.bin/node");
const PROBES = join(import.meta.dirname, "api-probes.mjs");

function probe(side: "miniflare" | "durasim"): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_24, ["--no-warnings", PROBES, side], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as Record<string, unknown>);
      else reject(new Error(`${side} probes exited with ${code}:\n${err}`));
    });
  });
}

itBeyondSmoke("every probe of the Miniflare API answers the same on Miniflare 4 and on durasim/miniflare", { timeout: 180_000 }, async () => {
  const [miniflare, durasim] = await Promise.all([probe("miniflare"), probe("durasim")]);
  expect(Object.keys(miniflare)).toEqual(["dispatchFetch", "getWorker", "rpc", "workers", "nodeSide", "resultStubs", "unnamedService", "changedClasses", "setOptions", "backendSwitch", "inspection", "cfOption", "blobBindings", "wasmBindings", "noCompatibilityDate", "migratingProject", "streamBodies", "rpcPipelining", "parseErrors", "failingBody", "badOptions", "bindingForms", "moduleForms", "persistence", "afterDispose"]);
  for (const name of Object.keys(miniflare)) expect({ [name]: durasim[name] }).toEqual({ [name]: miniflare[name] });
});
