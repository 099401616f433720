// What a Request and a Response are like once they crossed a stub.fetch(): the handler's
// Request has immutable headers (clones too), redirect "manual" and a signal of its own; the
// caller's Response has immutable headers and the body HTTP carries (none for HEAD, an empty one
// for a status with a body); bodies read twice or while locked fail with the runtime's words;
// the caller's signal aborts the call; a used Request and redirect modes other than "follow" and
// "manual" are refused.
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname === "/request") {
      const o = (f) => { try { f(); return "ok"; } catch (e) { return err(e); } };
      const clone = req.clone();
      const r = {
        set: o(() => req.headers.set("x-new", "1")), append: o(() => req.headers.append("x-a", "2")), del: o(() => req.headers.delete("x-a")),
        badName: o(() => req.headers.set("bad name", "v")), cloneSet: o(() => clone.headers.set("x", "1")),
        copySet: o(() => new Request(req.url, { headers: req.headers }).headers.set("x", "1")), headers: [...req.headers],
        redirect: req.redirect, aborted: req.signal.aborted, bodyUsed: req.bodyUsed,
        headersProto: Object.getPrototypeOf(req.headers) === Headers.prototype, headersKeys: Object.getOwnPropertyNames(req.headers),
      };
      r.text = await req.text();
      for (const k of ["text", "arrayBuffer", "json"]) { try { await req[k](); r[k + "Again"] = "ok"; } catch (e) { r[k + "Again"] = err(e); } }
      try { req.clone(); r.cloneUsed = "ok"; } catch (e) { r.cloneUsed = err(e); }
      return Response.json(r);
    }
    if (u.pathname === "/locked") {
      const res = new Response("locked");
      res.body.getReader();
      try { await res.text(); return new Response("read"); } catch (e) { return Response.json(err(e)); }
    }
    if (u.pathname === "/slow") { await scheduler.wait(100); this.slowSaw = { aborted: req.signal.aborted }; return new Response("slow"); }
    if (u.pathname === "/slowSaw") return Response.json(this.slowSaw ?? null);
    if (u.pathname === "/none") return new Response(null, { status: Number(u.searchParams.get("s")) });
    if (u.pathname === "/bare") return new Response();
    if (u.pathname === "/redirect") return Response.redirect("https://example.com/elsewhere", 302);
    return new Response("body " + req.method, { headers: { "x-h": "1" } });
  }`);

/** A scenario on the class above whose driver has `s` (a stub), `o` (the outcome of an async
 * function, as a record) and `text` (fetch through `s` and read the body) in scope. */
const scenario = (name, body) => ({
  name,
  backend: "sqlite",
  source,
  drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const o = async (f) => { try { return { ok: show(await f()) }; } catch (e) { return { error: err(e) }; } };
  const text = async (input, init) => (await s.fetch(input, init)).text();
${body}
}`,
});

const SCENARIOS = [
  scenario("fetch: the Request a fetch() handler receives", `
  const init = { method: "POST", body: "[1]", headers: { "x-a": "1" }, redirect: "follow" };
  const sent = new Request("http://do/request", init);
  // A Request passed alone arrives without content-length in durasim (README, Differences from production).
  const withoutHeaders = ({ headers, ...rest }) => rest;
  return {
    fromUrl: await o(async () => (await s.fetch("http://do/request", init)).json()),
    fromRequest: await o(async () => withoutHeaders(await (await s.fetch(sent)).json())),
    callerRequestAfter: { bodyUsed: sent.bodyUsed, headerSet: await o(() => { sent.headers.set("x-caller", "1"); return "ok"; }) },
    withInit: await o(async () => { const r = new Request("http://do/request", init); await s.fetch(r, { headers: { "x-b": "2" } }); return r.bodyUsed; }),
  };`),
  scenario("fetch: the Response a caller receives", `
  const get = (path, init) => s.fetch("http://do" + path, init);
  const r = {};
  for (const m of ["set", "append", "delete"]) r[m] = await o(async () => { const x = await get("/"); x.headers[m]("x-h", "2"); return "ok"; });
  r.badName = await o(async () => { const x = await get("/"); x.headers.set("bad name", "v"); return "ok"; });
  r.clone = await o(async () => { const x = (await get("/")).clone(); x.headers.set("x", "1"); return "ok"; });
  r.copy = await o(async () => { const x = await get("/"); const y = new Response(x.body, x); y.headers.set("x-copy", "1"); return [[...y.headers], await y.text()]; });
  r.identity = await o(async () => { const x = await get("/"); return [x.headers === x.headers, Object.getPrototypeOf(x.headers) === Headers.prototype, Object.getOwnPropertyNames(x.headers)]; });
  r.head = await o(async () => { const x = await get("/", { method: "HEAD" }); return [x.status, x.headers.get("x-h"), x.body === null, await x.text()]; });
  for (const p of ["/none?s=200", "/none?s=404", "/none?s=204", "/none?s=304", "/bare", "/redirect"]) {
    r[p] = await o(async () => { const x = await get(p, { redirect: "manual" }); return [x.status, x.body === null, [...x.headers], await x.text()]; });
  }
  r.readTwice = await o(async () => { const x = await get("/"); await x.text(); return x.text(); });
  r.cloneAfterRead = await o(async () => { const x = await get("/"); await x.arrayBuffer(); return x.clone().status; });
  r.readLocked = await o(async () => { const x = await get("/"); x.body.getReader(); return x.text(); });
  r.lockedInObject = await o(async () => (await get("/locked")).json());
  return r;`),
  scenario("fetch: the caller's signal aborts stub.fetch()", `
  const r = {};
  const ac = new AbortController();
  ac.abort(new RangeError("before"));
  r.before = await o(() => text("http://do/", { signal: ac.signal }));
  r.beforeString = await o(() => text("http://do/", { signal: AbortSignal.abort("a string") }));
  r.beforeOnRequest = await o(() => text(new Request("http://do/", { signal: ac.signal })));
  r.returnsPromise = (() => { const p = s.fetch("http://do/", { signal: ac.signal }); p.catch(() => {}); return Object.prototype.toString.call(p); })();
  const during = new AbortController();
  const pending = o(() => text("http://do/slow", { signal: during.signal }));
  await scheduler.wait(20);
  during.abort(new TypeError("during"));
  r.during = await pending;
  await scheduler.wait(150);
  r.handlerSaw = await o(async () => (await s.fetch("http://do/slowSaw")).json());
  const untouched = new AbortController();
  r.notAborted = await o(() => text("http://do/", { signal: untouched.signal }));
  return r;`),
  scenario("fetch: what stub.fetch() refuses: a used Request, redirect modes", `
  const used = new Request("http://do/", { method: "POST", body: "z" });
  await used.text();
  return {
    usedRequest: await o(() => text(used)),
    usedWithInit: await o(() => text(used, { method: "PUT" })),
    redirectError: await o(() => text("http://do/", { redirect: "error" })),
    redirectBogus: await o(() => text("http://do/", { redirect: "bogus" })),
    redirectManual: await o(() => text("http://do/", { redirect: "manual" })),
    requestRedirectError: await o(() => text(new Request("http://do/", { redirect: "error" }))),
    requestRedirectErrorInitManual: await o(() => text(new Request("http://do/", { redirect: "error" }), { redirect: "manual" })),
  };`),
];

// The same through a service binding, to another Worker's fetch handler.
const serviceBinding = {
  name: "fetch: the Request and Response crossing a service binding",
  backend: "sqlite",
  source: cls(`  async hello() { return "hi"; }`),
  workers: {
    other: {
      source: "",
      entry: `{
  async fetch(req) {
    const o = (f) => { try { f(); return "ok"; } catch (e) { return err(e); } };
    return Response.json({ set: o(() => req.headers.set("x", "1")), redirect: req.redirect, aborted: req.signal.aborted, method: req.method, text: await req.text() });
  },
}`,
    },
  },
  services: { SVC: "other" },
  drive: async (env) => {
    const o = async (f) => { try { return { ok: show(await f()) }; } catch (e) { return { error: err(e) }; } };
    return {
      request: await o(async () => (await env.SVC.fetch("http://svc/", { method: "POST", body: "b", headers: { "x-a": "1" } })).json()),
      responseSet: await o(async () => { const x = await env.SVC.fetch("http://svc/"); x.headers.set("x", "1"); return "ok"; }),
      head: await o(async () => { const x = await env.SVC.fetch("http://svc/", { method: "HEAD" }); return [x.status, x.body === null]; }),
      aborted: await o(() => env.SVC.fetch("http://svc/", { signal: AbortSignal.abort(new RangeError("no")) })),
      redirectError: await o(() => env.SVC.fetch("http://svc/", { redirect: "error" })),
    };
  },
};

// Bodies a handler reads: framing of bodies sent as their string, string chunks in a stream,
// and FormData's refusal of what is no form. (A FormData body's framing is recorded below: its
// multipart boundary, and so its length, is each side's own.)
const bodies = {
  name: "fetch: request bodies a fetch() handler reads",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const u = new URL(req.url);
    const out = { type: req.headers.get("content-type")?.replace(/boundary=.*/, "boundary=B") ?? null };
    if (u.pathname !== "/form") Object.assign(out, { length: req.headers.get("content-length"), chunked: req.headers.get("transfer-encoding") });
    try {
      if (u.pathname === "/form") out.form = [...(await req.formData())].map(([k, v]) => [k, typeof v === "string" ? v : [Object.prototype.toString.call(v), v.name, v.type, v.size]]);
      else if (u.pathname === "/bytes") out.bytes = hex(new Uint8Array(await req.arrayBuffer()));
      else if (u.pathname === "/blob") { const b = await req.blob(); out.blob = [b.type, b.size]; }
      else out.text = await req.text();
    } catch (e) { out.error = err(e); }
    return Response.json(out);
  }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const post = (path, body, headers) => outcome(async () => (await s.fetch("http://do" + path, { method: "POST", body, headers })).json());
    const form = new FormData();
    form.append("a", "1");
    form.append("f", new Blob(["xyz"], { type: "text/x" }), "f.txt");
    const stream = (...chunks) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
    const locked = stream("x");
    locked.getReader();
    return {
      form: await post("/form", form),
      formFromParams: await post("/form", new URLSearchParams("a=1&b=2")),
      formFromText: await post("/form", "not a form", { "content-type": "text/plain" }),
      formWithoutType: await post("/form", "a=1"),
      dataView: await post("/bytes", new DataView(new Uint8Array([1, 2, 3]).buffer, 1)),
      arrayBuffer: await post("/bytes", new Uint8Array([4, 5]).buffer),
      blob: await post("/blob", new Blob(["ab"], { type: "Text/Plain" })),
      stringChunks: await post("/text", stream("str", "ing")),
      mixedChunks: await post("/bytes", stream("a", new Uint8Array([98]), new Uint16Array([99]).buffer)),
      lockedStream: await post("/text", locked),
      number: await post("/text", 42),
      object: await post("/text", { a: 1 }),
      repeatedHeaders: await outcome(async () => (await s.fetch("http://do/", { method: "POST", body: "x", headers: [["X-Multi", "a"], ["x-multi", "b"], ["Content-Type", "Text/Weird"]] })).json()),
    };
  },
};

// A fetch whose writes fail to commit (a deferred foreign key) fails with the runtime's error,
// flagged remote (an RPC call's is not), whether the body is a string or a stream; the object
// lives on.
const failedCommit = {
  name: "fetch: a fetch() handler whose writes fail to commit",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    const path = new URL(req.url).pathname;
    if (path !== "/other") sql.exec(path === "/commits" ? "INSERT OR IGNORE INTO p VALUES (1)" : "INSERT INTO c VALUES (42)");
    if (path === "/stream") return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("s")); c.close(); } }));
    return new Response("after " + path);
  }`),
  drive: async (env) => {
    const get = (name, path) => outcome(async () => (await env.DO.getByName(name).fetch("http://do" + path)).text());
    return { fails: await get("a", "/fails"), after: await get("a", "/other"), stream: await get("b", "/stream"), commits: await get("c", "/commits") };
  },
};

// What a fetch() handler may return: a Response whose body was read (also the same Response a
// second time) or an error Response fails the caller's fetch, flagged remote, and so does a
// Proxy of a Response; a subclass, a thenable and another object's Response pass.
const returned = {
  name: "fetch: what a fetch() handler can return",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/used") { const r = new Response("used body"); await r.text(); return r; }
    if (path === "/cached") { this.cached ??= new Response("cached body"); return this.cached; }
    if (path === "/passthrough") return this.env.DO.getByName("other").fetch("http://do/plain");
    if (path === "/error") return Response.error();
    if (path === "/proxy") return new Proxy(new Response("proxied"), {});
    if (path === "/subclass") { class Mine extends Response {} return new Mine("subclass"); }
    if (path === "/thenable") return { then(resolve) { resolve(new Response("thenable")); } };
    return new Response("plain " + this.ctx.id.name);
  }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const r = {};
    for (const [key, path] of [["used", "/used"], ["cached", "/cached"], ["cachedAgain", "/cached"], ["passthrough", "/passthrough"], ["error", "/error"], ["proxy", "/proxy"], ["subclass", "/subclass"], ["thenable", "/thenable"]]) {
      r[key] = await outcome(async () => { const x = await s.fetch("http://do" + path); return [x.status, x.statusText, x.type, await x.text()]; });
    }
    return r;
  },
};

// The URL a handler receives: normalised, without a fragment or credentials, however given.
const urls = {
  name: "fetch: the URL a fetch() handler receives",
  backend: "sqlite",
  source: cls(`  async fetch(req) { return new Response(req.url + " " + req.method); }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const get = (input, init) => outcome(async () => (await s.fetch(input, init)).text());
    return {
      fragment: await get("http://do/p?q=1#frag"),
      emptyFragment: await get("http://do/p#"),
      normalised: await get("HTTP://DO.EXAMPLE:80/A%41/../b/./c?x y"),
      defaultPort: await get("https://do:443/"),
      idn: await get("http://bücher.example/ü"),
      credentials: await get("http://user:pw@do/"),
      urlObject: await get(new URL("http://do/u#f")),
      stringifiable: await get({ toString() { return "http://do/s#f"; } }),
      requestWithFragment: await get(new Request("http://do/r#f", { method: "POST", body: "b" })),
      requestWithFragmentAndInit: await get(new Request("http://do/r#f"), { method: "PUT", body: "b" }),
    };
  },
};

// Response bodies a handler returns: a stream may have string chunks and any views, the other
// body kinds arrive with their content-type. (A FormData body is left out: its multipart
// boundary is Node's; a stream chunk that is no bytes fails the read flagged remote in the
// runtime, not in durasim: only its type and message are recorded.)
const responseBodies = {
  name: "fetch: response bodies a fetch() handler returns",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const stream = (...chunks) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
    switch (new URL(req.url).pathname) {
      case "/strings": return new Response(stream("a", "é"));
      case "/buffers": return new Response(stream(new Uint16Array([99]).buffer, new DataView(new Uint8Array([100, 101]).buffer, 1), new Uint8Array([102])));
      case "/number": return new Response(stream(new Uint8Array([1]), 5));
      case "/blob": return new Response(new Blob(["bl"], { type: "text/x" }));
      case "/params": return new Response(new URLSearchParams("a=1"));
      case "/num": return new Response(42);
      case "/json": return Response.json({ a: 1 }, { headers: { "content-type": "application/custom" } });
    }
  }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const r = {};
    for (const p of ["/strings", "/buffers", "/number", "/blob", "/params", "/num", "/json"]) {
      try {
        const x = await s.fetch("http://do" + p);
        r[p] = { headers: [...x.headers], bytes: hex(new Uint8Array(await x.arrayBuffer())) };
      } catch (e) {
        r[p] = { error: [e.name, e.message] };
      }
    }
    return r;
  },
};

// A request's body cannot be read once its handler has answered (its headers still can); a
// response may still stream the request's body on.
const lateReads = {
  name: "fetch: a request's body after its handler answered",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/echo") return new Response(req.body);
    this.kept = req;
    return new Response("kept");
  }
  async readKept(how) { try { return await this.kept[how](); } catch (e) { return err(e); } }
  headersKept() { return [...this.kept.headers]; }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const send = async (path, body) => (await s.fetch("http://do" + path, { method: "POST", body })).text();
    const r = {};
    r.keep = await outcome(() => send("/keep", "late body"));
    r.headers = await outcome(() => s.headersKept());
    r.text = await outcome(() => s.readKept("text"));
    r.keepStream = await outcome(() => send("/keep", new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } })));
    r.arrayBuffer = await outcome(() => s.readKept("arrayBuffer"));
    r.echo = await outcome(() => send("/echo", "echoed"));
    return r;
  },
};


// Headers and framing HTTP gives a request: several `cookie` headers are joined with ", " as
// any other header is; a FormData body is sent with a content-length (its multipart boundary
// is each side's own, so only whether a length came is recorded).
const framing = {
  name: "fetch: cookie headers and a FormData body's framing",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    return Response.json({ cookie: req.headers.get("cookie"), hasLength: req.headers.has("content-length"), chunked: req.headers.get("transfer-encoding"), form: req.headers.get("content-type")?.startsWith("multipart/form-data; boundary=") ?? null });
  }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const send = (init) => outcome(async () => (await s.fetch("http://do/", init)).json());
    const form = new FormData();
    form.append("a", "1");
    form.append("f", new Blob(["xyz"], { type: "text/x" }), "f.txt");
    return {
      cookiePairs: await send({ headers: [["cookie", "a=1"], ["Cookie", "b=2"]] }),
      cookieRecord: await send({ headers: { Cookie: "a=1", cookie: "b=2" } }),
      form: await send({ method: "POST", body: form }),
      emptyForm: await send({ method: "POST", body: new FormData() }),
    };
  },
};

// A Response whose body is locked to a reader cannot be returned: the caller's fetch fails.
const lockedReturn = {
  name: "fetch: a fetch() handler returning a locked Response",
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const res = new Response("locked");
    res.body.getReader();
    return res;
  }`),
  drive: async (env) => ({ locked: await outcome(async () => (await env.DO.getByName("a").fetch("http://do/")).text()) }),
};

// A Request that carries an AbortSignal cannot cross RPC; one without can, also one made from
// a Request without one, or with `signal: null`.
const signalSource = cls(`  async take(req) { return [req.url, req.signal.aborted]; }`);
const signalOverRpc = {
  name: "rpc: a Request carrying an AbortSignal",
  backend: "sqlite",
  source: signalSource,
  drive: async (env) => {
    const s = env.DO.getByName("a");
    return {
      withAborted: await outcome(() => s.take(new Request("http://do/s", { signal: AbortSignal.abort() }))),
      rewrappedAborted: await outcome(() => s.take(new Request(new Request("http://do/s", { signal: AbortSignal.abort() })))),
      without: await outcome(() => s.take(new Request("http://do/n"))),
      nullSignal: await outcome(() => s.take(new Request("http://do/n", { signal: null }))),
      rewrapped: await outcome(() => s.take(new Request(new Request("http://do/r"), { headers: { "x-a": "1" } }))),
      signalDropped: await outcome(() => s.take(new Request(new Request("http://do/r", { signal: new AbortController().signal }), { signal: null }))),
    };
  },
};

// The Worker Request remembers being given a signal (Node's shows one only once it aborts).
const signalNotAborted = {
  name: "rpc: a Request carrying an AbortSignal that has not aborted",
  backend: "sqlite",
  source: signalSource,
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const signal = () => new AbortController().signal;
    return {
      withSignal: await outcome(() => s.take(new Request("http://do/s", { signal: signal() }))),
      rewrapped: await outcome(() => s.take(new Request(new Request("http://do/r", { signal: signal() })))),
      rewrappedWithInit: await outcome(() => s.take(new Request(new Request("http://do/r", { signal: signal() }), { headers: { "x-a": "1" } }))),
      clone: await outcome(() => s.take(new Request("http://do/c", { signal: signal() }).clone())),
      dropped: await outcome(() => s.take(new Request(new Request("http://do/d", { signal: signal() }), { signal: null }))),
      inObject: await outcome(() => s.take({ r: new Request("http://do/o", { signal: signal() }) }.r)),
    };
  },
};

export default [...SCENARIOS, serviceBinding, bodies, failedCommit, returned, urls, responseBodies, lateReads, framing, lockedReturn, signalOverRpc, signalNotAborted];
