// The `env` object as user code sees it: its own keys and their property descriptors, its
// prototype, JSON, `in` checks, writes and deletes (and whether they outlive the call), the
// identity of `env` from cloudflare:workers with a handler's, a Durable Object's and an
// entrypoint's env, and what a top-level import of `env` sees while the module loads.
// Keys are sorted: the order of kinds of binding is the harness's (README: Miniflare's order).

/** Each own key's descriptor flags and the type of its value, plus the object's own facts. */
function envFacts(e) {
  const sortedJson = (v) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(v))).sort()));
  const keys = {};
  for (const k of Reflect.ownKeys(e)) {
    const d = Object.getOwnPropertyDescriptor(e, k);
    keys[String(k)] = { kind: "value" in d ? typeof d.value : "accessor", writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
  }
  const proto = Object.getPrototypeOf(e);
  return {
    keys: Object.keys(e).sort(), ownKeys: Reflect.ownKeys(e).map(String).sort(), descriptors: keys, tag: Object.prototype.toString.call(e),
    proto: proto === null ? "null" : proto === Object.prototype ? "Object.prototype" : Object.prototype.toString.call(proto),
    extensible: Object.isExtensible(e), frozen: Object.isFrozen(e), sealed: Object.isSealed(e),
    json: (() => { try { return sortedJson(e); } catch (x) { return "threw " + x.name; } })(),
    inDO: "DO" in e, inMissing: "MISSING" in e, inToString: "toString" in e, hasOwnDO: Object.hasOwn(e, "DO"), missing: typeof e.MISSING,
  };
}

const SOURCE = `import { DurableObject, WorkerEntrypoint, env as importedEnv } from "cloudflare:workers";
${envFacts}
const atLoad = (() => { try { return { keys: Object.keys(importedEnv).sort(), hasDO: "DO" in importedEnv, json: Object.keys(JSON.parse(JSON.stringify(importedEnv))).sort() }; } catch (e) { return { threw: e.name + ": " + e.message }; } })();
export class DO extends DurableObject {
  constructor(ctx, env) { super(ctx, env); this.ctorEnv = env; }
  facts() { return envFacts(this.env); }
  loadTime() { return atLoad; }
  identity() { return { ctorSame: this.ctorEnv === this.env, importedSame: importedEnv === this.env, importedKeys: Object.keys(importedEnv).sort(), importedDOSame: importedEnv.DO === this.env.DO }; }
  write() { this.env.ADDED = 5; const del = delete this.env.SVC; return { added: this.env.ADDED, importedAdded: importedEnv.ADDED, del, svcAfter: typeof this.env.SVC, keys: Object.keys(this.env).sort() }; }
  read() { return { added: this.env.ADDED, svc: typeof this.env.SVC, keys: Object.keys(this.env).sort() }; }
  redefine() { try { Object.defineProperty(this.env, "DO", { value: 1 }); return { DO: typeof this.env.DO }; } catch (e) { return { threw: e.name + ": " + e.message }; } }
}
export class Named extends WorkerEntrypoint {
  facts() { return { facts: envFacts(this.env), importedSame: importedEnv === this.env, importedKeys: Object.keys(importedEnv).sort() }; }
  writeEnv() { this.env.FROM_EP = 1; return Object.keys(this.env).sort(); }
  readEnv() { return { fromEp: this.env.FROM_EP, keys: Object.keys(this.env).sort() }; }
}
`;

const scenario = (name, drive, extra = {}) => ({
  name: `env bindings: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  services: { SVC: { name: "test", entrypoint: "Named" } },
  drive,
  ...extra,
});

export default [
  scenario("a handler's env: own keys, descriptors, prototype, extensibility, JSON and `in`", async (env) => envFacts(env)),
  scenario("a Durable Object's env: own keys, descriptors, prototype, extensibility, JSON and `in`", async (env) => outcome(() => env.DO.getByName("a").facts())),
  scenario("an entrypoint's env through a service binding, and the imported env inside it", async (env) => outcome(() => env.SVC.facts())),
  scenario("the imported env and a Durable Object's constructor env are the object's this.env", async (env) => outcome(() => env.DO.getByName("b").identity())),
  scenario("the imported env in a handler: the same object as the handler's env, its keys", async (env) => {
    const { env: imported } = await import("cloudflare:workers");
    return { same: imported === env, keys: Object.keys(imported).sort(), DOSame: imported.DO === env.DO, json: Object.keys(JSON.parse(JSON.stringify(imported))).sort() };
  }),
  scenario("the imported env while the module loads", async (env) => outcome(() => env.DO.getByName("l").loadTime())),
  scenario("writes and deletes on a Durable Object's env: seen later in the same object, by another object, and by the handler", async (env) => {
    const a = env.DO.getByName("w");
    const out = { write: await outcome(() => a.write()), readSame: await outcome(() => a.read()), readOther: await outcome(() => env.DO.getByName("w2").read()) };
    out.handler = { added: env.ADDED, svc: typeof env.SVC, keys: Object.keys(env).sort() };
    out.redefine = await outcome(() => a.redefine());
    return out;
  }),
  scenario("writes on an entrypoint's env: seen by the next call through the binding, and by the handler", async (env) => {
    const first = await outcome(() => env.SVC.writeEnv());
    const second = await outcome(() => env.SVC.readEnv());
    return { first, second, handlerSees: env.FROM_EP, handlerKeys: Object.keys(env).sort() };
  }),
  scenario("writes on a handler's env: seen by an object and an entrypoint", async (env) => {
    env.FROM_HANDLER = "h";
    const ep = await outcome(() => env.SVC.readEnv());
    const obj = await outcome(() => env.DO.getByName("h").read());
    delete env.FROM_HANDLER;
    return { ep, obj };
  }),
];
