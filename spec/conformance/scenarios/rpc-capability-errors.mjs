// An error from a call into a function or RpcTarget that lives in a Durable Object carries that
// object's id in `durableObjectId` even when its copy could not keep the name set on the thrown
// value: a thrown primitive, a DOMException, a frozen error, a value rebuilt from its
// description (rpc-thrown-unclonable.mjs). The runtime then names it last, after `remote`; a
// call on the object's own method leaves such errors unnamed.
import { cls } from "../scenario.mjs";

/** Module code: `bad(kind)` makes one value to throw. */
const BAD = `function bad(kind) {
  const f = () => 1;
  switch (kind) {
    case "error": return new RangeError("r");
    case "null": return null;
    case "string": return "str";
    case "domException": return new DOMException("d", "AbortError");
    case "domExceptionWithFunction": return Object.assign(new DOMException("d", "AbortError"), { f });
    case "frozen": return Object.freeze(new TypeError("fr"));
    case "frozenWithFunction": return Object.freeze(Object.assign(new TypeError("fr"), { f }));
    case "object": return { a: 1 };
    case "objectWithFunction": return { f };
    case "ownId": return Object.assign(new Error("w"), { durableObjectId: "mine", f });
    case "namedWithFunction": return Object.assign(new Error("m"), { name: "Custom", f });
    case "messageGetterThrows": { const e = new Error("m"); Object.defineProperty(e, "message", { get() { throw new Error("g"); } }); e.f = f; return e; }
  }
}`;

const KINDS = ["error", "null", "string", "domException", "domExceptionWithFunction", "frozen", "frozenWithFunction", "object", "objectWithFunction", "ownId", "namedWithFunction", "messageGetterThrows"];

export default [
  {
    name: "rpc: errors from a function or RpcTarget living in an object name the object even when their copy lost the name",
    backend: "sqlite",
    source: cls(`  async target() { return new T(); }
  async fn() { return (k) => { throw bad(k); }; }
  async direct(k) { throw bad(k); }
  async fromAnother(k) { const t = await this.env.DO.getByName("owner").target(); return caught(() => t.m(k)); }
  async passFunction(k) { return this.env.DO.getByName("callee").callBack((kk) => { throw bad(kk); }, k); }
  async callBack(cb, k) { return caught(() => cb(k)); }
  async whoAmI() { return this.ctx.id.toString(); }`, { extra: `${BAD}
class T extends RpcTarget { m(k) { throw bad(k); } }
async function caught(f) { try { await f(); return "none"; } catch (e) { return { error: err(e), keys: Object.keys(e ?? {}) }; } }` }),
    // The driver is source text, so that it can hold KINDS.
    drive: `async (env) => {
      const s = env.DO.getByName("a");
      const ids = { a: await s.whoAmI(), owner: await env.DO.getByName("owner").whoAmI(), b: await env.DO.getByName("b").whoAmI() };
      const named = (v) => JSON.parse(JSON.stringify(v).replace(/[0-9a-f]{64}/g, (id) => Object.keys(ids).find((k) => ids[k] === id) ?? id));
      const t = await s.target();
      const fn = await s.fn();
      const r = {};
      for (const k of ${JSON.stringify(KINDS)}) {
        r[k] = named({ target: await caught(() => t.m(k)), fn: await caught(() => fn(k)), direct: await caught(() => s.direct(k)),
          fromAnother: await env.DO.getByName("b").fromAnother(k), passedFunction: await env.DO.getByName("b").passFunction(k) });
      }
      return r;
    }`,
  },
];
