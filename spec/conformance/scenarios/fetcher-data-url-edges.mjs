// data: URLs decoded by a stub's fetch() and the global fetch(): media types (default, parameters,
// case), base64 (padding, white space, invalid), percent-decoding, and the headers the Response
// carries, as workerd's fetch decodes them.
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) { return new Response("object saw " + req.url); }`);

const URLS = [
  "data:,x", "data:;base64,aGk=", "data:;charset=utf-8,x", "data:text/plain;base64,aGk", "data:text/plain;base64,a%20G%20k=",
  "data:text/plain;base64,%%%", "data:,%E2%82%AC%zz", "data:TEXT/Plain;Charset=UTF-8,x", "data:text/html;a=b;base64,PGI+",
  "data: text/plain ;base64 ,aGk=", "data:image/png;BASE64,aGk=", "data:x,y", "data:text/plain;charset=\"utf-8\",q", "data:,a b\tc",
  "data:;base64,%%%", "data:text/plain;base64,a", "data:text/plain;base64,aGk=#x", "data:text/plain;base64,a#b,c",
  "data:text/plain#a,b",
];

export default [
  {
    name: "fetch: data: URL edges (media types, base64, percent-decoding, headers) as workerd decodes them",
    backend: "sqlite",
    source,
    entry: `{ async fetch(request) { return new Response("worker saw " + request.url); } }`,
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
  for (const u of ${JSON.stringify(URLS)}) {
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
