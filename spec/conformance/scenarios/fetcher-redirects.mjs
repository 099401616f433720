// A redirect a Worker or an object answers through a Fetcher (a service binding, a stub) with the
// default `redirect: "follow"`: the runtime follows it through the same Fetcher, whatever the
// Location's host, as fetch() follows redirects (303, and 301 or 302 to a POST, become a GET
// without a body; 307 and 308 resend the body), up to 20 of them.
import { cls } from "../scenario.mjs";

const route = `
    const u = new URL(req.url);
    const s = Number(u.searchParams.get("s") ?? 301);
    if (u.pathname === "/old") return Response.redirect(new URL("/new?from=old", u).href, s);
    if (u.pathname === "/away") return Response.redirect("https://elsewhere.example/page", 302);
    if (u.pathname.endsWith("/relative")) return new Response(null, { status: 302, headers: { location: "../up?x=1#frag" } });
    if (u.pathname === "/nolocation") return new Response("no location", { status: 302 });
    if (u.pathname === "/scheme") return new Response(null, { status: 302, headers: { location: "ftp://x.example/" } });
    if (u.pathname === "/hop") return Response.redirect(new URL("/old?s=" + s, u).href, 302);
    if (u.pathname === "/loop") return Response.redirect(new URL("/loop", u).href, 302);
    const headers = [...req.headers].filter(([k]) => !["cf-connecting-ip", "host"].includes(k));
    return Response.json({ url: req.url, method: req.method, workersRequest: Object.getPrototypeOf(req) === Request.prototype, headers, body: req.body === null ? null : await req.text() });`;

const BODY_ROUTE = `
    const u = new URL(req.url);
    if (u.pathname === "/old") return new Response(null, { status: Number(u.searchParams.get("s")), headers: { location: "/new" } });
    const type = req.headers.get("content-type") ?? "";
    const body = type.startsWith("multipart/form-data") ? [...(await req.formData())] : await req.text();
    return Response.json({ method: req.method, type: type.split(";")[0], body });`;

export default [
  {
    name: "fetch: a redirect answered through a service binding or a stub, followed by default",
    backend: "sqlite",
    source: cls(`  async fetch(req) {${route}
  }`),
    entry: `{ async fetch(req) {${route} } }`,
    services: { SELF: "test" },
    drive: async (env) => {
      const facts = async (res) => ({ status: res.status, statusText: res.statusText, redirected: res.redirected, url: res.url, location: res.headers.get("location"), body: await res.text() });
      const post = (s, body) => ({ method: "POST", body, headers: { "content-type": "text/plain", "x-keep": "k" } });
      const stream = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } });
      const run = async (fetcher) => {
        const go = (path, init) => outcome(async () => facts(await fetcher.fetch("http://x.example" + path, init)));
        return {
          get: await go("/old", { headers: { "x-keep": "k" } }),
          head: await go("/old", { method: "HEAD" }),
          post301: await go("/old?s=301", post(301, "b")),
          post302: await go("/old?s=302", post(302, "b")),
          put303: await go("/old?s=303", { method: "PUT", body: "b" }),
          post307: await go("/old?s=307", post(307, "b")),
          put308: await go("/old?s=308", { method: "PUT", body: new Uint8Array([104, 105]) }),
          stream307: await go("/old?s=307", { method: "POST", body: stream(), duplex: "half" }),
          stream303: await go("/old?s=303", { method: "POST", body: stream(), duplex: "half" }),
          stream302: await go("/old?s=302", { method: "POST", body: stream(), duplex: "half" }),
          hops: await go("/hop?s=308"),
          away: await go("/away"),
          relative: await go("/a/b/relative"),
          noLocation: await go("/nolocation"),
          scheme: await go("/scheme"),
          manual: await go("/old", { redirect: "manual" }),
          requestBody307: await outcome(async () => facts(await fetcher.fetch(new Request("http://x.example/hop?s=307", { method: "POST", body: "from a Request" })))),
          requestStream307: await outcome(async () => facts(await fetcher.fetch(new Request("http://x.example/old?s=307", { method: "POST", body: stream() })))),
          requestStream302: await outcome(async () => facts(await fetcher.fetch(new Request("http://x.example/old?s=302", { method: "POST", body: stream() })))),
          requestStream303: await outcome(async () => facts(await fetcher.fetch(new Request("http://x.example/old?s=303", { method: "POST", body: stream() })))),
          requestManual: await outcome(async () => facts(await fetcher.fetch(new Request("http://x.example/old", { redirect: "manual" })))),
          loop: await go("/loop"),
        };
      };
      return { service: await run(env.SELF), stub: await run(env.DO.getByName("a")) };
    },
  },
  {
    // What a 307 or 308 sends again is what the first request sent, buffered at the call: a
    // buffer, a view of one, a FormData or URLSearchParams the caller changes after fetch()
    // (and before the redirect comes back) is resent as it was.
    name: "fetch: a redirect resends the body as it was at the call, whatever the caller changes after",
    backend: "sqlite",
    source: cls(`  async fetch(req) {${BODY_ROUTE}
  }`),
    entry: `{ async fetch(req) {${BODY_ROUTE} } }`,
    services: { SELF: "test" },
    drive: async (env) => {
      const run = async (fetcher) => {
        const changed = async (status, body, change) => {
          const sent = fetcher.fetch("http://x.example/old?s=" + status, { method: "POST", body });
          change();
          return outcome(async () => (await sent).json());
        };
        const out = {};
        for (const s of [307, 308]) {
          const buffer = new TextEncoder().encode("before").buffer;
          out["arrayBuffer " + s] = await changed(s, buffer, () => new Uint8Array(buffer).set(new TextEncoder().encode("AFTER!")));
          const bytes = new TextEncoder().encode("before");
          out["uint8Array " + s] = await changed(s, bytes, () => bytes.set(new TextEncoder().encode("AFTER!")));
          const whole = new TextEncoder().encode("xxbeforexx");
          const view = new DataView(whole.buffer, 2, 6);
          out["dataView " + s] = await changed(s, view, () => whole.set(new TextEncoder().encode("xxAFTER!xx")));
          const form = new FormData();
          form.append("a", "1");
          out["formData " + s] = await changed(s, form, () => form.append("b", "2"));
          const params = new URLSearchParams("a=1");
          out["urlSearchParams " + s] = await changed(s, params, () => params.append("b", "2"));
        }
        return out;
      };
      return { service: await run(env.SELF), stub: await run(env.DO.getByName("a")) };
    },
  },
];
