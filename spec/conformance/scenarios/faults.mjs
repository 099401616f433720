// Faults in object code: values too large for SQLite, stack overflows (in a recursion that writes
// at every level too: the writes made commit, the object goes on), a constructor that fails only
// after a reset, what `new RpcStub()` accepts, and webSocketClose and webSocketMessage handlers
// that throw (logged; the object, its state, its writes and its sockets go on).
import { cls, inside } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

export default [
  inside("faults: the largest value SQLite stores", "sqlite", `
    // workerd's boundaries, found by bisection there: a row's record (header, key, serialised
    // value) and a bound value may be 8,388,642 bytes long; a one-byte string of n characters
    // serialises to n + 7 bytes.
    const attempt = (f) => outcome(() => Promise.resolve(f()).then(() => "stored"));
    const out = {
      putAtLimit: await attempt(() => s.put("s", "x".repeat(8_388_628))),
      putPastLimit: await attempt(() => s.put("t", "x".repeat(8_388_629))),
      kvPastLimit: await attempt(() => s.kv.put("k".repeat(1000), "x".repeat(8_387_629))),
      entriesPastLimit: await attempt(() => s.put({ small: 1, big: "x".repeat(8_388_629) })),
      txnPastLimit: await attempt(() => s.transaction((txn) => txn.put("u", "x".repeat(8_388_629)))),
      boundAtLimit: outcomeSync(() => s.sql.exec("SELECT length(?) AS n", new Uint8Array(8_388_642)).one().n),
      boundPastLimit: outcomeSync(() => s.sql.exec("SELECT length(?) AS n", "x".repeat(8_388_643)).one().n),
      hugeValue: await attempt(() => s.put("h", "x".repeat(64 * 1024 * 1024))),
      // Every value is serialised before any entry is checked: one that cannot be cloned is
      // refused even behind a string too long to store.
      hugeThenUncloneable: await attempt(() => s.put({ h: "x".repeat(9_000_000), f: () => 1 })),
      hugeTwoByte: await attempt(() => s.put("h2", "\u0100".repeat(4_200_000))),
      hugeKv: outcomeSync(() => s.kv.put("h3", "x".repeat(9_000_000))),
    };
    out.keys = [...s.kv.list()].map(([k]) => k);
    return out;`,
    // Over 100 MB of strings: seconds of CPU, which outlasted 30 s on a saturated 2-core
    // machine. The record holds no timing, so the run may take as long as it needs.
    { timeoutMs: 90_000 }),
  inside("faults: values over the length limit that a statement builds", "sqlite", `
    s.sql.exec("CREATE TABLE t (a, b)");
    return {
      zeroblob: outcomeSync(() => s.sql.exec("SELECT length(zeroblob(9000000)) AS n").one().n),
      rowOfTwoValues: outcomeSync(() => { s.sql.exec("INSERT INTO t VALUES (?, ?)", new Uint8Array(5000000), new Uint8Array(5000000)); return "stored"; }),
      rows: s.sql.exec("SELECT count(*) AS n FROM t").one().n,
    };`),
  inside("faults: limits SQLite checks while a statement runs", "sqlite", `
    // A LIKE/GLOB pattern's bytes, however the statement gets it; a value a statement builds;
    // a chain of triggers on 13 tables (distinct tables: the depth is known when the INSERT is
    // prepared). A statement that meets one writes nothing; the object goes on.
    const q = (sql, ...b) => { const r = outcomeSync(() => s.sql.exec(sql, ...b).toArray()); return r.error ? r.error.message : r.ok; };
    const long = "%".repeat(51);
    s.sql.exec("CREATE TABLE p (pattern TEXT)");
    s.sql.exec("INSERT INTO p VALUES ('b'), (?)", long);
    const out = {
      literal50: q("SELECT 'a' LIKE '" + "%".repeat(50) + "' AS r"), literal51: q("SELECT 'a' LIKE '" + long + "' AS r"),
      glob: q("SELECT 'a' GLOB ? AS r", "*".repeat(51)), likeFunction: q("SELECT like(?, 'a', '!') AS r", long),
      notLike: q("SELECT 'a' NOT LIKE ? AS r", long), utf8: q("SELECT 'a' LIKE ? AS r", "é".repeat(26)),
      blob: q("SELECT 'a' LIKE ? AS r", new Uint8Array(51)), longSubject: q("SELECT ? LIKE 'a%' AS r", "a".repeat(200)),
      fromColumn: q("SELECT pattern FROM p WHERE 'b' LIKE pattern"),
      insertSelect: q("INSERT INTO p SELECT pattern || 'x' FROM p WHERE ? LIKE ?", "a", long),
      concatenated: q("SELECT length(? || ?) AS n", "x".repeat(5000000), "y".repeat(5000000)),
      // Far past the depth limit (and sql.js's own, 1000), and the compound limit (sql.js: 500).
      orChain: q("SELECT 1 FROM p WHERE " + Array.from({ length: 2000 }, (_, i) => "rowid = " + i).join(" OR ")),
      compound: q(Array.from({ length: 600 }, (_, i) => "SELECT " + i).join(" UNION ALL ")),
    };
    out.patterns = q("SELECT count(*) AS n FROM p");
    for (let i = 0; i < 13; i++) s.sql.exec("CREATE TABLE t" + i + " (x)");
    for (let i = 0; i < 12; i++) s.sql.exec("CREATE TRIGGER g" + i + " AFTER INSERT ON t" + i + " BEGIN INSERT INTO t" + (i + 1) + " VALUES (new.x); END");
    const counts = () => Array.from({ length: 13 }, (_, i) => s.sql.exec("SELECT count(*) AS n FROM t" + i).one().n);
    out.elevenDeep = q("INSERT INTO t0 VALUES (1)");
    out.afterElevenDeep = counts();
    out.tenDeep = q("INSERT INTO t2 VALUES (2)");
    out.afterTenDeep = counts();
    return out;`),
  {
    name: "faults: a stack overflow in object code, in transactionSync() and in a recursion that writes",
    backend: "sqlite",
    source: cls(`  async recurse() { const f = (n) => f(n + 1) + 1; return f(0); }
  async inTxn() { const f = (n) => f(n + 1) + 1; this.ctx.storage.transactionSync(() => { this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)"); this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)"); f(0); }); }
  async inPut() { const f = (n) => { this.ctx.storage.put("k" + (n % 3), n); return f(n + 1) + 1; }; f(0); }
  async count() { try { return this.ctx.storage.sql.exec("SELECT count(*) AS c FROM t").one().c; } catch (e) { return err(e); } }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }
  async hello() { return "hi"; }`),
    drive: async (env) => {
      const s = env.DO.getByName("o");
      const e = (r) => (r.error ? { name: r.error.name, message: r.error.message.slice(0, 40), durableObjectReset: r.error.durableObjectReset } : r);
      return {
        recurse: e(await outcome(() => s.recurse())),
        after: await outcome(() => s.hello()),
        inTxn: e(await outcome(() => s.inTxn())),
        count: await outcome(() => s.count()),
        inPut: e(await outcome(() => s.inPut())),
        keys: await outcome(() => s.keys()),
        fresh: await outcome(() => env.DO.getByName("o").hello()),
      };
    },
  },
  {
    name: "faults: a constructor that fails only after a reset",
    backend: "sqlite",
    source: `let constructed = 0;\n${cls(`  constructor(ctx, env) { super(ctx, env); constructed++; if (constructed === 2 || constructed === 3) throw new RangeError("ctor failed #" + constructed); }
  async hello() { return constructed; }
  async die() { this.ctx.abort("reset"); }
  async fetch() { return new Response("f" + constructed); }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("c");
      const out = { first: await outcome(() => s.hello()), die: await outcome(() => s.die()) };
      const s2 = env.DO.getByName("c");
      out.second = await outcome(() => s2.hello());
      out.secondAgain = await outcome(() => s2.hello());
      out.third = await outcome(() => env.DO.getByName("c").fetch("http://x/").then((r) => r.text()));
      out.fourth = await outcome(() => env.DO.getByName("c").hello());
      out.constructed = constructed;
      return out;
    },
  },
  {
    name: "faults: new RpcStub() of a Durable Object stub, of a function's stub, of a plain object",
    backend: "sqlite",
    source: `import { RpcStub } from "cloudflare:workers";\n${cls(`  async hello() { return "hi " + this.ctx.id.name; }`)}`,
    drive: async (env) => {
      const out = {};
      const stub = env.DO.getByName("r");
      out.ofObjectStub = await outcome(() => new RpcStub(stub).hello());
      const fn = new RpcStub(() => 5);
      out.ofFunction = await outcome(() => fn());
      out.ofFunctionStub = await outcome(() => new RpcStub(fn)());
      out.ofPlainObject = await outcome(() => new RpcStub({ a: 1 }).a);
      return out;
    },
  },
  {
    name: "faults: a webSocketClose handler that throws, asynchronously or at once",
    backend: "sqlite",
    source: cls(`  log = [];
    constructed = ++constructions;
    async fetch(req) {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server, [new URL(req.url).pathname.slice(1)]);
      return new Response(null, { status: 101, webSocket: client });
    }
    async webSocketMessage(ws, message) { this.log.push("message " + message); ws.send("echo " + message); }
    async webSocketClose(ws, code, reason) { this.log.push("close " + code + " " + this.ctx.getTags(ws)); if (reason === "throw") throw new Error("close handler threw"); if (reason === "sync") { this.ctx.storage.sql.exec("SELECT 1"); throw new TypeError("sync"); } }
    async state() { return { log: this.log, constructed: this.constructed, sockets: this.ctx.getWebSockets().map((w) => this.ctx.getTags(w)[0] + ":" + w.readyState) }; }`, { extra: `${CLIENT}\nlet constructions = 0;` }),
    drive: async (env) => {
      const stub = env.DO.getByName("c");
      const a = await connect(stub, "/a");
      const b = await connect(stub, "/b");
      const c = await connect(stub, "/c");
      // Each step waits for what it causes to have happened, however long a loaded machine
      // takes (a fixed pause ran out there): the object's log to show the close, the client to
      // see the echo. Had it never happened, the driver times out.
      const logged = (line) => waitFor(async () => (await stub.state()).log.includes(line), Infinity);
      a.ws.close(4000, "throw");
      await logged("close 4000 a");
      const afterA = await outcome(() => stub.state());
      b.ws.send("still there?");
      await waitFor(async () => b.seen.length > 0, Infinity);
      b.ws.close(4001, "sync");
      await logged("close 4001 b");
      const afterB = await outcome(() => stub.state());
      return hangUp({ a: a.seen, b: b.seen, afterA, afterB });
    },
  },
  {
    name: "faults: a webSocketMessage handler that throws (an Error after a write, at once, a string, a rejected promise): what the client and the object see next",
    backend: "sqlite",
    source: cls(`  log = [];
    constructed = ++constructions;
    async fetch() {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    webSocketMessage(ws, message) {
      this.log.push(message);
      if (message === "sync") throw new TypeError("sync");
      if (message === "rejected") return Promise.reject(new RangeError("rejected"));
      return (async () => {
        if (message === "write then throw") { this.ctx.storage.kv.put("written", message); await this.ctx.storage.put("awaited", message); throw new Error("after a write"); }
        if (message === "string") throw "a string";
        ws.send("echo " + message);
      })();
    }
    async state() { return { log: this.log, constructed: this.constructed, written: this.ctx.storage.kv.get("written") ?? null, awaited: (await this.ctx.storage.get("awaited")) ?? null, sockets: this.ctx.getWebSockets().map((w) => w.readyState) }; }`, { extra: `${CLIENT}\nlet constructions = 0;` }),
    drive: async (env) => {
      const stub = env.DO.getByName("m");
      const { ws, seen } = await connect(stub, "/");
      const out = {};
      // After each throwing message, a plain one: its echo shows the socket and the object went on
      // (the driver times out waiting for it otherwise).
      for (const message of ["write then throw", "sync", "string", "rejected"]) {
        ws.send(message);
        ws.send("after " + message);
        await waitFor(async () => seen.some(([, data]) => data === "echo after " + message), Infinity);
        out[message] = await outcome(() => stub.state());
      }
      return hangUp({ ...out, seen });
    },
  },
  {
    name: "faults: what object and Worker code leaves behind without a caller (a microtask or timer that throws, a rejection nobody handles) is logged; the object, its memory and storage go on",
    backend: "sqlite",
    source: `let constructed = 0;\n${cls(`  memory = 0;
  constructor(ctx, env) { super(ctx, env); constructed++; }
  async microtask() { this.memory++; queueMicrotask(() => { throw new Error("microtask threw"); }); queueMicrotask(async () => { throw new Error("async microtask threw"); }); await this.ctx.storage.put("m", this.memory); await new Promise((r) => setTimeout(r, 20)); return "after microtask"; }
  async timer() { this.memory++; setTimeout(() => { throw new Error("timer threw"); }, 0); await new Promise((r) => setTimeout(r, 20)); return "after timer"; }
  async rejection() { this.memory++; Promise.reject(new Error("nobody handles")); this.ctx.waitUntil(Promise.reject(new Error("waitUntil rejected"))); await new Promise((r) => setTimeout(r, 20)); return "after rejection"; }
  async state() { return { memory: this.memory, constructed, m: (await this.ctx.storage.get("m")) ?? null }; }`)}`,
    entry: `{ async fetch() { queueMicrotask(() => { throw new Error("Worker microtask threw"); }); await new Promise((r) => setTimeout(r, 20)); return new Response("Worker answered"); } }`,
    services: { SELF: "test" },
    drive: async (env) => {
      const s = env.DO.getByName("x");
      const out = { worker: await outcome(async () => (await env.SELF.fetch("http://x/")).text()) };
      for (const method of ["microtask", "timer", "rejection"]) {
        out[method] = await outcome(() => s[method]());
        await new Promise((r) => setTimeout(r, 30));
        out[method + "State"] = await outcome(() => s.state());
      }
      return out;
    },
  },
  {
    name: "faults: an async microtask or timer callback that rejects leaves an unhandled rejection (the unhandledrejection event sees it); one that throws at once does not",
    backend: "sqlite",
    source: `const seen = [];\naddEventListener("unhandledrejection", (event) => { seen.push(event.reason.message); event.preventDefault(); });\n${cls(`  async run() {
    queueMicrotask(async () => { throw new Error("async microtask"); });
    queueMicrotask(() => { throw new Error("sync microtask"); });
    setTimeout(async () => { await null; throw new Error("async timer"); }, 0);
    setTimeout(() => { throw new Error("sync timer"); }, 0);
    await new Promise((r) => setTimeout(r, 30));
    return [...seen].sort();
  }`)}`,
    drive: async (env) => ({ seen: await outcome(() => env.DO.getByName("x").run()) }),
  },
];
