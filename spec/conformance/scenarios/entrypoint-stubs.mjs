// Capabilities crossing a WorkerEntrypoint: an entrypoint that hands out stubs to Durable
// Objects (awaited, pipelined, and what such a stub keeps of its id and name), that returns a
// namespace, an id, a service binding or a class binding, that takes a stub as an argument, and
// a Durable Object handing out a service binding. Then ctx.props as an entrypoint sees it: its
// identity within and across calls, writes to it, props of each value kind, and what props
// refuse, in storage's words but for an RpcStub. (workerd's props also carry capabilities: service bindings,
// stubs to objects and DurableObjectClasses; durasim refuses them, FINDINGS.md.)

const SOURCE = `import { DurableObject, WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
export class DO extends DurableObject {
  hello() { return "hello " + this.ctx.id.name; }
  async bump() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
  service() { return this.env.SVC; }
  async refusals() {
    const { exports } = await import("cloudflare:workers");
    const values = { classBinding: exports.DO, entrypointBinding: exports.Named, namespace: this.env.DO, service: this.env.SVC, durableObjectClass: exports.DO({}) };
    const out = {};
    for (const [k, v] of Object.entries(values)) {
      out[k] = { clone: outcomeSync(() => structuredClone(v)), put: await outcome(() => this.ctx.storage.put("k", v)) };
      // (A service binding and a DurableObjectClass are capabilities props may carry: not yet in durasim.)
      if (k !== "service" && k !== "durableObjectClass") out[k].props = outcomeSync(() => exports.Named({ props: { v } }));
    }
    return out;
  }
  async stubRefusals() {
    const { exports, RpcStub } = await import("cloudflare:workers");
    const given = {
      localOfTarget: new RpcStub(new (class extends RpcTarget { m() { return 1; } })()),
      localOfFunction: new RpcStub(() => 1),
      receivedTarget: await this.env.SVC.target(),
      receivedFunction: await this.env.SVC.fn(),
    };
    const out = {};
    for (const [k, v] of Object.entries(given)) {
      out[k] = {
        props: outcomeSync(() => exports.Named({ props: { v } })),
        nestedProps: outcomeSync(() => exports.Named({ props: { deep: [{ v }] } })),
        clone: outcomeSync(() => structuredClone(v)),
        put: await outcome(() => this.ctx.storage.put("k", { deep: [v] })),
      };
    }
    return out;
  }
  async viaService() { const s = this.env.SVC; return s.echo("from object"); }
}
export class Named extends WorkerEntrypoint {
  stub(name) { return this.env.DO.getByName(name); }
  stubs(names) { return names.map((n) => this.env.DO.getByName(n)); }
  inObject(name) { return { s: this.env.DO.getByName(name), label: "wrapped" }; }
  namespace() { return this.env.DO; }
  id(name) { return this.env.DO.idFromName(name); }
  service() { return this.env.SVC; }
  classBinding() { return this.ctx.exports.DO; }
  entrypointBinding() { return this.ctx.exports.Named; }
  echo(x) { return "echo " + x; }
  async callStub(stub) { return { hello: await stub.hello(), bump: await stub.bump() }; }
  target() { const env = this.env; return new (class extends RpcTarget { stub(n) { return env.DO.getByName(n); } })(); }
  props() { const p = this.ctx.props; return { same: p === this.ctx.props, frozen: Object.isFrozen(p), tag: Object.prototype.toString.call(p), p }; }
  writeProps() { const p = this.ctx.props; try { p.added = 1; } catch (e) { return { threw: e.name + ": " + e.message }; } return { added: this.ctx.props.added }; }
  replaceProps() { try { this.ctx.props = { other: 1 }; } catch (e) { return { threw: e.name + ": " + e.message }; } return { props: this.ctx.props }; }
  async useProps() {
    const out = {};
    for (const [k, v] of Object.entries(this.ctx.props)) {
      out[k] = { typeof: typeof v, tag: Object.prototype.toString.call(v), echo: await outcome(() => v.echo("through props")), hello: await outcome(() => v.hello()) };
    }
    return out;
  }
  fn() { return (x) => "fn " + x; }
  propsKinds() { const p = this.ctx.props; return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { tag: Object.prototype.toString.call(v), show: show(v) }])); }
}
`;

/** `ownProcess`: a stub to an object crosses RPC, which workerd resolves by uniqueKey across
 * its process (scenario.mjs). */
const scenario = (name, drive, ownProcess = false) => ({
  name: `entrypoint stubs: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  services: { SVC: { name: "test", entrypoint: "Named", props: { p: 1 } } },
  drive,
  ownProcess,
});

export default [
  scenario("an entrypoint returns a stub to an object: awaited, pipelined, and in an array or object", async (env) => {
    const s = await env.SVC.stub("a");
    return {
      awaited: await outcome(() => s.hello()),
      pipelined: await outcome(() => env.SVC.stub("b").hello()),
      bumpTwice: [await outcome(() => s.bump()), await outcome(() => env.SVC.stub("a").bump())],
      fromArray: await outcome(async () => { const list = await env.SVC.stubs(["c", "d"]); return [await list[0].hello(), await list[1].hello()]; }),
      fromObject: await outcome(async () => { const o = await env.SVC.inObject("e"); return [o.label, await o.s.hello()]; }),
      pipelinedThroughObject: await outcome(() => env.SVC.inObject("f").s.hello()),
      viaTarget: await outcome(() => env.SVC.target().stub("g").hello()),
    };
  }, true),
  scenario("what a stub to an object keeps of its id and name after crossing an entrypoint", async (env) => {
    const s = await env.SVC.stub("k");
    const local = env.DO.getByName("k");
    return {
      tag: Object.prototype.toString.call(s), idType: typeof s.id, nameType: typeof s.name,
      localId: typeof local.id, localName: local.name,
      fetchType: typeof s.fetch, hello: await outcome(() => s.hello()),
      fetch: await outcome(async () => (await s.fetch("http://x/")).status),
    };
  }, true),
  scenario("an entrypoint returning a namespace, an id, its own binding or class bindings", async (env) => ({
    namespace: await outcome(async () => { const n = await env.SVC.namespace(); return [typeof n, typeof n.getByName]; }),
    id: await outcome(async () => { const i = await env.SVC.id("x"); return [typeof i, Object.prototype.toString.call(i)]; }),
    service: await outcome(async () => { const sv = await env.SVC.service(); return [typeof sv, await sv.echo("again")]; }),
    classBinding: await outcome(async () => { const c = await env.SVC.classBinding(); return typeof c; }),
    entrypointBinding: await outcome(async () => { const c = await env.SVC.entrypointBinding(); return [typeof c, await c.echo("ep")]; }),
  })),
  scenario("a stub passed to an entrypoint, and an object returning or calling its service binding", async (env) => ({
    passed: await outcome(() => env.SVC.callStub(env.DO.getByName("p"))),
    passedAgain: await outcome(() => env.SVC.callStub(env.DO.getByName("p"))),
    objectService: await outcome(async () => { const sv = await env.DO.getByName("q").service(); return [typeof sv, await sv.echo("through object")]; }),
    objectServicePipelined: await outcome(() => env.DO.getByName("q").service().echo("pipelined")),
    objectCallsService: await outcome(() => env.DO.getByName("q").viaService()),
  }), true),
  scenario("ctx.props in an entrypoint: identity, frozenness, writes and replacing it", async (env) => ({
    props: await outcome(() => env.SVC.props()),
    write: await outcome(() => env.SVC.writeProps()),
    afterWrite: await outcome(() => env.SVC.props()),
    replace: await outcome(() => env.SVC.replaceProps()),
  })),
  scenario("bindings and a class binding's result given to structuredClone(), storage and props", async (env) => outcome(() => env.DO.getByName("r").refusals())),
  scenario("streams, a Request with a body and a Blob in props", async () => {
    const { exports } = await import("cloudflare:workers");
    const given = { request: new Request("http://x/", { method: "POST", body: "b" }), stream: new ReadableStream(), blob: new Blob(["b"]) };
    const out = {};
    for (const [k, v] of Object.entries(given)) out[k] = await outcome(() => exports.Named({ props: { v } }).useProps());
    return out;
  }),
  scenario("props of each value kind given through ctx.exports reach ctx.props as clones", async () => {
    const { exports } = await import("cloudflare:workers");
    const props = { date: new Date(5), map: new Map([[1, "a"]]), set: new Set([2]), bytes: new Uint8Array([1, 2]), big: 10n, re: /x/g, err: new RangeError("r"), nested: { arr: [undefined, null, NaN] }, undef: undefined };
    return {
      kinds: await outcome(() => exports.Named({ props }).propsKinds()),
      stub: await outcome(() => exports.Named({ props: { s: exports.DO } }).propsKinds()),
      fn: await outcome(() => exports.Named({ props: { f: () => 1 } }).propsKinds()),
      target: await outcome(async () => { const { RpcTarget } = await import("cloudflare:workers"); return exports.Named({ props: { t: new (class extends RpcTarget {})() } }).propsKinds(); }),
    };
  }),
  scenario("RpcStubs, local and received over RPC, given to props, storage and structuredClone()", async (env) => outcome(() => env.DO.getByName("s").stubRefusals()), true),
];
