// Request init details through stub.fetch(): redirect "manual" and a redirect Response, Set-Cookie
// both ways, header values as HTTP carries them, null-body statuses with headers, the init's
// browser options (cache, mode, credentials, ...) and `cf` of every kind; a Request sent alone is
// framed as its body was given (a FormData's encoding is Node's own there: left out).
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) {
    const u = new URL(req.url);
    switch (u.pathname) {
      case "/redirect": return Response.redirect("https://example.com/to?x=1", Number(u.searchParams.get("s") ?? 302));
      case "/cookies": { const h = new Headers(); h.append("Set-Cookie", "a=1; Path=/"); h.append("Set-Cookie", "b=2; HttpOnly"); h.append("x-other", "o"); return new Response("c", { headers: h }); }
      case "/empty204": return new Response("", { status: 204, headers: { "x-a": "1" } });
      case "/null304": return new Response(null, { status: 304, headers: { etag: '"e"', "content-length": "10" } });
      case "/status": return new Response("s", { status: Number(u.searchParams.get("s")), statusText: u.searchParams.get("t") ?? undefined });
      default: return Response.json({ method: req.method, headers: [...req.headers].filter(([k]) => !["content-length", "content-type"].includes(k)), cookies: req.headers.getSetCookie(), cf: req.cf ?? null });
    }
  }`);

export default [
  {
    name: "fetch: redirect Responses, Set-Cookie and null-body statuses as the caller gets them",
    backend: "sqlite",
    source,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const facts = async (x) => ({ status: x.status, statusText: x.statusText, redirected: x.redirected, url: x.url, headers: [...x.headers], cookies: x.headers.getSetCookie(), body: x.body === null ? null : await x.text() });
      const get = (path, init) => outcome(async () => facts(await s.fetch("http://do" + path, init)));
      return {
        manual: await get("/redirect", { redirect: "manual" }),
        manual308: await get("/redirect?s=308", { redirect: "manual" }),
        cookies: await get("/cookies"),
        empty204: await get("/empty204"),
        null304: await get("/null304"),
        status599: await get("/status?s=599"),
        status299: await get("/status?s=299"),
        customText: await get("/status?s=200&t=Fine%20Thanks"),
        emptyText: await get("/status?s=404&t="),
      };
    },
  },
  {
    name: "fetch: request headers, init options and cf as a fetch() handler receives them",
    backend: "sqlite",
    source,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const send = (init) => outcome(async () => (await s.fetch("http://do/echo", init)).json());
      const cookies = new Headers();
      cookies.append("Set-Cookie", "a=1");
      cookies.append("Set-Cookie", "b=2");
      return {
        setCookies: await send({ headers: cookies }),
        padded: await send({ headers: { "x-pad": "  padded \t", "x-empty": "", "X-Case": "KeepCase" } }),
        duplicateRecordCase: await send({ headers: [["x-d", "1"], ["X-D", "2"], ["x-d", "3"]] }),
        host: await send({ headers: { host: "elsewhere.example" } }),
        cacheNoStore: await send({ cache: "no-store" }),
        cacheNoCache: await send({ cache: "no-cache" }),
        cacheDefault: await send({ cache: "default" }),
        modeCors: await send({ mode: "cors" }),
        credentials: await send({ credentials: "include" }),
        integrity: await send({ integrity: "sha256-abc" }),
        keepalive: await send({ keepalive: true }),
        referrer: await send({ referrer: "https://ref.example/" }),
        cfNested: await send({ cf: { a: { b: [1, null] }, f: () => 1, u: undefined } }),
        cfString: await send({ cf: "text" }),
        cfNull: await send({ cf: null }),
        cfArray: await send({ cf: [1, 2] }),
        signalNull: await send({ signal: null }),
        cacheReload: await send({ cache: "reload" }),
        cacheForce: await send({ cache: "force-cache" }),
        cacheOnlyIfCached: await send({ cache: "only-if-cached" }),
        cacheNoStoreCase: await send({ cache: "No-Store" }),
        cacheUndefined: await send({ cache: undefined }),
        cacheWithHeaders: await send({ cache: "no-store", headers: { "cache-control": "max-age=5", pragma: "x" } }),
        cacheWithCf: await send({ cache: "no-store", cf: { cacheTtl: 5, other: 1 } }),
        cacheOnRequest: await outcome(async () => (await s.fetch(new Request("http://do/echo", { cache: "no-store" }))).json()),
        cacheOnRequestOverridden: await outcome(async () => (await s.fetch(new Request("http://do/echo", { cache: "no-store" }), { cache: "no-cache" })).json()),
        requestCtor: outcomeSync(() => { const r = new Request("http://x/", { cache: "no-store" }); return [r.cache, [...r.headers], r.cf ?? null]; }),
        requestCtorDefault: outcomeSync(() => new Request("http://x/", { cache: "default" }).cache),
        requestCtorIntegrity: outcomeSync(() => new Request("http://x/", { integrity: "sha256-abc" }).integrity),
        requestCtorCf: outcomeSync(() => new Request("http://x/", { cf: "s" }).cf),
        integrityEmpty: await send({ integrity: "" }),
        cacheWithOtherCf: await send({ cache: "no-store", cf: { other: 1, cacheLevel: "x" } }),
        noCacheWithTtl: await send({ cache: "no-cache", cf: { cacheTtl: 5, cacheForceRevalidate: false } }),
        noStoreWithTtlMinus: await send({ cache: "no-store", cf: { cacheTtl: -1 } }),
        noStoreWithTtlZero: await send({ cache: "no-store", cf: { cacheTtl: 0 } }),
        noStoreOneHeader: await send({ cache: "no-store", headers: { Pragma: "p" } }),
        cfGetter: await send({ cf: { get g() { return "got"; } } }),
        cfDate: await send({ cf: { d: new Date(0) } }),
        requestCf: await outcome(async () => (await s.fetch(new Request("http://do/echo", { cf: { r: 1 } }), { cache: "no-store" })).json()),
        method: await send({ method: "Delete" }),
      };
    },
  },
  {
    name: "fetch: init options and cf through a service binding and to a WorkerEntrypoint over RPC",
    backend: "sqlite",
    source: cls(`  async hello() { return "hi"; }`),
    workers: {
      other: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Api extends WorkerEntrypoint {
  echo(req) { return [req.method, req.url, [...req.headers], req.cf ?? null]; }
  respond() { const r = Response.error(); return r; }
  stream() { return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("s")); c.close(); } })); }
}`,
        entry: `{ async fetch(req) { return Response.json({ headers: [...req.headers], cf: req.cf ?? null }); } }`,
      },
    },
    services: { SVC: "other", API: { name: "other", entrypoint: "Api" } },
    drive: async (env) => {
      const send = (init) => outcome(async () => (await env.SVC.fetch("http://svc/", init)).json());
      return {
        noStore: await send({ cache: "no-store" }),
        noCache: await send({ cache: "no-cache", cf: { a: 1 } }),
        reload: await send({ cache: "reload" }),
        cfNull: await send({ cf: null }),
        integrity: await send({ integrity: "x" }),
        rpcRequest: await outcome(() => env.API.echo(new Request("http://r/", { method: "PUT", body: "b", cf: { c: 1 }, headers: { "x-a": "1" } }))),
        rpcError: await outcome(async () => { const r = await env.API.respond(); return [r.status, r.type, (() => { try { r.headers.set("x", "1"); return "ok"; } catch (e) { return e.message; } })()]; }),
        rpcStream: await outcome(async () => { const r = await env.API.stream(); return [r.url, await r.text()]; }),
      };
    },
  },
  {
    name: "fetch: the framing of a Request sent alone (content-length, chunked), copied and cloned",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return Response.json({ length: req.headers.get("content-length"), chunked: req.headers.get("transfer-encoding"), type: req.headers.get("content-type")?.replace(/boundary=.*/, "B"), text: (await req.text()).length }); }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const send = (body, extra = {}) => outcome(async () => (await s.fetch(new Request("http://do/", { method: "POST", body, ...extra }))).json());
      return {
        string: await send("héllo"),
        buffer: await send(new Uint8Array([1, 2, 3]).buffer),
        view: await send(new Uint16Array([1, 2])),
        blob: await send(new Blob(["abcd"])),
        params: await send(new URLSearchParams("a=1&b=2")),
        stream: await send(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("st")); c.close(); } })),
        empty: await send(""),
        copied: await outcome(async () => (await s.fetch(new Request(new Request("http://do/", { method: "PUT", body: "copied" })))).json()),
        withHeader: await send("xyz", { headers: { "content-length": "3" } }),
        cloned: await outcome(async () => (await s.fetch(new Request("http://do/", { method: "POST", body: "clone me" }).clone())).json()),
        initBodyNull: await outcome(async () => (await s.fetch(new Request("http://do/", { method: "POST", body: "abcdefg" }), { body: null })).json()),
        madeBodyNull: await outcome(async () => (await s.fetch(new Request(new Request("http://do/", { method: "POST", body: "abcdefg" }), { body: null }))).json()),
      };
    },
  },
];
