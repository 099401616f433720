// WorkerEntrypoint classes at work: a constructor that throws (for RPC and for fetch, at every
// call), a fetch() handler that proxies to a Durable Object (method, URL, headers and a body
// through two hops) and sees its props, and an object that calls an entrypoint which calls the
// object back while the first call waits.

const SOURCE = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
let built = 0;
export class DO extends DurableObject {
  async fetch(req) {
    return new Response(JSON.stringify({ method: req.method, url: req.url, header: req.headers.get("x-h"), body: await req.text(), name: this.ctx.id.name }), { status: 201, headers: { "x-from": "object" } });
  }
  async outer() { this.log = ["outer start"]; const r = await this.env.SVC.callBack(this.ctx.id.name); this.log.push("outer end"); return { r, log: this.log }; }
  inner() { this.log.push("inner"); return "inner ran"; }
}
export class Broken extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); built++; throw new RangeError("constructor failed " + built); }
  m() { return "never"; }
  fetch() { return new Response("never"); }
}
export class Proxy1 extends WorkerEntrypoint {
  fetch(req) { const name = new URL(req.url).pathname.slice(1); return this.env.DO.getByName(name).fetch(req); }
}
export class WithProps extends WorkerEntrypoint {
  fetch(req) { return new Response(JSON.stringify({ props: this.ctx.props, url: req.url })); }
}
export class Caller extends WorkerEntrypoint {
  callBack(name) { return this.env.DO.getByName(name).inner(); }
}
`;

const scenario = (name, drive, services) => ({
  name: `entrypoint classes: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  services,
  drive,
});

export default [
  scenario("a constructor that throws fails each RPC call and each fetch() with its error", async (env) => ({
    rpc1: await outcome(() => env.BROKEN.m()),
    rpc2: await outcome(() => env.BROKEN.m()),
    fetch: await outcome(async () => { const r = await env.BROKEN.fetch("http://x/"); return [r.status, await r.text()]; }),
    viaExports: await outcome(async () => { const { exports } = await import("cloudflare:workers"); return exports.Broken({ props: {} }).m(); }),
  }), { BROKEN: { name: "test", entrypoint: "Broken" } }),
  scenario("an entrypoint's fetch() handing its Request on to an object: method, URL, headers, body, status and headers back", async (env) => {
    const r = await env.PROXY.fetch("http://host.example/obj?q=1", { method: "PUT", headers: { "x-h": "v" }, body: "payload" });
    const stream = await env.PROXY.fetch("http://h/streamed", { method: "POST", body: new Blob(["a", "b"]).stream(), duplex: "half" });
    return { status: r.status, from: r.headers.get("x-from"), body: JSON.parse(await r.text()), streamed: JSON.parse(await stream.text()).body };
  }, { PROXY: { name: "test", entrypoint: "Proxy1" } }),
  scenario("an entrypoint's fetch() sees the props of its binding, of exports' specialised binding, or none", async (env) => {
    const { exports } = await import("cloudflare:workers");
    const text = async (f) => outcome(async () => JSON.parse(await (await f).text()));
    return {
      binding: await text(env.WITH.fetch("http://a/1")),
      plain: await text(env.WITH_NONE.fetch("http://a/2")),
      exported: await text(exports.WithProps({ props: { from: "exports", n: [1] } }).fetch("http://a/3")),
      exportedPlain: await text(exports.WithProps.fetch("http://a/4")),
    };
  }, { WITH: { name: "test", entrypoint: "WithProps", props: { from: "binding" } }, WITH_NONE: { name: "test", entrypoint: "WithProps" } }),
  scenario("an object calling an entrypoint that calls the object back while the first call awaits it", async (env) => outcome(() => env.DO.getByName("re").outer()), { SVC: { name: "test", entrypoint: "Caller" } }),
];
