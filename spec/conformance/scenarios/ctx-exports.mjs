// `ctx.exports` and the `exports` of cloudflare:workers as reflection sees them: every binding is
// a callable object (`typeof` "function", not a Function), so JSON.stringify skips it; calling an
// entrypoint's specialises its props, calling a Durable Object class's returns an opaque
// DurableObjectClass; the class's binding is still its namespace.
import { SHAPE_HELPERS } from "./shapes.mjs";

/** typeof, tag, Function-ness, own keys, JSON and the first prototype's tag and constructor. */
function look(v) {
  const p = Object.getPrototypeOf(v);
  const json = (() => {
    try {
      return show(JSON.stringify(v));
    } catch (e) {
      return { error: err(e) };
    }
  })();
  return {
    typeof: typeof v, tag: Object.prototype.toString.call(v), isFunction: v instanceof Function, isObject: v instanceof Object,
    ownKeys: Reflect.ownKeys(v).map(String), json,
    proto: p === null ? "null" : `${Object.prototype.toString.call(p)} ${Object.hasOwn(p, "constructor") ? p.constructor?.name : "-"}`,
  };
}

/** What calling `f` with `args` (or constructing with `new`) gives. The name of the Fetcher
 * prototype's constructor is left out: workerd names it "Fetcher" or "ServiceStub" depending on
 * what else the Worker's env holds. */
function callWith(f, args, withNew = false) {
  try {
    const v = withNew ? new f(...args) : f(...args);
    return { ok: { ...look(v), proto: Object.prototype.toString.call(Object.getPrototypeOf(v)) }, getByName: typeof v?.getByName, fetch: typeof v?.fetch };
  } catch (e) {
    return { error: err(e) };
  }
}

const LOOK_HELPERS = `${SHAPE_HELPERS}\n${look}\n${callWith}`;

const SOURCE = `import { DurableObject, WorkerEntrypoint, exports } from "cloudflare:workers";
${LOOK_HELPERS}
export class DO extends DurableObject {
  async hello() { return "hello from " + this.ctx.id.name; }
  async reflect() {
    const x = this.ctx.exports;
    const each = {};
    for (const k of Object.keys(x)) {
      each[k] = { look: look(x[k]), members: ["bind", "call", "apply", "name", "length", "prototype", "fetch", "getByName", "then"].map((m) => m + ":" + typeof x[k][m]) };
    }
    return {
      ctxJson: JSON.stringify(this.ctx), exportsJson: JSON.stringify(x), exportsKeys: Object.keys(x), exports: look(x), each,
      sameAsModule: x === exports, moduleJson: JSON.stringify(exports), stable: x.DO === x.DO && x.Named === x.Named,
    };
  }
  async call() {
    const x = this.ctx.exports;
    const out = {};
    const argLists = { none: [], empty: [{}], props: [{ props: { a: 1 } }], undef: [undefined], nul: [null], num: [5], str: ["x"], fn: [() => 1], extra: [{}, 5] };
    for (const k of ["default", "Named", "DO"]) {
      out[k] = {};
      for (const [label, args] of Object.entries(argLists)) out[k][label] = callWith(x[k], args);
      out[k].withNew = callWith(x[k], [{ props: {} }], true);
      out[k].uncloneable = callWith(x[k], [{ props: { f: () => 1 } }]);
      out[k].freshEachCall = x[k]({}) !== x[k]({});
    }
    out.classShape = describe(x.DO({ props: { p: 1 } }));
    return out;
  }
  async asNamespace() {
    const ns = this.ctx.exports.DO;
    return {
      hello: await ns.getByName("via-exports").hello(),
      sameIds: ns.idFromName("a").equals(this.env.DO.idFromName("a")),
      unique: Object.prototype.toString.call(ns.newUniqueId()),
      fromString: ns.idFromString(this.env.DO.idFromName("b").toString()).equals(this.env.DO.idFromName("b")),
      borrowed: await this.env.DO.getByName.call(ns, "borrowed").hello(),
      lent: await ns.getByName.call(this.env.DO, "lent").hello(),
      sameMethods: ns.getByName === this.env.DO.getByName,
      jurisdiction: typeof ns.jurisdiction,
      noName: outcomeSync(() => ns.getByName()),
      inNamespace: ["getByName" in ns, "nope" in ns, typeof ns.nope],
    };
  }
}
export class Named extends WorkerEntrypoint {
  async who() { return "named " + JSON.stringify(this.ctx.props); }
  async reflect() {
    const x = this.ctx.exports;
    return { exportsJson: JSON.stringify(x), exportsKeys: Object.keys(x), sameAsModule: x === exports, named: look(x.Named), dO: look(x.DO), dflt: look(x.default) };
  }
}
`;

const ENTRY = `class extends WorkerEntrypoint { async fetch(req) { return new Response("default"); } async who() { return "default " + JSON.stringify(this.ctx.props); } }`;

const scenario = (name, drive) => ({ name: `ctx.exports: ${name}`, backend: "sqlite", source: SOURCE, entry: ENTRY, drive });

export default [
  scenario("reflection of ctx, ctx.exports and each binding in a Durable Object", async (env) => env.DO.getByName("r").reflect()),
  scenario("reflection of ctx.exports in a WorkerEntrypoint and of the module's exports", async (env) => ({
    inEntrypoint: await outcome(() => exports.Named.reflect()),
    moduleExports: { json: JSON.stringify(exports), keys: Object.keys(exports), dO: typeof exports.DO, named: typeof exports.Named },
  })),
  scenario("calling each binding with every kind of options", async (env) => env.DO.getByName("c").call()),
  scenario("the class's binding is its namespace", async (env) => env.DO.getByName("n").asNamespace()),
  scenario("props given by calling, with and without new, reach ctx.props", async (env) => ({
    named: await outcome(() => exports.Named({ props: { n: 1 } }).who()),
    namedNew: await outcome(() => new exports.Named({ props: { n: 2 } }).who()),
    namedUndefined: await outcome(() => exports.Named(undefined).who()),
    namedNull: await outcome(() => exports.Named(null).who()),
    namedNoProps: await outcome(() => exports.Named({ other: 1 }).who()),
    dflt: await outcome(() => exports.default({ props: { d: [1, "two"] } }).who()),
    plain: await outcome(() => exports.Named.who()),
  })),
];
