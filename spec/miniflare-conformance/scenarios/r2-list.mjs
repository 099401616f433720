// R2 bucket: list() with prefix, delimiter, cursor, startAfter, limit and include.
export default [
  {
    name: "r2: list options",
    drive: async (env) => {
      for (const k of ["a", "a/1", "a/2", "a/b/3", "b", "b/1", "c/", "c//d", "d"]) await env.BUCKET.put(k, "v", { customMetadata: { k }, httpMetadata: { contentType: "t/" + k.length } });
      const cases = {
        all: undefined, prefixA: { prefix: "a" }, prefixASlash: { prefix: "a/" }, delimiter: { delimiter: "/" }, prefixDelimiter: { prefix: "a/", delimiter: "/" },
        limit2: { limit: 2 }, limit0: { limit: 0 }, limitNeg: { limit: -1 }, limit1000: { limit: 1000 }, limit1001: { limit: 1001 }, limitFrac: { limit: 2.5 },
        startAfterA: { startAfter: "a" }, startAfterMissing: { startAfter: "a/10" }, startAfterPrefix: { prefix: "a/", startAfter: "a/1" }, startAfterBeyond: { startAfter: "z" },
        delimiterLimit: { delimiter: "/", limit: 2 }, delimiterOther: { delimiter: "b" }, emptyPrefix: { prefix: "" }, emptyDelimiter: { delimiter: "" },
        nullOptions: null, unknown: { foo: 1 },
      };
      const out = {};
      for (const [k, o] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const l = await env.BUCKET.list(o); return { keys: l.objects.map((x) => x.key), prefixes: l.delimitedPrefixes, truncated: l.truncated, cursor: l.truncated ? typeof l.cursor : show(l.cursor) }; });
      }
      out.stringOptions = await outcome(() => env.BUCKET.list("a"));
      return out;
    },
  },
  {
    name: "r2: list include",
    drive: async (env) => {
      await env.BUCKET.put("k", "v", { customMetadata: { a: "1" }, httpMetadata: { contentType: "text/plain", cacheExpiry: new Date(1e12) } });
      const out = {};
      for (const [k, include] of Object.entries({ none: undefined, custom: ["customMetadata"], http: ["httpMetadata"], both: ["httpMetadata", "customMetadata"], empty: [], bad: ["foo"], string: "httpMetadata" })) {
        out[k] = await outcome(async () => { const o = (await env.BUCKET.list({ include })).objects[0]; return { http: show(o.httpMetadata), custom: show(o.customMetadata) }; });
      }
      return out;
    },
  },
  {
    name: "r2: list cursor pagination",
    drive: async (env) => {
      for (let i = 0; i < 7; i++) await env.BUCKET.put("k" + i, "v");
      for (const k of ["p/1", "p/2", "q/1"]) await env.BUCKET.put(k, "v");
      const pages = [];
      let cursor;
      do {
        const l = await env.BUCKET.list({ limit: 3, cursor, prefix: "k" });
        pages.push({ keys: l.objects.map((o) => o.key), truncated: l.truncated, cursor: typeof l.cursor });
        cursor = l.truncated ? l.cursor : undefined;
      } while (cursor && pages.length < 10);
      const delimited = [];
      cursor = undefined;
      do {
        const l = await env.BUCKET.list({ limit: 2, cursor, delimiter: "/" });
        delimited.push({ keys: l.objects.map((o) => o.key), prefixes: l.delimitedPrefixes, truncated: l.truncated });
        cursor = l.truncated ? l.cursor : undefined;
      } while (cursor && delimited.length < 10);
      const first = await env.BUCKET.list({ limit: 2 });
      return {
        pages, delimited,
        badCursor: await outcome(async () => (await env.BUCKET.list({ cursor: "garbage" })).objects.length),
        emptyCursor: await outcome(async () => (await env.BUCKET.list({ cursor: "" })).objects.length),
        cursorWithOtherPrefix: await outcome(async () => (await env.BUCKET.list({ cursor: first.cursor, prefix: "p" })).objects.map((o) => o.key)),
        cursorAndStartAfter: await outcome(async () => (await env.BUCKET.list({ cursor: first.cursor, startAfter: "k5" })).objects.map((o) => o.key)),
        exact: await (async () => { const l = await env.BUCKET.list({ prefix: "p", limit: 2 }); return { n: l.objects.length, truncated: l.truncated }; })(),
      };
    },
  },
];
