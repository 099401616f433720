// A Fetcher's fetch() (a Durable Object stub's, a service binding's) to a `data:` URL: the
// runtime answers it locally, as the global fetch() does, without reaching the object or the
// Worker (their handlers would answer otherwise); what the Response carries (status, type,
// body, url), a Request input, a method with a body, and a data URL that does not parse.
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) { return new Response("object saw " + req.url); }`);

const URLS = ["data:text/plain,hi", "data:,a%20b", "data:text/plain;base64,aGk=", "data:application/json;charset=utf-8,{}", "data:text/plain,hi#frag", "DATA:text/plain,HI"];

export default [
  {
    name: "fetch: a data: URL given to a stub's or a service binding's fetch() is answered locally, as by the global fetch()",
    backend: "sqlite",
    source,
    entry: `{ async fetch(request) { return new Response("worker saw " + request.url); } }`,
    services: { SELF: "test" },
    drive: `async function drive(env) {
  const seen = async (f) => {
    try {
      const res = await f();
      return { status: res.status, statusText: res.statusText, type: res.headers.get("content-type"), url: res.url, body: await res.text() };
    } catch (e) {
      return { error: err(e) };
    }
  };
  const r = {};
  for (const [name, fetcher] of [["stub", env.DO.getByName("a")], ["service", env.SELF]]) {
    const f = (r[name] = {});
    for (const u of ${JSON.stringify(URLS)}) f[u] = await seen(() => fetcher.fetch(u));
    f.request = await seen(() => fetcher.fetch(new Request("data:text/plain,req")));
    f.post = await seen(() => fetcher.fetch("data:text/plain,p", { method: "POST", body: "x" }));
    f.postEmpty = await seen(() => fetcher.fetch("data:text/plain,p", { method: "POST" }));
    f.head = await seen(() => fetcher.fetch("data:text/plain,h", { method: "HEAD" }));
    f.put = await seen(() => fetcher.fetch("data:text/plain,u", { method: "PUT", body: "x" }));
    f.noComma = await seen(() => fetcher.fetch("data:text/plain"));
    f.aborted = await seen(() => fetcher.fetch("data:text/plain,a", { signal: AbortSignal.abort() }));
  }
  r.global = {
    noComma: await seen(() => fetch("data:text/plain")),
    aborted: await seen(() => fetch("data:text/plain,a", { signal: AbortSignal.abort() })),
    post: await seen(() => fetch("data:text/plain,p", { method: "POST", body: "x" })),
    postEmpty: await seen(() => fetch("data:text/plain,p", { method: "POST" })),
    head: await seen(() => fetch("data:text/plain,h", { method: "HEAD" })),
    put: await seen(() => fetch("data:text/plain,u", { method: "PUT", body: "x" })),
  };
  return r;
}`,
  },
];
