// Where the host APIs durasim times as I/O (body reads, crypto.subtle) settle among
// microtasks, from object code and from Worker code (the driver runs as the main Worker's fetch
// handler). One scenario, many facts: CI stays cheap.
import { cls } from "../scenario.mjs";
import { TICKS_SHORTENED } from "./microtasks.mjs";

/**
 * `where(op)`: a chain t1..t40 started before `op()` is called, and the settlement of what it
 * returns ("op"); the log once both are done, runs of ticks shortened ("t1..t40").
 * `bodyReads()`, `subtleOps()`: that log for each API.
 */
const HELPERS = `async function where(op) {
  const log = [];
  let chained;
  const done = new Promise((r) => (chained = r));
  const chain = (n) => { if (n <= 40) Promise.resolve().then(() => { log.push("t" + n); chain(n + 1); }); else chained(); };
  chain(1);
  const settled = op().then(() => log.push("op"), (e) => log.push("op rejected: " + e.message));
  await Promise.all([done, settled]);
  return ticksShortened(log);
}
async function bodyReads() {
  const post = (body, type) => new Request("http://x/", { method: "POST", body, headers: type ? { "content-type": type } : {} });
  return {
    responseText: await where(() => new Response("body").text()),
    responseJson: await where(() => new Response("{}").json()),
    responseArrayBuffer: await where(() => new Response(new Uint8Array(8)).arrayBuffer()),
    responseBlob: await where(() => new Response("body").blob()),
    requestText: await where(() => post("body").text()),
    requestJson: await where(() => post("[1]").json()),
    requestArrayBuffer: await where(() => post("body").arrayBuffer()),
    requestFormData: await where(() => post("a=1", "application/x-www-form-urlencoded").formData()),
    rejectedJson: await where(() => new Response("{").json().catch((e) => Promise.reject(new Error(e.name)))),
  };
}
async function subtleOps() {
  const hmac = { name: "HMAC", hash: "SHA-256" };
  const key = await crypto.subtle.importKey("raw", new Uint8Array(32), hmac, false, ["sign", "verify"]);
  return {
    digest: await where(() => crypto.subtle.digest("SHA-256", new Uint8Array(64))),
    importKey: await where(() => crypto.subtle.importKey("raw", new Uint8Array(32), hmac, false, ["sign"])),
    sign: await where(() => crypto.subtle.sign("HMAC", key, new Uint8Array(8))),
    verify: await where(() => crypto.subtle.verify("HMAC", key, new Uint8Array(32), new Uint8Array(8))),
  };
}
${TICKS_SHORTENED}`;

/** `apis()` (a helper above) run by object code and by Worker code. */
const fromObjectAndWorker = (name, apis, differs) => ({
  name: `host I/O: where ${name} settle among microtasks, from object and Worker code`,
  backend: "sqlite",
  source: cls(`  async fromObject() { return ${apis}(); }`, { extra: HELPERS }),
  drive: `async function drive(env) {
  return { fromObject: await env.DO.getByName("m").fromObject(), fromWorker: await ${apis}() };
}`,
  ...(differs ? { differs } : {}),
});

export default [
  // Request and Response body reads are I/O: they settle once the microtask queue has drained.
  fromObjectAndWorker("body reads", "bodyReads"),
  // crypto.subtle is computed at once: each operation settles one microtask hop after its call.
  fromObjectAndWorker("crypto.subtle operations", "subtleOps"),
];
