// Every named export that is a function but no WorkerEntrypoint is one workerd counts as a
// Durable Object class (a class without `extends DurableObject`, a plain function, an arrow
// function alike): `exports` lists each, in name order among the other classes, as a
// LoopbackDurableObjectClass when no namespace hosts it; a facet can start from it (fetch works,
// RPC is refused as for any such class, without the calling object's id). A default export that
// is such a class is not listed. A namespace may be bound to a plain function too (an ES5-style
// constructor, as compilers write classes); one that cannot construct (an arrow function) fails
// every event as a throwing constructor does.

/** typeof, tag, Function-ness, own keys, JSON, the prototype's tag and constructor, and members. */
function look(v) {
  if (v === undefined) return "undefined";
  const p = Object.getPrototypeOf(v);
  return {
    typeof: typeof v, tag: Object.prototype.toString.call(v), isFunction: v instanceof Function,
    ownKeys: Reflect.ownKeys(v).map(String), json: JSON.stringify(v) ?? null,
    proto: p === null ? "null" : `${Object.prototype.toString.call(p)} ${Object.hasOwn(p, "constructor") ? p.constructor?.name : "-"}`,
    members: ["getByName", "idFromName", "fetch", "hello", "bind"].map((m) => m + ":" + typeof v[m]),
  };
}

const SOURCE = `import { DurableObject, exports } from "cloudflare:workers";
${look}
export class Plain { constructor(ctx) { this.ctx = ctx; } async hello() { return "plain hello"; } async fetch() { return new Response("plain fetch " + this.ctx.id.name); } }
export function fn() { return 1; }
export const arrow = () => 2;
export class Child extends DurableObject { boom() { throw new RangeError("boom"); } }
export class DO extends DurableObject {
  async reflect() {
    const x = this.ctx.exports;
    return {
      keys: Object.keys(x), sameAsModule: x === exports, plain: look(x.Plain), fn: look(x.fn), arrow: look(x.arrow), child: look(x.Child),
      called: await outcome(() => { const c = x.Plain({ props: { a: 1 } }); return { tag: Object.prototype.toString.call(c), keys: Object.keys(c) }; }),
      calledFn: await outcome(() => Object.prototype.toString.call(x.fn({}))),
    };
  }
  async facets() {
    const x = this.ctx.exports;
    const facet = (name, cls) => this.ctx.facets.get(name, () => ({ class: cls }));
    return {
      rpc: await outcome(() => facet("a", x.Plain).hello()),
      fetch: await outcome(async () => (await facet("b", x.Plain).fetch("http://x/")).text()),
      calledClass: await outcome(() => facet("c", x.Plain({})).hello()),
      calledClassFetch: await outcome(async () => (await facet("c", x.Plain({})).fetch("http://x/")).text()),
      fnRpc: await outcome(() => facet("e", x.fn).hello()),
      fnFetch: await outcome(async () => (await facet("e", x.fn).fetch("http://x/")).text()),
      arrowRpc: await outcome(() => facet("g", x.arrow).hello()),
      arrowFetch: await outcome(async () => (await facet("h", x.arrow).fetch("http://x/")).text()),
      childThrows: await outcome(() => facet("d", x.Child).boom()),
      childMissing: await outcome(() => facet("d", x.Child).nope()),
      viaBinding: await outcome(() => this.env.PLAIN.getByName("z").hello()),
    };
  }
}
`;

const OTHER = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Plain { async fetch() { return new Response("plain"); } }
export class Reporter extends WorkerEntrypoint {
  async report() { const x = this.ctx.exports; return Object.keys(x).map((k) => k + ": " + typeof x[k] + " " + Object.prototype.toString.call(x[k])); }
}`;

/** Namespaces bound to functions that are no classes. */
const FUNCTIONS = `export function Fn(state) { this.state = state; }
Fn.prototype.fetch = async function () { return new Response("fn " + typeof this.state.storage.get); };
export const arrow = () => ({ fetch() { return new Response("arrow"); } });
export var Es5 = /** @class */ (function () {
  function Es5(state) { this.state = state; }
  Es5.prototype.fetch = function () { return new Response("es5 " + this.state.id.name); };
  Es5.prototype.hello = function () { return "hi"; };
  return Es5;
}());
export class DO {}`;

const scenario = (name, drive, rest = {}) => ({ name: `ctx.exports of plain classes and functions: ${name}`, backend: "sqlite", source: SOURCE, classes: { DO: "DO", PLAIN: "Plain" }, drive, ...rest });

export default [
  scenario("each is a LoopbackDurableObjectClass", async (env) => env.DO.getByName("r").reflect()),
  scenario("a facet started from one", async (env) => env.DO.getByName("f").facets()),
  scenario(
    "a namespace bound to a plain function or an arrow function",
    async (env) => {
      const text = async (ns, name) => outcome(async () => (await env[ns].getByName(name).fetch("http://x/")).text());
      return {
        fn: await text("FN", "a"), es5: await text("ES5", "a"), es5Rpc: await outcome(() => env.ES5.getByName("a").hello()),
        arrow: await text("ARROW", "a"), arrowAgain: await text("ARROW", "a"), arrowRpc: await outcome(() => env.ARROW.getByName("b").hello()),
      };
    },
    { source: FUNCTIONS, classes: { FN: "Fn", ARROW: "arrow", ES5: "Es5" } },
  ),
  scenario("a default export that is a plain class is not listed", async (env) => env.R.report(), {
    workers: { other: { source: OTHER, entry: "class { async fetch() { return new Response('default'); } }" } },
    services: { R: { name: "other", entrypoint: "Reporter" } },
  }),
];
