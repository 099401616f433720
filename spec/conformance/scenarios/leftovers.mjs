// Left-over fidelity items checked against workerd: what storage reads back of an Error and of
// values V8 writes but cannot read, and `new` on what a stub gives (RPC names answer it as a
// call; the runtime's API methods are no constructors).
import { cls, insideBoth } from "../scenario.mjs";

export default [
  insideBoth("leftovers: an Error read back from storage lists its stack among its keys", `
    const e = new Error("m");
    e.code = 5;
    await s.put("e", e);
    const back = await s.get("e");
    await s.put("r", { r: new RangeError("r", { cause: new TypeError("inner") }) });
    const { r } = await s.get("r");
    const d = Object.getOwnPropertyDescriptor(back, "stack");
    return {
      keys: Object.keys(back),
      own: Object.getOwnPropertyNames(back),
      stack: { enumerable: d.enumerable, writable: d.writable, configurable: d.configurable, accessor: typeof d.get },
      nestedKeys: Object.keys(r),
      causeKeys: Object.keys(r.cause),
      json: JSON.stringify(back).replace(/"stack":"[^"]*"/, '"stack":"<stack>"'),
      originalKeys: Object.keys(e),
    };`),
  insideBoth("leftovers: storage writes values it cannot read back (a SharedArrayBuffer, an Error inside itself)", `
    const r = {};
    const shared = new SharedArrayBuffer(4);
    r.put = await outcome(() => s.put("a", shared));
    r.get = await outcome(() => s.get("a"));
    r.putView = await outcome(() => s.put("b", { v: new Uint8Array(shared) }));
    r.getView = await outcome(() => s.get("b"));
    r.getMany = await outcome(() => s.get(["a", "b"]));
    r.list = await outcome(() => s.list());
    const e = new Error("x");
    e.cause = e;
    r.putCycle = await outcome(() => s.put("c", e));
    r.getCycle = await outcome(() => s.get("c"));
    r.getCycleAgain = await outcome(() => s.get("c"));
    if (s.kv) {
      r.kvPut = outcomeSync(() => s.kv.put("d", shared));
      r.kvGet = outcomeSync(() => s.kv.get("d"));
    }
    r.otherKey = await outcome(() => s.get("zz"));
    return r;`),
  {
    name: "leftovers: new on a stub's RPC names is a call; the runtime's methods are no constructors",
    backend: "sqlite",
    source: cls(`  hello(a) { return "hi " + a; }
  get prop() { return { f() { return 1; } }; }
  fn() { return (x) => x * 2; }
  target() { return new T(); }
  inside() {
    const s = this.ctx.storage;
    const r = {};
    for (const [k, f] of [["get", s.get], ["sqlExec", s.sql.exec], ["abort", this.ctx.abort], ["acceptWebSocket", this.ctx.acceptWebSocket], ["idFromName", this.env.DO.idFromName], ["getByName", this.env.DO.getByName]]) {
      let out;
      try { new f(); out = "constructed"; } catch (e) { out = e.message; }
      r[k] = { out, names: Object.getOwnPropertyNames(f) };
    }
    return r;
  }`, { extra: "class T extends RpcTarget { m(x) { return x + 1; } }" }),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const r = {};
      r.method = await outcome(async () => { const x = new stub.hello(1); return { tag: Object.prototype.toString.call(x), v: await x }; });
      r.pipelined = await outcome(async () => await new (stub.prop.f)());
      r.missing = await outcome(async () => await new stub.nope());
      r.connect = outcomeSync(() => new stub.connect("x:1"));
      r.fetch = outcomeSync(() => new stub.fetch("http://x/"));
      r.stub = outcomeSync(() => new stub());
      r.promise = await outcome(async () => await new (stub.hello(2))());
      const f = await stub.fn();
      r.functionStub = await outcome(async () => { const x = new f(3); return { tag: Object.prototype.toString.call(x), v: await x }; });
      const t = await stub.target();
      r.targetStub = await outcome(async () => await new t());
      r.targetMethod = await outcome(async () => await new t.m(4));
      r.inside = await stub.inside();
      return r;
    },
  },
];
