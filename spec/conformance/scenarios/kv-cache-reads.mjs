// What a KV-backed object's read cache learns from a read, seen through when later reads
// settle (after two microtask hops when the cache answers them, as I/O once the queued
// microtasks ran when it does not). Each object starts cold: a first instance writes the keys
// a, b, c and k, is reset, and a fresh instance runs the setup and then the read it times.
// A read with noCache teaches nothing (what was known stays known); a list() teaches its whole
// range, whatever its limit: a bounded one [start, end), one without bounds every key.
import { settleProbe } from "./microtasks.mjs";

/** The settle probe of microtasks.mjs on an instance that has not seen the store. */
const cold = (name, op, setup = "") => ({
  name: `kv cache: when does ${name} settle?`,
  backend: "kv",
  source: settleProbe(op, { setup, alarmHandler: true, timer: false }).replace(
    "  async go() {",
    `  async seed() { await this.ctx.storage.put({ a: 1, b: 2, c: 3, k: 4 }); }
  async die() { this.ctx.abort("cold"); }
  async go() {`,
  ),
  drive: async (env) => {
    await env.DO.getByName("m").seed();
    await outcome(() => env.DO.getByName("m").die());
    return env.DO.getByName("m").go();
  },
});

const TIMER = `await new Promise((r) => setTimeout(r, 5));`;

export default [
  cold("a get of a stored key", `s.get("a")`),
  cold("a get after a noCache get of the same key", `s.get("a")`, `await s.get("a", { noCache: true });`),
  cold("a noCache get after a noCache get of a missing key", `s.get("zz", { noCache: true })`, `await s.get("zz", { noCache: true });`),
  cold("a get after a noCache get of several keys", `s.get("a")`, `await s.get(["a", "b"], { noCache: true });`),
  cold("a get after a noCache list", `s.get("a")`, `await s.list({ noCache: true });`),
  cold("a get after a noCache txn.get", `s.get("a")`, `await s.transaction((t) => t.get("a", { noCache: true }));`),
  cold("a get after a noCache txn.list", `s.get("a")`, `await s.transaction((t) => t.list({ noCache: true }));`),
  cold("a get while a noCache get of the same key is in flight", `(s.get("a", { noCache: true }), s.get("a"))`),
  cold("a get after a noCache get and a plain get in flight together", `s.get("a")`, `await Promise.all([s.get("a", { noCache: true }), s.get("a")]);`),
  cold("a get after a noCache put of the same key", `s.get("n")`, `await s.put("n", 1, { noCache: true });`),
  cold("a get after a noCache put of the same key and a timer", `s.get("n")`, `await s.put("n", 1, { noCache: true }); ${TIMER}`),
  cold("a get after a noCache delete", `s.get("a")`, `await s.delete("a", { noCache: true });`),
  cold("a get after a put, a timer, a noCache get and a timer", `s.get("x")`, `await s.put("x", 1); ${TIMER} await s.get("x", { noCache: true }); ${TIMER}`),
  cold("a get after a get, a noCache get and a timer", `s.get("a")`, `await s.get("a"); await s.get("a", { noCache: true }); ${TIMER}`),
  cold("a get after a list and a noCache list", `s.get("a")`, `await s.list(); await s.list({ noCache: true }); ${TIMER}`),
  cold("a get of several keys after a get of each", `s.get(["a", "b"])`, `await s.get("a"); await s.get("b");`),
  cold("a delete of a stored key", `s.delete("a")`),
  cold("a get after deleteAll", `s.get("a")`, `await s.deleteAll();`),
  cold("getAlarm() after deleteAlarm()", `s.getAlarm()`, `await s.deleteAlarm();`),
  cold("a get after a list with a prefix covering it", `s.get("a")`, `await s.list({ prefix: "a" });`),
  cold("a get of a key outside a prefix listed", `s.get("b")`, `await s.list({ prefix: "a" });`),
  cold("a get after a list with limit 1, of the key listed", `s.get("a")`, `await s.list({ limit: 1 });`),
  cold("a get after a list with limit 1, of the key after it", `s.get("b")`, `await s.list({ limit: 1 });`),
  cold("a get of the last key after a list with limit 1", `s.get("k")`, `await s.list({ limit: 1 });`),
  cold("a get of a missing key past the end after a list with limit 1", `s.get("zz")`, `await s.list({ limit: 1 });`),
  cold("a get of the first key after a reverse list with limit 1", `s.get("a")`, `await s.list({ reverse: true, limit: 1 });`),
  cold("a get of the end key of a range listed", `s.get("c")`, `await s.list({ start: "b", end: "c" });`),
  cold("a get of a key before a range listed", `s.get("a")`, `await s.list({ start: "b", end: "c" });`),
  cold("a get of a missing key inside a range listed", `s.get("bz")`, `await s.list({ start: "b", end: "c" });`),
  cold("a get of the key startAfter names", `s.get("a")`, `await s.list({ startAfter: "a" });`),
  cold("a list after a full list", `s.list({ prefix: "a" })`, `await s.list();`),
  cold("a list after the same list", `s.list({ prefix: "a" })`, `await s.list({ prefix: "a" });`),
  cold("a full list after a list with limit 1", `s.list()`, `await s.list({ limit: 1 });`),
  cold("a full list after a list with a prefix", `s.list()`, `await s.list({ prefix: "a" });`),
  cold("a list over two ranges listed side by side", `s.list({ start: "a", end: "d" })`, `await s.list({ start: "a", end: "b" }); await s.list({ start: "b", end: "d" });`),
  cold("a list over two ranges listed apart", `s.list({ start: "a", end: "d" })`, `await s.list({ start: "a", end: "b" }); await s.list({ start: "c", end: "d" });`),
  cold("a list with a limit the range listed holds", `s.list({ start: "a", limit: 2 })`, `await s.list({ start: "a", end: "c" });`),
  cold("a list with a limit past the range listed", `s.list({ start: "a", limit: 3 })`, `await s.list({ start: "a", end: "c" });`),
  cold("a reverse list with a limit the range listed holds", `s.list({ end: "d", reverse: true, limit: 2 })`, `await s.list({ start: "b", end: "d" });`),
  cold("a reverse list with a limit past the range listed", `s.list({ end: "d", reverse: true, limit: 3 })`, `await s.list({ start: "b", end: "d" });`),
  cold("a get of a key a bounded txn.list read", `s.get("b")`, `await s.transaction((t) => t.list({ start: "b", end: "c" }));`),
  cold("a get after a bounded list that was in flight", `s.get("b")`, `s.list({ start: "b", end: "c" });`),
];
