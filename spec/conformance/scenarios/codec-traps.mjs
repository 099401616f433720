// What writing a value runs of the code inside it: a getter on an array's index runs once (as V8
// writes it; a prototype's getter at a hole never), an Error's `message` getter once (stored or
// sent over RPC, whether or not its stack was read), and a Proxy of an object none of its traps
// (refused with the runtime's V8's words; a callable one is asked for durasim's symbol, README).
import { both, cls, insideBoth } from "../scenario.mjs";

export default [
  insideBoth("codec: a getter on an array's index runs once, where V8 writes it", `
  const log = [];
  const get = (name, value) => ({ get() { log.push(name); return value(); }, enumerable: true, configurable: true });
  const a = [1, 2, 3];
  Object.defineProperty(a, 1, get("a1", () => 5));
  const b = [1, , 3];
  Object.defineProperty(b, 0, get("b0", () => ({ x: 1 })));
  b.extra = { get y() { log.push("y"); return 2; } };
  const c = { arr: [0] };
  Object.defineProperty(c.arr, 0, get("c0", () => new Headers({ a: "1" })));
  const d = [1, 2];
  Object.defineProperty(d, 0, get("d0", () => { d.length = 1; return 9; }));
  Object.defineProperty(Array.prototype, 7, { get() { log.push("proto7"); return 1; }, configurable: true });
  const e = [1];
  e[8] = 2;
  try {
    await s.put({ a, b, c, d, e });
  } finally {
    delete Array.prototype[7];
  }
  log.push("|");
  const got = await s.get(["a", "b", "c", "d", "e"]);
  const back = got.get("b");
  return {
    log,
    a: got.get("a"),
    b: [back.length, 1 in back, back.extra, back[0]],
    c: [...got.get("c").arr[0]],
    d: [got.get("d").length, 0 in got.get("d"), 1 in got.get("d")],
    e: [got.get("e").length, Object.keys(got.get("e"))],
  };
`),
  insideBoth("codec: an Error's message getter runs once as the error is stored", `
  let n = 0;
  const counted = (error, key = "message") => Object.defineProperty(error, key, { get() { n++; return key + n; }, configurable: true });
  const out = {};
  const plain = counted(new Error("orig"));
  await s.put("plain", plain);
  out.plain = [n, (await s.get("plain")).message];
  n = 0;
  const shared = counted(new RangeError("orig"));
  await s.put("shared", { a: shared, b: [shared] });
  const both = await s.get("shared");
  out.shared = [n, both.a.message, both.a === both.b[0], both.a.constructor.name];
  n = 0;
  const read = new Error("orig");
  read.stack;
  counted(read);
  await s.put("read", read);
  out.read = [n, (await s.get("read")).stack.split("\\n")[0]];
  n = 0;
  const named = counted(new TypeError("orig"), "name");
  await s.put("named", named);
  const nb = await s.get("named");
  out.named = [n, nb.name, nb.message, nb.stack.split("\\n")[0]];
  n = 0;
  class Quiet extends Error { get message() { n++; return "proto" + n; } }
  const quiet = new Quiet();
  await s.put("quiet", quiet);
  out.protoGetter = [n, (await s.get("quiet")).message, Object.getOwnPropertyNames(quiet)];
  return out;
`),
  both({
    name: "codec: an Error's message getter runs once as the error crosses RPC",
    source: cls(`  take(e) { return [e.message, e.name]; }
  give() { let n = 0; const e = new Error("orig"); Object.defineProperty(e, "message", { get() { n++; return "m" + n; }, configurable: true }); return { e, count: () => n }; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("g");
      let n = 0;
      const e = new TypeError("orig");
      Object.defineProperty(e, "message", { get() { n++; return "m" + n; }, configurable: true });
      const taken = await stub.take(e);
      const given = await stub.give();
      return { taken, sent: n, given: given.e.message, givenCount: await given.count() };
    },
  }),
  insideBoth("codec: storing a Proxy calls none of its traps, refused in the runtime's words", `
  const traps = ["get", "has", "getOwnPropertyDescriptor", "ownKeys", "getPrototypeOf", "defineProperty", "set", "deleteProperty", "isExtensible", "preventExtensions", "setPrototypeOf", "apply", "construct"];
  const log = [];
  const spy = (target) => new Proxy(target, Object.fromEntries(traps.map((t) => [t, (...args) => { log.push(t); return Reflect[t](...args); }])));
  class Kind {}
  const targets = {
    object: {}, array: [1], error: new TypeError("t"), map: new Map(), set: new Set(), date: new Date(0),
    regexp: /a/g, bytes: new Uint8Array(2), floats: new Float64Array(1), buffer: new ArrayBuffer(1), view: new DataView(new ArrayBuffer(1)),
    boxed: new Number(1), bigint: Object(1n), symbol: Object(Symbol("q")), instance: new Kind(), bare: Object.create(null),
    tagged: { [Symbol.toStringTag]: "Tag" }, headers: new Headers(), request: new Request("http://a/"), url: new URL("http://a/"),
    params: new URLSearchParams(), decoder: new TextDecoder(), encoder: new TextEncoder(), blob: new Blob([]),
    controller: new AbortController(), response: new Response(null), target: new EventTarget(), promise: Promise.resolve(), weak: new WeakMap(),
  };
  const out = {};
  for (const [k, target] of Object.entries(targets)) {
    const refusals = [];
    for (const value of [spy(target), { before: 1, inner: spy(target) }]) {
      try { await s.put("p", value); refusals.push("stored"); } catch (e) { refusals.push(e.name + ": " + e.message); }
    }
    out[k] = refusals[0] === refusals[1] ? refusals[0] : refusals;
  }
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  try { await s.put("p", proxy); } catch (e) { out.revoked = e.name + ": " + e.message; }
  return { log, out, stored: await s.get("p") ?? "nothing" };
`),
  // Found by fuzzing (fuzz-values.mjs): past a getter the value is copied before V8 writes it,
  // and the copy must keep a SharedArrayBuffer as one (written, unreadable), not as a record.
  insideBoth("codec: a SharedArrayBuffer a getter returns is stored as one, and reading it fails", `
  const out = {};
  const sab = new SharedArrayBuffer(4);
  const values = {
    getter: { get g() { return sab; } },
    afterGetter: { get g() { return 1; }, sab },
    view: { get g() { return new Uint8Array(sab, 1, 2); } },
    inMap: { get g() { return new Map([[1, sab]]); } },
    inError: { get g() { return Object.assign(new Error("e"), { sab }); } },
  };
  for (const [k, v] of Object.entries(values)) {
    out[k] = [await outcome(() => s.put(k, v)), await outcome(() => s.get(k))];
    await s.delete(k);
  }
  return out;
`),
  // Found by fuzzing: where the value is copied first (an error, a Headers, a getter in it), what
  // V8 cannot write of its own kinds is still refused in its words, not written as a record.
  insideBoth("codec: a WeakMap, Promise or generator inside an error, beside a Headers or past a getter is refused", `
  const kinds = { weakMap: () => new WeakMap(), weakSet: () => new WeakSet(), weakRef: () => new WeakRef({}), promise: () => Promise.resolve(1), generator: () => (function* () {})() };
  const places = {
    inError: (x) => Object.assign(new EvalError("m"), { extra: x }),
    besideHeaders: (x) => ({ h: new Headers(), x }),
    pastGetter: (x) => ({ get g() { return 1; }, x }),
    inArrayInError: (x) => new RangeError("m", { cause: [1, { x }] }),
  };
  const [, server] = Object.values(new WebSocketPair());
  this.ctx.acceptWebSocket(server);
  const words = (f) => { try { f(); return "kept"; } catch (e) { return e.name + ": " + e.message; } };
  const out = {};
  for (const [k, make] of Object.entries(kinds)) {
    for (const [p, put] of Object.entries(places)) {
      let stored;
      try { await s.put("v", put(make())); stored = "kept"; } catch (e) { stored = e.name + ": " + e.message; }
      out[k + " " + p] = [stored, words(() => structuredClone(put(make()))), words(() => server.serializeAttachment(put(make())))];
    }
  }
  return out;
`),
  insideBoth("codec: a DOMException's own stack that is no string is written as its string form", `
  const out = {};
  for (const [k, stack] of [["number", 5], ["undefined", undefined], ["null", null], ["object", { toString() { return "obj"; } }]]) {
    const d = new DOMException("m", "AbortError");
    Object.defineProperty(d, "stack", { value: stack, writable: true, configurable: true });
    out[k] = await outcome(async () => { await s.put(k, d); const back = await s.get(k); return [typeof back.stack, back.stack, structuredClone(d).stack]; });
  }
  return out;
`),
  insideBoth("codec: a symbol written before a refused host object is what the refusal names", `
  const body = () => new Response("x");
  const values = {
    inArray: () => [Symbol("first"), body()],
    inMapKey: () => new Map([[[1, Symbol("first")], 1], [2, body()]]),
    beforeNamed: () => Object.assign([Symbol("first")], { r: body() }),
    afterBody: () => [body(), Symbol("second")],
  };
  const [, server] = Object.values(new WebSocketPair());
  this.ctx.acceptWebSocket(server);
  const words = async (f) => { try { await f(); return "kept"; } catch (e) { return e.name + ": " + e.message; } };
  const out = {};
  for (const [k, make] of Object.entries(values)) {
    out[k] = [await words(() => s.put("v", make())), await words(() => structuredClone(make())), await words(() => server.serializeAttachment(make()))];
  }
  return out;
`),
  // A clone is read back at once: its reader meets the message first (storage calls both failures
  // an internal error).
  insideBoth("codec: an error whose message is no string and which holds itself fails a clone on its message", `
  const make = () => { const e = new Error("x"); Object.defineProperty(e, "message", { value: 9, writable: true, configurable: true }); e.self = e; return e; };
  const [, server] = Object.values(new WebSocketPair());
  this.ctx.acceptWebSocket(server);
  return {
    cloned: outcomeSync(() => structuredClone(make())),
    attached: outcomeSync(() => { server.serializeAttachment(make()); return server.deserializeAttachment(); }),
    stored: await outcome(async () => { await s.put("e", make()); return s.get("e"); }),
  };
`),
  insideBoth("codec: a DOMException's own properties are not looked at, whatever they hold", `
  const make = () => Object.assign(new DOMException("m", "AbortError"), { boxed: Object(Symbol("s")), weak: new WeakMap(), body: new Response("x"), fn() {} });
  const [, server] = Object.values(new WebSocketPair());
  this.ctx.acceptWebSocket(server);
  const facts = (d) => [Object.prototype.toString.call(d), d.name, d.message, Object.keys(d)];
  return {
    stored: await outcome(async () => { await s.put("d", make()); return facts(await s.get("d")); }),
    cloned: outcomeSync(() => facts(structuredClone(make()))),
    attached: outcomeSync(() => { server.serializeAttachment({ d: make() }); return facts(server.deserializeAttachment().d); }),
  };
`),
];
