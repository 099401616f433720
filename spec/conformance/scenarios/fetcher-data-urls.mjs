// A Fetcher's fetch() (a Durable Object stub's, a service binding's) to a `data:` URL: the
// runtime answers it locally, as the global fetch() does, without reaching the object or the
// Worker (their handlers would answer otherwise); what the Response carries (status, type,
// body, url), a Request input, a method with a body, and a data URL that does not parse; and
// how data URLs decode (media types, base64, percent-decoding, the Response's headers and type).
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) { return new Response("object saw " + req.url); }`);

const entry = `{ async fetch(request) { return new Response("worker saw " + request.url); } }`;

const URLS = ["data:text/plain,hi", "data:,a%20b", "data:text/plain;base64,aGk=", "data:application/json;charset=utf-8,{}", "data:text/plain,hi#frag", "DATA:text/plain,HI"];

const EDGE_URLS = [
  "data:,x", "data:;base64,aGk=", "data:;charset=utf-8,x", "data:text/plain;base64,aGk", "data:text/plain;base64,a%20G%20k=",
  "data:text/plain;base64,%%%", "data:,%E2%82%AC%zz", "data:TEXT/Plain;Charset=UTF-8,x", "data:text/html;a=b;base64,PGI+",
  "data: text/plain ;base64 ,aGk=", "data:image/png;BASE64,aGk=", "data:x,y", "data:text/plain;charset=\"utf-8\",q", "data:,a b\tc",
  "data:;base64,%%%", "data:text/plain;base64,a", "data:text/plain;base64,aGk=#x", "data:text/plain;base64,a#b,c",
  "data:text/plain#a,b", 'data:text/plain;a="x\\"y";b=c,q', "data:text/plain;a=b;A=c,q", "data:text/plain;a=;b=c,q", "data:text/plain;=x;b=c,q",
  'data:text/plain;a="b c";d="ef",q', "data:text/plain;a;b=c,q", "data:te xt/plain,q", 'data:text/plain;a="open,q', "data:text/plain;a=b  ;c=%C3%A9,q",
];

export default [
  {
    name: "fetch: a data: URL given to a stub's or a service binding's fetch() is answered locally, as by the global fetch()",
    backend: "sqlite",
    source,
    entry,
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
  {
    name: "fetch: data: URL edges (media types, base64, percent-decoding, headers) as workerd decodes them",
    backend: "sqlite",
    source,
    entry,
    services: { SELF: "test" },
    drive: `async function drive(env) {
  const seen = async (f) => {
    try {
      const res = await f();
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, headers: [...res.headers], bytes: [...bytes].join(), redirected: res.redirected, type: res.type };
    } catch (e) {
      return { error: err(e) };
    }
  };
  const r = { stub: {}, global: {} };
  const stub = env.DO.getByName("a");
  for (const u of ${JSON.stringify(EDGE_URLS)}) {
    r.stub[u] = await seen(() => stub.fetch(u));
    r.global[u] = await seen(() => fetch(u));
  }
  r.lowerGet = await seen(() => stub.fetch("data:,g", { method: "get" }));
  r.options = await seen(() => stub.fetch("data:,o", { method: "OPTIONS" }));
  r.globalRequestPost = await seen(() => fetch(new Request("data:,rp", { method: "POST", body: "x" })));
  r.globalRequestInitGet = await seen(() => fetch(new Request("data:,rg", { method: "POST", body: "x" }), { method: "GET", body: null }));
  r.requestNoComma = await seen(() => stub.fetch(new Request("data:text/plain#a,b")));
  r.serviceInvalid = await seen(() => env.SELF.fetch("data:text/plain;base64,a#b,c"));
  r.serviceNoComma = await seen(() => env.SELF.fetch(new Request("data:text/plain#a,b")));
  r.headInvalid = await seen(() => stub.fetch("data:image/gif;base64,*", { method: "HEAD" }));
  return r;
}`,
  },
];
