// Whole flows as an application's Worker writes them against KV and R2 (the patterns of
// Cloudflare's docs a migrating user's tests exercise), rather than one method at a time.
export default [
  {
    name: "r2: an object server's flow: PUT from a request, conditional and ranged GETs from its headers",
    drive: async (env) => {
      // The docs' Worker: put(request.body, { httpMetadata: request.headers }) and
      // get(key, { onlyIf: request.headers, range: request.headers }), answered with writeHttpMetadata().
      const serve = async (request) => {
        const key = new URL(request.url).pathname.slice(1);
        if (request.method === "PUT") {
          const put = await env.BUCKET.put(key, request.body, { httpMetadata: request.headers, customMetadata: { by: "flow" } });
          return new Response(null, { status: 201, headers: { etag: put.httpEtag } });
        }
        if (request.method === "DELETE") {
          await env.BUCKET.delete(key);
          return new Response(null, { status: 204 });
        }
        const object = await env.BUCKET.get(key, { onlyIf: request.headers, range: request.headers });
        if (object === null) return new Response("Not Found", { status: 404 });
        const headers = new Headers();
        object.writeHttpMetadata(headers);
        headers.set("etag", object.httpEtag);
        if (!("body" in object)) return new Response(null, { status: 304, headers });
        const ranged = request.headers.has("range");
        if (ranged) headers.set("content-range", `bytes ${object.range.offset}-${object.range.offset + object.range.length - 1}/${object.size}`);
        return new Response(object.body, { status: ranged ? 206 : 200, headers });
      };
      const answer = async (method, headers = {}, body) => {
        const response = await serve(new Request("https://files.example/notes.txt", { method, headers, body }));
        const text = await response.text();
        return { status: response.status, headers: headersOf(response.headers).filter(([name]) => name !== "etag"), text };
      };
      const created = await serve(new Request("https://files.example/notes.txt", {
        method: "PUT",
        body: "hello, world",
        headers: { "content-type": "text/plain", "content-language": "en", "cache-control": "max-age=60", "x-ignored": "1" },
      }));
      const etag = created.headers.get("etag");
      return {
        created: created.status,
        etagQuoted: /^"[0-9a-f]{32}"$/.test(etag),
        plain: await answer("GET"),
        notModified: await answer("GET", { "if-none-match": etag }),
        otherEtag: await answer("GET", { "if-none-match": "\"other\"" }),
        matched: await answer("GET", { "if-match": etag }),
        preconditionFailed: await answer("GET", { "if-match": "\"other\"" }),
        range: await answer("GET", { range: "bytes=7-11" }),
        suffix: await answer("GET", { range: "bytes=-5" }),
        open: await answer("GET", { range: "bytes=7-" }),
        modifiedSince: await answer("GET", { "if-modified-since": new Date(Date.now() + 60_000).toUTCString() }),
        head: await outcome(async () => { const h = await env.BUCKET.head("notes.txt"); return [h.size, h.customMetadata, h.httpMetadata.contentType, h.httpMetadata.cacheControl]; }),
        deleted: (await serve(new Request("https://files.example/notes.txt", { method: "DELETE" }))).status,
        gone: await answer("GET"),
      };
    },
  },
  {
    name: "kv: a session store's flow: JSON with metadata and a TTL, listed by prefix, read as JSON, deleted",
    drive: async (env) => {
      const sessions = { s1: { user: "ada", roles: ["admin"] }, s2: { user: "bob", roles: [] }, s3: { user: "cy", roles: ["ops"] } };
      for (const [id, session] of Object.entries(sessions)) {
        await env.KV.put(`session:${id}`, JSON.stringify(session), { expirationTtl: 3600, metadata: { user: session.user } });
      }
      await env.KV.put("config:theme", "dark");
      const now = Math.floor(Date.now() / 1000);
      const page = await env.KV.list({ prefix: "session:", limit: 2 });
      const rest = await env.KV.list({ prefix: "session:", cursor: page.cursor });
      const withMeta = await env.KV.getWithMetadata("session:s1", { type: "json", cacheTtl: 60 });
      const many = await env.KV.get(["session:s2", "session:missing"], { type: "json" });
      await env.KV.delete("session:s2");
      return {
        page: page.keys.map((k) => [k.name, k.metadata, Math.abs(k.expiration - (now + 3600)) <= 2]),
        pageComplete: page.list_complete,
        rest: rest.keys.map((k) => k.name),
        restComplete: rest.list_complete,
        withMeta: [withMeta.value, withMeta.metadata, withMeta.cacheStatus],
        many: [...many],
        text: await env.KV.get("session:s3"),
        afterDelete: (await env.KV.list({ prefix: "session:" })).keys.map((k) => k.name),
        deletedGet: await env.KV.get("session:s2", "json"),
        other: (await env.KV.list()).keys.map((k) => k.name),
      };
    },
  },
];
