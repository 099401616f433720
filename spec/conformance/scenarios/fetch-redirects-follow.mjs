// stub.fetch() and a service binding's fetch() follow the redirects their target answers with
// (redirect "follow", the default): the next request goes to the same target whatever host the
// Location names, relative Locations resolve against the request's URL, 303 (and 301/302 after
// a POST) turn into a body-less GET that keeps every header, 307/308 send the body again unless
// the caller gave a stream, a Location that does not parse and a 21st redirect fail with
// TypeErrors, an empty Location is answered as it is; the final Response is `redirected` and
// reads the last URL. (Found by apps-router.mjs.)
import { cls } from "../scenario.mjs";

const ANSWER = `async function answer(req, seen) {
  const u = new URL(req.url);
  seen.push([req.method, req.url, req.headers.get("x-a"), req.headers.get("content-type"), await req.text()]);
  const s = Number(u.searchParams.get("s") ?? 0);
  const n = Number(u.searchParams.get("n") ?? 0);
  if (u.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop?n=" + (n + 1) } });
  if (s) return new Response("redirecting", { status: s, headers: { location: u.searchParams.get("to") ?? "/done", "set-cookie": "r=1" } });
  return new Response("final " + req.method + " " + u.pathname, { headers: { "x-final": "1" } });
}`;

const SOURCE = cls(`  seen = [];
  async fetch(req) { return answer(req, this.seen); }
  take() { const s = this.seen; this.seen = []; return s; }`, { extra: ANSWER });

/** What each request of a list got, and what the target saw of it (`take` empties its log). */
const DRIVE = `async function check(fetcher, take) {
  const out = {};
  const facts = async (p, init) => outcome(async () => { const r = await fetcher.fetch("http://do" + p, init); return { status: r.status, redirected: r.redirected, url: r.url, final: r.headers.get("x-final"), cookie: r.headers.get("set-cookie"), body: await r.text(), seen: await take() }; });
  const stream = () => new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
  for (const st of [301, 302, 303, 307, 308]) {
    out["get " + st] = await facts("/a?s=" + st);
    out["post " + st] = await facts("/a?s=" + st, { method: "POST", body: "data", headers: { "x-a": "1", "content-type": "text/plain" } });
  }
  out.put301 = await facts("/a?s=301", { method: "PUT", body: "put data" });
  out.head303 = await facts("/a?s=303", { method: "HEAD" });
  out.streamBody307 = await facts("/a?s=307", { method: "POST", body: stream() });
  out.afterStream307 = await take();
  out.streamBody303 = await facts("/a?s=303", { method: "POST", body: stream() });
  out.otherHost = await facts("/a?s=302&to=" + encodeURIComponent("https://elsewhere.example/x?y=1"));
  out.relative = await facts("/dir/a?s=302&to=b");
  out.badLocation = await facts("/a?s=302&to=" + encodeURIComponent("http://[bad"));
  out.afterBadLocation = await take();
  out.emptyLocation = await facts("/a?s=302&to=");
  out.loop = await outcome(async () => { const r = await fetcher.fetch("http://do/loop"); return [r.status, await r.text()]; });
  out.loopRequests = (await take()).length;
  out.manual = await facts("/a?s=302", { redirect: "manual" });
  out.request = await outcome(async () => { const r = await fetcher.fetch(new Request("http://do/a?s=301", { method: "POST", body: "x" })); return [r.status, r.redirected, r.url, await r.text(), await take()]; });
  out.manualRequest = await outcome(async () => { const r = await fetcher.fetch(new Request("http://do/a?s=301", { redirect: "manual" })); return [r.status, r.redirected, r.url, await take()]; });
  return out;
}`;

export default [
  {
    name: "fetch: stub.fetch() follows redirects to the same object",
    backend: "sqlite",
    source: `${SOURCE}\n${DRIVE}`,
    drive: async (env) => {
      const stub = env.DO.getByName("r");
      return check(stub, () => stub.take());
    },
  },
  {
    name: "fetch: a service binding's fetch() follows redirects to the same Worker",
    backend: "sqlite",
    source: `${SOURCE}\n${DRIVE}`,
    workers: { other: { source: `${ANSWER}\nconst seen = [];`, entry: `{ async fetch(req) { if (new URL(req.url).pathname === "/take") return Response.json(seen.splice(0)); return answer(req, seen); } }` } },
    services: { SVC: "other" },
    drive: async (env) => check(env.SVC, async () => (await env.SVC.fetch("http://do/take")).json()),
  },
];
