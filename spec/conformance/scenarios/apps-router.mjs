// Realistic apps, part 6: a Worker fronting two namespaces (users by name, uploads by unique
// id), the way a gateway routes requests: ids made from names, unique ids sent to clients as
// strings and parsed back, location hints (jurisdictions: workerd refuses them, see ids.mjs), and Durable Objects answering with
// redirects, streamed bodies, status codes and repeated headers. The driver plays the client
// and records what it receives from the Worker's fetch and from the stubs directly.
import { cls } from "../scenario.mjs";

const SOURCE = `${cls(`  async fetch(req) {
    const url = new URL(req.url);
    const visits = ((await this.ctx.storage.get("visits")) ?? 0) + 1;
    await this.ctx.storage.put("visits", visits);
    switch (url.pathname) {
      case "/profile":
        return Response.json({ name: this.ctx.id.name ?? null, visits, idMatches: this.ctx.id.toString() === req.headers.get("x-id") }, { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-visits", String(visits)]] });
      case "/old":
        return Response.redirect("https://example.com/profile?from=old", 301);
      case "/gone":
        return new Response("gone", { status: 410, statusText: "Gone Away" });
      case "/empty":
        return new Response(null, { status: 204, headers: { "x-note": "nothing" } });
      case "/echo":
        return new Response(req.body, { headers: { "content-type": req.headers.get("content-type") ?? "none", "x-method": req.method } });
      default:
        return new Response("not found: " + url.pathname, { status: 404 });
    }
  }`, { name: "User" })}
export class Upload extends DurableObject {
  async fetch(req) {
    if (req.method === "PUT") {
      const bytes = new Uint8Array(await req.arrayBuffer());
      await this.ctx.storage.put("size", bytes.length);
      return new Response(null, { status: 201, headers: { location: "/uploads/" + this.ctx.id } });
    }
    const size = (await this.ctx.storage.get("size")) ?? null;
    let sent = 0;
    const body = new ReadableStream({
      pull(c) {
        if (sent >= 3) return c.close();
        c.enqueue(new TextEncoder().encode("chunk" + sent++ + ";"));
      },
    });
    return new Response(body, { headers: { "x-size": String(size), "x-name": String(this.ctx.id.name) } });
  }
  async info() { return { name: this.ctx.id.name ?? null, size: (await this.ctx.storage.get("size")) ?? null }; }
}`;

const ENTRY = `{
  async fetch(req, env) {
    const url = new URL(req.url);
    const [, kind, key, ...rest] = url.pathname.split("/");
    if (kind === "users") {
      const id = env.USERS.idFromName(key);
      const forward = new Request("https://user" + "/" + rest.join("/"), req);
      forward.headers.set("x-id", id.toString());
      return env.USERS.get(id).fetch(forward);
    }
    if (kind === "uploads") {
      if (key === "new") {
        const id = env.UPLOADS.newUniqueId();
        return env.UPLOADS.get(id).fetch("https://upload/", { method: "PUT", body: req.body });
      }
      let id;
      try { id = env.UPLOADS.idFromString(key); } catch (e) { return new Response(e.name + ": " + e.message, { status: 400 }); }
      return env.UPLOADS.get(id).fetch("https://upload/");
    }
    return new Response("no route", { status: 404 });
  },
}`;

/** A response as a client sees it: status, text, the headers that matter, and the body. */
const SEEN = `async function seen(res) {
  return { status: res.status, statusText: res.statusText, redirected: res.redirected, location: res.headers.get("location"), cookies: res.headers.getSetCookie(), visits: res.headers.get("x-visits"), note: res.headers.get("x-note"), size: res.headers.get("x-size"), method: res.headers.get("x-method"), type: res.headers.get("content-type"), body: await res.text() };
}`;

export default [
  {
    name: "apps: router Worker, users by name and uploads by unique id, redirects, streams, status codes, headers",
    backend: "sqlite",
    source: `${SOURCE}\n${SEEN}`,
    classes: { USERS: "User", UPLOADS: "Upload" },
    entry: ENTRY,
    drive: async (env) => {
      const out = {};
      const self = { fetch: (path, init) => ENTRY.fetch(new Request("https://gateway" + path, init), env) };
      out.profile = [await seen(await self.fetch("/users/alice/profile")), await seen(await self.fetch("/users/alice/profile"))];
      out.other = await seen(await self.fetch("/users/bob/profile"));
      out.old = await seen(await self.fetch("/users/alice/old"));
      out.gone = await seen(await self.fetch("/users/alice/gone"));
      out.empty = await seen(await self.fetch("/users/alice/empty"));
      out.echo = await seen(await self.fetch("/users/alice/echo", { method: "POST", body: "hello", headers: { "content-type": "text/plain" } }));
      out.missing = await seen(await self.fetch("/users/alice/nope"));
      const created = await self.fetch("/uploads/new", { method: "POST", body: new Uint8Array(1000) });
      const location = created.headers.get("location");
      out.created = { status: created.status, locationShape: /^\/uploads\/[0-9a-f]{64}$/.test(location) };
      out.download = await seen(await self.fetch(location));
      out.badId = await seen(await self.fetch("/uploads/xyz"));
      out.wrongNamespaceId = await seen(await self.fetch("/uploads/" + env.USERS.idFromName("alice")));
      out.noRoute = await seen(await self.fetch("/nothing"));
      const uploadId = env.UPLOADS.idFromString(location.split("/")[2]);
      out.info = await env.UPLOADS.get(uploadId).info();
      out.byName = await env.UPLOADS.getByName("named").info();
      return out;
    },
  },

  {
    name: "apps: router Worker, ids across namespaces: equals, names, location hints, round trips",
    backend: "sqlite",
    source: SOURCE,
    classes: { USERS: "User", UPLOADS: "Upload" },
    drive: async (env) => {
      const out = {};
      const a = env.USERS.idFromName("alice");
      const again = env.USERS.idFromName("alice");
      const otherNs = env.UPLOADS.idFromName("alice");
      const parsed = env.USERS.idFromString(a.toString());
      out.equals = { same: a.equals(again), parsed: a.equals(parsed), otherNamespace: a.equals(otherNs), sameString: a.toString() === otherNs.toString() };
      out.names = { a: a.name, parsed: parsed.name ?? null, unique: env.USERS.newUniqueId().name ?? null, stubName: env.USERS.getByName("alice").name, stubFromId: env.USERS.get(a).name ?? null, stubFromParsed: env.USERS.get(parsed).name ?? null };
      out.locationHint = await outcome(async () => {
        const stub = env.USERS.get(a, { locationHint: "enam" });
        const res = await stub.fetch("https://user/profile", { headers: { "x-id": a.toString() } });
        return (await res.json()).idMatches;
      });
      out.getByNameHint = await outcome(async () => (await (await env.USERS.getByName("alice", { locationHint: "weur" }).fetch("https://user/profile")).json()).name);
      out.parseErrors = {
        short: await outcome(() => env.USERS.idFromString("abc")),
        upper: await outcome(() => env.USERS.idFromString(a.toString().toUpperCase())),
        otherNamespace: await outcome(() => env.USERS.idFromString(env.UPLOADS.newUniqueId().toString())),
      };
      out.plainVisits = await outcome(async () => (await (await env.USERS.get(a).fetch("https://user/profile")).json()).visits);
      return out;
    },
  },
];
