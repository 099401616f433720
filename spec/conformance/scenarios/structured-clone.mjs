// structuredClone() in Worker and object code is the runtime's: its serialiser's round trip (the
// one storage writes with), so it refuses, keeps and words what storage does, runs each getter
// once, and takes a transfer list of ArrayBuffers as the runtime takes it.
import { inside } from "../scenario.mjs";

const clone = (name, body) => inside(`structuredClone: ${name}`, "sqlite", `
  const outcome = (f) => { try { const r = f(); return ["ok", r]; } catch (e) { return [e.constructor.name, e.name, e.message]; } };
${body}`);

export default [
  clone("what it refuses, in the runtime's words", `
  const key = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
  const values = {
    fn: () => 1, symbol: Symbol("s"), url: new URL("http://a/"), params: new URLSearchParams("a=1"), decoder: new TextDecoder(),
    body: new Response("x"), file: new File(["a"], "f"), signal: new AbortController().signal, stream: new ReadableStream(),
    writable: new WritableStream(), target: new EventTarget(), event: new Event("x"), form: new FormData(), socket: new WebSocketPair()[0],
    key, crypto, subtle: crypto.subtle, port: new MessageChannel().port1, weak: new WeakMap(), promise: Promise.resolve(),
    id: this.ctx.id, storage: this.ctx.storage, proxy: new Proxy({}, {}), proxyDate: new Proxy(new Date(0), {}),
    nested: { a: [1, { b: () => 2 }] }, errorHolding: Object.assign(new Error("e"), { fn() {} }),
  };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, outcome(() => structuredClone(v))]));
`),
  clone("the kinds it keeps", `
  const headers = structuredClone(new Headers({ b: "2", a: "1" }));
  const request = structuredClone(new Request("http://a/x", { method: "POST", headers: { h: "v" } }));
  const response = structuredClone(new Response(null, { status: 201, statusText: "Made", headers: { h: "v" } }));
  const dom = structuredClone(Object.assign(new DOMException("m", "AbortError"), { extra: 1 }));
  const blob = new Blob(["hey"], { type: "t/x" });
  const blobs = structuredClone({ a: blob, b: blob });
  const shared = new SharedArrayBuffer(4);
  const sharedCopy = structuredClone({ buffer: shared, view: new Uint8Array(shared, 1, 2) });
  sharedCopy.view[0] = 7;
  return {
    headers: [headers.constructor.name, [...headers]],
    request: [request.constructor.name, request.method, request.url, [...request.headers]],
    response: [response.constructor.name, response.status, response.statusText, [...response.headers]],
    dom: [dom.constructor.name, dom.name, dom.message, dom.code, dom.extra, Object.keys(dom)],
    blobs: [blobs.a.constructor.name, blobs.a === blobs.b, blobs.a !== blob, blobs.a.type, await blobs.a.text()],
    shared: [sharedCopy.buffer === shared, sharedCopy.view.buffer === sharedCopy.buffer, new Uint8Array(shared)[1], sharedCopy.view.length],
    plain: Object.values(structuredClone({ d: new Date(0), m: new Map([[1, { x: 1 }]]), s: new Set([2]), r: /a/g, u: undefined, n: null })).map((v) => Object.prototype.toString.call(v) + " " + (v instanceof Map || v instanceof Set ? JSON.stringify([...v]) : v instanceof Date ? v.getTime() : String(v))),
    bigint: typeof structuredClone(1n),
  };
`),
  clone("Errors keep their kind, name and own properties", `
  const describe = (e) => [e.constructor.name, e.name, e.message, Object.keys(e), Object.getOwnPropertyNames(e), e.cause, e.code];
  const typed = Object.assign(new TypeError("boom", { cause: 1 }), { code: 7 });
  const named = Object.assign(new Error("x"), { name: "Custom" });
  const renamed = Object.assign(new RangeError("r"), { name: "SyntaxError" });
  const aggregate = new AggregateError([1, new Error("in")], "agg");
  const looped = new Error("self");
  looped.cause = looped;
  const numeric = new Error("x");
  Object.defineProperty(numeric, "message", { value: 5 });
  let reads = 0;
  const counted = new Error("orig");
  Object.defineProperty(counted, "message", { get() { reads++; return "read" + reads; }, configurable: true });
  const countedCopy = structuredClone(counted);
  return {
    typed: describe(structuredClone(typed)),
    stack: structuredClone(typed).stack === typed.stack,
    named: describe(structuredClone(named)),
    renamed: describe(structuredClone(renamed)),
    aggregate: [...describe(structuredClone(aggregate)), structuredClone(aggregate).errors.length],
    looped: outcome(() => structuredClone(looped)),
    numeric: outcome(() => structuredClone(numeric)),
    counted: [reads, countedCopy.message],
  };
`),
  clone("cycles, getters and shared references", `
  const log = [];
  const inner = { get x() { log.push("x"); return 1; } };
  const value = { get a() { log.push("a"); return inner; }, b: [inner], list: [] };
  value.list.push(value);
  const copy = structuredClone(value);
  const arr = [1, 2];
  Object.defineProperty(arr, 0, { get() { log.push("index"); return 9; }, enumerable: true });
  const arrCopy = structuredClone(arr);
  return { log, same: copy.a === copy.b[0], cycle: copy.list[0] === copy, descriptor: Object.getOwnPropertyDescriptor(copy, "a"), arrCopy };
`),
  clone("a transfer list", `
  const out = {};
  const moved = new ArrayBuffer(4);
  new Uint8Array(moved)[0] = 5;
  const copy = structuredClone({ moved, view: new Uint8Array(moved, 1) }, { transfer: [moved, moved] });
  out.moved = [moved.byteLength, copy.moved.byteLength, new Uint8Array(copy.moved)[0], copy.view.buffer === copy.moved];
  const unused = new ArrayBuffer(2);
  structuredClone(1, { transfer: [unused] });
  out.unused = unused.byteLength;
  const viewed = new Uint8Array(3);
  out.view = [structuredClone(viewed, { transfer: [viewed] }).length, viewed.byteLength];
  const kept = new ArrayBuffer(3);
  out.refused = [outcome(() => structuredClone({ kept, f() {} }, { transfer: [kept] })), kept.byteLength];
  out.detached = [outcome(() => structuredClone(1, { transfer: [unused] })), outcome(() => structuredClone(unused))];
  const resizable = new ArrayBuffer(2, { maxByteLength: 8 });
  const grown = structuredClone(resizable, { transfer: [resizable] });
  out.resizable = [grown.resizable, grown.maxByteLength];
  const log = [];
  structuredClone({ get a() { log.push("value"); return 1; } }, { get transfer() { log.push("transfer"); return []; } });
  out.order = log;
  for (const [k, transfer] of Object.entries({ string: "ab", nul: null, set: new Set(), like: { length: 0 }, number: [1], object: [{}], shared: [new SharedArrayBuffer(1)], port: [new MessageChannel().port1] })) {
    out[k] = outcome(() => structuredClone(1, { transfer }));
  }
  return out;
`),
];
