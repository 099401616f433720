// Getters inside a stored value: V8 runs each once, as it writes the value (depth first, key by
// key, an object reached twice written once), skips a key an earlier getter deleted, and stops
// at the first value it refuses, before any later getter runs.
import { both, cls, insideBoth } from "../scenario.mjs";

export default [
  insideBoth("storage getters: each runs once, in the order V8 writes", `
  const log = [];
  const inner = { get x() { log.push("x"); return 1; } };
  const value = {
    get a() { log.push("a"); return inner; },
    b: [inner, { get y() { log.push("y"); delete this.z; return 2; }, z: 3 }],
    get c() { log.push("c"); return new Map([[1, inner]]); },
  };
  await s.put("k", value);
  const back = await s.get("k");
  log.push("|");
  await s.put({ e: { get q() { log.push("q"); return 5; } } });
  const m = new Map();
  m.set("o", { get g() { log.push("g"); m.set("late", 1); return 1; } });
  await s.put("m", m);
  return { log, back: JSON.stringify([back.a, back.b, [...back.c]]), mapKeys: [...(await s.get("m")).keys()] };
`),
  insideBoth("storage getters: a refused value stops the write; host values behind getters", `
  const log = [];
  const out = {};
  try {
    await s.put("r", { get a() { log.push("a"); return 1; }, get b() { log.push("b"); return () => 1; }, get c() { log.push("c"); return 2; } });
  } catch (e) { out.refused = [e.name, e.message]; }
  try {
    await s.put("sym", { get a() { log.push("sa"); return Symbol("s"); }, get b() { log.push("sb"); return 1; } });
  } catch (e) { out.symbol = [e.name, e.message]; }
  out.absent = await s.get(["r", "sym"]).then((m) => m.size);
  const error = new TypeError("boom");
  Object.defineProperty(error, "extra", { get() { log.push("extra"); return 7; }, enumerable: true });
  await s.put("e", { get h() { log.push("h"); return new Headers({ a: "1" }); }, error });
  const got = await s.get("e");
  out.read = { headers: [...got.h], extra: got.error.extra, name: got.error.name, message: got.error.message };
  out.log = log;
  return out;
`),
  // A host value (an Error, Headers) is read where V8 reaches it: its getters run in their place,
  // a later getter's change to it is not stored, and a refusal inside it stops the write there.
  insideBoth("storage getters: an Error or Headers is read where it is reached, not after later getters", `
  const log = [];
  const error = new TypeError("boom");
  Object.defineProperty(error, "extra", { get() { log.push("extra"); return 7; }, enumerable: true });
  await s.put("e", { error, get z() { log.push("z"); return 1; } });
  const headers = new Headers({ a: "1" });
  const coded = new Error("e");
  coded.code = 1;
  await s.put("h", { headers, coded, get z() { headers.set("late", "2"); coded.code = 2; return 1; } });
  const back = await s.get("h");
  const holder = new Error("e");
  holder.fn = () => 1;
  let refused;
  try { await s.put("r", { holder, get z() { log.push("after refusal"); return 1; } }); } catch (e) { refused = [e.name, e.message]; }
  return { log, headers: [...back.headers], code: back.coded.code, refused };
`),
  insideBoth("storage getters: an Error's message is read as any property is (a getter, its own or its prototype's)", `
  class ProtoGetter extends Error { get message() { return "proto getter"; } }
  class ProtoData extends Error {}
  Object.defineProperty(ProtoData.prototype, "message", { value: "proto data", writable: true, configurable: true });
  const own = new Error("orig");
  Object.defineProperty(own, "message", { get() { return "own getter"; }, enumerable: false, configurable: true });
  await s.put({ a: new ProtoGetter(), b: new ProtoData(), c: own, d: { own } });
  const got = await s.get(["a", "b", "c", "d"]);
  return [got.get("a").message, got.get("b").message, got.get("c").message, got.get("d").own.message];
`),
  both({
    name: "storage getters: an Error's message getter over RPC, both ways",
    source: cls(`  take(e) { return e.message; }
  give() { const e = new Error("orig"); Object.defineProperty(e, "message", { get() { return "from getter"; }, configurable: true }); return e; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("g");
      const e = new Error("orig");
      Object.defineProperty(e, "message", { get() { return "from getter"; }, configurable: true });
      return { argument: await stub.take(e), result: (await stub.give()).message };
    },
  }),
  // A Response's statusText past Latin-1, with DEL or a lone surrogate, which the runtime keeps
  // (and Node's Response refuses): stored, it reads back, and the key stays readable.
  insideBoth("storage host values: a Response whose statusText Node's class refuses reads back", `
  const texts = ["S\\u0102", "D\\x7fL", "L\\ud800", "plain"];
  await s.put(Object.fromEntries(texts.map((text, i) => ["r" + i, new Response(null, { status: 201, statusText: text })])));
  const got = await s.get(texts.map((_, i) => "r" + i));
  const listed = await s.list();
  return { read: [...got.values()].map((r) => [r.status, r.statusText, r instanceof Response]), listed: listed.size };
`),
];
