// Microtask ordering: at which microtask a storage promise settles, relative to microtasks
// queued before and after the call (both backends); and which host async APIs let a queued
// event in under the input gate while an event awaits them.
import { cls, both } from "../scenario.mjs";
import { interleave } from "./gates.mjs";

/**
 * Inside one call: a microtask queued before the operation ("before"), the operation's
 * settlement ("op"), then a chain of microtasks t1..t40 queued after it, and a zero-delay
 * timer. The log (runs of ticks shortened to "t3..t40") shows how many microtask hops the
 * operation takes to settle, or that it settles only after the microtask queue drained (real
 * I/O). `setup` runs (awaited) first, `op` is an expression over `s`.
 */
const settles = (name, op, { setup = "", alarmHandler = false } = {}) =>
  both({
    name: `microtasks: when does ${name} settle?`,
    source: settleProbe(op, { setup, alarmHandler, timer: true }),
    drive: async (env) => env.DO.getByName("m").go(),
  });

/**
 * The class whose go() logs how `op` settles (see above). With `timer`, a zero-delay timer joins
 * the log and go() waits 10 ms of real time before returning it; without, go() waits 60
 * microtasks only, for operations that settle without I/O.
 */
export const settleProbe = (op, { setup = "", alarmHandler = false, timer }) =>
  cls(
    `${alarmHandler ? "  async alarm() {}\n" : ""}  async go() {
    const s = this.ctx.storage;
    ${setup}
    const log = [];
    const chain = (n) => { if (n <= 40) Promise.resolve().then(() => { log.push("t" + n); chain(n + 1); }); };
    Promise.resolve().then(() => log.push("before"));
    const p = (${op});
    p.then(() => log.push("op"), (e) => log.push("op rejected: " + e.message));
    chain(1);
    ${timer ? `setTimeout(() => log.push("timer"), 0);` : ""}
    await p.catch(() => {});
    ${timer ? "await new Promise((r) => setTimeout(r, 10));" : "for (let i = 0; i < 60; i++) await null;"}
    return ticksShortened(log);
  }`,
    { extra: TICKS_SHORTENED },
  );

/** Collapses runs of consecutive ticks: ["t1", "t2", "t3", "op"] -> ["t1..t3", "op"]. */
export const TICKS_SHORTENED = `function ticksShortened(log) {
  const out = [];
  for (let i = 0; i < log.length; i++) {
    if (!/^t\\d+$/.test(log[i])) { out.push(log[i]); continue; }
    let j = i;
    while (j + 1 < log.length && log[j + 1] === "t" + (Number(log[j].slice(1)) + 1)) j++;
    out.push(i === j ? log[i] : log[i] + ".." + log[j]);
    i = j;
  }
  return out;
}`;

/** `interleave` from gates.mjs, named for this file; host APIs do not depend on the backend. */
const lets = (name, what, differs) =>
  interleave(name, what, ["sqlite"], "microtasks").map((s) => (differs ? { ...s, differs } : s));

/** Another Worker, reached through the service binding SVC: fetch, RPC and scheduled(). */
const SERVICE = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";`,
  entry: `class extends WorkerEntrypoint {
  async fetch() { return new Response("svc"); }
  async ping() { return "pong"; }
  async scheduled() {}
}`,
};

/** `lets` for a call from the object to another Worker through the service binding SVC. */
const letsThroughService = (name, what) =>
  lets(name, what).map((s) => ({ ...s, workers: { svc: SERVICE }, services: { SVC: "svc" }, compatibilityFlags: ["service_binding_extra_handlers"] }));

export default [
  settles("a get of a key written earlier", `s.get("k")`, { setup: `await s.put("k", 1);` }),
  settles("a get of a key never written", `s.get("missing")`),
  settles("a get of a missing key after a list", `s.get("missing")`, { setup: `await s.list();` }),
  settles("a get of a key deleted earlier", `s.get("k")`, { setup: `await s.put("k", 1); await s.delete("k");` }),
  settles("a get of a key a transaction wrote", `s.get("k")`, { setup: `await s.put("a", 1); await s.transaction(async (t) => t.put("k", 1));` }),
  settles("a get of a key a transaction deleted", `s.get("k")`, { setup: `await s.put("a", 1); await s.transaction(async (t) => t.delete("k"));` }),
  settles("a get of a key a transaction read", `s.get("k")`, { setup: `await s.put("a", 1); await s.transaction(async (t) => t.get("k"));` }),
  settles("a get of a key a rolled-back transaction wrote", `s.get("k")`, { setup: `await s.put("a", 1); await s.transaction(async (t) => { await t.put("k", 1); t.rollback(); });` }),
  settles("a get of a key written before a transaction", `s.get("a")`, { setup: `await s.put("a", 1); await s.transaction(async (t) => t.put("k", 1));` }),
  settles("a get of several keys", `s.get(["k", "missing"])`, { setup: `await s.put("k", 1);` }),
  settles("a put", `s.put("k", 1)`),
  settles("a put of several keys", `s.put({ a: 1, b: 2 })`),
  settles("a delete", `s.delete("k")`, { setup: `await s.put("k", 1);` }),
  settles("a list", `s.list()`, { setup: `await s.put("k", 1);` }),
  settles("sync() after an unawaited put", `(s.put("k", 1), s.sync())`),
  settles("sync() with nothing written", `s.sync()`),
  settles("getAlarm()", `s.getAlarm()`),
  settles("setAlarm()", `s.setAlarm(Date.now() + 60000)`, { alarmHandler: true }),
  settles("deleteAll()", `s.deleteAll()`, { setup: `await s.put("k", 1);` }),
  settles("a transaction", `s.transaction(async (t) => t.get("k"))`),
  settles("a rejected put", `s.put("k", undefined)`),
  settles("a get after a write in the same turn", `(s.put("k", 2), s.get("k"))`),
  lets("crypto.subtle.digest", `crypto.subtle.digest("SHA-256", new Uint8Array(64))`),
  lets("crypto.subtle.importKey and sign", `crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]).then((k) => crypto.subtle.sign("HMAC", k, new Uint8Array(8)))`),
  lets("Response.text()", `new Response("body").text()`),
  lets("Response.arrayBuffer()", `new Response(new Uint8Array(1024)).arrayBuffer()`),
  lets("Blob.text()", `new Blob(["blob"]).text()`),
  lets("scheduler.wait(0)", `scheduler.wait(0)`),
  lets("setImmediate", `new Promise((r) => setImmediate(r))`),
  lets(
    "Response.text() of a JavaScript stream",
    `new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x")); c.close(); } })).text()`,
    "durasim cannot tell a body backed by a JavaScript ReadableStream from a native one: inside an object every body read completes as I/O, a turn later, which lets queued events in (as workerd does for native bodies); workerd reads a JavaScript stream it can drain at once without letting any in",
  ),
  lets("Request.json()", `new Request("http://x/", { method: "POST", body: "{}" }).json()`),
  lets("a CompressionStream", `new Response(new Blob(["x"]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer()`),
  lets("queueMicrotask", `new Promise((r) => queueMicrotask(r))`),
  lets("await null", `null`),
  lets("a chain of 100 microtasks", `(async () => { for (let i = 0; i < 100; i++) await null; })()`),
  lets("structuredClone", `Promise.resolve(structuredClone({ a: [1, 2] }))`),
  lets("a stream pipeline (TextEncoderStream)", `new Response(new Blob(["x"]).stream().pipeThrough(new TextDecoderStream()).pipeThrough(new TextEncoderStream())).text()`),
  lets("reading a stream whose chunks are already queued", `new ReadableStream({ start(c) { c.enqueue("a"); c.close(); } }).getReader().read()`),
  lets("a fetch to another object", `this.env.DO.getByName("other").fetch("http://o/").catch((e) => e.message)`),
  letsThroughService("an RPC call to another Worker", `this.env.SVC.ping()`),
  letsThroughService("a fetch to another Worker", `this.env.SVC.fetch("http://svc/")`),
  letsThroughService("a scheduled event sent to another Worker", `this.env.SVC.scheduled({ cron: "* * * * *" })`),
  lets("a promise that is never settled by I/O (Promise.race with a resolved one)", `Promise.race([new Promise(() => {}), Promise.resolve()])`),
  ...interleave("Promise.all of storage operations", `Promise.all([this.ctx.storage.get("a"), this.ctx.storage.put("b", 1), this.ctx.storage.list()])`, undefined, "microtasks"),
  ...interleave("a storage get after a zero-delay timer", `new Promise((r) => setTimeout(r, 0)).then(() => this.ctx.storage.get("k"))`, undefined, "microtasks"),
  {
    name: "microtasks: which scheduling globals exist",
    backend: "sqlite",
    source: cls(`  async go() {
    return {
      setImmediate: typeof globalThis.setImmediate,
      clearImmediate: typeof globalThis.clearImmediate,
      queueMicrotask: typeof globalThis.queueMicrotask,
      schedulerWait: typeof globalThis.scheduler?.wait,
      schedulerYield: typeof globalThis.scheduler?.yield,
      structuredClone: typeof globalThis.structuredClone,
    };
  }`),
    drive: async (env) => env.DO.getByName("g").go(),
  },
];
