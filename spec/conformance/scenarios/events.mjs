// Runtime events and faults: the global `unhandledrejection` / `rejectionhandled` events
// (which rejections reach them, the event's shape, what preventDefault() does), which host APIs
// let queued events into an object, and `fetch()` of a data: URL.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "events: unhandledrejection and rejectionhandled reach the global listeners",
    // KV-backed: a value over 128 KiB is refused at once (the put nobody awaits below).
    backend: "kv",
    source: cls(`  async leave(kind) {
    if (kind === "plain") Promise.reject(new RangeError("left"));
    if (kind === "storage") this.ctx.storage.put("k", "x".repeat(200 * 1024));
    if (kind === "bcw") this.ctx.blockConcurrencyWhile(async () => { throw new Error("bcw nobody awaits"); });
    if (kind === "late") { const p = Promise.reject(new Error("late")); setTimeout(() => { p.catch(() => {}); }, 5); }
    if (kind === "handled") Promise.reject(new Error("handled at once")).catch(() => {});
    return "ok";
  }
  async hello() { return "hi"; }`),
    drive: async (env) => {
      const seen = [];
      const describe = (e) => ({
        type: e.type, ctor: e.constructor?.name, tag: Object.prototype.toString.call(e), own: Object.keys(e),
        reason: e.reason instanceof Error ? e.reason.message : String(e.reason),
        promise: Object.prototype.toString.call(e.promise), cancelable: e.cancelable, bubbles: e.bubbles,
        isTrusted: e.isTrusted, protoKeys: Object.getOwnPropertyNames(Object.getPrototypeOf(e)),
        isEvent: e instanceof Event,
      });
      const onUnhandled = (e) => {
        seen.push(describe(e));
        e.preventDefault();
        seen.push({ defaultPrevented: e.defaultPrevented });
      };
      const onHandled = (e) => { seen.push(describe(e)); };
      const globals = ["addEventListener", "removeEventListener", "dispatchEvent", "PromiseRejectionEvent"].map((k) => typeof globalThis[k]);
      addEventListener("unhandledrejection", onUnhandled);
      addEventListener("rejectionhandled", onHandled);
      const settle = () => new Promise((r) => setTimeout(r, 40));
      const out = { globals };
      for (const kind of ["plain", "storage", "bcw", "late", "handled"]) {
        seen.length = 0;
        const stub = env.DO.getByName(kind);
        const left = await outcome(() => stub.leave(kind));
        await settle();
        out[kind] = { left, seen: [...seen], after: await outcome(() => stub.hello()), fresh: await outcome(() => env.DO.getByName(kind).hello()) };
      }
      seen.length = 0;
      Promise.reject(new Error("the Worker's own"));
      await settle();
      out.worker = [...seen];
      removeEventListener("unhandledrejection", onUnhandled);
      removeEventListener("rejectionhandled", onHandled);
      seen.length = 0;
      Promise.reject(new Error("after removal")).catch(() => {});
      await settle();
      out.afterRemoval = [...seen];
      out.construct = await outcome(() => new PromiseRejectionEvent("unhandledrejection", { promise: Promise.resolve(), reason: 1 }));
      out.prototypeChain = Object.getPrototypeOf(PromiseRejectionEvent.prototype) === Event.prototype;
      out.toStringTag = Object.getOwnPropertyDescriptor(PromiseRejectionEvent.prototype, Symbol.toStringTag);
      return out;
    },
  },
  {
    name: "events: which host APIs let queued calls into an object",
    backend: "sqlite",
    source: cls(`  async waitOn(what) {
    marks.push("start");
    if (what === "setTimeout") await new Promise((r) => setTimeout(r, 1));
    if (what === "scheduler.wait(1)") await scheduler.wait(1);
    if (what === "scheduler.wait(0)") await scheduler.wait(0);
    if (what === "blob.text()") await new Blob(["abc"]).text();
    if (what === "blob.arrayBuffer()") await new Blob(["abc"]).arrayBuffer();
    if (what === "fetch(data:)") await fetch("data:text/plain,hi");
    marks.push("end");
  }
  async mark() { marks.push("other"); }`, { extra: "let marks = [];" }),
    drive: async (env) => {
      const stub = env.DO.getByName("g");
      const out = {};
      for (const what of ["setTimeout", "scheduler.wait(1)", "scheduler.wait(0)", "blob.text()", "blob.arrayBuffer()", "fetch(data:)"]) {
        marks = [];
        const r = await outcome(() => Promise.all([stub.waitOn(what), stub.mark()]));
        out[what] = r.error ? r : marks.join(",");
      }
      return out;
    },
  },
  {
    name: "events: reading a Blob's stream lets queued calls into an object",
    backend: "sqlite",
    differs:
      "a Blob's stream is Node's: its reads complete within the microtask queue, where the runtime's are I/O (a turn later, letting queued events in)",
    source: cls(`  async waitOn() {
    marks.push("start");
    const reader = new Blob(["abc"]).stream().getReader();
    await reader.read();
    marks.push("end");
  }
  async mark() { marks.push("other"); }`, { extra: "let marks = [];" }),
    drive: async (env) => {
      const stub = env.DO.getByName("b");
      await Promise.all([stub.waitOn(), stub.mark()]);
      return marks.join(",");
    },
  },
  {
    name: "events: fetch() of data: URLs from object and Worker code",
    backend: "sqlite",
    source: cls(`  async fetchAll() { return fetchDataUrls(); }`, {
      extra: `async function fetchDataUrls() {
  const out = {};
  for (const url of ["data:text/plain,hi%20there", "data:;base64,aGk=", "data:application/json,{}", "data:,x"]) {
    out[url] = await outcome(async () => {
      const r = await fetch(url);
      return { status: r.status, statusText: r.statusText, type: r.headers.get("content-type"), body: await r.text(), url: r.url, redirected: r.redirected };
    });
  }
  return out;
}`,
    }),
    drive: async (env) => ({ fromObject: await env.DO.getByName("d").fetchAll(), fromWorker: await fetchDataUrls() }),
  },
  {
    // (A `new EventTarget()`'s listeners do the same: conformance "web apis: EventTarget: ...".
    // For an event that is not cancelable the runtime's dispatchEvent()
    // still answers false after such a listener; durasim's answers true.)
    name: "events: a listener that returns true cancels the event (the global's, a WebSocket's)",
    backend: "sqlite",
    source: cls(`  async hello() { return "hi"; }`),
    drive: async () => {
      const out = {};
      const targets = { global: () => globalThis, webSocket: () => new WebSocketPair()[0] };
      for (const [name, make] of Object.entries(targets)) {
        for (const returned of [true, false, 1, "true"]) {
          for (const form of ["function", "handleEvent"]) {
            const target = make();
            const type = `probe-${name}`;
            const listener = form === "function" ? () => returned : { handleEvent: () => returned };
            target.addEventListener(type, listener);
            const event = new Event(type, { cancelable: true });
            out[`${name} ${form} ${JSON.stringify(returned)}`] = { dispatched: target.dispatchEvent(event), defaultPrevented: event.defaultPrevented };
            target.removeEventListener(type, listener);
          }
        }
      }
      return out;
    },
  },
];
