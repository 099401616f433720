// Requests, Responses and their bodies as Worker and object code makes and receives them, where
// Node's classes take, refuse or encode otherwise: a Request input's body under a new init, the
// runtime's FormData encoding and the length a handler sees for it, a Response's cf and any
// statusText, a Request's fetcher, Response.json() of what JSON cannot write, and the
// arguments of FixedLengthStream and AbortSignal's statics.
import { cls } from "../scenario.mjs";

/** A scenario whose body runs in the object's go(); its fetch() describes the request it got
 * (a Response with a statusText and cf of its own for /made). */
const inObject = (name, body) => ({
  name,
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    if (new URL(req.url).pathname === "/made") return new Response("x", { statusText: "A\\u0100\\ud800\\x7f\\xe9 ", cf: { kept: 1 } });
    const h = req.headers;
    return Response.json({ method: req.method, length: h.get("content-length"), chunked: h.get("transfer-encoding"), type: h.get("content-type"), body: await req.text() });
  }
  async go() {
    const t = (f) => outcomeSync(f);
    const stub = this.env.DO.getByName("b");
${body}
  }`),
  drive: async (env) => env.DO.getByName("a").go(),
});

export default [
  inObject("request init: a Request input's body under an init (GET or HEAD refused after the redirect mode; an init body, null too, replaces a used one)", `
    const post = () => new Request("http://x/", { method: "POST", body: "abc" });
    const used = () => { const r = post(); r.text(); return r; };
    const read = (r) => [r.method, r.bodyUsed, r.body === null];
    return {
      get: t(() => new Request(post(), { method: "GET" })),
      head: t(() => new Request(post(), { method: "head" })),
      undefinedBody: t(() => new Request(post(), { method: "GET", body: undefined })),
      nullBody: t(() => read(new Request(post(), { method: "GET", body: null }))),
      badRedirect: t(() => new Request(post(), { method: "GET", redirect: "error" })),
      badIntegrity: t(() => new Request(post(), { method: "GET", integrity: "x" })),
      bodilessInput: t(() => read(new Request(new Request("http://x/"), { method: "HEAD" }))),
      usedGet: t(() => new Request(used(), { method: "GET" })),
      usedNullBody: t(() => read(new Request(used(), { method: "GET", body: null }))),
      usedNewBody: await outcome(async () => { const r = new Request(used(), { body: "new" }); return [r.method, await r.text()]; }),
      usedNoInit: t(() => new Request(used())),
      stubGet: await outcome(() => stub.fetch(post(), { method: "GET" })),
      stubUsedNewBody: await outcome(async () => (await stub.fetch(used(), { body: "new" })).json()),
    };`),
  inObject("fetch: a FormData body as the runtime encodes it (boundary, parts, no final line break) and the length a handler sees, sent by stub.fetch() in an init or a Request, and in a Response", `
    let name = 'q"\\nr';
    const form = () => {
      const f = new FormData();
      f.append("a", "b");
      f.append(name, new File(["zz"], name + ".txt", { type: "text/q" }));
      f.append("untyped", new Blob(["b"]), "u.bin");
      f.append("c", "l1\\nl2\\r\\nl3");
      return f;
    };
    // The runtime's formData() keeps the escapes in names (%22, %0A), Node's decodes them: parsed
    // with a plain name. The boundary is random: shown as its shape, and replaced by B in the body.
    const seen = (got) => {
      const boundary = got.type.split("boundary=")[1];
      return { ...got, type: got.type.replace(boundary, "B"), boundary: /^[0-9a-f]{32}$/.test(boundary), body: got.body.split(boundary).join("B") };
    };
    const made = new Request("http://d/", { method: "POST", body: form() });
    const response = new Response(form());
    const responseType = response.headers.get("content-type");
    return {
      init: seen(await (await stub.fetch("http://d/", { method: "PUT", body: form() })).json()),
      request: seen(await (await stub.fetch(new Request("http://d/", { method: "POST", body: form() }))).json()),
      requestUnderInit: seen(await (await stub.fetch(new Request("http://d/", { method: "POST", body: form() }), { method: "PATCH" })).json()),
      madeHeaders: [made.headers.get("content-type").startsWith("multipart/form-data; boundary="), made.headers.get("content-length")],
      response: seen({ type: responseType, body: await response.text() }),
      parsed: await outcome(async () => (name = "q", [...(await new Request("http://d/", { method: "POST", body: form() }).formData())].map(([k, v]) => [k, typeof v === "string" ? v : [v.name, v.type, v.size]]))),
    };`),
  inObject("web apis: a Response's cf (a copy, kept by clone() and Response.json(), not carried over HTTP) and statusText (any text but control characters), a Request's fetcher (a Fetcher or null, checked as its init is converted)", `
    const given = { a: { b: 1 } };
    const r = new Response("x", { cf: given });
    const copy = r.cf;
    copy.a.b = 2;
    const shape = (proto, key) => { const d = Object.getOwnPropertyDescriptor(proto, key); return [typeof d.get, typeof d.set, d.enumerable, d.configurable]; };
    const codes = (s) => [...s].map((c) => c.codePointAt(0).toString(16));
    const statusText = (s) => t(() => { const m = new Response("x", { statusText: s }); return [codes(m.statusText), codes(m.clone().statusText)]; });
    const target = this.env.DO.getByName("z");
    const received = await stub.fetch("http://d/made");
    return {
      cf: [r.cf === given, r.cf === copy, r.cf.a.b, r.clone().cf === r.cf, r.clone().cf],
      cfShape: shape(Response.prototype, "cf"),
      cfNone: [new Response("x").cf === undefined, Response.redirect("http://a/").cf === undefined, Response.error().cf === undefined],
      cfJson: t(() => Response.json(1, { cf: { z: [1] } }).cf),
      cfArray: t(() => new Response("x", { cf: [1] }).cf),
      cfFunction: t(() => new Response("x", { cf: () => 1 })),
      cfCycle: t(() => { const o = {}; o.o = o; return new Response("x", { cf: o }); }),
      cfAndStatus: t(() => new Response("x", { cf: () => 1, status: 99 })),
      cfAndStatusText: t(() => new Response("x", { cf: () => 1, statusText: "\\n" })),
      cfAndNullBody: t(() => new Response("x", { cf: () => 1, status: 204 })),
      cfAndEncodeBody: t(() => new Response("x", { cf: () => 1, encodeBody: "x" })),
      cfAndWebSocket: t(() => new Response("x", { cf: () => 1, webSocket: 1 })),
      cfAndJson: t(() => Response.json(1n, { cf: () => 1 })),
      received: [received.cf === undefined, codes(received.statusText)],
      statusTexts: ["a\\x7fb", "\\x80\\x9f\\xa0", "\\u0100\\u2028", "\\u{1F600}", "a\\ud800b", "\\udc00", " a ", "\\x1f", "\\t"].map(statusText),
      json: t(() => Response.json(1, { statusText: "\\u0100" }).statusText),
      fetcherShape: shape(Request.prototype, "fetcher"),
      requestCfShape: shape(Request.prototype, "cf"),
      fetcherNone: [new Request("http://x/").fetcher, new Request("http://x/", { fetcher: null }).fetcher, new Request("http://x/", { fetcher: undefined }).fetcher],
      fetcherStub: t(() => { const q = new Request("http://x/", { fetcher: target }); return [q.fetcher === target, new Request(q).fetcher === target, q.clone().fetcher === target, new Request(q, { fetcher: null }).fetcher]; }),
      fetcherNamespace: t(() => new Request("http://x/", { fetcher: this.env.DO })),
      fetcherObject: t(() => new Request("http://x/", { fetcher: { fetch() {} } })),
      fetcherString: t(() => new Request("http://x/", { fetcher: "x" })),
      fetcherBeforeCf: t(() => new Request("http://x/", { fetcher: 1, cf: 1 })),
      fetcherBeforeMethod: t(() => new Request("http://x/", { fetcher: 1, method: "bad method" })),
      fetcherStubFetch: await outcome(() => stub.fetch("http://d/", { fetcher: 1 })),
    };`),
  inObject('web apis: Response.json() of what JSON cannot write (undefined, a function, a Symbol) is the body "undefined"; a BigInt and a cycle are refused', `
    const body = async (v, init) => { const r = Response.json(v, init); return [r.status, r.headers.get("content-type"), await r.text()]; };
    return {
      undefined: await outcome(() => body(undefined)),
      function: await outcome(() => body(() => 1)),
      symbol: await outcome(() => body(Symbol())),
      toJSON: await outcome(() => body({ toJSON() { return undefined; } })),
      ownType: await outcome(() => body(undefined, { headers: { "content-type": "text/x" }, status: 201 })),
      bigint: await outcome(() => body(1n)),
      cycle: await outcome(() => { const o = {}; o.o = o; return body(o); }),
      initFirst: await outcome(() => body(1n, { status: 99 })),
    };`),
  inObject("web apis: FixedLengthStream's length (a BigInt past 64 bits or negative refused in the runtime's words) and constructor names", `
    const make = (n) => t(() => Object.getPrototypeOf(new FixedLengthStream(n)).constructor.name);
    return {
      lengths: [-1n, 2n ** 64n, 2n ** 64n - 1n, 2n ** 53n, 2n ** 53n - 1n, 0n, -1, 2 ** 64, 1.5, NaN, "x", "7"].map(make),
      names: [FixedLengthStream.name, IdentityTransformStream.name, new IdentityTransformStream().constructor.name, WebSocketPair.name, MessageEvent.name, CloseEvent.name, ErrorEvent.name, WebSocketRequestResponsePair.name],
    };`),
  inObject("web apis: AbortSignal.timeout() takes any number (refusing a missing one, a Symbol, a BigInt) and AbortSignal.any() an Array of AbortSignals, in the runtime's words", `
    const timeout = (...a) => t(() => { const s = AbortSignal.timeout(...a); return [Object.prototype.toString.call(s), s.aborted]; });
    const any = (...a) => t(() => AbortSignal.any(...a).aborted);
    const aborted = new AbortController(); aborted.abort();
    return {
      timeouts: [[-1], ["x"], [2 ** 33], [Infinity], [NaN], [1.5], [0], [], [Symbol()], [1n], [null], ["5"]].map((a) => timeout(...a)),
      negativeFires: await outcome(async () => { const s = AbortSignal.timeout(-5); await new Promise((r) => setTimeout(r, 20)); return [s.aborted, s.reason?.name]; }),
      anys: [[], [1], [null], [[1]], [[aborted.signal, 2]], [new Set([aborted.signal])], [[aborted.signal]], [[]]].map((a) => any(...a)),
    };`),
  // A method is matched by ASCII case only: the long s and the dotless i, which JavaScript's
  // toUpperCase makes "S" and "I", make no method.
  inObject("http messages: a method spelt with a letter outside ASCII that upper-cases to an ASCII one", `
    return ["post", "po\\u017Ft", "l\\u0131nk", "LINK", "dele\\u0074e"].map((method) => t(() => new Request("http://x", { method }).method));`),
];
