// Probe of Durable Object lifecycle and context corners not covered elsewhere: classes that do
// not extend DurableObject, constructors returning other objects, blockConcurrencyWhile values
// and queues, ctx.abort with odd reasons, env identity, stub.fetch inputs, WebSocket tag lookups.
import { cls, both } from "../scenario.mjs";

const IMPORTS = `import { DurableObject } from "cloudflare:workers";`;

export default [
  {
    name: "lifecycle: a class that does not extend DurableObject, called by RPC and by fetch",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO { constructor(ctx, env) { this.ctx = ctx; } async hello() { return "hi"; } async fetch() { return new Response("fetched " + (typeof this.ctx.id.toString())); } }\n`,
    drive: async (env) => {
      const stub = env.DO.getByName("plain");
      return {
        rpc: await outcome(() => stub.hello()),
        fetch: await outcome(async () => (await stub.fetch("http://x/")).text()),
      };
    },
  },
  {
    name: "lifecycle: a constructor that returns another object",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); return { hello: async () => "from the plain object" }; }
  async hello() { return "from the class"; }`),
    drive: async (env) => ({ rpc: await outcome(() => env.DO.getByName("a").hello()) }),
  },
  {
    name: "lifecycle: a constructor that returns another DurableObject instance",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); if (!env.inner) return new Other(ctx, { ...env, inner: true }); }
  async who() { return "DO"; }`, { extra: `class Other extends DurableObject { async who() { return "Other"; } }` }),
    drive: async (env) => ({ rpc: await outcome(() => env.DO.getByName("a").who()) }),
  },
  {
    name: "lifecycle: a class not extending DurableObject whose constructor returns one",
    backend: "sqlite",
    source: `${IMPORTS}\nclass Inner extends DurableObject { async who() { return "Inner"; } async fetch() { return new Response("inner fetch"); } }\nexport class DO { constructor(ctx, env) { return new Inner(ctx, env); } }\n`,
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        rpc: await outcome(() => stub.who()),
        fetch: await outcome(async () => (await stub.fetch("http://x/")).text()),
      };
    },
  },
  {
    name: "lifecycle: a DurableObject whose constructor returns a plain object with a fetch()",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); return { fetch: async () => new Response("plain fetch"), probe: async () => "plain" }; }
  async fetch() { return new Response("class fetch"); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        fetch: await outcome(async () => (await stub.fetch("http://x/")).text()),
        rpc: await outcome(() => stub.probe()),
      };
    },
  },
  both({
    name: "lifecycle: the object is an instance of DurableObject and sees its ctx and env",
    source: cls(`  constructor(ctx, env) { super(ctx, env); this.seen = { ctxSame: this.ctx === ctx, envSame: this.env === env }; }
  async facts() {
    return {
      ...this.seen,
      isDO: this instanceof DurableObject,
      protoName: Object.getPrototypeOf(Object.getPrototypeOf(this)).constructor.name,
      ownKeys: Object.keys(this).sort(),
      ctxTag: Object.prototype.toString.call(this.ctx),
      ctxProtoName: Object.getPrototypeOf(this.ctx)?.constructor?.name,
      envKeys: Object.keys(this.env).sort(),
    };
  }`),
    drive: async (env) => env.DO.getByName("a").facts(),
  }),
  {
    name: "lifecycle: this.env replaced in the constructor and mutated later stays per instance",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); this.env = { tag: "replaced" }; env.added = "added to the original"; }
  async read() { return { tag: this.env.tag ?? null, added: this.env.added ?? null }; }`),
    drive: async (env) => ({ inside: await env.DO.getByName("a").read(), driverSeesAdded: env.added ?? null }),
  },
  {
    name: "lifecycle: calling methods the class does not define, or inherits from DurableObject",
    backend: "sqlite",
    source: cls(`  async real() { return 1; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        missing: await outcome(() => stub.missing()),
        ctx: await outcome(() => stub.ctx),
        env: await outcome(() => stub.env),
        constructorCall: await outcome(() => stub.constructor()),
        toStringCall: await outcome(() => stub.toString()),
        real: await outcome(() => stub.real()),
      };
    },
  },
  {
    name: "lifecycle: blockConcurrencyWhile hands back what its callback returns",
    backend: "sqlite",
    source: cls(`  async go() {
    const c = this.ctx;
    const r = {};
    r.number = await c.blockConcurrencyWhile(async () => 7);
    r.undef = show(await c.blockConcurrencyWhile(async () => {}));
    r.obj = await c.blockConcurrencyWhile(async () => ({ a: [1, 2] }));
    r.nestedPromise = await c.blockConcurrencyWhile(async () => Promise.resolve("inner"));
    r.thenable = await c.blockConcurrencyWhile(async () => ({ then: (res) => res("thenable value") }));
    r.syncValue = await c.blockConcurrencyWhile(() => "sync");
    r.nested = await c.blockConcurrencyWhile(async () => "outer+" + (await c.blockConcurrencyWhile(async () => "inner")));
    const m = new Map([[1, 2]]);
    r.sameObject = (await c.blockConcurrencyWhile(async () => m)) === m;
    return r;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: calls that arrive during blockConcurrencyWhile run after it, in arrival order",
    backend: "sqlite",
    source: cls(`  log = [];
  async block() {
    await this.ctx.blockConcurrencyWhile(async () => { this.log.push("block start"); await new Promise((r) => setTimeout(r, 50)); this.log.push("block end"); });
    this.log.push("block returned");
  }
  async mark(n) { this.log.push("mark " + n); return n; }
  async read() { return this.log; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const b = stub.block();
      await sleep(10);
      const ms = [stub.mark(1), stub.mark(2), stub.mark(3)];
      await Promise.all([b, ...ms]);
      return stub.read();
    },
  },
  {
    name: "lifecycle: a nested blockConcurrencyWhile that throws is caught by the outer callback",
    backend: "sqlite",
    source: cls(`  async go() {
    const inner = await this.ctx.blockConcurrencyWhile(async () => {
      try { await this.ctx.blockConcurrencyWhile(async () => { throw new RangeError("inner failed"); }); return "not reached"; }
      catch (e) { return "caught " + e.name + ": " + e.message; }
    });
    return inner;
  }
  async after() { return "alive"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const first = await outcome(() => stub.go());
      return { first, after: await outcome(() => stub.after()) };
    },
  },
  {
    name: "lifecycle: blockConcurrencyWhile started after an await inside another callback",
    backend: "sqlite",
    source: cls(`  log = [];
  async go() {
    await this.ctx.blockConcurrencyWhile(async () => {
      await Promise.resolve();
      this.log.push("outer");
      const v = await this.ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 5)); this.log.push("inner"); return 1; });
      this.log.push("outer got " + v);
    });
    return this.log;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: ctx.abort with an Error subclass carrying properties",
    backend: "sqlite",
    source: cls(`  async boom() {
    class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; this.extra = 42; } }
    this.ctx.abort(new MyErr("custom abort"));
  }
  async ok() { return "fresh"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      let e;
      try { await stub.boom(); } catch (x) { e = x; }
      return { error: err(e), extra: e?.extra ?? null, retry: await outcome(() => env.DO.getByName("a").ok()) };
    },
  },
  {
    name: "lifecycle: ctx.abort with a DOMException and with a TypeError",
    backend: "sqlite",
    source: cls(`  async dom() { this.ctx.abort(new DOMException("dom reason", "AbortError")); }
  async type() { this.ctx.abort(new TypeError("type reason")); }`),
    drive: async (env) => ({
      dom: await outcome(() => env.DO.getByName("a").dom()),
      type: await outcome(() => env.DO.getByName("b").type()),
    }),
  },
  {
    name: "lifecycle: ctx.abort seen by a call queued behind blockConcurrencyWhile on the same stub",
    backend: "sqlite",
    source: cls(`  async hold() { await this.ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 30)); this.ctx.abort("stop now"); }); }
  async next() { return "next ran"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const h = outcome(() => stub.hold());
      await sleep(5);
      const n = outcome(() => stub.next());
      return { hold: await h, next: await n, again: await outcome(() => stub.next()), freshStub: await outcome(() => env.DO.getByName("a").next()) };
    },
  },
  {
    name: "lifecycle: constructor throwing a non-Error value, then succeeding",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); globalThis.__ctorRuns = (globalThis.__ctorRuns ?? 0) + 1; if (globalThis.__ctorRuns === 1) throw "string thrown"; if (globalThis.__ctorRuns === 2) throw { plain: "object" }; }
  async runs() { return globalThis.__ctorRuns; }`),
    drive: async (env) => ({
      first: await outcome(() => env.DO.getByName("a").runs()),
      second: await outcome(() => env.DO.getByName("a").runs()),
      third: await outcome(() => env.DO.getByName("a").runs()),
    }),
  },
  {
    name: "lifecycle: a constructor that throws keeps its unawaited storage write out",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); if (!globalThis.__thrown) { globalThis.__thrown = true; ctx.storage.put("k", "from the failed constructor"); throw new Error("ctor failed"); } }
  async read() { return show(await this.ctx.storage.get("k")); }`),
    drive: async (env) => ({
      first: await outcome(() => env.DO.getByName("a").read()),
      second: await outcome(() => env.DO.getByName("a").read()),
    }),
  },
  both({
    name: "lifecycle: ids from stubs and from ctx are equal but not the same object",
    source: cls(`  async mine(other) { return { equalsArg: this.ctx.id.toString() === other, same: this.ctx.id === this.ctx.id, name: this.ctx.id.name ?? null }; }`),
    drive: async (env) => {
      const id = env.DO.idFromName("n");
      const stub = env.DO.get(id);
      return {
        stubIdSame: stub.id === id,
        stubIdStable: stub.id === stub.id,
        stubIdEquals: stub.id.equals(id),
        stubName: stub.name ?? null,
        uniqueStubName: show(env.DO.get(env.DO.newUniqueId()).name),
        inside: await stub.mine(id.toString()),
      };
    },
  }),
  {
    name: "lifecycle: id.equals with things that are not ids",
    backend: "sqlite",
    source: cls(`  async x() {}`),
    drive: async (env) => {
      const id = env.DO.idFromName("e");
      return {
        string: outcomeSync(() => id.equals(id.toString())),
        plain: outcomeSync(() => id.equals({ toString: () => id.toString() })),
        none: outcomeSync(() => id.equals()),
        nul: outcomeSync(() => id.equals(null)),
        stub: outcomeSync(() => id.equals(env.DO.get(id))),
      };
    },
  },
  {
    name: "lifecycle: stub.fetch with a URL object, a relative URL and odd schemes",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(req.method + " " + req.url); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const text = async (...args) => outcome(async () => (await stub.fetch(...args)).text());
      return {
        urlObject: await text(new URL("https://example.com/p?q=1#frag")),
        relative: await text("/relative"),
        noScheme: await text("example.com/x"),
        ftp: await text("ftp://example.com/x"),
        dataUrl: await text("data:text/plain,hi"),
        number: await text(42),
        empty: await text(""),
      };
    },
  },
  {
    name: "lifecycle: stub.fetch with a Request whose body was already read",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(req.method + ":" + (await req.text())); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const used = new Request("http://x/", { method: "POST", body: "payload" });
      await used.text();
      const fresh = new Request("http://x/", { method: "POST", body: "payload" });
      return {
        used: await outcome(async () => (await stub.fetch(used)).text()),
        fresh: await outcome(async () => (await stub.fetch(fresh)).text()),
        freshUsedAfter: fresh.bodyUsed,
        reuseFresh: await outcome(async () => (await stub.fetch(fresh)).text()),
        overrideBody: await outcome(async () => (await stub.fetch(used, { body: "new body", method: "PUT" })).text()),
      };
    },
  },
  {
    name: "lifecycle: getWebSockets and getTags with odd tags",
    backend: "sqlite",
    source: cls(`  async go() {
    const c = this.ctx;
    const pair = new WebSocketPair();
    c.acceptWebSocket(pair[1], ["t1", "t2"]);
    const r = {};
    r.number = outcomeSync(() => c.getWebSockets(1).length);
    r.empty = outcomeSync(() => c.getWebSockets("").length);
    r.undef = outcomeSync(() => c.getWebSockets(undefined).length);
    r.nul = outcomeSync(() => c.getWebSockets(null).length);
    r.t1 = outcomeSync(() => c.getWebSockets("t1").length);
    r.array = outcomeSync(() => c.getWebSockets(["t1"]).length);
    r.tags = outcomeSync(() => c.getTags(pair[1]));
    r.tagsOtherEnd = outcomeSync(() => c.getTags(pair[0]));
    r.tagsNotSocket = outcomeSync(() => c.getTags({}));
    r.tagsNone = outcomeSync(() => c.getTags());
    const p2 = new WebSocketPair();
    c.acceptWebSocket(p2[1]);
    r.noTags = outcomeSync(() => c.getTags(p2[1]));
    r.all = c.getWebSockets().length;
    return r;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: acceptWebSocket tags of odd kinds",
    backend: "sqlite",
    source: cls(`  async go() {
    const c = this.ctx;
    const r = {};
    const tryTags = (tags) => outcomeSync(() => { const p = new WebSocketPair(); c.acceptWebSocket(p[1], tags); return c.getTags(p[1]); });
    r.numbers = tryTags([1, 2]);
    r.duplicate = tryTags(["a", "a"]);
    r.emptyString = tryTags([""]);
    r.notArray = tryTags("abc");
    r.set = tryTags(new Set(["s"]));
    r.nul = tryTags(null);
    r.long = tryTags(["x".repeat(257)]);
    r.exactly256 = tryTags(["y".repeat(256)]);
    r.eleven = tryTags(Array.from({ length: 11 }, (_, i) => "t" + i));
    r.ten = tryTags(Array.from({ length: 10 }, (_, i) => "u" + i));
    return r;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: ctx.props and ctx.exports inside an object",
    backend: "sqlite",
    source: cls(`  async go() {
    return {
      props: show(this.ctx.props),
      exportsType: typeof this.ctx.exports,
      exportsKeys: this.ctx.exports ? Object.keys(this.ctx.exports).sort() : null,
      selfNs: typeof this.ctx.exports?.DO?.idFromName,
    };
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: namespace methods called detached or on another receiver",
    backend: "sqlite",
    source: cls(`  async x() { return 1; }`),
    drive: async (env) => {
      const ns = env.DO;
      const { idFromName, get, getByName, newUniqueId, idFromString, jurisdiction } = ns;
      return {
        idFromName: outcomeSync(() => idFromName("a").toString()),
        get: outcomeSync(() => typeof get(ns.idFromName("a"))),
        getByName: outcomeSync(() => typeof getByName("a")),
        newUniqueId: outcomeSync(() => typeof newUniqueId()),
        idFromString: outcomeSync(() => idFromString(ns.idFromName("a").toString()).toString()),
        jurisdiction: outcomeSync(() => typeof jurisdiction("eu")),
        callOnPlain: outcomeSync(() => ns.idFromName.call({}, "a").toString()),
      };
    },
  },
  {
    name: "lifecycle: getByName with odd names and options",
    backend: "sqlite",
    source: cls(`  async me() { return this.ctx.id.name ?? null; }`),
    drive: async (env) => {
      const ns = env.DO;
      const call = async (...a) => outcome(() => ns.getByName(...a).me());
      return {
        empty: await call(""),
        number: await call(5),
        nothing: await call(),
        withHint: await call("h", { locationHint: "wnam" }),
        badHint: await call("h", { locationHint: "nowhere" }),
        notObject: await call("h", 5),
        sameIdAsIdFromName: ns.getByName("q").id.equals(ns.idFromName("q")),
      };
    },
  },
  {
    name: "lifecycle: stub.id and stub.name cannot be overwritten",
    backend: "sqlite",
    source: cls(`  async x() { return 1; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const before = stub.id.toString();
      const setId = outcomeSync(() => { stub.id = "other"; return typeof stub.id; });
      const setName = outcomeSync(() => { stub.name = "other"; return stub.name; });
      return { setId, setName, idKept: stub.id.toString() === before, call: await outcome(() => stub.x()) };
    },
  },
  {
    name: "lifecycle: waitUntil work in an object finishes after the call returns",
    backend: "sqlite",
    source: cls(`  async go() {
    this.ctx.waitUntil((async () => { await new Promise((r) => setTimeout(r, 20)); await this.ctx.storage.put("late", "written"); })());
    return show(await this.ctx.storage.get("late"));
  }
  async read() { return show(await this.ctx.storage.get("late")); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const during = await stub.go();
      await sleep(100);
      return { during, after: await stub.read() };
    },
  },
  {
    name: "lifecycle: ctx.abort inside a constructor's blockConcurrencyWhile",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); globalThis.__n = (globalThis.__n ?? 0) + 1; if (globalThis.__n === 1) ctx.blockConcurrencyWhile(async () => { ctx.abort("abort in ctor bcw"); }); }
  async n() { return globalThis.__n; }`),
    drive: async (env) => ({
      first: await outcome(() => env.DO.getByName("a").n()),
      second: await outcome(() => env.DO.getByName("a").n()),
    }),
  },
  {
    name: "lifecycle: blockConcurrencyWhile with a callback returning a rejected thenable",
    backend: "sqlite",
    source: cls(`  async go() {
    return await this.ctx.blockConcurrencyWhile(() => ({ then: (_res, rej) => rej(new Error("thenable rejected")) }));
  }
  async after() { return "alive"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return { go: await outcome(() => stub.go()), after: await outcome(() => env.DO.getByName("a").after()) };
    },
  },
  {
    name: "lifecycle: ctx.abort with a symbol, an explicit undefined, an empty Error and a long string",
    backend: "sqlite",
    source: cls(`  async boom(kind) {
    const reasons = { symbol: Symbol("s"), undef: undefined, emptyError: new Error(""), long: "r".repeat(5000), plainObject: { message: "object message" }, zero: 0 };
    this.ctx.abort(reasons[kind]);
  }`),
    drive: async (env) => {
      const out = {};
      for (const kind of ["symbol", "undef", "emptyError", "long", "plainObject", "zero"]) {
        const r = await outcome(() => env.DO.getByName(kind).boom(kind));
        if (r.error?.message?.length > 200) r.error.message = r.error.message.slice(0, 40) + "... length " + r.error.message.length;
        out[kind] = r;
      }
      return out;
    },
  },
  {
    name: "lifecycle: ctx.id and its name seen in the constructor",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); this.seen = { name: ctx.id.name ?? null, str: ctx.id.toString(), sameLater: null }; this.idThen = ctx.id; }
  async facts() { return { ...this.seen, sameLater: this.idThen === this.ctx.id }; }`),
    drive: async (env) => {
      const named = await env.DO.getByName("ctor-name").facts();
      const fromString = await env.DO.get(env.DO.idFromString(env.DO.idFromName("other").toString())).facts();
      return { named: { ...named, str: named.str === env.DO.idFromName("ctor-name").toString() }, fromString: { ...fromString, str: fromString.str === env.DO.idFromName("other").toString() } };
    },
  },
  {
    name: "lifecycle: newUniqueId option bags",
    backend: "sqlite",
    source: cls(`  async x() { return 1; }`),
    drive: async (env) => {
      const ns = env.DO;
      const shape = (f) => outcomeSync(() => { const id = f(); return { hex: /^[0-9a-f]{64}$/.test(id.toString()), name: show(id.name), jurisdiction: show(id.jurisdiction) }; });
      return {
        empty: shape(() => ns.newUniqueId({})),
        undefJurisdiction: shape(() => ns.newUniqueId({ jurisdiction: undefined })),
        nul: shape(() => ns.newUniqueId(null)),
        string: shape(() => ns.newUniqueId("eu")),
        number: shape(() => ns.newUniqueId(5)),
        unknownKey: shape(() => ns.newUniqueId({ colo: "x" })),
        distinct: ns.newUniqueId().toString() !== ns.newUniqueId().toString(),
      };
    },
  },
  {
    name: "lifecycle: a newUniqueId from another namespace given to idFromString and get",
    backend: "sqlite",
    source: `${cls(`  async who() { return "DO"; }`)}\nexport class Other extends DurableObject { async who() { return "Other"; } }\n`,
    classes: { DO: "DO", OTHER: "Other" },
    drive: async (env) => {
      const foreign = env.OTHER.newUniqueId();
      return {
        idFromString: outcomeSync(() => env.DO.idFromString(foreign.toString()) && "accepted"),
        get: await outcome(() => env.DO.get(foreign).who()),
      };
    },
  },
  {
    name: "lifecycle: a slow constructor's blockConcurrencyWhile holds calls from several stubs in order",
    backend: "sqlite",
    source: cls(`  log = [];
  constructor(ctx, env) { super(ctx, env); ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 30)); this.log.push("ctor done"); }); }
  async mark(n) { this.log.push("mark " + n); return this.log.slice(); }`),
    drive: async (env) => {
      const calls = [env.DO.getByName("a").mark(1), env.DO.getByName("a").mark(2), env.DO.get(env.DO.idFromName("a")).mark(3)];
      return Promise.all(calls);
    },
  },
  {
    name: "lifecycle: a constructor that throws after starting blockConcurrencyWhile",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    globalThis.__runs = (globalThis.__runs ?? 0) + 1;
    ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 10)); globalThis.__bcwDone = (globalThis.__bcwDone ?? 0) + 1; });
    if (globalThis.__runs === 1) throw new Error("thrown after bcw started");
  }
  async read() { return { runs: globalThis.__runs, bcwDone: globalThis.__bcwDone ?? 0 }; }`),
    drive: async (env) => ({ first: await outcome(() => env.DO.getByName("a").read()), second: await outcome(() => env.DO.getByName("a").read()) }),
  },
  {
    name: "lifecycle: SQL used synchronously in the constructor is there for the first call",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (v)"); ctx.storage.sql.exec("INSERT INTO t VALUES (?)", "ctor"); }
  async rows() { return this.ctx.storage.sql.exec("SELECT v FROM t").toArray(); }`),
    drive: async (env) => env.DO.getByName("a").rows(),
  },
  {
    name: "lifecycle: a fetch handler that is a getter, and one set in the constructor",
    backend: "sqlite",
    source: `${IMPORTS}
export class DO extends DurableObject {
  get fetch() { globalThis.__getterReads = (globalThis.__getterReads ?? 0) + 1; return async () => new Response("getter fetch " + globalThis.__getterReads); }
}
export class Other extends DurableObject {
  constructor(ctx, env) { super(ctx, env); this.fetch = async (req) => new Response("own fetch " + new URL(req.url).pathname); }
}
`,
    classes: { DO: "DO", OTHER: "Other" },
    drive: async (env) => {
      const a = env.DO.getByName("a");
      const first = await outcome(async () => (await a.fetch("http://x/")).text());
      const second = await outcome(async () => (await a.fetch("http://x/")).text());
      const own = await outcome(async () => (await env.OTHER.getByName("b").fetch("http://x/own")).text());
      return { first, second, own };
    },
  },
  {
    name: "lifecycle: stub.fetch with a lower-case method, credentials in the URL and an aborted signal",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(req.method + " " + req.url + " signal:" + req.signal.aborted); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const text = async (...args) => outcome(async () => (await stub.fetch(...args)).text());
      return {
        lowerPatch: await text("http://x/", { method: "patch" }),
        lowerPost: await text("http://x/", { method: "post" }),
        credentials: await text("http://user:pass@x/p"),
        abortedSignal: await text("http://x/", { signal: AbortSignal.abort("gone") }),
        connectMethod: await text("http://x/", { method: "CONNECT" }),
      };
    },
  },
  {
    name: "lifecycle: getWebSockets gives a new array each time, in acceptance order",
    backend: "sqlite",
    source: cls(`  async go() {
    const c = this.ctx;
    const socks = [];
    for (const tags of [["x"], ["y"], ["x", "y"], []]) { const p = new WebSocketPair(); c.acceptWebSocket(p[1], tags); socks.push(p[1]); }
    const a = c.getWebSockets();
    const b = c.getWebSockets();
    return {
      newArray: a !== b,
      order: a.map((w) => socks.indexOf(w)),
      x: c.getWebSockets("x").map((w) => socks.indexOf(w)),
      y: c.getWebSockets("y").map((w) => socks.indexOf(w)),
      tagsCopy: c.getTags(socks[2]) !== c.getTags(socks[2]),
      frozen: Object.isFrozen(a),
    };
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    name: "lifecycle: waitUntil after ctx.abort, and blockConcurrencyWhile after it",
    backend: "sqlite",
    source: cls(`  async go() {
    try { this.ctx.abort("gone"); } catch {}
    return "unreached";
  }
  async later() { return "later"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return { go: await outcome(() => stub.go()), sameStub: await outcome(() => stub.later()), newStub: await outcome(() => env.DO.getByName("a").later()) };
    },
  },
  {
    name: "lifecycle: an RPC method defined as a class field or an own property",
    backend: "sqlite",
    source: cls(`  field = async () => "field";
  constructor(ctx, env) { super(ctx, env); this.own = async () => "own"; this.value = 5; }
  async proto() { return "proto"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return { field: await outcome(() => stub.field()), own: await outcome(() => stub.own()), value: await outcome(() => stub.value), proto: await outcome(() => stub.proto()) };
    },
  },
  {
    name: "lifecycle: the blockConcurrencyWhile callback's this and arguments",
    backend: "sqlite",
    source: cls(`  async go() {
    let seen;
    await this.ctx.blockConcurrencyWhile(function (...args) { seen = { thisType: this === undefined ? "undefined" : typeof this, args: args.length }; return Promise.resolve(); });
    return seen;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  {
    // (A zero-delay timer set here too never fires before the first call in workerd, whose loop
    // runs ready work first; in durasim it can on a loaded machine, where the read's completion
    // and the call's start are turns of Node's loop a due timer may cut into: not checked here.)
    name: "lifecycle: constructor work without blockConcurrencyWhile: a storage read and a microtask",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.seen = [];
    ctx.storage.get("k").then((v) => this.seen.push("get " + String(v)));
    Promise.resolve().then(() => this.seen.push("microtask"));
  }
  async first() { return this.seen.slice(); }`),
    drive: async (env) => env.DO.getByName("a").first(),
  },
  both({
    name: "lifecycle: a method that calls its own object through a stub",
    source: cls(`  log = [];
  async outer() {
    this.log.push("outer start");
    const r = await this.env.DO.getByName("self").inner();
    this.log.push("outer got " + r);
    return this.log;
  }
  async inner() { this.log.push("inner"); return "i"; }`),
    drive: async (env) => env.DO.getByName("self").outer(),
  }),
  {
    name: "lifecycle: a self-call through a stub from inside blockConcurrencyWhile waits for it to end",
    backend: "sqlite",
    source: cls(`  log = [];
  async outer() {
    let pending;
    await this.ctx.blockConcurrencyWhile(async () => {
      pending = this.env.DO.getByName("self").inner();
      await new Promise((r) => setTimeout(r, 20));
      this.log.push("bcw end");
    });
    await pending;
    return this.log;
  }
  async inner() { this.log.push("inner"); return "i"; }`),
    drive: async (env) => env.DO.getByName("self").outer(),
  },
  {
    name: "lifecycle: ctx.abort in a hibernatable webSocketMessage handler",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
  async webSocketMessage(ws, msg) { if (msg === "abort") this.ctx.abort("aborted by message"); else ws.send("echo " + msg); }
  async count() { return this.ctx.getWebSockets().length; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const res = await stub.fetch("http://x/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      ws.accept();
      const events = [];
      const done = new Promise((resolve) => {
        ws.addEventListener("message", (e) => events.push("message " + e.data));
        ws.addEventListener("close", (e) => { events.push("close " + e.code + " " + e.reason); resolve(); });
        ws.addEventListener("error", () => events.push("error"));
      });
      ws.send("one");
      await sleep(30);
      ws.send("abort");
      await Promise.race([done, sleep(2000)]);
      return { events, after: await outcome(() => env.DO.getByName("a").count()) };
    },
  },
  {
    name: "lifecycle: handler names called over RPC (alarm, webSocketMessage, fetch as a property)",
    backend: "sqlite",
    source: cls(`  async alarm() { return "alarm ran"; }
  async webSocketMessage() { return "wsm ran"; }
  async webSocketClose() { return "wsc ran"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        alarm: await outcome(() => stub.alarm()),
        webSocketMessage: await outcome(() => stub.webSocketMessage()),
        webSocketClose: await outcome(() => stub.webSocketClose()),
        fetchType: typeof stub.fetch,
      };
    },
  },
  {
    name: "lifecycle: a getter on the class read over RPC runs each time",
    backend: "sqlite",
    source: cls(`  n = 0;
  get counter() { return ++this.n; }
  get throwing() { throw new RangeError("getter threw"); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return { a: await outcome(() => stub.counter), b: await outcome(() => stub.counter), throwing: await outcome(() => stub.throwing) };
    },
  },
  {
    name: "lifecycle: ctx.waitUntil from the constructor",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.r = ctx.waitUntil((async () => { await new Promise((r) => setTimeout(r, 10)); await ctx.storage.put("w", "from ctor waitUntil"); })());
  }
  async read() { return { returned: show(this.r), value: show(await this.ctx.storage.get("w")) }; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const first = await stub.read();
      await sleep(80);
      return { first, later: await stub.read() };
    },
  },
  {
    name: "lifecycle: blockConcurrencyWhile from a timer callback after the call returned",
    backend: "sqlite",
    source: cls(`  log = [];
  async start() {
    setTimeout(() => { this.ctx.blockConcurrencyWhile(async () => { this.log.push("timer bcw start"); await new Promise((r) => setTimeout(r, 40)); this.log.push("timer bcw end"); }); }, 5);
    return "started";
  }
  async mark() { this.log.push("mark"); return this.log.slice(); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      await stub.start();
      await sleep(20);
      return stub.mark();
    },
  },
  {
    name: "lifecycle: a constructor that returns a promise of the instance",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); return (async () => this)(); }
  async hello() { return "hi"; }
  async fetch() { return new Response("fetched"); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        rpc: await outcome(() => stub.hello()),
        fetch: await outcome(async () => (await stub.fetch("http://x/")).text()),
      };
    },
  },
  {
    name: "lifecycle: methods inherited through two levels of subclass and a mixin",
    backend: "sqlite",
    source: `${IMPORTS}
const Greets = (Base) => class extends Base { async greet() { return "mixin greet"; } };
class Base extends DurableObject { async base() { return "base"; } async over() { return "base over"; } static async stat() { return "static"; } }
class Middle extends Greets(Base) { async over() { return "middle over, then " + (await super.over()); } }
export class DO extends Middle { async [Symbol.for("sym")]() { return "sym"; } }
`,
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        base: await outcome(() => stub.base()),
        over: await outcome(() => stub.over()),
        greet: await outcome(() => stub.greet()),
        stat: await outcome(() => stub.stat()),
      };
    },
  },
  {
    name: "lifecycle: concurrent first calls to an object whose constructor throws once",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); globalThis.__c = (globalThis.__c ?? 0) + 1; if (globalThis.__c === 1) throw new TypeError("first construction fails"); }
  async n(i) { return [i, globalThis.__c]; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const all = await Promise.all([1, 2, 3].map((i) => outcome(() => stub.n(i))));
      const other = await Promise.all([4, 5].map((i) => outcome(() => env.DO.getByName("a").n(i))));
      return { sameStub: all, later: other };
    },
  },
  {
    name: "lifecycle: a constructor error with custom properties, as callers see it",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); const e = new RangeError("ctor range"); e.code = 7; e.detail = "kept?"; throw e; }
  async n() { return 1; }`),
    drive: async (env) => {
      let e;
      try { await env.DO.getByName("a").n(); } catch (x) { e = x; }
      return { error: err(e), detail: e?.detail ?? null, keys: Object.keys(e ?? {}).sort() };
    },
  },
  {
    name: "lifecycle: new.target and the class name seen in the constructor",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) { super(ctx, env); this.facts = { newTarget: new.target === DO, name: new.target.name, args: arguments.length }; }
  async read() { return this.facts; }`),
    drive: async (env) => env.DO.getByName("a").read(),
  },
  {
    name: "lifecycle: blockConcurrencyWhile rejecting with a string, as callers see it",
    backend: "sqlite",
    source: cls(`  async go() { await this.ctx.blockConcurrencyWhile(async () => { throw "plain string"; }); }
  async after() { return "after"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return { go: await outcome(() => stub.go()), same: await outcome(() => stub.after()), fresh: await outcome(() => env.DO.getByName("a").after()) };
    },
  },
  {
    name: "lifecycle: acceptWebSocket and getWebSockets in the constructor",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.facts = { before: ctx.getWebSockets().length };
    const pair = new WebSocketPair();
    this.facts.accept = outcomeSync(() => ctx.acceptWebSocket(pair[1], ["ctor"]));
    this.facts.after = ctx.getWebSockets("ctor").length;
  }
  async read() { return { ...this.facts, later: this.ctx.getWebSockets("ctor").length }; }`),
    drive: async (env) => env.DO.getByName("a").read(),
  },
  {
    name: "lifecycle: calls queued behind a blockConcurrencyWhile that throws",
    backend: "sqlite",
    source: cls(`  async hold() { await this.ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 30)); throw new SyntaxError("bcw failed"); }); }
  async next(i) { return "next " + i; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const h = outcome(() => stub.hold());
      await sleep(5);
      const queued = [outcome(() => stub.next(1)), outcome(() => env.DO.getByName("a").next(2))];
      return { hold: await h, queued: await Promise.all(queued), fresh: await outcome(() => env.DO.getByName("a").next(3)) };
    },
  },
  {
    name: "lifecycle: a blockConcurrencyWhile started and not awaited by a call that returns",
    backend: "sqlite",
    source: cls(`  log = [];
  async start() {
    this.ctx.blockConcurrencyWhile(async () => { this.log.push("bcw start"); await new Promise((r) => setTimeout(r, 30)); this.log.push("bcw end"); });
    this.log.push("start returns");
    return "started";
  }
  async mark() { this.log.push("mark"); return this.log.slice(); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const started = await stub.start();
      return { started, mark: await stub.mark() };
    },
  },
  {
    name: "lifecycle: ctx.abort while the caller reads a streamed fetch response",
    backend: "sqlite",
    source: cls(`  async fetch() {
    const { readable, writable } = new TransformStream();
    const w = writable.getWriter();
    (async () => { await w.write(new TextEncoder().encode("first ")); await new Promise((r) => setTimeout(r, 20)); this.ctx.abort("aborted mid-body"); })();
    return new Response(readable);
  }`),
    drive: async (env) => {
      const res = await env.DO.getByName("a").fetch("http://x/");
      const reader = res.body.getReader();
      const chunks = [];
      let end;
      try {
        for (;;) { const { done, value } = await reader.read(); if (done) { end = "done"; break; } chunks.push(new TextDecoder().decode(value)); }
      } catch (e) { end = err(e); }
      return { status: res.status, chunks, end };
    },
  },
  {
    name: "lifecycle: a constructor's blockConcurrencyWhile failing with calls from several stubs waiting",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    globalThis.__k = (globalThis.__k ?? 0) + 1;
    const k = globalThis.__k;
    ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 20)); if (k === 1) throw new Error("ctor bcw failed"); });
  }
  async n(i) { return [i, globalThis.__k]; }`),
    drive: async (env) => {
      const first = await Promise.all([1, 2, 3].map((i) => outcome(() => env.DO.getByName("a").n(i))));
      return { first, later: await outcome(() => env.DO.getByName("a").n(4)) };
    },
  },
  {
    name: "lifecycle: namespace methods given symbols, objects with toString, and extra arguments",
    backend: "sqlite",
    source: cls(`  async me() { return this.ctx.id.name ?? null; }`),
    drive: async (env) => {
      const ns = env.DO;
      const hex = ns.idFromName("t").toString();
      return {
        idFromNameSymbol: outcomeSync(() => ns.idFromName(Symbol("s")).toString()),
        getByNameSymbol: outcomeSync(() => typeof ns.getByName(Symbol("s"))),
        idFromNameToString: outcomeSync(() => ns.idFromName({ toString: () => "t" }).toString() === hex),
        idFromStringToString: outcomeSync(() => ns.idFromString({ toString: () => hex }).toString() === hex),
        idFromStringThrowingToString: outcomeSync(() => ns.idFromString({ toString() { throw new RangeError("no string"); } })),
        idFromNameExtra: outcomeSync(() => ns.idFromName("t", "extra").toString() === hex),
        getByNameViaObject: await outcome(() => ns.getByName({ toString: () => "obj-name" }).me()),
        getWithPlainObject: outcomeSync(() => ns.get({ toString: () => hex, equals: () => true })),
        getWithIdFromOtherCall: outcomeSync(() => ns.get(ns.idFromName("t"), undefined) && "ok"),
        getNullOptions: outcomeSync(() => ns.get(ns.idFromName("t"), null) && "ok"),
      };
    },
  },
  {
    name: "lifecycle: ids and stubs under JSON, String and structuredClone",
    backend: "sqlite",
    source: cls(`  async x() { return 1; }`),
    drive: async (env) => {
      const id = env.DO.idFromName("j");
      const stub = env.DO.get(id);
      return {
        idJson: JSON.stringify(id),
        idKeys: Object.keys(id),
        idTemplate: `${id}` === id.toString(),
        stubJson: outcomeSync(() => JSON.stringify(stub)),
        stubString: outcomeSync(() => String(stub)),
        idClone: outcomeSync(() => structuredClone(id)),
        stubClone: outcomeSync(() => structuredClone(stub)),
      };
    },
  },
  {
    name: "lifecycle: the name of an id made from a string that is not well formed, inside and out",
    backend: "sqlite",
    source: cls(`  async me() { return { name: this.ctx.id.name ?? null, codes: [...(this.ctx.id.name ?? "")].map((c) => c.codePointAt(0)) }; }`),
    drive: async (env) => {
      const lone = "a\uD800b";
      const id = env.DO.idFromName(lone);
      return {
        outside: [...id.name].map((c) => c.codePointAt(0)),
        inside: await env.DO.get(id).me(),
        viaGetByName: await env.DO.getByName(lone).me(),
      };
    },
  },
  {
    name: "lifecycle: a class not extending DurableObject: property reads, and no fetch handler",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO { constructor(ctx) { this.ctx = ctx; this.field = 1; } get prop() { return 2; } }\n`,
    drive: async (env) => {
      const stub = env.DO.getByName("plain");
      return {
        field: await outcome(() => stub.field),
        prop: await outcome(() => stub.prop),
        fetch: await outcome(async () => (await stub.fetch("http://x/")).status),
      };
    },
  },
  {
    name: "lifecycle: a class whose prototype is pointed at DurableObject's after it is defined",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO { constructor(ctx, env) { this.ctx = ctx; } async hello() { return "hello " + (this instanceof DurableObject); } }\nObject.setPrototypeOf(DO.prototype, DurableObject.prototype);\n`,
    drive: async (env) => ({ rpc: await outcome(() => env.DO.getByName("a").hello()) }),
  },
  {
    name: "lifecycle: a DurableObject subclass whose prototype is pointed away from DurableObject",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO extends DurableObject { async hello() { return "hello " + (this instanceof DurableObject); } }\nObject.setPrototypeOf(DO.prototype, Object.prototype);\n`,
    drive: async (env) => ({ rpc: await outcome(() => env.DO.getByName("a").hello()) }),
  },
  {
    name: "lifecycle: a plain class whose constructor is pointed at DurableObject after it is defined",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO { constructor(ctx, env) { this.ctx = ctx; } async hello() { return "hello " + (this instanceof DurableObject); } }\nObject.setPrototypeOf(DO, DurableObject);\n`,
    drive: async (env) => ({ rpc: await outcome(() => env.DO.getByName("a").hello()) }),
  },
  both({
    name: "lifecycle: a write not awaited before ctx.abort, read by the next instance",
    source: cls(`  async go() { this.ctx.storage.put("k", "unawaited"); this.ctx.abort("after put"); }
  async awaited() { await this.ctx.storage.put("k2", "awaited"); this.ctx.abort("after awaited put"); }
  async read() { return { k: show(await this.ctx.storage.get("k")), k2: show(await this.ctx.storage.get("k2")) }; }`),
    drive: async (env) => ({
      go: await outcome(() => env.DO.getByName("a").go()),
      awaited: await outcome(() => env.DO.getByName("a").awaited()),
      read: await outcome(() => env.DO.getByName("a").read()),
    }),
  }),
  {
    name: "lifecycle: ctx.storage.sql in the constructor of a KV-backed object",
    backend: "kv",
    source: cls(`  constructor(ctx, env) { super(ctx, env); this.sql = outcomeSync(() => typeof ctx.storage.sql.exec); }
  async read() { return this.sql; }`),
    drive: async (env) => outcome(() => env.DO.getByName("a").read()),
  },
  {
    // SQLite only: local workerd's KV backend loses committed data on a reset (a declared difference).
    name: "lifecycle: blockConcurrencyWhile in the constructor writing storage the first call reads",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const n = (await ctx.storage.get("boots")) ?? 0;
      await ctx.storage.put("boots", n + 1);
      this.bootCount = n + 1;
    });
  }
  async boots() { return [this.bootCount, await this.ctx.storage.get("boots")]; }
  async die() { this.ctx.abort("restart"); }`),
    drive: async (env) => {
      const first = await env.DO.getByName("a").boots();
      await outcome(() => env.DO.getByName("a").die());
      return { first, second: await env.DO.getByName("a").boots() };
    },
  },
  {
    name: "lifecycle: property reads and deep paths on an object whose prototype is pointed away from DurableObject's",
    backend: "sqlite",
    source: `${IMPORTS}\nexport class DO extends DurableObject { get prop() { return { inner: 5, fn: () => "deep" }; } get fails() { throw new RangeError("getter failed"); } async obj() { return 1; } }\nObject.setPrototypeOf(DO.prototype, Object.prototype);\n`,
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      return {
        prop: await outcome(async () => (await stub.prop).inner),
        deepProp: await outcome(() => stub.prop.inner),
        deepCall: await outcome(() => stub.prop.fn()),
        fails: await outcome(() => stub.fails),
        missing: await outcome(() => stub.missing.deeper),
      };
    },
  },
  {
    name: "lifecycle: a named entrypoint whose prototype is pointed away from WorkerEntrypoint's",
    backend: "sqlite",
    source: cls(`  async x() { return 1; }`),
    workers: {
      other: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Away extends WorkerEntrypoint { async hello() { return "away"; } get prop() { return { inner: 6 }; } }
Object.setPrototypeOf(Away.prototype, Object.prototype);
`,
        entry: `{ fetch() { return new Response("default"); } }`,
      },
    },
    services: { AWAY: { name: "other", entrypoint: "Away" } },
    drive: async (env) => ({ hello: await outcome(() => env.AWAY.hello()), deepProp: await outcome(() => env.AWAY.prop.inner) }),
  },
  {
    name: "lifecycle: constructors that skip super(), call it twice, or return a primitive",
    backend: "sqlite",
    source: `${IMPORTS}
export class DO extends DurableObject { constructor(ctx, env) { if (false) super(ctx, env); } async n() { return 1; } }
export class Twice extends DurableObject { constructor(ctx, env) { super(ctx, env); super(ctx, env); } async n() { return 2; } }
export class Prim extends DurableObject { constructor(ctx, env) { super(ctx, env); return 5; } async n() { return 3; } }
`,
    classes: { DO: "DO", TWICE: "Twice", PRIM: "Prim" },
    drive: async (env) => ({
      noSuper: await outcome(() => env.DO.getByName("a").n()),
      twice: await outcome(() => env.TWICE.getByName("a").n()),
      primitive: await outcome(() => env.PRIM.getByName("a").n()),
      primitiveFetch: await outcome(async () => (await env.PRIM.getByName("b").fetch("http://x/")).status),
    }),
  },
  {
    name: "lifecycle: ctx.id tampered with inside the object (assign, delete, freeze) and equals after",
    backend: "sqlite",
    source: cls(`  async go() {
    const id = this.ctx.id;
    const r = {};
    r.frozen = Object.isFrozen(id);
    r.assignName = outcomeSync(() => { id.name = "changed"; return id.name; });
    r.deleteName = outcomeSync(() => delete id.name);
    r.nameAfter = show(this.ctx.id.name);
    r.assignJurisdiction = outcomeSync(() => { id.jurisdiction = "eu"; return show(id.jurisdiction); });
    r.freeze = outcomeSync(() => Object.isFrozen(Object.freeze(id)));
    r.equalsOwn = id.equals(this.env.DO.idFromName("t"));
    r.stillSame = this.ctx.id === id;
    r.string = id.toString() === this.env.DO.idFromName("t").toString();
    return r;
  }
  async nameLater() { return show(this.ctx.id.name); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      return { go: await stub.go(), later: await stub.nameLater() };
    },
  },
];
