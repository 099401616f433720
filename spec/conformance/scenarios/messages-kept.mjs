// What a Request and a Response keep where they go, and how a global fetch() routes them: a
// `cf` stored and read back (a Request's and a Response's, on both backends) and sent over RPC
// either way (a copy: the receiver's changes stay its own); a global fetch() of a Request whose
// init named a Fetcher, or whose own init names one, goes to that Fetcher (a Durable Object
// stub, a service binding), with its method, body (a FormData encoded as the runtime encodes it)
// and cf; a body teed reads as used; a Blob put in a FormData is named after its entry;
// formData() reads a part with an empty file name as text; an AbortSignal's onabort is called
// with the global scope as `this` and keeps only a function or an object.
import { both, cls } from "../scenario.mjs";

const cfSource = cls(`
  async fetch(req) {
    const ct = req.headers.get("content-type");
    return Response.json({ url: req.url, method: req.method, ct: ct && ct.replace(/[0-9a-f]{32}/, "B"), body: (await req.text()).replace(/[0-9a-f]{32}/g, "B"), cf: req.cf ?? null });
  }
  response(cf) { return new Response("r", { cf }); }
  request(cf) { return new Request("http://x/r", { cf }); }
  inside(cf) { return { list: [new Response(null, { cf, status: 204 }), new Request("http://x/i", { cf })] }; }
  takes(message) { const before = message.cf; if (before) before.changed = true; return { cf: before ?? null, kind: Object.prototype.toString.call(message) }; }
  async stored(cf) {
    const s = this.ctx.storage;
    await s.put({ res: new Response(null, { cf, status: 201, statusText: "Made" }), req: new Request("http://x/s", { method: "PUT", cf }), bare: new Response(null) });
    const got = await s.get(["res", "req", "bare"]);
    const res = got.get("res"), req = got.get("req"), bare = got.get("bare");
    const again = res.cf === undefined ? "none" : (res.cf.mutated = 1, (await s.get("res")).cf);
    return { res: [res.cf ?? null, res.status, res.statusText], req: [req.cf ?? null, req.method, req.url], bare: bare.cf ?? null, readsFresh: again };
  }
`);

export default [
  ...both({
    name: "messages kept: a Request's and a Response's cf stored and read back, and sent over RPC either way (a copy)",
    source: cfSource,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const cf = { colo: "AMS", nested: { list: [1, "two", null], flag: true } };
      const response = await s.response(cf);
      const request = await s.request(cf);
      const inside = await s.inside({ n: 1 });
      const mine = new Response("m", { cf: { mine: 1 } });
      const myRequest = new Request("http://x/m", { cf: { mine: 2 } });
      return {
        stored: await outcome(() => s.stored(cf)),
        storedNoCf: await outcome(() => s.stored(undefined)),
        returned: [response.cf ?? null, await response.text(), request.cf ?? null, request.url],
        inside: inside.list.map((m) => m.cf ?? null),
        sentResponse: await outcome(() => s.takes(mine)),
        sentRequest: await outcome(() => s.takes(myRequest)),
        sendersKeep: [mine.cf, myRequest.cf],
        withoutCf: await outcome(() => s.takes(new Response("x"))),
      };
    },
  }),
  {
    name: "messages kept: a global fetch() of a Request or init naming a Fetcher goes to that Fetcher (a stub, a service binding)",
    backend: "sqlite",
    source: cfSource + `
export class Caller extends DurableObject {
  async go() {
    const other = this.env.DO.getByName("b");
    const t = async (f) => { try { const r = await f(); return { status: r.status, body: await r.json() }; } catch (e) { return { error: err(e) }; } };
    const form = () => { const f = new FormData(); f.append("a", "1"); f.append("file", new Blob(["xx"], { type: "text/plain" }), "n.txt"); return f; };
    return {
      requestFetcher: await t(() => fetch(new Request("http://elsewhere.invalid/p?q=1", { fetcher: other, cf: { z: 1 } }))),
      initFetcher: await t(() => fetch("http://elsewhere.invalid/i", { fetcher: other, method: "PUT", body: "put" })),
      copiedRequest: await t(() => fetch(new Request(new Request("http://elsewhere.invalid/c", { fetcher: other }), { method: "POST", body: "copied" }))),
      initOverRequest: await t(() => fetch(new Request("http://elsewhere.invalid/o", { fetcher: other }), { method: "POST", body: "hi", headers: { "x-a": "1" } })),
      formData: await t(() => fetch("http://elsewhere.invalid/form", { fetcher: other, method: "POST", body: form() })),
      serviceBinding: await t(() => fetch(new Request("http://elsewhere.invalid/svc", { fetcher: this.env.SVC, method: "POST", body: "to svc" }))),
      badFetcher: await t(() => fetch("http://elsewhere.invalid/", { fetcher: {} })),
    };
  }
}
`,
    classes: { DO: "DO", CALLER: "Caller" },
    workers: {
      svc: {
        entry: `{ async fetch(req) { return Response.json({ svc: true, url: req.url, method: req.method, body: await req.text() }); } }`,
      },
    },
    services: { SVC: "svc" },
    drive: async (env) => env.CALLER.getByName("c").go(),
  },
  {
    name: "messages kept: tee() of a body makes it used, a FormData's Blob is named after its entry, formData() reads an empty file name as text, onabort's this and values",
    backend: "sqlite",
    source: cls(`
  async go() {
    const t = async (f) => { try { return await f(); } catch (e) { return { error: err(e) }; } };
    const out = {};
    out.teeResponse = await t(async () => { const r = new Response("abc"); const [x] = r.body.tee(); return [r.bodyUsed, r.body.locked, await t(() => r.text()), await new Response(x).text(), r.bodyUsed, await t(() => r.clone())]; });
    out.teeRequest = await t(async () => { const r = new Request("http://x/", { method: "POST", body: "abc" }); r.body.tee(); return [r.bodyUsed, await t(() => r.text()), await t(() => r.json()), await t(() => new Request(r).url), await t(() => new Request(r, { body: "new" }).text())]; });
    out.teeStreamBody = await t(async () => { const r = new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("s")); c.close(); } })); const [x, y] = r.body.tee(); return [r.bodyUsed, await new Response(x).text(), await new Response(y).text(), r.bodyUsed]; });
    out.teeLoneStream = await t(async () => { const s = new ReadableStream({ start(c) { c.enqueue("a"); c.close(); } }); const [x] = s.tee(); return [s.locked, (await x.getReader().read()).value]; });
    out.notTeed = await t(async () => { const r = new Response("abc"); const reader = r.body.getReader(); const before = r.bodyUsed; await reader.read(); return [before, r.bodyUsed]; });
    out.cancelled = await t(async () => { const r = new Response("abc"); await r.body.cancel(); return [r.bodyUsed, await t(() => r.text())]; });
    const described = (v) => typeof v === "string" ? v : [Object.prototype.toString.call(v), v.name, v.type, v.size];
    const form = new FormData();
    form.append("photo", new Blob(["x"], { type: "text/plain" }));
    form.append("named", new Blob(["x"]), "given.txt");
    form.append("undefinedName", new Blob(["x"]), undefined);
    form.append("file", new File(["x"], "file.txt", { type: "a/b" }));
    form.append("renamed", new File(["x"], "file.txt"), "other.txt");
    form.append("empty", new Blob(["x"]), "");
    form.set("set", new Blob(["yy"]));
    form.append(7, new Blob(["n"]));
    out.formEntries = [...form].map(([k, v]) => [k, described(v)]);
    out.formEncoded = (await new Response(form).text()).replace(/[0-9a-f]{32}/g, "B");
    out.formParsed = [...await new Response(form).formData()].map(([k, v]) => [k, described(v)]);
    const multipart = (parts) => new Response(parts.join("") + "--X--", { headers: { "content-type": "multipart/form-data; boundary=X" } });
    const part = (disposition, value, type) => "--X\\r\\nContent-Disposition: form-data; " + disposition + (type ? "\\r\\nContent-Type: " + type : "") + "\\r\\n\\r\\n" + value + "\\r\\n";
    out.parsedParts = await t(async () => [...await multipart([part('name="e"; filename=""', "empty name"), part('name="t"; filename=""', "typed", "text/plain"), part('name="f"; filename="f.bin"', "file", "application/x-f"), part('name="s"', "string")]).formData()].map(([k, v]) => [k, described(v)]));
    const c = new AbortController();
    const seen = [];
    c.signal.onabort = function (e) { seen.push(["onabort", this === globalThis, this === c.signal, e.type, e.target === c.signal, e.currentTarget === c.signal]); };
    c.signal.addEventListener("abort", function () { seen.push(["listener", this === c.signal]); });
    c.abort();
    out.onabort = seen;
    const timed = AbortSignal.timeout(1);
    const timedSeen = [];
    timed.onabort = function () { timedSeen.push(this === globalThis); };
    await new Promise((resolve) => setTimeout(resolve, 30));
    out.timedOnabort = timedSeen;
    const calls = [];
    const values = new AbortController().signal;
    const handler = { handleEvent() { calls.push("handleEvent"); } };
    const read = (v) => { values.onabort = v; const got = values.onabort; return got === handler ? "the object" : typeof got === "function" ? "a function" : got; };
    out.onabortValues = [read(5), read("text"), read(handler), read(() => 1), read(undefined), read(null)];
    const withObject = new AbortController();
    withObject.signal.onabort = handler;
    withObject.abort();
    out.objectHandlerCalls = calls;
    return out;
  }
`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];
