// R2 bucket: which errors are synchronous, overwrites, bodies, metadata details, multipart objects.
export default [
  {
    name: "r2: which errors are thrown synchronously",
    drive: async (env) => {
      const up = await env.BUCKET.createMultipartUpload("m");
      return {
        getNoArgs: await thrownHow(() => env.BUCKET.get()), headNoArgs: await thrownHow(() => env.BUCKET.head()), putNoArgs: await thrownHow(() => env.BUCKET.put()),
        putOneArg: await thrownHow(() => env.BUCKET.put("k")), deleteNoArgs: await thrownHow(() => env.BUCKET.delete()), listString: await thrownHow(() => env.BUCKET.list("x")),
        createNoArgs: await thrownHow(() => env.BUCKET.createMultipartUpload()), resumeNoArgs: await thrownHow(() => env.BUCKET.resumeMultipartUpload()),
        resumeOneArg: await thrownHow(() => env.BUCKET.resumeMultipartUpload("k")), badRange: await thrownHow(() => env.BUCKET.get("k", { range: { offset: -1 } })),
        badChecksum: await thrownHow(() => env.BUCKET.put("k", "v", { md5: "x" })), uploadPartNoArgs: await thrownHow(() => up.uploadPart()),
        partNumber: await thrownHow(() => up.uploadPart(0, "x")), completeNoArgs: await thrownHow(() => up.complete()), writeNoArgs: await thrownHow(async () => (await env.BUCKET.put("w", "v")).writeHttpMetadata()),
      };
    },
  },
  {
    name: "r2: API objects as reflection sees them",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "v");
      const get = await env.BUCKET.get("k");
      const upload = await env.BUCKET.createMultipartUpload("m");
      return {
        bucket: apiShape(env.BUCKET), object: apiShape(put), body: apiShape(get), upload: apiShape(upload), checksums: apiShape(put.checksums),
        bodyChain: Object.getPrototypeOf(Object.getPrototypeOf(get)) === Object.getPrototypeOf(put),
        instanceOf: [get instanceof put.constructor, put instanceof get.constructor],
        farDate: await outcome(async () => (await env.BUCKET.put("d", "v", { httpMetadata: { cacheExpiry: new Date(7e12) } })).httpMetadata.cacheExpiry.toISOString()),
      };
    },
  },
  {
    name: "r2: overwrite, delete and re-create",
    drive: async (env) => {
      const a = await env.BUCKET.put("k", "same", { customMetadata: { v: "1" }, httpMetadata: { contentType: "a/b" } });
      const b = await env.BUCKET.put("k", "same");
      const c = await env.BUCKET.put("k", "different");
      await env.BUCKET.delete("k");
      const gone = await env.BUCKET.head("k");
      const d = await env.BUCKET.put("k", "same");
      return {
        sameEtag: a.etag === b.etag, newVersion: a.version !== b.version, changedEtag: c.etag !== b.etag, metadataDropped: [b.customMetadata, b.httpMetadata.contentType],
        gone, recreatedEtag: d.etag === a.etag, head: r2(await env.BUCKET.head("k")),
      };
    },
  },
  {
    name: "r2: bodies as streams",
    drive: async (env) => {
      await env.BUCKET.put("k", "0123456789");
      const out = {};
      const o1 = await env.BUCKET.get("k");
      const [x, y] = o1.body.tee();
      out.tee = [await textOf(x), await textOf(y), o1.bodyUsed];
      const o2 = await env.BUCKET.get("k");
      const reader = o2.body.getReader();
      const first = await reader.read();
      reader.releaseLock();
      out.partial = { firstIsBytes: Object.prototype.toString.call(first.value), usedAfterRead: o2.bodyUsed, text: await outcome(() => o2.text()) };
      const o3 = await env.BUCKET.get("k", { range: { offset: 5 } });
      out.rangedStream = await textOf(o3.body);
      const o4 = await env.BUCKET.get("k");
      o4.body.getReader();
      out.locked = { used: o4.bodyUsed, text: await outcome(() => o4.text()) };
      const copy = await env.BUCKET.get("k");
      out.pipedPut = await outcome(async () => (await env.BUCKET.put("copy", copy.body)).size);
      out.copied = await (await env.BUCKET.get("copy")).text();
      return out;
    },
  },
  {
    name: "r2: custom metadata keys keep JavaScript's property order",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "v", { customMetadata: { b: "1", 2: "x", a: "y", 1: "z", "": "empty" } });
      const list = await env.BUCKET.list({ include: ["customMetadata"] });
      return { put: Object.entries(put.customMetadata), head: Object.entries((await env.BUCKET.head("k")).customMetadata), list: Object.entries(list.objects[0].customMetadata) };
    },
  },
  {
    name: "r2: multipart objects in head, get, ranges and list",
    timeoutMs: 30_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      const up = await env.BUCKET.createMultipartUpload("mp", { httpMetadata: new Headers({ "content-type": "video/mp4", "cache-control": "max-age=1" }) });
      const p1 = await up.uploadPart(1, new Uint8Array(5 * MiB).fill(65));
      const p2 = await up.uploadPart(2, "BBB");
      await up.complete([p1, p2]);
      const head = await env.BUCKET.head("mp");
      const span = await env.BUCKET.get("mp", { range: { offset: 5 * MiB - 2, length: 4 } });
      const conditional = await env.BUCKET.get("mp", { onlyIf: { etagMatches: head.etag } });
      const listed = (await env.BUCKET.list({ include: ["httpMetadata"] })).objects[0];
      return {
        head: r2(head), span: [show(span.range), await span.text()], conditionalBody: "body" in conditional,
        listed: { etag: listed.etag === head.etag, http: show(listed.httpMetadata), checksums: checksums(listed.checksums) },
      };
    },
  },
  {
    name: "r2: list on an empty bucket and past the end",
    drive: async (env) => {
      const empty = await env.BUCKET.list();
      await env.BUCKET.put("only", "v");
      return {
        empty: r2list(empty), prefixMiss: r2list(await env.BUCKET.list({ prefix: "x" })), afterAll: r2list(await env.BUCKET.list({ startAfter: "only" })),
        delimiterNoMatch: r2list(await env.BUCKET.list({ delimiter: "/" })), limitOne: r2list(await env.BUCKET.list({ limit: 1 })),
      };
    },
  },
  {
    name: "r2: list delimiter with prefix, startAfter and include",
    drive: async (env) => {
      for (const k of ["docs/a.txt", "docs/img/1.png", "docs/img/2.png", "docs/z/", "docs/zz", "photos/1", "readme"]) await env.BUCKET.put(k, "v", { customMetadata: { k } });
      const shape = (l) => ({ keys: l.objects.map((o) => [o.key, o.customMetadata]), prefixes: l.delimitedPrefixes, truncated: l.truncated });
      return {
        top: shape(await env.BUCKET.list({ delimiter: "/", include: ["customMetadata"] })),
        docs: shape(await env.BUCKET.list({ prefix: "docs/", delimiter: "/" })),
        docsAfter: shape(await env.BUCKET.list({ prefix: "docs/", delimiter: "/", startAfter: "docs/img/1.png" })),
        docsAfterGroup: shape(await env.BUCKET.list({ prefix: "docs/", delimiter: "/", startAfter: "docs/img/9" })),
        multiCharDelimiter: shape(await env.BUCKET.list({ delimiter: "img/" })),
        pages: await (async () => {
          const out = [];
          let cursor;
          do {
            const l = await env.BUCKET.list({ prefix: "docs/", delimiter: "/", limit: 1, cursor });
            out.push(shape(l));
            cursor = l.truncated ? l.cursor : undefined;
          } while (cursor && out.length < 10);
          return out;
        })(),
      };
    },
  },
  {
    name: "r2: put then get with every option together",
    drive: async (env) => {
      const body = "The quick brown fox";
      const sha1 = "b3fb90e2cd2cb1e7c6b2b2c7e5c2a4f1a6b1d5a0";
      const put = await outcome(async () => r2(await env.BUCKET.put("k", body, {
        httpMetadata: { contentType: "text/plain", contentLanguage: "en", contentDisposition: "inline", contentEncoding: "identity", cacheControl: "public", cacheExpiry: new Date(2e12) },
        customMetadata: { owner: "me" },
        md5: "a2004f37730b9445670a738fa0fc9ee5",
      })));
      const wrongSha = await outcome(() => env.BUCKET.put("k2", body, { sha1 }));
      const got = await env.BUCKET.get("k", { range: { offset: 4, length: 5 }, onlyIf: { etagDoesNotMatch: "nope", uploadedAfter: new Date(0) } });
      const headers = new Headers();
      got.writeHttpMetadata(headers);
      return { put, wrongSha, got: r2(got), text: await got.text(), headers: headersOf(headers) };
    },
  },
  {
    name: "r2: bodies and KV streams are byte streams a BYOB reader can read",
    drive: async (env) => {
      await env.BUCKET.put("k", "0123456789");
      await env.BUCKET.put("e", "");
      await env.KV.put("k", "0123456789");
      const byob = async (stream) => {
        const reader = stream.getReader({ mode: "byob" });
        const first = await reader.read(new Uint8Array(4));
        const rest = await reader.read(new Uint8Array(16));
        const end = await reader.read(new Uint8Array(1));
        return [first.done, hex(first.value), Object.prototype.toString.call(first.value), rest.done, hex(rest.value), end.done, end.value?.byteLength];
      };
      return {
        r2: await outcome(async () => byob((await env.BUCKET.get("k")).body)), r2Range: await outcome(async () => byob((await env.BUCKET.get("k", { range: { offset: 2, length: 5 } })).body)),
        r2Empty: await outcome(async () => byob((await env.BUCKET.get("e")).body)), r2UsedAfter: await outcome(async () => { const o = await env.BUCKET.get("k"); await byob(o.body); return [o.bodyUsed, await outcome(() => o.text())]; }),
        kv: await outcome(async () => byob(await env.KV.get("k", "stream"))), kvWithMetadata: await outcome(async () => byob((await env.KV.getWithMetadata("k", "stream")).value)),
        defaultReader: await outcome(async () => { const r = (await env.BUCKET.get("k")).body.getReader(); const c = []; for (;;) { const { value, done } = await r.read(); if (done) break; c.push(Object.prototype.toString.call(value) + value.byteLength); } return c; }),
      };
    },
  },
];
