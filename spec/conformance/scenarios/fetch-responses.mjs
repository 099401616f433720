// What a Response reads like once it crossed from a Durable Object's fetch() handler to its
// caller: statusText filled in with the status's reason phrase (unless its maker gave one, even
// an empty one), url set to the request's without its fragment, clones alike; and the statics
// (Response.json, redirect) make Responses with webSocket null. Locally nothing is filled in.
// (A redirect the object returns is followed by workerd, over the network: not recorded here.)
import { cls } from "../scenario.mjs";

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

export default [{ name: "fetch: a Response as its caller sees it: statusText, url, clones, statics", backend: "sqlite", source, drive }];
