// A DOMException the code makes carries code, name and message as own, enumerable, read-only
// properties, then an enumerable stack, as those the runtime raises do (an abort's reason, a
// DataCloneError): Object.keys and JSON.stringify list them, a subclass's instances too. Its name
// is a string only (an options object reads as "[object Object]"). Copies (structuredClone,
// storage, RPC arguments and results, an error's cause) keep the shape, their stack a data
// property that cannot be reconfigured, but for a thrown one's, whose stack the caller's side
// captures again; AbortSignal.timeout()'s reason crosses the same way, and own properties
// besides these are left behind.
import { cls } from "../scenario.mjs";

const SHAPE = `const describe = (e) => {
  const d = Object.getOwnPropertyDescriptors(e);
  return {
    own: Object.getOwnPropertyNames(e),
    // (A stack is V8's accessor or a data property by V8's version: only its flags are kept.)
    flags: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, k === "stack" ? [typeof e.stack, v.enumerable, v.configurable] : [v.value, v.enumerable, v.writable, v.configurable]])),
    keys: Object.keys(e), json: Object.keys(JSON.parse(JSON.stringify(e))), str: String(e), proto: Object.getPrototypeOf(e) === DOMException.prototype,
    inst: e instanceof DOMException, isErr: e instanceof Error, tag: Object.prototype.toString.call(e), code: e.code, name: e.name, message: e.message,
  };
};`;

// The runtime's DOMException prototype has no code, name or message: its instances own them, so
// once deleted they read on past it, on Error.prototype ("Error", "", no code), as does the
// prototype itself, for the code's own DOMExceptions, those the runtime raises, copies and
// subclasses' alike. (Whether the prototype has the keys at all, `in` and
// Object.getOwnPropertyNames, is left out: Node's getters stay for its own DOMExceptions.)
const DELETED = {
  name: "DOMException: an own code, name or message deleted reads on past the prototype",
  backend: "sqlite",
  source: cls(`  echo(v) { return v; }
  async go() {
    const r = {};
    r.prototype = ["name", "message", "code"].map((k) => outcomeSync(() => DOMException.prototype[k]));
    r.fromPrototype = outcomeSync(() => { const o = Object.create(DOMException.prototype); return [o.name, o.message, show(o.code), String(o)]; });
    const other = this.env.DO.getByName("other");
    const makers = {
      made: () => new DOMException("m", "SyntaxError"), abortReason: () => AbortSignal.abort().reason, cloned: () => structuredClone(new DOMException("c", "DataError")),
      subclass: () => new (class X extends DOMException {})("s", "AbortError"), overRpc: () => other.echo(new DOMException("r", "NotFoundError")),
      cloneError: () => { try { structuredClone(() => {}); } catch (e) { return e; } },
    };
    for (const [label, make] of Object.entries(makers)) {
      const e = await make();
      const d = {};
      for (const k of ["name", "message", "code"]) d[k] = [delete e[k], show(e[k])];
      d.str = String(e);
      d.keys = Object.keys(e);
      r[label] = d;
    }
    return r;
  }`),
  drive: async (env) => env.DO.getByName("a").go(),
};

export default [
  DELETED,
  {
    name: "DOMException: the code's own have name, message and code as own properties",
    backend: "sqlite",
    source: cls(`  echo(v) { return v; }
  throwIt() { throw new DOMException("thrown", "NotFoundError"); }
  throwCause() { throw new Error("outer", { cause: new DOMException("inner", "AbortError") }); }
  async timeoutReason() { const s = AbortSignal.timeout(1); await new Promise((r) => setTimeout(r, 30)); throw s.reason; }
  async go() {
    const r = {};
    r.made = describe(new DOMException("m", "SyntaxError"));
    r.plain = describe(new DOMException());
    r.custom = describe(new DOMException("c", "Custom"));
    r.opts = outcomeSync(() => describe(new DOMException("o", { name: "DataError", cause: 1 })));
    r.called = [outcomeSync(() => DOMException("x")), DOMException.length, DOMException.name, String(DOMException).includes("[native code]")];
    r.sub = describe(new (class X extends DOMException {})("s", "AbortError"));
    r.abortReason = describe(AbortSignal.abort().reason);
    r.cloneError = outcomeSync(() => { try { structuredClone(() => {}); } catch (e) { return describe(e); } });
    r.cloned = describe(structuredClone(new DOMException("m", "SyntaxError")));
    r.clonedCause = describe(structuredClone(new Error("o", { cause: new DOMException("i", "AbortError") })).cause);
    r.clonedReason = describe(structuredClone(AbortSignal.abort().reason));
    const other = this.env.DO.getByName("other");
    r.rpc = await outcome(async () => describe(await other.echo(new DOMException("r", "SyntaxError"))));
    r.thrown = await outcome(async () => { try { await other.throwIt(); } catch (e) { return describe(e); } });
    r.thrownCause = await outcome(async () => { try { await other.throwCause(); } catch (e) { return describe(e.cause); } });
    r.timeout = await outcome(async () => { try { await other.timeoutReason(); } catch (e) { return describe(e); } });
    r.timeoutArg = await outcome(async () => { const s = AbortSignal.timeout(1); await new Promise((res) => setTimeout(res, 30)); return describe(await other.echo(s.reason)); });
    r.extraArg = await outcome(async () => describe(await other.echo(Object.assign(new DOMException("x", "DataError"), { extra: 1 }))));
    r.causeArg = await outcome(async () => describe((await other.echo(new Error("o", { cause: new DOMException("i", "AbortError") }))).cause));
    await this.ctx.storage.put("d", new DOMException("st", "SyntaxError"));
    r.stored = describe(await this.ctx.storage.get("d"));
    return r;
  }`, { extra: SHAPE }),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];
