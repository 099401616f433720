// A Proxy of a Request where a Request is expected (itty-router's AutoRouter hands handlers
// `request.proxy`, which users pass on to stub.fetch() and fetch()): the runtime does not see a
// Request in it, so it is read as a URL string, or as an init's fields.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "request proxies: a Proxy of a Request given to stub.fetch(), fetch() and new Request()",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(req.method + " " + req.url + " " + (await req.text())); }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const plain = new Request("http://do/plain?q=1", { headers: { "x-a": "1" } });
      const viaRouter = (request) => new Proxy(request, { get: (target, key) => target[key]?.bind?.(request) ?? target[key] });
      const bare = (request) => new Proxy(request, {});
      const post = () => new Request("http://do/post", { method: "POST", body: "payload" });
      const text = async (p) => outcome(async () => (await p).text());
      return {
        stubRouterProxy: await text(s.fetch(viaRouter(plain))),
        stubBareProxy: await text(s.fetch(bare(plain))),
        stubPostProxy: await text(s.fetch(viaRouter(post()))),
        stubProxyAsInit: await text(s.fetch("http://do/init", viaRouter(post()))),
        requestCtor: outcomeSync(() => { const r = new Request(viaRouter(plain)); return [r.url, r.method]; }),
        requestCtorBare: outcomeSync(() => { const r = new Request(bare(plain)); return [r.url, r.method]; }),
        globalFetch: await text(fetch(viaRouter(new Request("http://conformance.invalid/nowhere")))),
        stringOf: outcomeSync(() => String(viaRouter(plain))),
      };
    },
  },
];
