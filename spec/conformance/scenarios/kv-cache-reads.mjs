// What a KV-backed object's read cache learns from a read, seen through when later reads
// settle (after two microtask hops when the cache answers them, as I/O once the queued
// microtasks ran when it does not). Each object first writes the keys a, b, c and k itself, so
// the cache holds them but not the gaps between them; workerd's in-memory storage does not keep
// data across a reset, so an instance that has not seen stored keys cannot be compared.
// A read with noCache teaches nothing (what was known stays known). A list() the cache cannot
// answer teaches its whole range, whatever its limit: a bounded one [start, end), one without
// bounds every key; the cache answers a list its ranges cover, or whose limit the keys it holds
// from the list's start reach (a list of one key starting at a stored key: at once, learning
// nothing).
import { cls } from "../scenario.mjs";
import { randomFrom } from "./edges-api.mjs";
import { settleProbe } from "./microtasks.mjs";

/** The settle probe of microtasks.mjs, after the object wrote a, b, c and k. */
const warm = (name, op, setup = "") => ({
  name: `kv cache: when does ${name} settle?`,
  backend: "kv",
  source: settleProbe(op, { setup: `await s.put({ a: 1, b: 2, c: 3, k: 4 }); ${setup}`, alarmHandler: true, timer: false }),
  drive: async (env) => env.DO.getByName("m").go(),
});

const TIMER = `await new Promise((r) => setTimeout(r, 5));`;

export default [
  warm("a get of a missing key after a noCache get of it", `s.get("zz")`, `await s.get("zz", { noCache: true });`),
  warm("a noCache get of a missing key after a noCache get of it", `s.get("zz", { noCache: true })`, `await s.get("zz", { noCache: true });`),
  warm("a get of a missing key after a noCache get of several", `s.get("zy")`, `await s.get(["zy", "zz"], { noCache: true });`),
  warm("a get of a missing key after a noCache list", `s.get("zz")`, `await s.list({ noCache: true });`),
  warm("a get of a missing key after a noCache txn.get of it", `s.get("zz")`, `await s.transaction((t) => t.get("zz", { noCache: true }));`),
  warm("a get of a missing key after a noCache txn.list", `s.get("zz")`, `await s.transaction((t) => t.list({ noCache: true }));`),
  warm("a get of a missing key while a noCache get of it is in flight", `(s.get("zz", { noCache: true }), s.get("zz"))`),
  warm("a get of a missing key after a noCache get and a plain get of it in flight together", `s.get("zz")`, `await Promise.all([s.get("zz", { noCache: true }), s.get("zz")]);`),
  warm("a get after a noCache put of the same key", `s.get("n")`, `await s.put("n", 1, { noCache: true });`),
  warm("a get after a noCache put of the same key and a timer", `s.get("n")`, `await s.put("n", 1, { noCache: true }); ${TIMER}`),
  warm("a get of a missing key after a noCache delete of it", `s.get("zz")`, `await s.delete("zz", { noCache: true });`),
  warm("a get of a stored key after a noCache get of it and a timer", `s.get("a")`, `await s.get("a", { noCache: true }); ${TIMER}`),
  warm("a get of a missing key after a list and a noCache list", `s.get("zz")`, `await s.list(); await s.list({ noCache: true }); ${TIMER}`),
  warm("a bounded list after the same list with noCache", `s.list({ start: "b", end: "d" })`, `await s.list({ start: "b", end: "d", noCache: true });`),
  warm("a get of a missing key inside a prefix listed", `s.get("az")`, `await s.list({ prefix: "a" });`),
  warm("a get of a missing key outside a prefix listed", `s.get("bz")`, `await s.list({ prefix: "a" });`),
  warm("a get of a missing key between stored ones after a list with limit 1", `s.get("bz")`, `await s.list({ limit: 1 });`),
  warm("a get of a missing key past the end after a list with limit 1", `s.get("zz")`, `await s.list({ limit: 1 });`),
  warm("a get of a missing key before the first after a reverse list with limit 1", `s.get("")`, `await s.list({ reverse: true, limit: 1 });`),
  warm("a get of a missing key after a list of one key starting at a stored key", `s.get("bz")`, `await s.list({ start: "b", limit: 1 });`),
  warm("a get of a missing key after a list of two keys starting at a stored key", `s.get("kz")`, `await s.list({ start: "b", limit: 2 });`),
  warm("a get of the end key of a range listed", `s.get("d")`, `await s.list({ start: "b", end: "d" });`),
  warm("a get of a missing key before a range listed", `s.get("az")`, `await s.list({ start: "b", end: "d" });`),
  warm("a get of a missing key inside a range listed", `s.get("bz")`, `await s.list({ start: "b", end: "d" });`),
  warm("a get of the key a list's startAfter names", `s.get("az")`, `await s.list({ startAfter: "az" });`),
  warm("a list after a full list", `s.list({ prefix: "a" })`, `await s.list();`),
  warm("a list after the same list", `s.list({ prefix: "a" })`, `await s.list({ prefix: "a" });`),
  warm("a full list after a list with limit 1", `s.list()`, `await s.list({ limit: 1 });`),
  warm("a full list after a list with a prefix", `s.list()`, `await s.list({ prefix: "a" });`),
  warm("a list over two ranges listed side by side", `s.list({ start: "a", end: "d" })`, `await s.list({ start: "a", end: "b" }); await s.list({ start: "b", end: "d" });`),
  warm("a list over two ranges listed apart", `s.list({ start: "a", end: "d" })`, `await s.list({ start: "a", end: "b" }); await s.list({ start: "c", end: "d" });`),
  warm("a list with a limit the range listed holds", `s.list({ start: "a", limit: 2 })`, `await s.list({ start: "a", end: "c" });`),
  warm("a list with a limit past the range listed", `s.list({ start: "a", limit: 3 })`, `await s.list({ start: "a", end: "c" });`),
  warm("a reverse list with a limit the range listed holds", `s.list({ end: "d", reverse: true, limit: 2 })`, `await s.list({ start: "b", end: "d" });`),
  warm("a reverse list with a limit past the range listed", `s.list({ end: "d", reverse: true, limit: 3 })`, `await s.list({ start: "b", end: "d" });`),
  warm("a list of one key starting at a stored key", `s.list({ start: "b", limit: 1 })`),
  warm("a list of one key starting at a missing key", `s.list({ start: "bz", limit: 1 })`),
  warm("a reverse list of one key ending after a stored key", `s.list({ end: "bz", reverse: true, limit: 1 })`),
  warm("a get of a missing key a bounded txn.list read", `s.get("bz")`, `await s.transaction((t) => t.list({ start: "b", end: "c" }));`),
  warm("a get of a missing key a bounded list in flight reads", `s.get("bz")`, `s.list({ start: "b", end: "c" });`),
  warm("a delete of a missing key inside a range listed", `s.delete("bz")`, `await s.list({ start: "b", end: "d" });`),
  warm("a delete of a missing key outside a range listed", `s.delete("dz")`, `await s.list({ start: "b", end: "d" });`),
  warm("a get of several missing keys inside a range listed", `s.get(["bx", "by"])`, `await s.list({ start: "b", end: "d" });`),
  warm("a get of several keys, one outside a range listed", `s.get(["bx", "dz"])`, `await s.list({ start: "b", end: "d" });`),
  warm("a list of a range listed after a put into it", `s.list({ start: "b", end: "d" })`, `await s.list({ start: "b", end: "d" }); await s.put("bb", 1);`),
  warm("a list of a range listed after a delete in it", `s.list({ start: "b", end: "d" })`, `await s.list({ start: "b", end: "d" }); await s.delete("b");`),
  warm("a bounded list after deleteAll", `s.list({ start: "b", end: "d" })`, `await s.deleteAll();`),
  warm("a list after the same list allowing concurrency", `s.list({ start: "b", end: "d" })`, `await s.list({ start: "b", end: "d", allowConcurrency: true });`),
  warm("a list of two keys from a stored key whose next key is unknown", `s.list({ start: "c", limit: 2 })`, `await s.get("cz");`),
  warm("a list after a txn.list of its range, rolled back", `s.list({ start: "b", end: "d" })`, `await s.transaction(async (t) => { await t.list({ start: "b", end: "d" }); t.rollback(); });`),
  warm("a get of a missing key after deleteAll", `s.get("zz")`, `await s.deleteAll();`),
  warm("getAlarm() after deleteAlarm()", `s.getAlarm()`, `await s.deleteAlarm();`),
  {
    name: "kv cache: seeded random reads, bounded lists and noCache among them, writes and deletes, issued together: their values and settle order",
    backend: "kv",
    source: cls(`  async seed() { const e = {}; for (const k of "abcdefghijklmnopqrstuvwxyz") if (k.charCodeAt(0) % 3) e[k] = k.toUpperCase(); await this.ctx.storage.put(e); }
  async go(start) {
    const s = this.ctx.storage;
    await this.seed();
    ${randomFrom("start")}
    const KEYS = "abcdefghijklmnopqrstuvwxyz".split("").concat(["", "bb", "m\\u0000", "zz"]);
    const key = () => KEYS[rand(KEYS.length)];
    const rounds = [];
    for (let round = 0; round < 40; round++) {
      const settled = [];
      const issued = [];
      const ops = rand(5) + 1;
      for (let i = 0; i < ops; i++) {
        const o = rand(4) === 0 ? { noCache: true } : undefined;
        let p, label;
        switch (rand(7)) {
          case 0: { const k = key(); label = "get " + k; p = s.get(k, o); break; }
          case 1: { const ks = [key(), key()]; label = "getMany " + ks; p = s.get(ks, o).then((m) => [...m.keys()].join(",")); break; }
          case 2: case 3: {
            const b = [{ start: key() }, { startAfter: key(), limit: rand(3) + 1 }, { end: key(), reverse: true }, { prefix: key() }, { start: key(), end: key(), limit: rand(4) + 1 }, { limit: rand(5) + 1, reverse: rand(2) === 0 }, {}][rand(7)];
            label = "list " + JSON.stringify(b); p = s.list({ ...b, ...o }).then((m) => [...m.keys()].join(",")); break;
          }
          case 4: { const k = key(); label = "delete " + k; p = s.delete(k, o); break; }
          case 5: { const k = key(); label = "put " + k; p = s.put(k, round, o); break; }
          default: { label = "getAlarm"; p = s.getAlarm(); }
        }
        if (o) label += " noCache";
        issued.push(p.then((v) => { settled.push(i); return [label, v ?? null]; }, (e) => { settled.push(i); return [label, e.message]; }));
      }
      const values = await Promise.all(issued);
      rounds.push({ values, settled: settled.join(" ") });
    }
    return rounds;
  }`),
    drive: async (env) => {
      const out = {};
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const name = "r" + seed;
        out[seed] = await env.DO.getByName(name).go(seed);
      }
      return out;
    },
  },
];
