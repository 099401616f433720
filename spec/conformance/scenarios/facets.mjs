// ctx.facets: child objects a Durable Object starts with ctx.facets.get(name, startup), each with
// its own SQLite storage (the agents SDK's sub-agents). Argument checks are in ctx.mjs.

const CHILD = `
export class Child extends DurableObject {
  async hello(x) {
    const n = (this.ctx.storage.kv.get("n") ?? 0) + 1;
    this.ctx.storage.kv.put("n", n);
    return { x, n, name: this.ctx.id.name ?? null };
  }
  async selfAbort() { this.ctx.abort("child aborts"); }
  async alarmAfterPut() {
    await this.ctx.storage.put("k", 1);
    const log = [];
    try { await this.ctx.storage.setAlarm(Date.now() + 60000); log.push("set"); } catch (e) { log.push("caught " + e.message); }
    return log;
  }
  async stored() { return { k: (await this.ctx.storage.get("k")) ?? null, alarm: await this.ctx.storage.getAlarm() }; }
  alarm() {}
  async fetch(request) { return new Response("child " + new URL(request.url).pathname); }
  async idInfo() {
    const id = this.ctx.id;
    return { type: typeof id, tag: Object.prototype.toString.call(id), string: String(id), name: id.name ?? null, json: JSON.stringify(id), equals: typeof id.equals, same: this.ctx.id === id };
  }
}
`;

const facetScenario = (name, body) => ({
  name: `facets: ${name}`,
  backend: "sqlite",
  classes: { DO: "DO", CHILD: "Child" },
  source: `import { DurableObject } from "cloudflare:workers";
${CHILD}
export class DO extends DurableObject {
  async run() {
    const out = {};
    const child = () => ({ class: this.ctx.exports.Child });
    const how = async (f) => { try { return await f(); } catch (e) { return e.constructor.name + ": " + e.message + (e.remote ? " (remote)" : "") + (e.durableObjectReset ? " (reset)" : ""); } };
${body}
    return out;
  }
}
`,
  drive: async (env) => env.DO.getByName("parent").run(),
});

export default [
  facetScenario("own storage, the parent's id, the startup callback run once at the first call", `
    const log = [];
    const f = this.ctx.facets.get("a", () => { log.push("startup"); return child(); });
    log.push("after get");
    out.tag = Object.prototype.toString.call(f);
    out.calls = [await f.hello(1), await f.hello(2), await this.ctx.facets.get("a", () => { log.push("again"); return child(); }).hello(3)];
    out.fetch = await (await f.fetch("http://x/p")).text();
    out.log = log;
    out.parentKv = [...this.ctx.storage.kv.list()];
    out.other = await this.ctx.facets.get("b", child).hello(1);`),
  facetScenario("abort, a facet that resets itself, delete", `
    let starts = 0;
    const started = () => { starts++; return child(); };
    const f = this.ctx.facets.get("a", started);
    out.first = await f.hello(1);
    out.selfAbort = await how(() => f.selfAbort());
    out.afterSelfAbort = await how(() => f.hello(2));
    const g = this.ctx.facets.get("a", started);
    out.restarted = await g.hello(3);
    this.ctx.facets.abort("a", "string reason");
    out.afterAbort = await how(() => g.hello(4));
    this.ctx.facets.abort("b", new TypeError("never started"));
    const h = this.ctx.facets.get("a", started);
    out.afterAbortRestart = await h.hello(5);
    this.ctx.facets.abort("a", new RangeError("an error"));
    out.errorReason = await how(() => h.hello(6));
    const i = this.ctx.facets.get("a", started);
    out.beforeDelete = await i.hello(7);
    this.ctx.facets.delete("a");
    out.afterDelete = await how(() => i.hello(8));
    out.unusedStubAfterDelete = await how(() => this.ctx.facets.get("a", started).hello(9));
    this.ctx.facets.delete("never");
    out.starts = starts;`),
  {
    // The agents SDK's destroy() relies on it: the parent's deleteAll() takes every facet with it,
    // those an earlier instance started included.
    name: "facets: the parent's deleteAll() deletes them, started by this instance or not",
    backend: "sqlite",
    classes: { DO: "DO", CHILD: "Child" },
    source: `import { DurableObject } from "cloudflare:workers";
${CHILD}
export class DO extends DurableObject {
  facet(name) { return this.ctx.facets.get(name, () => ({ class: this.ctx.exports.Child })); }
  async start() { return [await this.facet("a").hello(1), await this.facet("b").hello(1)]; }
  async die() { this.ctx.abort("parent aborts"); }
  async wipe() {
    const how = async (f) => { try { return await f(); } catch (e) { return e.constructor.name + ": " + e.message; } };
    const a = this.facet("a");
    const before = await how(() => a.hello(2));
    await this.ctx.storage.put("own", 1);
    await this.ctx.storage.deleteAll();
    return { before, held: await how(() => a.hello(3)), a: await how(() => this.facet("a").hello(4)), b: await how(() => this.facet("b").hello(5)) };
  }
}
`,
    drive: async (env) => {
      const out = { started: await env.DO.getByName("parent").start() };
      try { await env.DO.getByName("parent").die(); } catch (e) { out.die = e.message; }
      out.wiped = await env.DO.getByName("parent").wipe();
      return out;
    },
  },
  {
    // A sub-agent's own sub-agents: delete() and deleteAll() take a facet's facets with it.
    name: "facets: a facet's own facets are deleted with it",
    backend: "sqlite",
    classes: { DO: "DO", CHILD: "Child", GRAND: "Grand" },
    source: `import { DurableObject } from "cloudflare:workers";
export class Grand extends DurableObject {
  async hello() { const n = (this.ctx.storage.kv.get("n") ?? 0) + 1; this.ctx.storage.kv.put("n", n); return n; }
}
export class Child extends DurableObject {
  kid() { return this.ctx.facets.get("g", () => ({ class: this.ctx.exports.Grand })); }
  async hello() { const n = (this.ctx.storage.kv.get("n") ?? 0) + 1; this.ctx.storage.kv.put("n", n); return [n, await this.kid().hello()]; }
  async wipe() { await this.ctx.storage.deleteAll(); }
  async dropKid() { this.ctx.facets.delete("g"); }
}
export class DO extends DurableObject {
  child() { return this.ctx.facets.get("a", () => ({ class: this.ctx.exports.Child })); }
  async run() {
    const out = { one: await this.child().hello(), two: await this.child().hello() };
    this.ctx.facets.delete("a");
    out.afterDelete = await this.child().hello();
    await this.child().hello();
    await this.ctx.storage.deleteAll();
    out.afterParentDeleteAll = await this.child().hello();
    await this.child().hello();
    await this.child().wipe();
    out.afterChildDeleteAll = await this.child().hello();
    await this.child().dropKid();
    out.afterChildDelete = await this.child().hello();
    return out;
  }
}
`,
    drive: async (env) => env.DO.getByName("parent").run(),
  },
  {
    // clone(from, to): the agents SDK has no use of it yet, but a sub-agent's copy is one call.
    name: "facets: clone() copies a facet's storage and its own facets; a running copy is cloned over",
    backend: "sqlite",
    classes: { DO: "DO", CHILD: "Child" },
    source: `import { DurableObject } from "cloudflare:workers";
export class Child extends DurableObject {
  kid() { return this.ctx.facets.get("g", () => ({ class: this.ctx.exports.Child })); }
  async hello() { const n = (this.ctx.storage.kv.get("n") ?? 0) + 1; this.ctx.storage.kv.put("n", n); return n; }
  async kidHello() { return this.kid().hello(); }
  async cloneKid() { this.ctx.facets.clone("g", "h"); return this.ctx.facets.get("h", () => ({ class: this.ctx.exports.Child })).hello(); }
}
export class DO extends DurableObject {
  async run() {
    const how = async (f) => { try { return await f(); } catch (e) { return e.constructor.name + ": " + e.message + (e.remote ? " (remote)" : ""); } };
    const facet = (name) => this.ctx.facets.get(name, () => ({ class: this.ctx.exports.Child }));
    const hellos = async (name, n) => { let last; for (let i = 0; i < n; i++) last = await facet(name).hello(); return last; };
    const f = facet("a");
    const out = { a: await hellos("a", 2) };
    out.returned = String(this.ctx.facets.clone("a", "b"));
    out.aRunsOn = await how(() => f.hello());
    out.b = await how(() => facet("b").hello());
    const c = facet("c");
    out.c = await hellos("c", 5);
    this.ctx.facets.clone("a", "c");
    out.runningCopy = await how(() => c.hello());
    out.cAfter = await how(() => facet("c").hello());
    out.d = await hellos("d", 3);
    this.ctx.facets.clone("nothing", "d");
    out.fromNothing = await how(() => facet("d").hello());
    this.ctx.facets.clone("a", "a");
    out.self = await how(() => f.hello());
    out.kid = [await facet("a").kidHello(), await facet("a").kidHello()];
    this.ctx.facets.clone("a", "e");
    out.kidCopied = [await facet("e").kidHello(), await facet("a").kidHello()];
    out.insideFacet = await how(() => facet("a").cloneKid());
    const uncalled = facet("a");
    this.ctx.facets.abort("a", new RangeError("aborted"));
    out.uncalledStubAfterAbort = await how(() => uncalled.hello());
    this.ctx.facets.clone(5, 6);
    out.converted = await how(() => facet("6").hello());
    return out;
  }
}
`,
    drive: async (env) => env.DO.getByName("parent").run(),
  },
  {
    // The runtime refuses to send a facet's stub anywhere: only its parent reaches a facet.
    name: "facets: a facet's stub cannot be returned or passed over RPC",
    backend: "sqlite",
    classes: { DO: "DO", CHILD: "Child" },
    source: `import { DurableObject } from "cloudflare:workers";
${CHILD}
export class DO extends DurableObject {
  facet() { return this.ctx.facets.get("a", () => ({ class: this.ctx.exports.Child })); }
  async returned() { const f = this.facet(); await f.hello(1); return f; }
  async inResult() { return { f: this.facet() }; }
  async take(f) { return typeof f; }
  async passed() {
    const how = async (f) => { try { return await f(); } catch (e) { return [e.constructor.name, e.name, e.message, e.remote ?? null]; } };
    return { argument: await how(() => this.env.DO.getByName("other").take(this.facet())), stillReachable: (await this.facet().hello(2)).n };
  }
}
`,
    drive: async (env) => {
      const how = async (f) => { try { return await f(); } catch (e) { return [e.constructor.name, e.name, e.message, e.remote ?? null]; } };
      return { returned: await how(async () => typeof (await env.DO.getByName("p").returned())), inResult: await how(async () => typeof (await env.DO.getByName("p").inResult())), passed: await env.DO.getByName("p").passed() };
    },
  },
  {
    name: "facets: the parent's reset ends its facets' instances; their storage stays",
    backend: "sqlite",
    classes: { DO: "DO", CHILD: "Child" },
    source: `import { DurableObject } from "cloudflare:workers";
let made = 0;
export class Child extends DurableObject {
  constructor(ctx, env) { super(ctx, env); made++; this.calls = 0; }
  async hello() { this.calls++; const n = (this.ctx.storage.kv.get("n") ?? 0) + 1; this.ctx.storage.kv.put("n", n); return { n, calls: this.calls, made }; }
}
export class DO extends DurableObject {
  async hello() { return this.ctx.facets.get("a", () => ({ class: this.ctx.exports.Child })).hello(); }
  async die() { this.ctx.abort("parent aborts"); }
}
`,
    drive: async (env) => {
      const out = { a: await env.DO.getByName("p").hello(), b: await env.DO.getByName("p").hello() };
      try { await env.DO.getByName("p").die(); } catch (e) { out.die = e.message; }
      out.c = await env.DO.getByName("p").hello();
      return out;
    },
  },
  facetScenario("setAlarm() resets the facet, its pending writes dropped; the parent lives on", `
    const f = this.ctx.facets.get("a", child);
    out.set = await how(() => f.alarmAfterPut());
    out.again = await how(() => f.hello(1));
    out.stored = await how(() => this.ctx.facets.get("a", child).stored());
    out.parent = await how(async () => { await this.ctx.storage.put("p", 1); return this.ctx.storage.get("p"); });`),
  facetScenario("startup options: refused values, a promise, a failing callback, an id", `
    const cases = {
      number: () => ({ class: 5 }), noClass: () => ({}), primitive: () => 5, undef: () => undefined, nul: () => null,
      throws: () => { throw new TypeError("startup fails"); }, plainClass: () => ({ class: Child }),
      promise: () => Promise.resolve(child()), rejected: () => Promise.reject(new RangeError("rejected")),
      classCalled: () => ({ class: this.ctx.exports.Child({}) }),
      named: () => ({ class: this.ctx.exports.Child, id: this.ctx.exports.DO.idFromName("other") }),
      unique: () => ({ class: this.ctx.exports.Child, id: this.ctx.exports.DO.newUniqueId() }),
    };
    for (const [k, startup] of Object.entries(cases)) {
      let calls = 0;
      const f = this.ctx.facets.get(k, () => { calls++; return startup(); });
      out[k] = [await how(() => f.hello(1)), await how(async () => (await f.hello(2)).n), calls];
    }`),
  // The startup id need not be a Durable Object id: anything else becomes a string, which the
  // facet's ctx.id then is (undefined leaves it the parent's; a Symbol fails the start).
  facetScenario("startup options: an id that is no Durable Object id", `
    const cases = { str: "some-string", hexStr: this.ctx.exports.DO.idFromName("x").toString(), num: 5, nul: null, arr: [1], undef: undefined,
      parentId: this.ctx.id, symbol: Symbol("s"), toStringThrows: { toString() { throw new RangeError("toString throws"); } } };
    for (const [k, id] of Object.entries(cases)) {
      out[k] = await how(() => this.ctx.facets.get(k, () => ({ class: this.ctx.exports.Child, id })).idInfo());
    }`),
  {
    // The agents SDK's sub-agent classes need no binding: ctx.exports has every Durable Object
    // class the Worker exports, by name, and a facet can be started from one without a namespace.
    name: "facets: a class the Worker exports without a namespace, and the order of exports",
    backend: "sqlite",
    classes: { DO: "Mid", OTHER: "Bound" },
    source: `import { DurableObject } from "cloudflare:workers";
export class Zed extends DurableObject { hi() { return "zed " + this.ctx.id.name + " " + JSON.stringify(this.ctx.props); } }
export class Bound extends DurableObject { hi() { return "bound " + JSON.stringify(this.ctx.props); } }
export class Mid extends DurableObject {
  async run() {
    const how = async (f) => { try { return await f(); } catch (e) { return e.constructor.name + ": " + e.message; } };
    const e = this.ctx.exports;
    const Z = e.Zed;
    return {
      keys: Object.keys(e), tag: Object.prototype.toString.call(Z), type: typeof Z,
      protoNames: Object.getOwnPropertyNames(Object.getPrototypeOf(Z)), idFromName: typeof Z.idFromName,
      called: await how(() => Object.prototype.toString.call(Z({}))), calledNoArgs: await how(() => Z()),
      inJson: JSON.stringify(e), facet: await how(() => this.ctx.facets.get("z", () => ({ class: Z })).hi()),
      calledFacet: await how(() => this.ctx.facets.get("y", () => ({ class: Z({ props: { p: [1, "two"] } }) })).hi()),
      boundWithProps: await how(() => this.ctx.facets.get("x", () => ({ class: e.Bound({ props: { q: 1 } }) })).hi?.()),
      stored: await how(() => this.ctx.storage.put("k", Z)),
    };
  }
}
export class Alpha extends DurableObject {}
`,
    drive: async (env) => env.DO.getByName("parent").run(),
  },
];
