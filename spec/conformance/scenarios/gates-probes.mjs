// Reference §5 (input and output gates), probed where gates.mjs and microtasks.mjs stop: which
// storage options and operations let a queued call in while a call awaits them, what a call
// queued behind a failing blockConcurrencyWhile() receives, calls between two objects (and an
// object calling itself) while a call awaits the other, and promises one call resolves for
// another, and what the output gate lets out around a commit that fails; on the KV backend,
// what a read with allowConcurrency races (a queued call's writes, reads, sections), and on
// SQLite what settles before sync(). Every order is recorded as a log; nothing waits on real
// time being long enough.
import { both, cls } from "../scenario.mjs";
import { interleave } from "./gates.mjs";

const probe = (name, what, backends) => interleave(name, what, backends, "gates probes");

/** A call queued (sent in the same turn) behind `first`, then a fresh call: what each gets.
 * `backends` limits it (local workerd's KV backend keeps storage in the instance, which a reset
 * drops: what survives one is only comparable on SQLite). */
const queuedBehind = (name, body, backends) =>
  both({
    name: `gates probes: a call queued behind ${name}`,
    source: cls(`  log = [];
  async first() { ${body} }
  async second() { this.log.push("second"); return this.log.slice(); }
  async fresh() { this.log.push("fresh"); return { log: this.log.slice(), k: (await this.ctx.storage.get("k")) ?? null }; }`),
    drive: async (env) => {
      const first = outcome(() => env.DO.getByName("q").first());
      const second = outcome(() => env.DO.getByName("q").second());
      const results = { first: await first, second: await second };
      return { ...results, fresh: await outcome(() => env.DO.getByName("q").fresh()) };
    },
  }).filter((s) => !backends || backends.includes(s.backend));

/**
 * a() awaits `read` (a read that allows concurrency, of what the cache does not hold on KV);
 * b(), queued in the same turn, gets in meanwhile and awaits `write`. The log shows whether b's
 * write settles before a's read, what the read returns (the state at its call) and what stays.
 */
const race = (name, setup, read, write) =>
  both({
    name: `gates probes: a concurrent ${name}`,
    source: cls(`  log = [];
  async setup() { ${setup} }
  async a() { this.log.push("a1"); const r = await (${read}); this.log.push("a2"); return { r: show(r), log: this.log.slice() }; }
  async b() { this.log.push("b"); await (${write}); this.log.push("b done"); return this.log.slice(); }
  async after() { return { get: show(await this.ctx.storage.get(["k", "j", "z"])), list: show(await this.ctx.storage.list()) }; }`),
    drive: async (env) => {
      await env.DO.getByName("r").setup();
      const a = env.DO.getByName("r").a();
      const b = env.DO.getByName("r").b();
      return { a: await a, b: await b, after: await env.DO.getByName("r").after() };
    },
  });

const AC = "{ allowConcurrency: true }";

/**
 * a() runs `first` (a function body); b(), queued in the same turn, runs `second`. The log shows
 * when b gets in and what settles first; `extra` adds members (an alarm() handler).
 */
const pair = (name, first, second, extra = "") =>
  both({
    name: `gates probes: ${name}`,
    source: cls(`  log = [];
  ${extra}
  async a() { this.log.push("a1"); const r = await (async () => { ${first} })(); this.log.push("a2"); return { r: show(r), log: this.log.slice() }; }
  async b() { this.log.push("b"); const r = await (async () => { ${second} })(); this.log.push("b done"); return { r: show(r), log: this.log.slice() }; }
  async after() { return show(await this.ctx.storage.list()); }`),
    drive: async (env) => {
      const a = outcome(() => env.DO.getByName("r").a());
      const b = outcome(() => env.DO.getByName("r").b());
      return { a: await a, b: await b, after: await outcome(() => env.DO.getByName("r").after()) };
    },
  });

const S = "this.ctx.storage";

/** a(), b() and c() (function bodies), sent in one turn: the log shows who runs while whose read is in flight. */
const three = (name, first, second, third) =>
  both({
    name: `gates probes: three calls, ${name}`,
    source: cls(`  log = [];
  async setup() { await ${S}.put("j", 1); }
  async a() { this.log.push("a1"); const r = await (async () => { ${first} })(); this.log.push("a2"); return show(r); }
  async b() { this.log.push("b"); const r = await (async () => { ${second} })(); this.log.push("b done"); return show(r); }
  async c() { this.log.push("c"); const r = await (async () => { ${third} })(); this.log.push("c done"); return show(r); }
  async read() { return this.log; }`),
    drive: async (env) => {
      await env.DO.getByName("r").setup();
      const results = await Promise.all(["a", "b", "c"].map((m) => outcome(() => env.DO.getByName("r")[m]())));
      return { results, log: await env.DO.getByName("r").read() };
    },
  });

/**
 * The output gate (SQLite, where a deferred foreign key makes a commit fail): what a sender's
 * `go(how)` sends the object "sink" around a write whose commit fails, or one that commits, and
 * which of it arrives.
 */
const SENDER = cls(`  seen = [];
  setup() { this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"); }
  fail() { this.ctx.storage.sql.exec("INSERT INTO c VALUES (42)"); }
  async go(how) {
    const sink = this.env.DO.getByName("sink");
    if (how === "a stub fetch() after the failing write") { this.fail(); return (await sink.fetch("http://x/fetched")).text(); }
    if (how === "a call and the failing write in a timer callback") { setTimeout(() => { sink.note("from timer"); this.fail(); }, 0); await new Promise((r) => setTimeout(r, 20)); return "waited"; }
    if (how === "a call a turn before the failing write") { sink.note("earlier turn"); await new Promise((r) => setTimeout(r, 5)); this.fail(); return "failed later"; }
    if (how === "a call after an awaited allowUnconfirmed put") { await this.ctx.storage.put("k", 1, { allowUnconfirmed: true }); sink.note("after unconfirmed"); return "sent"; }
    if (how === "a call after an awaited put, the failing write in its turn") { await this.ctx.storage.put("k", 1); const r = sink.note("after awaited put"); this.fail(); return r; }
    if (how === "a call and the failing write inside blockConcurrencyWhile()") { return this.ctx.blockConcurrencyWhile(async () => { sink.note("in bcw"); this.fail(); }); }
    if (how === "a call inside a transaction that throws") { return this.ctx.storage.transaction(async () => { sink.note("in txn"); throw new Error("rolled back"); }); }
  }
  async fetch(req) { this.seen.push(new URL(req.url).pathname); return new Response("ok"); }
  note(entry) { this.seen.push(entry); return this.seen.length; }
  notes() { return this.seen; }`);

const sends = (how) => ({
  name: `gates probes: output gate, ${how}`,
  backend: "sqlite",
  source: SENDER,
  drive: `async (env) => {
    const sender = env.DO.getByName("sender");
    await sender.setup();
    const result = await outcome(() => sender.go(${JSON.stringify(how)}));
    // What was wrongly sent would arrive after the caller saw the reset: let queued turns run.
    await sleep(0);
    await sleep(0);
    return { result, sink: await env.DO.getByName("sink").notes() };
  }`,
});

export default [
  {
    name: "gates probes: a stream of four calls, each awaiting sync() after a put, all start before the first sync settles",
    backend: "sqlite",
    source: cls(`  log = [];
  async w(i) { this.log.push("start " + i); ${S}.put("k" + i, i); await ${S}.sync(); this.log.push("synced " + i); return i; }
  read() { return this.log; }`),
    drive: async (env) => {
      const order = [];
      const stub = env.DO.getByName("x");
      await Promise.all([1, 2, 3, 4].map((i) => stub.w(i).then(() => order.push("result " + i))));
      return { order, log: await stub.read() };
    },
  },
  ...both({
    name: "gates probes: two objects calling each other four deep, each writing before it calls",
    source: cls(`  async ping(n, log) {
    log = [...log, this.ctx.id.name + " " + n];
    await ${S}.put("n", n);
    if (n === 0) return log;
    return this.env.DO.getByName(this.ctx.id.name === "a" ? "b" : "a").ping(n - 1, log);
  }
  async n() { return ${S}.get("n"); }`),
    drive: async (env) => ({ log: await env.DO.getByName("a").ping(4, []), a: await env.DO.getByName("a").n(), b: await env.DO.getByName("b").n() }),
  }),
  ...both({
    name: "gates probes: two objects calling each other at once, each call reading storage",
    source: cls(`  log = [];
  async start(other) { this.log.push("start"); const r = await this.env.DO.getByName(other).visit(this.ctx.id.name); this.log.push("got " + r); return this.log.slice(); }
  async visit(from) { this.log.push("visit from " + from); await ${S}.get("x"); return "hi from " + this.ctx.id.name; }`),
    drive: async (env) => {
      const [a, b] = await Promise.all([env.DO.getByName("a").start("b"), env.DO.getByName("b").start("a")]);
      return { a, b };
    },
  }),
  ...both({
    name: "gates probes: three calls, sync() after an unawaited put, a get, a put",
    source: cls(`  log = [];
  async a() { this.log.push("a1"); ${S}.put("k", 1); await ${S}.sync(); this.log.push("a2"); }
  async b() { this.log.push("b"); await ${S}.get("k"); this.log.push("b done"); }
  async c() { this.log.push("c"); await ${S}.put("j", 1); this.log.push("c done"); }
  async read() { return this.log; }`),
    drive: async (env) => {
      await Promise.all(["a", "b", "c"].map((m) => env.DO.getByName("s")[m]()));
      return env.DO.getByName("s").read();
    },
  }),
  three("a concurrent list inside a transaction (through ctx.storage), a put, a get", `return ${S}.transaction(async () => ${S}.list(${AC}));`, `return ${S}.put("k", 1);`, `return ${S}.get("k");`),
  three("two concurrent reads at once, a put, a get", `return Promise.all([${S}.list(${AC}), ${S}.get(["x"], ${AC})]);`, `return ${S}.put("k", 1);`, `return ${S}.get("k");`),
  three("a concurrent list, a get of keys never read, a put", `return ${S}.list(${AC});`, `return ${S}.get(["x", "y"]);`, `return ${S}.put("k", 2);`),
  three("a concurrent list, a concurrent get, a timer", `return ${S}.list(${AC});`, `return ${S}.get(["x"], ${AC});`, `return new Promise((r) => setTimeout(() => r("t"), 0));`),
  three("a concurrent list, a put inside blockConcurrencyWhile(), a get", `return ${S}.list(${AC});`, `return this.ctx.blockConcurrencyWhile(() => ${S}.put("k", 3));`, `return ${S}.get("k");`),
  three("a concurrent list then a put of its size, a list, a concurrent list", `const m = await ${S}.list(${AC}); await ${S}.put("n", m.size); return m;`, `return ${S}.list();`, `return ${S}.list(${AC});`),
  three("a concurrent get of a missing key, a put of it, a concurrent get of it", `return ${S}.get("q", ${AC});`, `return ${S}.put("q", 7);`, `return ${S}.get("q", ${AC});`),
  sends("a stub fetch() after the failing write"),
  sends("a call and the failing write in a timer callback"),
  sends("a call a turn before the failing write"),
  sends("a call after an awaited allowUnconfirmed put"),
  sends("a call after an awaited put, the failing write in its turn"),
  sends("a call and the failing write inside blockConcurrencyWhile()"),
  sends("a call inside a transaction that throws"),
  ...pair("sync() after an unawaited put, beside a get", `${S}.put("k", 1); await ${S}.sync(); return ${S}.get("k");`, `return ${S}.get("k");`),
  ...pair("sync() after a put with allowUnconfirmed, beside a get that settles first on SQLite", `${S}.put("k", 1, { allowUnconfirmed: true }); await ${S}.sync(); this.log.push("synced"); return 1;`, `return ${S}.get("k");`),
  ...pair("sync() twice with a put between, beside a get of both keys", `${S}.put("k", 1); const p = ${S}.sync().then(() => this.log.push("s1")); ${S}.put("j", 2); await ${S}.sync(); this.log.push("s2"); await p; return 1;`, `return ${S}.get(["k", "j"]);`),
  ...pair("sync() inside blockConcurrencyWhile()", `return this.ctx.blockConcurrencyWhile(async () => { ${S}.put("k", 1); await ${S}.sync(); this.log.push("synced"); return 1; });`, `return ${S}.get("k");`),
  ...pair("sync() inside a transaction", `return ${S}.transaction(async (t) => { await t.put("k", 1); await ${S}.sync(); this.log.push("synced in txn"); return t.get("k"); });`, `return ${S}.get("k");`),
  ...pair("a call's sync() while another awaits a timer after its put", `${S}.put("k", 1); await new Promise((r) => setTimeout(r, 5)); return ${S}.get("k");`, `await ${S}.sync(); return ${S}.get("k");`),
  ...pair("transactionSync() then sync(), beside a query", `${S}.transactionSync(() => ${S}.sql.exec("CREATE TABLE IF NOT EXISTS t (x)")); await ${S}.sync(); return 1;`, `return ${S}.sql.exec("SELECT count(*) AS n FROM t").one().n;`).filter((x) => x.backend === "sqlite"),
  ...pair("a timer set before a get, then a timer: where the queued call lands", `setTimeout(() => this.log.push("timer"), 0); const v = await ${S}.get("k"); this.log.push("got"); await new Promise((r) => setTimeout(r, 5)); return v;`, `return 1;`),
  ...pair("deleteAll() after an unawaited put, then list(), beside a list()", `${S}.put("k", 1); await ${S}.deleteAll(); return ${S}.list();`, `return ${S}.list();`),
  ...pair("setAlarm() then getAlarm(), beside a getAlarm()", `await ${S}.setAlarm(Date.now() + 600000); return (await ${S}.getAlarm()) > 0;`, `return (await ${S}.getAlarm()) !== null;`, "async alarm() {}"),
  race("get of a key never read, beside a put of it", ``, `this.ctx.storage.get("k", ${AC})`, `this.ctx.storage.put("k", 2)`),
  race("get of several keys, beside a put of one", ``, `this.ctx.storage.get(["k", "j"], ${AC})`, `this.ctx.storage.put("k", 2)`),
  race("get of several known keys, beside a delete of one", `await this.ctx.storage.put({ j: 1, k: 1 });`, `this.ctx.storage.get(["j", "k"], ${AC})`, `this.ctx.storage.delete("k")`),
  race("list, beside a put in its range", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.put("k", 2)`),
  race("list, beside a delete", `await this.ctx.storage.put({ j: 1, k: 1 });`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.delete("j")`),
  race("list, beside deleteAll()", `await this.ctx.storage.put({ j: 1, k: 1 });`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.deleteAll()`),
  race("list with a limit, beside a put before its first key", `await this.ctx.storage.put({ j: 1, z: 1 });`, `this.ctx.storage.list({ limit: 2, allowConcurrency: true })`, `this.ctx.storage.put("a", 0)`),
  race("reverse list, beside a delete of two keys", `await this.ctx.storage.put({ j: 1, k: 1, z: 1 });`, `this.ctx.storage.list({ reverse: true, allowConcurrency: true })`, `this.ctx.storage.delete(["z", "k"])`),
  race("get of several keys, beside deleteAll()", `await this.ctx.storage.put({ j: 1, k: 1 });`, `this.ctx.storage.get(["j", "k", "z"], ${AC})`, `this.ctx.storage.deleteAll()`),
  race("list, beside an unawaited put and a cached get", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `(this.ctx.storage.put("k", 3), this.ctx.storage.get("j"))`),
  race("list, beside a get of a key never read", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.get("z")`),
  race("list, beside a transaction", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.transaction((t) => t.put("k", 4))`),
  race("list, beside a blockConcurrencyWhile() awaiting a timer", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.blockConcurrencyWhile(() => new Promise((r) => setTimeout(r, 5)))`),
  race("get of several keys, beside a transaction awaiting a timer", ``, `this.ctx.storage.get(["k", "j"], ${AC})`, `this.ctx.storage.transaction(async (t) => { await t.put("k", 6); await new Promise((r) => setTimeout(r, 5)); })`),
  race("list, beside a concurrent list of part of its range (which it does not make known before it completes)", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.list({ prefix: "j", allowConcurrency: true })`),
  race("get of one key, beside a concurrent get of another", ``, `this.ctx.storage.get(["j"], ${AC})`, `this.ctx.storage.get("k", ${AC})`),
  race("list, beside a get of several keys never read", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.ctx.storage.get(["q", "r"])`),
  race("list, beside a timer", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `new Promise((r) => setTimeout(r, 0))`),
  race("list, beside a call to another object", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `this.env.DO.getByName("other").setup()`),
  race("list inside blockConcurrencyWhile(), beside a put", `await this.ctx.storage.put("j", 1);`, `this.ctx.blockConcurrencyWhile(() => this.ctx.storage.list(${AC}))`, `this.ctx.storage.put("k", 1)`),
  race("list started by a timer callback, beside a put", `await this.ctx.storage.put("j", 1);`, `new Promise((res) => setTimeout(() => this.ctx.storage.list(${AC}).then((m) => { this.log.push("timer list"); res(m); }), 0))`, `this.ctx.storage.put("k", 1)`),
  race("list whose continuation writes, beside a get of that key", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC}).then((m) => { this.log.push("a listed"); return this.ctx.storage.put("a", m.size); })`, `this.ctx.storage.get("a")`),
  race("list, beside sync() after a put", `await this.ctx.storage.put("j", 1);`, `this.ctx.storage.list(${AC})`, `(this.ctx.storage.put("k", 5), this.ctx.storage.sync())`),
  ...probe("a put with allowUnconfirmed", `this.ctx.storage.put("k", 1, { allowUnconfirmed: true })`),
  ...probe("a put with allowConcurrency", `this.ctx.storage.put("k", 1, { allowConcurrency: true })`),
  ...probe("a put with noCache", `this.ctx.storage.put("k", 1, { noCache: true })`),
  ...probe("a get with noCache", `this.ctx.storage.get("k", { noCache: true })`),
  ...probe("a get with allowConcurrency (SQLite)", `this.ctx.storage.get("k", { allowConcurrency: true })`, ["sqlite"]),
  ...probe("a list with allowConcurrency", `this.ctx.storage.list({ allowConcurrency: true })`),
  ...probe("a get of several keys with allowConcurrency", `this.ctx.storage.get(["a", "b"], { allowConcurrency: true })`),
  ...probe("a delete", `this.ctx.storage.delete("k")`),
  ...probe("a delete with allowUnconfirmed", `this.ctx.storage.delete("k", { allowUnconfirmed: true })`),
  ...probe("deleteAll()", `this.ctx.storage.deleteAll()`),
  ...probe("getAlarm()", `this.ctx.storage.getAlarm()`),
  ...probe("a get of a key written in the same turn", `(this.ctx.storage.put("k", 1), this.ctx.storage.get("k"))`),
  ...probe("a put rejected for its value", `this.ctx.storage.put("k", undefined).catch(() => "refused")`),
  ...probe("a get rejected for its key", `this.ctx.storage.get(Symbol()).catch(() => "refused")`),
  ...probe("a transaction awaiting a timer", `this.ctx.storage.transaction(async (t) => { await new Promise((r) => setTimeout(r, 5)); return t.get("k"); })`),
  ...probe("a transaction that throws", `this.ctx.storage.transaction(async () => { throw new Error("no"); }).catch(() => "thrown")`),
  ...probe("a blockConcurrencyWhile() with no I/O", `this.ctx.blockConcurrencyWhile(async () => 1)`),
  ...probe("sync() after a put", `(this.ctx.storage.put("k", 1), this.ctx.storage.sync())`),
  ...probe("a call to the object itself", `this.env.DO.getByName("g").b()`),
  ...probe("a timer, then a storage get", `new Promise((r) => setTimeout(r, 0)).then(() => this.ctx.storage.get("k"))`, ["kv"]),
  queuedBehind("a blockConcurrencyWhile() whose callback throws after a timer", `return this.ctx.blockConcurrencyWhile(async () => { this.log.push("bcw"); await this.ctx.storage.put("k", "in bcw"); await new Promise((r) => setTimeout(r, 5)); throw new Error("bcw failed"); });`, ["sqlite"]),
  queuedBehind("a blockConcurrencyWhile() that succeeds after a timer", `return this.ctx.blockConcurrencyWhile(async () => { this.log.push("bcw"); await this.ctx.storage.put("k", "in bcw"); await new Promise((r) => setTimeout(r, 5)); this.log.push("bcw end"); return "bcw ok"; });`),
  queuedBehind("a transaction that throws after a timer", `return this.ctx.storage.transaction(async (t) => { this.log.push("txn"); await t.put("k", "in txn"); await new Promise((r) => setTimeout(r, 5)); throw new Error("txn failed"); });`),
  both({
    name: "gates probes: two objects calling each other while the first awaits the second (no deadlock, order kept)",
    source: cls(`  log = [];
  async start() {
    this.log.push("start");
    await this.ctx.storage.put("k", "start");
    const r = await this.env.DO.getByName("b").relay();
    this.log.push("start resumes " + r);
    return this.log.slice();
  }
  async relay() { return "relayed " + (await this.env.DO.getByName("a").back()); }
  async back() { this.log.push("back"); return (await this.ctx.storage.get("k")) ?? null; }`),
    drive: async (env) => outcome(() => env.DO.getByName("a").start()),
  }),
  both({
    name: "gates probes: a call arriving back while the caller awaits storage and the other object together",
    source: cls(`  log = [];
  async start() {
    this.log.push("start");
    const [got, relayed] = await Promise.all([this.ctx.storage.get("k").then((v) => { this.log.push("get settled"); return v ?? null; }), this.env.DO.getByName("b").relay()]);
    this.log.push("start resumes");
    return { got, relayed, log: this.log.slice() };
  }
  async relay() { return "relayed " + (await this.env.DO.getByName("a").back()); }
  async back() { this.log.push("back"); return "back"; }`),
    drive: async (env) => outcome(() => env.DO.getByName("a").start()),
  }),
  both({
    name: "gates probes: a promise one call awaits, resolved by another call: who runs first",
    source: cls(`  log = [];
  waiting = null;
  async wait() {
    this.log.push("wait starts");
    const v = await new Promise((r) => { this.waiting = r; });
    this.log.push("wait resumes " + v);
    await this.ctx.storage.put("k", v);
    this.log.push("wait wrote");
    return this.log.slice();
  }
  async release() {
    this.log.push("release starts");
    this.waiting("released");
    this.log.push("release resolved");
    await this.ctx.storage.get("k");
    this.log.push("release read");
    return this.log.slice();
  }`),
    drive: async (env) => {
      const wait = env.DO.getByName("p").wait();
      const release = env.DO.getByName("p").release();
      return { wait: await wait, release: await release };
    },
  }),
  both({
    name: "gates probes: concurrent transactions incrementing one key lose no update",
    source: cls(`  async inc() {
    return this.ctx.storage.transaction(async (t) => { const n = (await t.get("n")) ?? 0; await t.put("n", n + 1); return n + 1; });
  }
  async n() { return this.ctx.storage.get("n"); }`),
    drive: async (env) => {
      const got = await Promise.all([0, 1, 2, 3].map(() => env.DO.getByName("t").inc()));
      return { got: got.sort(), n: await env.DO.getByName("t").n() };
    },
  }),
  both({
    name: "gates probes: calls queued behind a storage read run in the order they were sent",
    source: cls(`  log = [];
  async a() { this.log.push("a"); await this.ctx.storage.get("k"); this.log.push("a done"); }
  async b(n) { this.log.push("b" + n); }
  async read() { return this.log.slice(); }`),
    drive: async (env) => {
      const calls = [env.DO.getByName("o").a(), ...[1, 2, 3, 4].map((n) => env.DO.getByName("o").b(n))];
      await Promise.all(calls);
      return env.DO.getByName("o").read();
    },
  }),
];
