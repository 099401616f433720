// What a Response reads like once it crossed from a Durable Object's fetch() handler to its
// caller: statusText filled in with the status's reason phrase (unless its maker gave one, even
// an empty one), url set to the request's without its fragment, clones alike; and the statics
// (Response.json, redirect) make Responses with webSocket null. Locally nothing is filled in.
// (A redirect the object returns is followed by workerd, over the network: not recorded here.)
import { cls, inside } from "../scenario.mjs";

const CODES = [200, 201, 204, 206, 226, 299, 301, 302, 304, 308, 399, 400, 401, 403, 404, 409, 413, 418, 422, 425, 429, 451, 499, 500, 502, 503, 509, 599];

const source = cls(`  async fetch(req) {
    const u = new URL(req.url);
    const code = Number(u.searchParams.get("s") ?? 200);
    if (u.pathname === "/json") return Response.json({ a: 1 }, { status: code });
    if (u.pathname === "/custom") return new Response("x", { status: code, statusText: "Mine" });
    if (u.pathname === "/empty") return new Response(null, { status: code, statusText: "" });
    return new Response(code === 204 || code === 304 ? null : "b", { status: code });
  }`);

const drive = `async function drive(env) {
  const stub = env.DO.getByName("a");
  const r = { phrases: {} };
  for (const c of ${JSON.stringify(CODES)}) r.phrases[c] = (await stub.fetch("http://do/p?s=" + c)).statusText;
  const seen = (res) => ({ statusText: res.statusText, url: res.url, webSocket: res.webSocket === null ? "null" : typeof res.webSocket, status: res.status });
  const j = await stub.fetch("http://do/json?s=201");
  r.json = { ...seen(j), type: j.headers.get("content-type"), clone: seen(j.clone()) };
  r.custom = seen(await stub.fetch("http://do/custom?s=404"));
  r.empty = seen(await stub.fetch("http://do/empty?s=200"));
  r.fragment = seen(await stub.fetch(new Request("http://do/p?s=200#frag")));
  r.local = {
    plain: seen(new Response("x", { status: 404 })), json: seen(Response.json({}, { status: 201 })), redirect: seen(Response.redirect("https://a.example/", 301)),
  };
  return r;
}`;

// What stub.fetch() accepts: methods (case, known names), URL schemes (a refusal names the URL
// as parsed, fragment kept), a body with GET or HEAD,
// a stream body without `duplex`, the framing header a body given in the init arrives with, and
// the init's `cf`, which reaches the object as request.cf;
// and what the Worker Response constructor (statuses, stream bodies read from or locked) and
// Response.redirect() refuse.
const METHODS = ["get", "patch", "Patch", "purge", "propfind", "msearch", "ban", "query", "foo", "m-search", "connect", "track", "bind", "GET "];
const requestsSource = cls(`  async fetch(req) {
    if (new URL(req.url).pathname === "/headers") return Response.json({ h: [...req.headers], body: await req.text() });
    if (new URL(req.url).pathname === "/cf") return Response.json(req.cf === undefined ? "undefined" : req.cf);
    return new Response(req.method + " " + (await req.text()));
  }
  responses() {
    const o = (f) => { try { const v = f(); return { ok: v.status }; } catch (e) { return { error: err(e) }; } };
    return {
      body204: o(() => new Response("x", { status: 204 })), body205: o(() => new Response("x", { status: 205 })), body304: o(() => new Response("", { status: 304 })),
      null204: o(() => new Response(null, { status: 204 })), status600: o(() => new Response("x", { status: 600 })),
      redirect200: o(() => Response.redirect("https://a.example/", 200)), redirectRelative: o(() => Response.redirect("/x", 301)),
      redirect307: o(() => Response.redirect(new URL("https://a.example/"), 307)), redirectDefault: o(() => Response.redirect("https://a.example/")),
      statusNotNumber: o(() => new Response("x", { status: "abc" })), statusNull: o(() => new Response("x", { status: null })),
      lockedBody: o(() => { const body = new ReadableStream(); body.getReader(); return new Response(body); }),
      disturbedBody: o(() => { const body = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([1])); } }); body.getReader().read(); return new Response(body); }),
      cancelledBody: o(() => { const body = new ReadableStream(); body.cancel(); return new Response(body); }),
    };
  }`);
const requestsDrive = `async function drive(env) {
  const s = env.DO.getByName("a");
  const o = async (f) => { try { const v = await f(); return { ok: v.status + " " + (await v.text()) }; } catch (e) { return { error: err(e) }; } };
  const r = { methods: {}, schemes: {}, responses: await s.responses() };
  for (const m of ${JSON.stringify(METHODS)}) r.methods[m] = await o(() => s.fetch("http://do/", { method: m, body: m === "get" || m === "GET " ? undefined : "b" }));
  for (const u of ["ftp://x/", "ws://x/", "file:///x", "blob:x", "HTTP://X/", "https://x/", "ftp://x/p#frag", "FTP://X/a b"]) r.schemes[u] = await o(() => s.fetch(u));
  r.getBody = await o(() => s.fetch("http://do/", { method: "GET", body: "a" }));
  r.headBody = await o(() => s.fetch("http://do/", { method: "head", body: "a" }));
  r.defaultBody = await o(() => s.fetch("http://do/", { body: "a" }));
  r.requestPatch = await o(() => s.fetch(new Request("http://do/", { method: "PUT", body: "r" }), { method: "patch" }));
  r.requestFtp = await o(() => s.fetch(new Request("ftp://x/")));
  r.requestFtpFragment = await o(() => s.fetch(new Request("ftp://x/#f"), { method: "POST", body: "b" }));
  const cf = async (f) => { try { return await (await f()).json(); } catch (e) { return { error: err(e) }; } };
  r.cf = { none: await cf(() => s.fetch("http://do/cf")), given: await cf(() => s.fetch("http://do/cf", { cf: { country: "NZ", n: 1, nested: { a: [1] } } })),
    withBody: await cf(() => s.fetch("http://do/cf", { method: "POST", body: "x", cf: { colo: "AKL" } })) };
  const stream = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("st")); c.close(); } });
  const seen = async (body, headers) => { try { return await (await s.fetch("http://do/headers", { method: "POST", body, headers })).json(); } catch (e) { return { error: err(e) }; } };
  r.framing = { string: await seen("abc"), empty: await seen(""), unicode: await seen("é😀"), bytes: await seen(new Uint8Array(5)), blob: await seen(new Blob(["xy"], { type: "text/x" })),
    params: await seen(new URLSearchParams("a=1")), stream: await seen(stream()), none: await seen(undefined), explicit: await seen("abc", { "content-length": "3" }) };
  return r;
}`;

// What the global fetch() of object code loads: http, https and data URLs; any other scheme
// (ws and wss with an Upgrade header too) is refused before the network, named by the URL as
// parsed with its fragment, after the init's own checks.
const globalSchemes = inside("fetch: URL schemes the global fetch() of object code refuses, before the network", "sqlite", `
    const o = async (f) => { try { const v = await f(); return { ok: v.status + " " + (await v.text()) }; } catch (e) { return { error: err(e) }; } };
    const r = {};
    for (const u of ["ftp://x/", "ws://x.invalid/", "wss://x.invalid/", "file:///x", "blob:x", "about:blank", "mailto:a@b", "ftp://x/p#frag", "FTP://X/a b", "data:text/plain,hi"]) r[u] = await o(() => fetch(u));
    r.upgrade = await o(() => fetch("ws://x.invalid/", { headers: { Upgrade: "websocket" } }));
    r.request = await o(() => fetch(new Request("ftp://x/#f")));
    r.urlObject = await o(() => fetch(new URL("file:///y")));
    r.getBody = await o(() => fetch("ftp://x/", { method: "GET", body: "x" }));
    r.badMethod = await o(() => fetch("ftp://x/", { method: "bad method" }));
    return r;`);

export default [
  { name: "fetch: a Response as its caller sees it: statusText, url, clones, statics", backend: "sqlite", source, drive },
  { name: "fetch: methods, URL schemes and bodies stub.fetch() accepts; what Response refuses", backend: "sqlite", source: requestsSource, drive: requestsDrive },
  globalSchemes,
];
