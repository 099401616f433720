// A reset while outcomes wait at the output gate. Calls sent in one turn reach the object
// together; when the first returns after writing, the SQLite backend commits its writes at
// once but confirms the commit only at the end of the turn, and the calls queued behind it
// start first: one that resets the object (ctx.abort at once, after microtasks or after a
// synchronous read) replaces every outcome still waiting with the reset error, though the
// writes stay committed. After a timer, the outcomes have left. On the KV backend an outcome
// leaves when the call returns. (Found by apps-session-store.mjs.) Only RPC calls here: a
// fetch() event's response has rules of its own.
import { both, cls } from "../scenario.mjs";

const SOURCE = cls(`
  async pure() { return "pure"; }
  async awaitPut() { await this.ctx.storage.put("k", 1); return "awaitPut"; }
  async awaitPut2() { await this.ctx.storage.put("k2", 1); return "awaitPut2"; }
  async putNoAwait() { this.ctx.storage.put("k3", 1); return "putNoAwait"; }
  async putUnconfirmed() { this.ctx.storage.put("k4", 1, { allowUnconfirmed: true }); return "putUnconfirmed"; }
  async sqlWrite() { if (this.ctx.storage.sql) this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)"); return "sqlWrite"; }
  async read() { return [...(await this.ctx.storage.list()).keys()]; }
  async crash() { this.ctx.abort("boom"); }
  async crashAfterPut() { this.ctx.storage.put("z", 1); this.ctx.abort("boom"); }
  async crashMicro() { await Promise.resolve(); await Promise.resolve(); this.ctx.abort("boom"); }
  async crashGet() { await this.ctx.storage.get("x"); this.ctx.abort("boom"); }
  async crashTimer() { await new Promise((r) => setTimeout(r, 0)); this.ctx.abort("boom"); }`);

/** Each list of calls goes to an object of its own in one turn; records what each call got and,
 * on SQLite (whose committed data outlives the reset in workerd too), the keys left. */
const drive = (lists, keys) => `async (env) => {
  const out = {};
  for (const [i, list] of ${JSON.stringify(lists)}.entries()) {
    const name = "o" + i;
    const stub = env.DO.getByName(name);
    await stub.pure();
    const got = await Promise.all(list.map((m) => outcome(() => stub[m]())));
    out[list.join(" ")] = got.map((o) => ("ok" in o ? o.ok : o.error.message + (o.error.durableObjectReset ? " (reset)" : "")));
    if (${keys}) out[list.join(" ") + ": keys"] = await env.DO.getByName(name).read();
  }
  return out;
}`;

const withCrashes = (firsts) => firsts.flatMap((first) => ["crash", "crashAfterPut", "crashMicro", "crashGet", "crashTimer"].map((c) => [...first, c]));

/** On both backends; the keys left are recorded on SQLite only (see drive). */
const scenario = (name, lists) => both({ name: `resets: ${name}`, source: SOURCE, drive: drive(lists, false) }, { sqlite: { drive: drive(lists, true) } });

export default [
  scenario("outcomes waiting for a commit's confirmation when a queued call aborts", withCrashes([["pure"], ["awaitPut"], ["putNoAwait"], ["putUnconfirmed"], ["sqlWrite"]])),
  scenario("outcomes ready while a confirmation is pending wait for it too", [
    ["awaitPut", "read", "crash"],
    ["read", "awaitPut", "crash"],
    ["awaitPut", "awaitPut2", "crashMicro"],
    ["awaitPut", "read", "crashTimer"],
    ["pure", "awaitPut", "pure", "crashGet"],
  ]),
  // The result an object returned was copied for its caller, an object here, whose context the
  // stubs in the copy belong to: when the reset error leaves instead, they are disposed, and the
  // RpcTarget lent through them hears of it (it was kept alive until the caller ended).
  ...both({
    name: "resets: a result replaced by the reset error disposes the stubs its copy lent",
    source: `const log = [];
class Target extends RpcTarget { ping() { return "pong"; } [Symbol.dispose]() { log.push("target disposed"); } }
${cls(`
  lendAfterPut(target) { this.ctx.storage.put("k", 1); return { target }; }
  crash() { this.ctx.abort("boom"); }
  async relay() {
    const other = this.env.DO.getByName("lender");
    const got = await Promise.allSettled([other.lendAfterPut(new Target()), other.crash()]);
    return got.map((o) => (o.status === "fulfilled" ? "fulfilled" : o.reason.message));
  }`)}`,
    drive: `async (env) => {
  const got = await env.DO.getByName("relay").relay();
  for (let i = 0; i < 5 && log.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return { got, log };
}`,
  }),
];
