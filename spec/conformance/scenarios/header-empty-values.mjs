// Empty header values (util/header-values.ts). The runtime keeps each appended value apart and
// joins them when read, so `["a", ""]` reads "a, " wherever the headers are copied: a new
// Headers, a Request's or Response's init, a clone, RPC, storage. A fetch() sends the values of
// a name its HTTP layer knows (accept, cookie, set-cookie, ...) from the first that is not
// empty, and none at all when every one is; any other name's (x-c) as they are.
import { cls } from "../scenario.mjs";

const LISTS = [["a", ""], ["", ""], ["", "", "c"], ["", "b", ""], ["a", "", "b"], ["a", " "], ["a", "", ""], ["a", "b"]];
const HELPERS = `const LISTS = ${JSON.stringify(LISTS)};
const NAMES = ["cookie", "x-c", "accept", "set-cookie"];
const make = (values) => { const h = new Headers([["x-a", "1"]]); for (const n of NAMES) for (const v of values) h.append(n, v); return h; };
const pairs = (values) => [["x-a", "1"], ...NAMES.flatMap((n) => values.map((v) => [n, v]))];
const read = (h) => [...h].map(([k, v]) => k + "=" + JSON.stringify(v)).join(" ") + " | " + JSON.stringify(h.getSetCookie()) + " " + NAMES.map((n) => h.has(n)).join();`;

/** Names a fetch() folds (the common ones, the HTTP library's, workerd's own) and a few it does not. */
const FOLDED = ["accept-charset", "authorization", "content-type", "cookie", "host", "set-cookie", "user-agent", "www-authenticate",
  "connection", "upgrade", "sec-websocket-protocol", "pragma", "origin", "cf-ray", "cf-cache-status", "cf-r2-request"];
const KEPT = ["x-c", "cf-connecting-ip", "x-forwarded-for", "access-control-allow-methods", "cache-tag", "referrer-policy"];

export default [
  {
    name: "header-values: empty values are kept through every local copy",
    backend: "sqlite",
    source: cls(`  local() {
    const out = {};
    const t = (f) => outcomeSync(f);
    for (const values of LISTS) {
      const h = make(values);
      out[JSON.stringify(values)] = {
        own: read(h),
        copy: t(() => read(new Headers(h))),
        copyAppend: t(() => { const c = new Headers(h); c.append("cookie", "z"); c.append("x-c", "z"); return read(c); }),
        pairs: t(() => read(new Headers(pairs(values)))),
        pairsAppend: t(() => { const c = new Headers(pairs(values)); c.append("cookie", "z"); return read(c); }),
        record: values.length === 2 ? t(() => read(new Headers({ cookie: values[0], Cookie: values[1], accept: values[0], ACCEPT: values[1] }))) : null,
        iterated: t(() => read(new Headers([...h]))),
        request: t(() => read(new Request("http://x/", { headers: h }).headers)),
        requestPairs: t(() => read(new Request("http://x/", { headers: pairs(values) }).headers)),
        requestCopies: t(() => { const q = new Request("http://x/", { headers: h }); return [read(new Request(q).headers), read(q.clone().headers), read(new Request(q, { method: "POST" }).headers)]; }),
        response: t(() => read(new Response(null, { headers: h }).headers)),
        responsePairs: t(() => read(new Response(null, { headers: pairs(values) }).headers)),
        responseCopies: t(() => { const r = new Response(null, { headers: h }); return [read(r.clone().headers), read(new Response(null, r).headers)]; }),
        json: t(() => read(Response.json(1, { headers: h }).headers)),
      };
    }
    const later = make(["a", ""]);
    later.set("x-c", "s");
    later.delete("accept");
    later.append("x-c", "");
    out.changed = [read(later), read(new Headers(later))];
    return out;
  }`, { extra: HELPERS }),
    drive: async (env) => env.DO.getByName("x").local(),
  },
  {
    name: "header-values: empty values over fetch, RPC and storage",
    backend: "sqlite",
    workers: { echo: { source: "", entry: `{ fetch(request) { return new Response(JSON.stringify([request.headers.get("cookie"), [...request.headers]])); } }` } },
    services: { ECHO: "echo" },
    source: cls(`  async fetch(request) {
    const values = JSON.parse(new URL(request.url).searchParams.get("v") ?? "null");
    if (values !== null) return new Response("r", { headers: make(values) });
    return new Response(JSON.stringify(read(request.headers)));
  }
  echo(h, q, r) { return [read(h), read(q.headers), read(r.headers)]; }
  give(values) { return make(values); }
  async crossing() {
    const out = {};
    const other = this.env.DO.getByName("b");
    const a = (f) => outcome(f);
    for (const values of LISTS) {
      const o = {};
      o.fetchTo = await a(async () => JSON.parse(await (await other.fetch("http://b/", { headers: make(values) })).text()));
      o.fetchToPairs = await a(async () => JSON.parse(await (await other.fetch("http://b/", { headers: pairs(values) })).text()));
      o.fetchToRequest = await a(async () => JSON.parse(await (await other.fetch(new Request("http://b/", { headers: make(values) }))).text()));
      o.fetchBack = await a(async () => read((await other.fetch("http://b/?v=" + encodeURIComponent(JSON.stringify(values)))).headers));
      o.service = await a(async () => JSON.parse(await (await this.env.ECHO.fetch("http://e/", { headers: make(values) })).text()));
      o.rpcTo = await a(async () => other.echo(make(values), new Request("http://q/", { headers: make(values) }), new Response(null, { headers: make(values) })));
      o.rpcBack = await a(async () => read(await other.give(values)));
      o.stored = await a(async () => { await this.ctx.storage.put("h", make(values)); return read(await this.ctx.storage.get("h")); });
      out[JSON.stringify(values)] = o;
    }
    out.setEmpty = await a(async () => { const h = new Headers(); for (const n of NAMES) h.set(n, " "); return JSON.parse(await (await other.fetch("http://b/", { headers: h })).text()); });
    out.storedThenSent = await a(async () => { await this.ctx.storage.put("h", make(["", "b"])); return JSON.parse(await (await other.fetch("http://b/", { headers: await this.ctx.storage.get("h") })).text()); });
    return out;
  }`, { extra: HELPERS }),
    drive: async (env) => env.DO.getByName("x").crossing(),
  },
  {
    name: "header-values: which names a fetch() folds",
    backend: "sqlite",
    source: cls(`  async fetch(request) {
    if (request.url.endsWith("/back")) return new Response("r", { headers: both() });
    return new Response(JSON.stringify(ALL.map((n) => request.headers.get(n))));
  }
  async go() {
    const other = this.env.DO.getByName("b");
    const to = JSON.parse(await (await other.fetch("http://b/", { method: "POST", body: "x", headers: both() })).text());
    const back = await other.fetch("http://b/back");
    return ALL.map((n, i) => [n, to[i], back.headers.get(n)]);
  }`, { extra: `const ALL = ${JSON.stringify([...FOLDED, ...KEPT])};
const both = () => { const h = new Headers(); for (const n of ALL) { h.append(n, ""); h.append(n, "b"); } return h; };` }),
    drive: async (env) => env.DO.getByName("a").go(),
  },
];
