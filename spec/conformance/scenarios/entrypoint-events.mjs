// A WorkerEntrypoint's call as an event: its ctx.waitUntil() work running on after the call
// returns, callbacks it was given (used during the call, after it, or kept with dup()), the
// module-level waitUntil and exports while the module loads, the clocks across an RPC call it
// makes, and globals (navigator, crypto.randomUUID) as an entrypoint sees them.

const SOURCE = `import { DurableObject, WorkerEntrypoint, waitUntil as moduleWaitUntil, exports as moduleExports } from "cloudflare:workers";
const atLoad = {
  waitUntil: (() => { try { moduleWaitUntil(Promise.resolve(1)); return "returned"; } catch (e) { return "threw " + e.name + ": " + e.message; } })(),
  // (exports while the module loads: workerd's is empty; durasim's holds the bound classes'
  // namespaces already, for test files' top level: FINDINGS.md.)
  entrypoints: (() => { try { return [typeof moduleExports.Named, typeof moduleExports.default]; } catch (e) { return "threw " + e.name + ": " + e.message; } })(),
  waitUntilNoArgs: (() => { try { moduleWaitUntil(); return "returned"; } catch (e) { return "threw " + e.name + ": " + e.message; } })(),
};
export class DO extends DurableObject {
  async note(x) { const list = (await this.ctx.storage.get("notes")) ?? []; list.push(x); await this.ctx.storage.put("notes", list); return list.length; }
  notes() { return this.ctx.storage.get("notes"); }
  now() { return Date.now(); }
}
let kept;
let keptResult;
export class Named extends WorkerEntrypoint {
  atLoad() { return atLoad; }
  later(name) {
    const stub = this.env.DO.getByName(name);
    this.ctx.waitUntil(scheduler.wait(5).then(() => stub.note("from waitUntil")));
    this.ctx.waitUntil(Promise.resolve().then(() => stub.note("microtask")));
    return "returned";
  }
  laterModule(name) {
    const stub = this.env.DO.getByName(name);
    moduleWaitUntil(scheduler.wait(5).then(() => stub.note("from module waitUntil")));
    return "returned";
  }
  async callNow(cb) { return await cb("during"); }
  callAfter(cb) {
    keptResult = undefined;
    this.ctx.waitUntil(scheduler.wait(5).then(async () => { try { keptResult = { ok: await cb("after") }; } catch (e) { keptResult = { threw: e.name + ": " + e.message }; } }));
    return "returned";
  }
  keep(cb) { kept = cb.dup(); return "kept"; }
  async useKept() { try { return { ok: await kept("kept call") }; } catch (e) { return { threw: e.name + ": " + e.message }; } }
  keptResult() { return keptResult; }
  async clocks(name) {
    const before = [Date.now(), performance.now()];
    let x = 0; for (let i = 0; i < 2e7; i++) x += i % 3;
    const afterBusy = [Date.now(), performance.now()];
    const objectNow = await this.env.DO.getByName(name).now();
    const afterCall = [Date.now(), performance.now()];
    return { busyMoved: afterBusy.map((v, i) => v > before[i]), callMoved: afterCall.map((v, i) => v > before[i]), objectAtOrAfter: objectNow >= before[0], objectAtOrBeforeReturn: objectNow <= afterCall[0] };
  }
  globals() {
    const uuids = [crypto.randomUUID(), crypto.randomUUID()];
    return {
      userAgent: navigator.userAgent, language: navigator.language, hardwareConcurrency: navigator.hardwareConcurrency,
      uuidForm: uuids.map((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)), uuidsDiffer: uuids[0] !== uuids[1],
      perfNowNonNegative: performance.now() >= 0, timeOriginZero: performance.timeOrigin === 0,
      // Within a second: workerd under load once read the two a millisecond apart.
      dateIsNow: Math.abs(new Date().getTime() - Date.now()) < 1000,
    };
  }
}
`;

const scenario = (name, drive) => ({
  name: `entrypoint events: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  services: { SVC: { name: "test", entrypoint: "Named" } },
  drive,
});

export default [
  scenario("the module-level waitUntil() while the module loads is refused as I/O is; exports has no entrypoints yet", async (env) => outcome(() => env.SVC.atLoad())),
  scenario("an entrypoint's ctx.waitUntil() work runs on after the call has returned", async (env) => {
    const returned = await outcome(() => env.SVC.later("w"));
    const stub = env.DO.getByName("w");
    await waitFor(async () => ((await stub.notes()) ?? []).length === 2);
    return { returned, notes: await stub.notes() };
  }),
  scenario("the module-level waitUntil() inside an entrypoint's call extends it as ctx.waitUntil() does", async (env) => {
    const returned = await outcome(() => env.SVC.laterModule("m"));
    const stub = env.DO.getByName("m");
    await waitFor(async () => ((await stub.notes()) ?? []).length === 1);
    return { returned, notes: await stub.notes() };
  }),
  scenario("a callback given to an entrypoint: called during the call, after it in waitUntil, and kept with dup()", async (env) => {
    const calls = [];
    const cb = (x) => { calls.push(x); return "cb " + x; };
    const out = { now: await outcome(() => env.SVC.callNow(cb)) };
    out.after = await outcome(() => env.SVC.callAfter(cb));
    await waitFor(async () => (await env.SVC.keptResult()) !== undefined);
    out.afterResult = await outcome(() => env.SVC.keptResult());
    out.keep = await outcome(() => env.SVC.keep(cb));
    out.useKept = await outcome(() => env.SVC.useKept());
    out.calls = calls;
    return out;
  }),
  scenario("the clocks in an entrypoint: still across busy work, moved across an RPC call to an object", async (env) => outcome(() => env.SVC.clocks("c"))),
  scenario("navigator, crypto.randomUUID() and the clocks' origins as an entrypoint sees them", async (env) => outcome(() => env.SVC.globals())),
];
