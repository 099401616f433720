// A Request (or any object that is not a plain one) given as the init of `new Request(url, init)`
// or `stub.fetch(url, init)` is read as a RequestInit: its method, headers and body (a stream)
// are taken through its own getters, the usual way to send a request on to another URL.
import { cls } from "../scenario.mjs";

const source = cls(`  async fetch(req) {
    return Response.json({ method: req.method, url: req.url, header: req.headers.get("x-from"), body: await req.text() });
  }`);

const drive = `async function drive(env) {
  const s = env.DO.getByName("a");
  const o = async (f) => { try { return { ok: show(await f()) }; } catch (e) { return { error: err(e) }; } };
  const sent = () => new Request("http://do/first", { method: "PUT", headers: { "x-from": "init" }, body: "carried" });
  class Init {
    get method() { return "PATCH"; }
    get headers() { return { "x-from": "getter" }; }
    get body() { return new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } }); }
  }
  return {
    fetchWithBody: await o(async () => (await s.fetch("http://do/second", sent())).json()),
    fetchWithoutBody: await o(async () => (await s.fetch("http://do/second", new Request("http://do/first", { method: "DELETE", headers: { "x-from": "get" } }))).json()),
    fetchClassInit: await o(async () => (await s.fetch("http://do/second", new Init())).json()),
    constructWithBody: await o(async () => { const r = new Request("http://z/", sent()); return [r.method, r.url, r.headers.get("x-from"), await r.text()]; }),
    constructClassInit: await o(async () => { const r = new Request("http://z/", new Init()); return [r.method, r.headers.get("x-from"), await r.text()]; }),
  };
}`;

export default [{ name: "request init: a Request or a class instance as the init of new Request() and stub.fetch()", backend: "sqlite", source, drive }];
