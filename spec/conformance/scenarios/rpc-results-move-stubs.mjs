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
  async useOwn() { try { return await this.remote.value(); } catch (e) { return [e.name, e.message, typeof e.durableObjectId]; } }
  target() { return new T(); }
  async keepCallback(f) { this.f = f.dup(); return 1; }
  giveCallback() { return this.f; }
  async useCallback() { try { return await this.f(); } catch (e) { return [e.name, e.message]; } }
  async viaCallback(cb) { const got = await cb(); try { return await got.value(); } catch (e) { return [e.name, e.message]; } }
  async viaEntrypoint() { const got = await this.env.SVC.give(this.remote); const r = [await got.value()]; try { r.push(await this.remote.value()); } catch (e) { r.push(e.message); } return r; }`, { extra: `class T extends RpcTarget { value() { return 42; } }` });

export default [
  {
    // Each held stub moves as the serialiser writes it: a result refused further on (a WeakMap
    // after the stub, the 32 MiB limit) has moved it all the same; one refused before it has not.
    name: "rpc results move stubs: a result refused after or before the held stub in it",
    backend: "sqlite",
    source: cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); return 1; }
  refusedAfter() { return { remote: this.remote, bad: new WeakMap() }; }
  refusedBefore() { return { bad: new WeakMap(), remote: this.remote }; }
  tooLarge() { return { remote: this.remote, big: "x".repeat(33 * 1024 * 1024) }; }
  async useOwn() { try { return await this.remote.value(); } catch (e) { return [e.name, e.message]; } }
  target() { return new T(); }`, { extra: `class T extends RpcTarget { value() { return 42; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      for (const method of ["refusedAfter", "refusedBefore", "tooLarge"]) {
        await s.init();
        r[method] = await outcome(async () => { try { return await s[method](); } catch (e) { return [e.name, e.message.slice(0, 70), e.remote === true]; } });
        r[method + ", then the object's own"] = await s.useOwn();
      }
      return r;
    },
  },
  {
    // A property read is a result too; a path through the getter (`s.remoteGetter.value()`) is
    // resolved where the stub is, so nothing is copied and nothing moves.
    name: "rpc results move stubs: read from a getter, returned by an RpcTarget's method or getter, or called through a getter's path",
    backend: "sqlite",
    source: cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); return 1; }
  get remoteGetter() { return this.remote; }
  async useOwn() { try { return await this.remote.value(); } catch (e) { return [e.name, e.message]; } }
  holder() { return new Holder(this); }
  target() { return new T(); }`, { extra: `class T extends RpcTarget { value() { return 42; } }
class Holder extends RpcTarget { constructor(o) { super(); this.o = o; } give() { return this.o.remote; } get g() { return this.o.remote; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const each = async (label, take) => {
        await s.init();
        r[label] = await outcome(take);
        r[label + ", then the object's own"] = await s.useOwn();
      };
      await each("a getter read", async () => (await s.remoteGetter).value());
      await each("a call through the getter's path", () => s.remoteGetter.value());
      await each("an RpcTarget's method", async () => (await (await s.holder()).give()).value());
      await each("an RpcTarget's getter", async () => (await (await s.holder()).g).value());
      return r;
    },
  },
  {
    name: "rpc results move stubs: an object's stub returned alone, in an object, in a Map, pipelined or dup()ed",
    backend: "sqlite",
    source: HOLDER,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const each = async (label, take) => {
        await s.init();
        r[label] = await outcome(take);
        r[label + ", then the object's own"] = await s.useOwn();
      };
      await each("alone", async () => (await s.give()).value());
      await each("in an object", async () => (await s.giveInObject()).remote.value());
      await each("in a Map", async () => (await s.giveInMap()).get("remote").value());
      await each("pipelined", () => s.give().value());
      await each("a dup()", async () => (await s.giveDup()).value());
      await each("twice in one result", async () => { const [a, b] = await s.twice(); return [a === b, await a.value(), await b.value()]; });
      await s.init();
      r["returned again"] = await outcome(async () => { await s.give(); const t = await s.give(); return [typeof t, await outcome(() => t.value())]; });
      return r;
    },
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
