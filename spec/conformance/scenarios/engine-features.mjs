// JavaScript engine features whose availability is the embedder's choice, tried from an
// object's method: Atomics on shared memory (the runtime refuses to let a request block its
// thread in wait()), weak references and finalizers, growable shared buffers,
// Error.captureStackTrace, and the names of Node's own globals, which Worker code without
// nodejs_compat must not see. (Language features that come with the V8 version, which differs
// between workerd and each Node, are left out.)
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

/** Atomics.wait() while the module is evaluated, recorded for an object's method to report. */
const TOP_WAIT = `let TOP_WAIT; try { TOP_WAIT = { ok: Atomics.wait(new Int32Array(new SharedArrayBuffer(8)), 0, 1, 0) }; } catch (e) { TOP_WAIT = { error: err(e) }; }`;

export default [
  insideWith(CALL_HELPERS, "engine features: Atomics.wait refused, weak references, growable shared buffers, stack capture, Node's globals", "sqlite", `
    const shared = new Int32Array(new SharedArrayBuffer(8));
    return howAll({
      atomicsAdd: () => [Atomics.add(shared, 0, 2), Atomics.load(shared, 0)],
      atomicsWaitNotEqual: () => Atomics.wait(shared, 0, 99, 0),
      atomicsWaitTimeout: () => Atomics.wait(shared, 1, 0, 0),
      atomicsWaitAsync: () => typeof Atomics.waitAsync,
      atomicsWaitShape: () => [Atomics.wait.name, Atomics.wait.length, Object.prototype.toString.call(Atomics), Object.keys(Atomics).length],
      atomicsWaitNoArgs: () => Atomics.wait(),
      atomicsWaitUnshared: () => Atomics.wait(new Int32Array(2), 0, 0, 0),
      atomicsWaitFloat: () => Atomics.wait(new Float64Array(new SharedArrayBuffer(8)), 0, 0, 0),
      atomicsWaitBigTimeout: () => Atomics.wait(shared, 0, 0, 1n),
      atomicsWaitSymbolValue: () => Atomics.wait(shared, 0, Symbol("v"), 0),
      atomicsWaitBig64: () => Atomics.wait(new BigInt64Array(new SharedArrayBuffer(8)), 0, 0n, 0),
      atomicsWaitBig64Number: () => Atomics.wait(new BigInt64Array(new SharedArrayBuffer(8)), 0, 0, 0),
      atomicsWaitOrder: () => { const log = []; try { Atomics.wait(shared, { valueOf() { log.push("index"); return 0; } }, { valueOf() { log.push("value"); return 0; } }, { valueOf() { log.push("timeout"); return 0; } }); } catch (e) { log.push(e.message); } return log; },
      atomicsWaitNew: () => new Atomics.wait(),
      atomicsWaitOwnKeys: () => Reflect.ownKeys(Atomics.wait),
      atomicsNotify: () => Atomics.notify(shared, 0, 1),
      weakRef: () => typeof new WeakRef({}).deref(),
      finalization: () => { const r = new FinalizationRegistry(() => {}); r.register({}, 1); return typeof r.unregister; },
      growable: () => { const b = new SharedArrayBuffer(2, { maxByteLength: 8 }); b.grow(4); return [b.growable, b.byteLength]; },
      captureStackTrace: () => { const o = {}; Error.captureStackTrace(o); return typeof o.stack; },
      stackTraceLimit: () => typeof Error.stackTraceLimit,
      nodeNames: () => ["process", "Buffer", "global", "require", "module", "setImmediate", "clearImmediate", "__dirname", "__filename", "exports"].map((n) => [n, typeof globalThis[n]]),
      gc: () => typeof globalThis.gc,
    });`),
  insideWith(`${CALL_HELPERS}\n${TOP_WAIT}`, "engine features: Atomics.wait() while the module is evaluated", "sqlite", `return TOP_WAIT;`),
];
