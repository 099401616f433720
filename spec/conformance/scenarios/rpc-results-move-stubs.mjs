// A stub (to a function or an RpcTarget) that a sender holds and returns, alone or inside its
// result, is moved to the caller: the sender's own stub is disposed once the result is copied
// ("RPC stub used after being disposed." at its next use), where a stub passed as a parameter is
// duplicated (rpc_params_dup_stubs). Returning `stub.dup()` keeps the sender's. A stub returned
// twice reaches the caller disposed the second time; returned twice in one result it is moved once.
import { cls } from "../scenario.mjs";

const HOLDER = cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); return 1; }
  give() { return this.remote; }
  giveInObject() { return { remote: this.remote, n: 1 }; }
  giveInMap() { return new Map([["remote", this.remote]]); }
  giveDup() { return this.remote.dup(); }
  twice() { return [this.remote, this.remote]; }
  get remoteGetter() { return this.remote; }
  holder() { return new Holder(this); }
  refusedAfter() { return { remote: this.remote, bad: new WeakMap() }; }
  refusedBefore() { return { bad: new WeakMap(), remote: this.remote }; }
  tooLarge() { return { remote: this.remote, big: "x".repeat(33 * 1024 * 1024) }; }
  async useOwn() { try { return await this.remote.value(); } catch (e) { return [e.name, e.message, typeof e.durableObjectId]; } }
  target() { return new T(); }
  async keepCallback(f) { this.f = f.dup(); return 1; }
  giveCallback() { return this.f; }
  async useCallback() { try { return await this.f(); } catch (e) { return [e.name, e.message]; } }
  async viaCallback(cb) { const got = await cb(); try { return await got.value(); } catch (e) { return [e.name, e.message]; } }
  async viaEntrypoint() { const got = await this.env.SVC.give(this.remote); const r = [await got.value()]; try { r.push(await this.remote.value()); } catch (e) { r.push(e.message); } return r; }`, { extra: `class T extends RpcTarget { value() { return 42; } }
class Holder extends RpcTarget { constructor(o) { super(); this.o = o; } give() { return this.o.remote; } get g() { return this.o.remote; } }` });

/**
 * Driver text: for each case (a label and the source of a function of the stub `s`), a fresh held
 * stub (init()), the case's outcome, then what the object's own stub does.
 */
const eachThenOwn = (cases) => `async (env) => {
  const s = env.DO.getByName("a");
  const r = {};
  for (const [label, take] of [${cases.map(([label, take]) => `[${JSON.stringify(label)}, ${take}]`).join(",\n    ")}]) {
    await s.init();
    r[label] = await outcome(() => take(s));
    r[label + ", then the object's own"] = await s.useOwn();
  }
  return r;
}`;

/** The source of a case that records a refusal's name, the start of its message and its flag. */
const refusal = (method) => `async (s) => { try { return await s.${method}(); } catch (e) { return [e.name, e.message.slice(0, 70), e.remote === true]; } }`;

export default [
  {
    name: "rpc results move stubs: an object's stub returned alone, in an object, in a Map, pipelined or dup()ed",
    backend: "sqlite",
    source: HOLDER,
    drive: eachThenOwn([
      ["alone", "async (s) => (await s.give()).value()"],
      ["in an object", "async (s) => (await s.giveInObject()).remote.value()"],
      ["in a Map", `async (s) => (await s.giveInMap()).get("remote").value()`],
      ["pipelined", "(s) => s.give().value()"],
      ["a dup()", "async (s) => (await s.giveDup()).value()"],
      ["twice in one result", "async (s) => { const [a, b] = await s.twice(); return [a === b, await a.value(), await b.value()]; }"],
      ["returned again", "async (s) => { await s.give(); const t = await s.give(); return [typeof t, await outcome(() => t.value())]; }"],
    ]),
  },
  {
    // A property read is a result too; a path through the getter (`s.remoteGetter.value()`) is
    // resolved where the stub is, so nothing is copied and nothing moves.
    name: "rpc results move stubs: read from a getter, returned by an RpcTarget's method or getter, or called through a getter's path",
    backend: "sqlite",
    source: HOLDER,
    drive: eachThenOwn([
      ["a getter read", "async (s) => (await s.remoteGetter).value()"],
      ["a call through the getter's path", "(s) => s.remoteGetter.value()"],
      ["an RpcTarget's method", "async (s) => (await (await s.holder()).give()).value()"],
      ["an RpcTarget's getter", "async (s) => (await (await s.holder()).g).value()"],
    ]),
  },
  {
    // Each held stub moves as the serialiser writes it: a result refused further on (a WeakMap
    // after the stub, the 32 MiB limit) has moved it all the same; one refused before it has not.
    name: "rpc results move stubs: a result refused after or before the held stub in it",
    backend: "sqlite",
    source: HOLDER,
    drive: eachThenOwn([
      ["refused after", refusal("refusedAfter")],
      ["refused before", refusal("refusedBefore")],
      ["too large", refusal("tooLarge")],
    ]),
  },
  {
    name: "rpc results move stubs: a callback's stub an object returns, a stub a callback returns, an entrypoint returning its parameter",
    backend: "sqlite",
    services: { SVC: "ep" },
    workers: { ep: { source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class E extends WorkerEntrypoint { async give(stub) { return stub; } }`, entry: "E" } },
    source: HOLDER,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      await s.keepCallback(() => "caller's function");
      r.callbackReturned = await outcome(async () => (await s.giveCallback())());
      r.callbackAfter = await s.useCallback();
      await s.init();
      const held = await s.give();
      r.aStubACallbackReturns = await outcome(() => s.viaCallback(() => held));
      r.theCallersStubAfter = await outcome(() => held.value());
      await s.init();
      r.entrypointReturnsItsParameter = await outcome(() => s.viaEntrypoint());
      return r;
    },
  },
];
