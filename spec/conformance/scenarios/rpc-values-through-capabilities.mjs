// Values that need more than a copy, crossing through capabilities rather than a Durable Object's
// own methods: streams, Requests, Responses and Headers returned by an RpcTarget (its methods and
// getters, pipelined too), given to it, returned by a caller's callback, relayed from one object
// to another, and a WritableStream the object writes; subclasses of built-ins (which cross as
// their base kind), resizable buffers and the views over them, and RegExp state.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc values through capabilities: streams, Requests, Responses and Headers through RpcTargets, callbacks and two objects",
    backend: "sqlite",
    // A Durable Object stub crosses RPC (see scenario.mjs, ownProcess).
    ownProcess: true,
    source: cls(`  target() { return new T(); }
  async viaCallback(cb) {
    const got = await cb("from object");
    const tag = Object.prototype.toString.call(got);
    if (got instanceof ReadableStream) return [tag, await new Response(got).text()];
    if (got instanceof Response) return [tag, got.status, got.headers.get("x"), await got.text()];
    if (got instanceof Request) return [tag, got.method, got.url, await got.text()];
    return [tag, String(got)];
  }
  async relay(other) { return await other.readIt(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("relayed")); c.close(); } })); }
  async readIt(st) { return await new Response(st).text(); }
  async writeTo(ws) { const w = ws.getWriter(); await w.write(new TextEncoder().encode("written by object")); await w.close(); return "done"; }`, { extra: `const bytes = (s) => new TextEncoder().encode(s);
class T extends RpcTarget {
  stream() { return new ReadableStream({ start(c) { c.enqueue(bytes("ab")); c.enqueue(bytes("cd")); c.close(); } }); }
  get streamGetter() { return new ReadableStream({ start(c) { c.enqueue(bytes("getter")); c.close(); } }); }
  async readRequest(req) { return [req.method, req.url, req.headers.get("h"), await req.text()]; }
  response() { return new Response("resp body", { status: 201, headers: { x: "y" } }); }
  inMap() { return new Map([["h", new Headers({ a: "1" })], ["r", new Response("in map")]]); }
  async readStream(s) { return await new Response(s).text(); }
}` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const bytes = (x) => new TextEncoder().encode(x);
      const r = {};
      const t = await s.target();
      r.stream = await outcome(async () => await new Response(await t.stream()).text());
      r.streamPipelined = await outcome(async () => await new Response(await s.target().stream()).text());
      r.streamGetter = await outcome(async () => await new Response(await t.streamGetter).text());
      r.request = await outcome(() => t.readRequest(new Request("http://x/p", { method: "POST", body: "req body", headers: { h: "v" } })));
      r.response = await outcome(async () => { const res = await t.response(); return [res.status, res.statusText, res.headers.get("x"), await res.text()]; });
      r.inMap = await outcome(async () => { const m = await t.inMap(); return [[...m.get("h")], await m.get("r").text()]; });
      r.streamArgument = await outcome(() => t.readStream(new ReadableStream({ start(c) { c.enqueue(bytes("to target")); c.close(); } })));
      r.callbackStream = await outcome(() => s.viaCallback(() => new ReadableStream({ start(c) { c.enqueue(bytes("cb stream")); c.close(); } })));
      r.callbackResponse = await outcome(() => s.viaCallback(() => new Response("cb resp", { headers: { x: "z" } })));
      r.callbackRequest = await outcome(() => s.viaCallback(() => new Request("http://cb/", { method: "PUT", body: "cb req" })));
      r.callbackHeaders = await outcome(() => s.viaCallback(() => new Headers({ q: "1" })));
      r.relay = await outcome(() => s.relay(env.DO.getByName("b")));
      r.writable = await outcome(async () => { const chunks = []; const w = new WritableStream({ write(c) { chunks.push(new TextDecoder().decode(c)); } }); return [await s.writeTo(w), chunks]; });
      return r;
    },
  },
  {
    name: "rpc values through capabilities: subclasses of built-ins, resizable buffers and their views, RegExp flags and lastIndex",
    backend: "sqlite",
    source: cls(`  describe(x) { return shape(x); }
  make(kind) {
    class MyDate extends Date {} class MyMap extends Map {} class MyArr extends Array {} class MyU8 extends Uint8Array {} class MyRe extends RegExp {} class MySet extends Set {}
    const rab = new ArrayBuffer(4, { maxByteLength: 16 });
    const re = /a/g; re.lastIndex = 3;
    const sticky = /b/y; sticky.extra = 1;
    return { date: new MyDate(0), map: new MyMap([[1, 2]]), arr: MyArr.from([1, 2]), u8: new MyU8([1, 2]), re: new MyRe("x", "g"), set: new MySet([1]), rab, tracking: new Uint8Array(rab), fixed: new Uint8Array(rab, 0, 2), lastIndex: re, sticky, v: /[\\p{L}--[a-z]]/v, emptyView: new Uint8Array(0), dataView: new DataView(new ArrayBuffer(8), 2, 4) }[kind];
  }`, { extra: `function shape(x) { return { tag: Object.prototype.toString.call(x), proto: Object.getPrototypeOf(x)?.constructor?.name, resizable: x?.resizable ?? x?.buffer?.resizable, max: x?.maxByteLength ?? x?.buffer?.maxByteLength, length: x?.length ?? x?.byteLength, offset: x?.byteOffset, lastIndex: x?.lastIndex, flags: x?.flags, extra: x?.extra }; }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const shape = (x) => ({ tag: Object.prototype.toString.call(x), proto: Object.getPrototypeOf(x)?.constructor?.name, resizable: x?.resizable ?? x?.buffer?.resizable, max: x?.maxByteLength ?? x?.buffer?.maxByteLength, length: x?.length ?? x?.byteLength, offset: x?.byteOffset, lastIndex: x?.lastIndex, flags: x?.flags, extra: x?.extra });
      const r = {};
      for (const k of ["date", "map", "arr", "u8", "re", "set", "rab", "tracking", "fixed", "lastIndex", "sticky", "v", "emptyView", "dataView"]) {
        r[k] = await outcome(async () => shape(await s.make(k)));
      }
      class MyDate extends Date {} class MyMap extends Map {} class MyArr extends Array {} class MyU8 extends Uint8Array {}
      const rab = new ArrayBuffer(4, { maxByteLength: 16 });
      const re = /a/g; re.lastIndex = 3;
      const args = { date: new MyDate(0), map: new MyMap([[1, 2]]), arr: MyArr.from([1, 2]), u8: new MyU8([1, 2]), rab, tracking: new Uint8Array(rab), lastIndex: re };
      for (const [k, v] of Object.entries(args)) r[k + " as an argument"] = await outcome(() => s.describe(v));
      return r;
    },
  },
];
