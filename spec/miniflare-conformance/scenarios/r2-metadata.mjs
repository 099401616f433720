// R2 bucket: httpMetadata, customMetadata, writeHttpMetadata, storage classes.
export default [
  {
    name: "r2: httpMetadata as an object",
    drive: async (env) => {
      const full = { contentType: "text/plain", contentLanguage: "en", contentDisposition: "attachment", contentEncoding: "gzip", cacheControl: "no-cache", cacheExpiry: new Date(1e12) };
      const cases = { full, partial: { contentType: "a/b" }, empty: {}, unknownField: { contentType: "x/y", foo: "bar" }, numberType: { contentType: 5 },
        expiryNumber: { cacheExpiry: 1e12 }, expiryString: { cacheExpiry: "2001-09-09T01:46:40Z" }, nullField: { contentType: null }, undefinedField: { contentType: undefined },
        nullMeta: null, stringMeta: "text/plain", arrayMeta: [] };
      const out = {};
      for (const [k, m] of Object.entries(cases)) {
        out[k] = await outcome(async () => {
          const put = await env.BUCKET.put(k, "v", { httpMetadata: m });
          const head = await env.BUCKET.head(k);
          const h = new Headers();
          head.writeHttpMetadata(h);
          return { put: show(put.httpMetadata), head: show(head.httpMetadata), headers: headersOf(h) };
        });
      }
      return out;
    },
  },
  {
    name: "r2: httpMetadata as Headers",
    drive: async (env) => {
      const h = new Headers({ "Content-Type": "text/html", "Content-Language": "fr", "Content-Disposition": "inline", "Content-Encoding": "br", "Cache-Control": "max-age=60", Expires: "Sun, 09 Sep 2001 01:46:40 GMT", "X-Other": "no", ETag: "\"x\"" });
      const put = await env.BUCKET.put("h", "v", { httpMetadata: h });
      const bad = await outcome(async () => (await env.BUCKET.put("bad", "v", { httpMetadata: new Headers({ Expires: "not a date" }) })).httpMetadata);
      const written = new Headers({ "content-type": "old", "x-keep": "1" });
      (await env.BUCKET.get("h")).writeHttpMetadata(written);
      return { put: show(put.httpMetadata), bad, written: headersOf(written),
        writeNonHeaders: await outcome(async () => (await env.BUCKET.head("h")).writeHttpMetadata({})),
        writeNothing: await outcome(async () => (await env.BUCKET.head("h")).writeHttpMetadata()),
        returns: await outcome(async () => (await env.BUCKET.head("h")).writeHttpMetadata(new Headers())) };
    },
  },
  {
    name: "r2: customMetadata",
    drive: async (env) => {
      const cases = { simple: { a: "1", b: "two" }, empty: {}, number: { n: 5 }, nullValue: { n: null }, nested: { o: { x: 1 } }, undefinedValue: { u: undefined },
        emptyKey: { "": "v" }, unicode: { "ключ": "значение" },
        max: { k: str(2048 - 1) }, over: { k: str(2048) }, manyKeys: Object.fromEntries(Array.from({ length: 300 }, (_, i) => ["k" + i, "v"])),
        keysCount: { [str(1024)]: str(1024) }, keysOver: { [str(1024)]: str(1025) },
        nullMeta: null, stringMeta: "s", arrayMeta: ["a"] };
      const out = {};
      for (const [k, m] of Object.entries(cases)) {
        out[k] = await outcome(async () => {
          const put = await env.BUCKET.put(k, "v", { customMetadata: m });
          const head = await env.BUCKET.head(k);
          const sz = (o) => Object.entries(o).map(([a, b]) => [a.length > 20 ? `<${a.length}>` : a, b.length > 20 ? `<${b.length}>` : b]);
          return { put: sz(put.customMetadata), head: sz(head.customMetadata), count: Object.keys(head.customMetadata).length };
        });
      }
      return out;
    },
  },
  {
    name: "r2: storage classes",
    differs: "Miniflare ignores the storageClass option; production keeps Standard or InfrequentAccess",
    drive: async (env) => {
      const out = {};
      for (const c of ["Standard", "InfrequentAccess"]) {
        out[String(c)] = await outcome(async () => { const p = await env.BUCKET.put("k" + c, "v", { storageClass: c }); return { put: p.storageClass, head: (await env.BUCKET.head("k" + c)).storageClass }; });
      }
      out.default = (await env.BUCKET.put("d", "v")).storageClass;
      return out;
    },
  },
  {
    name: "r2: put options validation",
    drive: async (env) => ({
      nullOptions: await outcome(async () => (await env.BUCKET.put("a", "v", null)).size),
      unknown: await outcome(async () => (await env.BUCKET.put("a", "v", { foo: 1 })).size),
      stringOptions: await outcome(() => env.BUCKET.put("a", "v", "x")),
      ssecKey: await outcome(async () => (await env.BUCKET.put("a", "v", { ssecKey: "00".repeat(32) })).ssecKeyMd5),
      ssecBad: await outcome(() => env.BUCKET.put("a", "v", { ssecKey: "short" })),
    }),
  },
  {
    name: "r2: custom metadata size counts Latin-1 strings by character and wider ones double",
    drive: async (env) => {
      const out = {};
      const cases = {
        latin1Max: { k: str(2047, "é") }, latin1Over: { k: str(2048, "é") }, euroMax: { k: str(1023, "€") }, euroOver: { k: str(1024, "€") },
        oneEuroDoublesItsString: { k: "€" + str(1022) }, oneEuroOver: { k: "€" + str(1023) }, emojiKey: { "😀": str(2044) }, emojiKeyOver: { "😀": str(2045) },
        latinKeyEuroValue: { "é": str(1023, "€") }, twoEntries: { a: str(1000, "é"), b: str(1046) }, twoEntriesOver: { a: str(1000, "é"), b: str(1047) },
      };
      for (const [k, m] of Object.entries(cases)) out[k] = await outcome(async () => Object.keys((await env.BUCKET.put(k, "v", { customMetadata: m })).customMetadata).length);
      out.keys = (await env.BUCKET.list()).objects.map((o) => o.key);
      return out;
    },
  },
];
