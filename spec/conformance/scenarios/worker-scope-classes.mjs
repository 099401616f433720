// Classes of the runtime's Worker scope beyond the Web APIs (worker-scope.mjs): the Cache API's,
// the service worker's events and scopes, and a Node global the runtime lacks
// (BroadcastChannel): what `typeof` says, the prototype chains, what `C()` and `new C()` do, the
// own keys, and what the members do on anything but an instance. What durasim lacks
// (EventSource, HTMLRewriter, Float16Array before Node 24) is recorded beside, as a declared
// difference (the Cloudflare global has cloudflare-global.mjs).
import { inside } from "../scenario.mjs";

const helpers = `
    const chain = (o) => { const names = []; for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) names.push(Object.prototype.hasOwnProperty.call(p, "constructor") ? p.constructor.name : "(no constructor)"); return names; };
    const attempt = (f) => { try { const v = f(); return ["returns", typeof v, Object.prototype.toString.call(v)]; } catch (e) { return ["throws", e.constructor.name, e.message]; } };
    const settled = (f) => { try { return Promise.resolve(f()).then((v) => ["resolves", typeof v], (e) => ["rejects", e.constructor.name, e.message]); } catch (e) { return ["throws", e.constructor.name, e.message]; } };
    // The runtime's internal symbols (cloudflare:internal-class, kResourceTypeInspect) are no contract.
    const keys = (o) => Reflect.ownKeys(o).filter((k) => typeof k === "string" || k === Symbol.toStringTag).map(String);
    const classFacts = (C, { members = true } = {}) => typeof C !== "function" ? typeof C : {
      name: C.name, length: C.length, chain: chain(C), protoChain: chain(C.prototype),
      own: Object.getOwnPropertyNames(C), ...(members ? { protoOwn: keys(C.prototype) } : {}),
      call: attempt(() => C()), construct: attempt(() => new C()), constructOne: attempt(() => new C("x")),
    };
    const onPlain = async (C, names) => { const r = {}; for (const n of names) r[n] = await settled(() => C.prototype[n].call({})); return r; };`;

const scope = (name, body, extra = {}) => ({ ...inside(`worker scope classes: ${name}`, "sqlite", `${helpers}\n${body}`), ...extra });

export default [
  scope("what typeof says of each", `
    return {
      Cache: typeof Cache, CacheStorage: typeof CacheStorage, caches: typeof caches, ExtendableEvent: typeof ExtendableEvent, FetchEvent: typeof FetchEvent,
      WorkerGlobalScope: typeof WorkerGlobalScope, ServiceWorkerGlobalScope: typeof ServiceWorkerGlobalScope, BroadcastChannel: typeof BroadcastChannel,
    };`),
  scope("Cache and CacheStorage", `
    const opened = await caches.open("x");
    return {
      Cache: classFacts(Cache), CacheStorage: classFacts(CacheStorage),
      instances: [caches instanceof CacheStorage, caches.default instanceof Cache, chain(caches), chain(caches.default), Object.prototype.toString.call(caches), Object.prototype.toString.call(caches.default)],
      opened: [opened instanceof Cache, opened === caches.default, caches.default === caches.default],
      own: [Object.getOwnPropertyNames(caches), Object.getOwnPropertyNames(caches.default)],
      defaultDescriptor: Object.entries(Object.getOwnPropertyDescriptor(caches, "default")).map(([k, v]) => [k, typeof v === "boolean" ? v : typeof v]),
      unimplemented: {
        add: await settled(() => caches.default.add("http://x/")), addAll: await settled(() => caches.default.addAll(["http://x/"])),
        matchAll: await settled(() => caches.default.matchAll()), keys: await settled(() => caches.default.keys()),
        delete: await settled(() => caches.delete("x")), match: await settled(() => caches.match("http://x/")), has: await settled(() => caches.has("x")), storageKeys: await settled(() => caches.keys()),
      },
      cacheOnPlain: await onPlain(Cache, ["match", "put", "delete", "add"]), storageOnPlain: await onPlain(CacheStorage, ["open", "delete"]),
    };`),
  scope("ExtendableEvent and FetchEvent", `
    return {
      ExtendableEvent: classFacts(ExtendableEvent), FetchEvent: classFacts(FetchEvent),
      extendableOnPlain: await onPlain(ExtendableEvent, ["waitUntil"]), fetchOnPlain: await onPlain(FetchEvent, ["respondWith", "passThroughOnException"]),
      subclass: attempt(() => { class E extends ExtendableEvent {} return new E("x"); }),
    };`),
  scope("WorkerGlobalScope and ServiceWorkerGlobalScope", `
    return {
      // The scope's prototype holds every global in the runtime: no contract of durasim's.
      WorkerGlobalScope: classFacts(WorkerGlobalScope, { members: false }), ServiceWorkerGlobalScope: classFacts(ServiceWorkerGlobalScope, { members: false }),
      instances: [globalThis instanceof ServiceWorkerGlobalScope, globalThis instanceof WorkerGlobalScope, self instanceof ServiceWorkerGlobalScope, globalThis instanceof EventTarget, {} instanceof ServiceWorkerGlobalScope],
      tags: [Object.prototype.toString.call(ServiceWorkerGlobalScope.prototype), Object.prototype.toString.call(WorkerGlobalScope.prototype)],
    };`),
  scope("what durasim lacks: EventSource, HTMLRewriter, Float16Array, the scope's own prototype", `
    const names = ["Cache", "CacheStorage", "caches", "ExtendableEvent", "FetchEvent", "WorkerGlobalScope", "ServiceWorkerGlobalScope", "Cloudflare", "EventSource", "HTMLRewriter", "BroadcastChannel", "ScheduledEvent", "TailEvent"];
    return {
      typeofs: [typeof EventSource, typeof HTMLRewriter, typeof Float16Array, typeof Math.f16round, typeof DataView.prototype.getFloat16],
      EventSource: classFacts(globalThis.EventSource),
      broadcastChannel: attempt(() => BroadcastChannel),
      onGlobal: names.map((n) => [n, n in globalThis]),
      globalChain: chain(globalThis),
    };`, {
    differs: "durasim lacks the runtime's EventSource and HTMLRewriter, and Float16Array on Node before 24; "
      + "Worker code sees the Workers classes as module-scoped names, not on the global object, which keeps Node's prototype chain, and BroadcastChannel as undefined rather than undeclared (README: Worker globals)",
  }),
];
