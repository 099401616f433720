// Only objects the runtime made as RpcTargets (instances of an RpcTarget class, with or without
// class fields, of a subclass of one, even once their prototype was swapped) cross RPC as stubs.
// An object that only inherits such a prototype (Object.create(T.prototype), setPrototypeOf), or
// a Durable Object's or WorkerEntrypoint's, as argument or as return value, is an object of a
// class RPC cannot serialise, named by its constructor (the base classes by their interface); a
// refused result names the calling object, or the owner of the RpcTarget or callback that
// returned it. Thrown, such an object arrives as a plain one. A Proxy is an RpcTarget by its prototype, and
// `new RpcStub()` wraps whatever inherits an RpcTarget's prototype, calling its class methods.
import { cls } from "../scenario.mjs";

const KINDS = `class T extends RpcTarget { m() { return "m"; } }
class Fields extends RpcTarget { x = 1; m() { return "f" + this.x; } }
class Deeper extends T { n() { return "n"; } }
class Early extends RpcTarget { constructor() { const before = "b"; super(); this.before = before; } m() { return this.before; } }
class WE extends WorkerEntrypoint {}
const kinds = (self) => ({
  sub: () => new T(), fields: () => new Fields(), deeper: () => new Deeper(), early: () => new Early(),
  createSub: () => Object.create(T.prototype), createBare: () => Object.create(RpcTarget.prototype),
  createDeeper: () => Object.create(Deeper.prototype), createOwn: () => Object.assign(Object.create(T.prototype), { own() { return "own"; } }), createDO: () => Object.create(self.constructor.prototype),
  createWE: () => Object.create(WE.prototype), createDOBase: () => Object.create(DurableObject.prototype), createWEBase: () => Object.create(WorkerEntrypoint.prototype), inObject: () => ({ t: Object.create(T.prototype) }),
  reprotoPlain: () => Object.setPrototypeOf({ a: 1 }, T.prototype), reprotoInstance: () => Object.setPrototypeOf(new T(), Object.prototype),
  reprotoToOther: () => Object.setPrototypeOf(new T(), Fields.prototype),
  proxyOfInstance: () => new Proxy(new T(), {}), proxyOfCreated: () => new Proxy(Object.create(T.prototype), {}),
});
const look = async (v) => { try { const r = await v; return typeof r === "object" || typeof r === "function" ? [typeof r, Object.prototype.toString.call(r), await outcome(() => r.m())] : r; } catch (e) { return err(e); } };`;

export default [
  {
    name: "rpc: an object that only inherits an RpcTarget's prototype is refused, as argument and as return value",
    backend: "sqlite",
    source: `import { DurableObject, RpcStub, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
${KINDS}
export class DO extends DurableObject {
  echo(v) { return v; }
  make(k) { return kinds(this)[k](); }
  async go() {
    const other = this.env.DO.getByName("other");
    const r = {};
    for (const [k, make] of Object.entries(kinds(this))) {
      r[k] = { arg: await look(other.echo(make())), ret: await look(other.make(k)), stub: await outcome(async () => { const s = new RpcStub(make()); return [await outcome(() => s.m()), await outcome(() => s.own())]; }) };
    }
    r.thrown = await outcome(async () => { try { await other.throwCreated(); } catch (e) { return [Object.prototype.toString.call(e), Object.keys(e), e instanceof RpcTarget]; } });
    r.fromTarget = await outcome(async () => (await other.target()).make());
    r.toCallback = await outcome(() => other.callBack(() => Object.create(T.prototype)));
    return r;
  }
  throwCreated() { throw Object.assign(Object.create(T.prototype), { own: 1 }); }
  target() { return new (class extends RpcTarget { make() { return Object.create(T.prototype); } })(); }
  async callBack(f) { return look(f()); }
}
`,
    drive: async (env) => env.DO.getByName("a").go(),
  },
];
