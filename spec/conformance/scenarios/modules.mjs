// The runtime's other built-in modules a Worker (or a library it uses) imports besides
// cloudflare:workers: cloudflare:email's EmailMessage, cloudflare:workflows' NonRetryableError,
// cloudflare:sockets' connect (its argument checks and the Socket's shape; no connection is
// made, the test runtime has no network), cloudflare:durable-objects' retryable. What a library
// needs at import time must be there.
import { SHAPE_HELPERS } from "./shapes.mjs";


const IMPORTS = `import { DurableObject } from "cloudflare:workers";
import * as workflows from "cloudflare:workflows";
import * as sockets from "cloudflare:sockets";
import * as durableObjects from "cloudflare:durable-objects";`;

function module(name, body) {
  return {
    name: `modules: ${name}`,
    backend: "sqlite",
    source: `${IMPORTS}\n${SHAPE_HELPERS}\nexport class DO extends DurableObject {\n  async probe() {\n${body}\n  }\n}`,
    drive: async (env) => outcome(() => env.DO.getByName("m").probe()),
  };
}

export default [
  module("the exports of cloudflare:workflows and cloudflare:sockets", `
    // (workerd's cloudflare:sockets also exports an undocumented internalNewHttpClient, which durasim lacks.)
    const names = (m) => Object.keys(m).filter((k) => !k.startsWith("internal")).sort().map((k) => k + ":" + typeof m[k]);
    return { workflows: names(workflows), sockets: names(sockets), socketsDefault: "default" in sockets };`),
  module("cloudflare:durable-objects: retryable() marks methods, accepting only functions; onHibernate is undefined", `
    const { retryable } = durableObjects;
    const names = Object.keys(durableObjects).sort().map((k) => k + ":" + typeof durableObjects[k]);
    const calls = { none: () => retryable(), methods: () => retryable(DO.prototype.probe, DO.prototype.marked), again: () => retryable(DO.prototype.probe),
      arrow: () => retryable(() => 1), number: () => retryable(5), laterNotAFunction: () => retryable(DO.prototype.probe, "x"),
      asDecorator: () => retryable(DO.prototype.marked, { kind: "method", name: "marked" }), object: () => retryable({}) };
    const out = {};
    for (const [k, f] of Object.entries(calls)) out[k] = await how(f);
    return { names, length: retryable.length, name: retryable.name, calls: out, markedStillCallable: await this.marked(), hibernateKey: "onHibernate" in durableObjects };
  }
  async marked() { return "marked";`),
  module("NonRetryableError", `
    const { NonRetryableError } = workflows;
    const e = new NonRetryableError("stop now");
    const named = new NonRetryableError("stop", "CustomName");
    return {
      name: NonRetryableError.name, length: NonRetryableError.length, isError: e instanceof Error,
      e: err(e), own: Reflect.ownKeys(e).filter((k) => k !== "stack").map(String), named: err(named), tag: Object.prototype.toString.call(e),
      protoKeys: Reflect.ownKeys(Object.getPrototypeOf(e)).map(String), string: String(e), noMessage: err(new NonRetryableError()),
      noNew: await how(() => NonRetryableError("x")),
    };`),
  module("connect's argument checks and the Socket's shape", `
    const { connect } = sockets;
    const shape = (s) => ({ tag: Object.prototype.toString.call(s), protoKeys: Object.getOwnPropertyNames(Object.getPrototypeOf(s)).sort(),
      own: Reflect.ownKeys(s).map(String), readable: Object.prototype.toString.call(s.readable), writable: Object.prototype.toString.call(s.writable),
      upgraded: s.upgraded, secureTransport: s.secureTransport, opened: Object.prototype.toString.call(s.opened), closed: Object.prototype.toString.call(s.closed) });
    return {
      name: connect.name, length: connect.length,
      calls: await howAll({
        noArgs: () => connect(),
        emptyString: () => connect(""),
        noPort: () => connect("example.com"),
        badPort: () => connect("example.com:99999"),
        objectNoPort: () => connect({ hostname: "example.com" }),
        objectBigPort: () => connect({ hostname: "example.com", port: 70000 }),
        objectNegativePort: () => connect({ hostname: "example.com", port: -1 }),
        objectNanPort: () => connect({ hostname: "example.com", port: "http" }),
        objectFractionPort: () => connect({ hostname: "example.com", port: 80.5 }),
        objectStringPort: () => connect({ hostname: "example.com", port: "443" }),
        objectNoHostname: () => connect({ port: 443 }).secureTransport,
        ipv6: () => connect("[::1]:443").secureTransport,
        badTransport: () => connect("example.com:443", { secureTransport: "maybe" }),
        port25: () => connect("example.com:25"),
        number: () => connect(5),
      }),
      shape: shape(connect("example.com:443")),
      tls: shape(connect({ hostname: "example.com", port: 443 }, { secureTransport: "on" })),
      starttls: shape(connect("example.com:443", { secureTransport: "starttls", allowHalfOpen: true })),
      startTlsOff: await how(() => connect("example.com:443").startTls()),
      startTlsTwice: await how(async () => { const s = connect("example.com:443", { secureTransport: "starttls" }); const t = s.startTls(); return [s.upgraded, t.upgraded, t.secureTransport, await how(() => s.startTls())]; }),

    };`),
];
