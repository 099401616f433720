// A Request's or a Response's body given as an iterable (compatibility flag
// fetch_iterable_type_support): Arrays, Sets, generators and async generators are streams of the
// bytes they yield, where Node writes their text; when the iterator is asked for and read, what
// a chunk that is no bytes does, and which objects are still written as text.
import { cls } from "../scenario.mjs";

/** A scenario whose body runs in the object's go(); its fetch() echoes the request's body. */
const P = (name, body) => ({
  name,
  backend: "sqlite",
  source: cls(`  async fetch(req) { return new Response(await req.text()); }
  async go() {
    const t = (f) => outcomeSync(f);
${body}
  }`),
  drive: async (env) => env.DO.getByName("a").go(),
});

export default [
  P("iterable bodies: Arrays, Sets, Maps and generators are streams of their byte chunks (no content-type); a chunk that is no bytes fails the read in the runtime's words", `
    const read = (x, as = (r) => r.text()) => outcome(async () => { const r = new Response(x); return [r.headers.get("content-type"), Object.prototype.toString.call(r.body), await as(r)]; });
    const bytes = async (r) => hex(new Uint8Array(await r.arrayBuffer()));
    function* gen() { yield new Uint8Array([65]); yield new Uint16Array([66]).buffer; }
    async function* agen() { yield new Uint8Array([67]); yield new DataView(new Uint8Array([68]).buffer); }
    return {
      views: await read([new Uint8Array([65]), new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Uint8Array(0)], bytes),
      generator: await read(gen(), bytes),
      asyncGenerator: await read(agen(), bytes),
      empty: await read([]),
      strings: await read(["a", "b"]),
      numbers: await read([1, 2]),
      set: await read(new Set(["x"])),
      map: await read(new Map([["a", "b"]])),
      clone: await outcome(async () => { const r = new Response([new Uint8Array([65])]); const c = r.clone(); return [await r.text(), await c.text()]; }),
      nullBodyStatus: t(() => new Response([], { status: 204 })),
    };`),
  P("iterable bodies: what is still written as text (a String object, an object with a toString or Symbol.toPrimitive of its own and no async iterator, a non-callable iterator)", `
    const read = (x) => outcome(async () => { const r = new Response(x); return [r.headers.get("content-type"), await r.text()]; });
    const none = () => [][Symbol.iterator]();
    return {
      stringObject: await read(new String("s")),
      ownToString: await read({ [Symbol.iterator]: none, toString() { return "q"; } }),
      ownToPrimitive: await read({ [Symbol.iterator]: none, [Symbol.toPrimitive]() { return "p"; } }),
      arrayOwnToString: await read(Object.assign([new Uint8Array([65])], { toString() { return "no"; } })),
      asyncWithToString: await read({ async *[Symbol.asyncIterator]() { yield new Uint8Array([66]); }, toString() { return "no"; } }),
      notCallable: await read({ [Symbol.iterator]: 5 }),
      asyncNotCallable: await read({ [Symbol.asyncIterator]: 5, toString() { return "s"; } }),
      iteratorNotObject: await read({ [Symbol.iterator]() { return 5; } }),
      urlSearchParams: await read(new URLSearchParams("a=1")),
      plainObject: await read({ a: 1 }),
    };`),
  P("iterable bodies: the iterator is asked for as the body converts (a throw refuses the constructor), read as the body is, and ended when a chunk is no bytes or the body is cancelled; a Request's too", `
    const log = [];
    const it = { get [Symbol.asyncIterator]() { log.push("getAsync"); return undefined; }, get [Symbol.iterator]() { log.push("getSync"); return function () { log.push("call"); let i = 0; return { next() { log.push("next" + i); return i++ < 2 ? { value: new Uint8Array([65 + i]), done: false } : { done: true }; }, return() { log.push("return"); return {}; } }; }; } };
    const r = new Response(it);
    log.push("made");
    const text = await r.text();
    const throwing = { [Symbol.iterator]() { throw new Error("it"); } };
    const ended = (value) => outcome(async () => { const l = []; const x = new Response({ [Symbol.iterator]() { return { next() { l.push("next"); return { value, done: false }; }, return() { l.push("return"); return {}; } }; } }); return [await outcome(() => x.text()), l]; });
    return {
      log, text,
      responseThrows: t(() => new Response(throwing)),
      requestThrows: t(() => new Request("http://a/", { method: "POST", body: throwing })),
      throwsBeforeInit: t(() => new Response(throwing, 5)),
      nextThrows: await outcome(() => new Response({ [Symbol.iterator]() { return { next() { throw new Error("nx"); } }; } }).text()),
      notBytes: await ended("s"),
      cancelled: await outcome(async () => { const l = []; const x = new Response({ [Symbol.iterator]() { return { next() { l.push("next"); return { value: new Uint8Array(1), done: false }; }, return() { l.push("return"); return {}; } }; } }); const rd = x.body.getReader(); await rd.read(); await rd.cancel("why"); return l; }),
      requestGet: t(() => new Request("http://a/", { body: [new Uint8Array([65])] })),
      requestPost: await outcome(async () => { const q = new Request("http://a/", { method: "POST", body: [new Uint8Array([65])] }); return [q.headers.get("content-type"), await q.text()]; }),
      requestAsync: await outcome(async () => { async function* g() { yield new Uint8Array([66]); } const q = new Request("http://a/", { method: "PUT", body: g() }); return [q.headers.get("content-type"), await q.text()]; }),
      sent: await outcome(async () => { const res = await this.env.DO.getByName("echo").fetch("http://a/", { method: "POST", body: [new Uint8Array([72, 105])] }); return res.text(); }),
    };`),
];
