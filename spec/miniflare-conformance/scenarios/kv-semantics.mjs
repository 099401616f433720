// KV namespace: which errors are synchronous, overwrites, metadata reads, list fields.
export default [
  {
    name: "kv: which errors are thrown synchronously",
    drive: async (env) => {
      return {
        getNoArgs: await thrownHow(() => env.KV.get()), getWithMetadataNoArgs: await thrownHow(() => env.KV.getWithMetadata()),
        putNoArgs: await thrownHow(() => env.KV.put()), putOneArg: await thrownHow(() => env.KV.put("k")), deleteNoArgs: await thrownHow(() => env.KV.delete()),
        emptyKey: await thrownHow(() => env.KV.get("")), badType: await thrownHow(() => env.KV.get("k", "xml")), objectValue: await thrownHow(() => env.KV.put("k", {})),
        listString: await thrownHow(() => env.KV.list("x")), batchEmpty: await thrownHow(() => env.KV.get([])), longKey: await thrownHow(() => env.KV.delete("a".repeat(513))),
        ttlSymbol: await thrownHow(() => env.KV.put("k", "v", { expirationTtl: Symbol("s") })),
      };
    },
  },
  {
    name: "kv: the binding as reflection sees it",
    drive: async (env) => ({ shape: apiShape(env.KV), tag: Object.prototype.toString.call(env.KV), ownKeys: Reflect.ownKeys(env.KV).map(String), json: JSON.stringify(env.KV) }),
  },
  {
    name: "kv: getWithMetadata in every type",
    drive: async (env) => {
      await env.KV.put("k", '{"v":1}', { metadata: { m: [1, { n: null }] } });
      const out = {};
      for (const type of ["text", "json", "arrayBuffer", "stream"]) {
        const r = await env.KV.getWithMetadata("k", type);
        out[type] = { keys: Object.keys(r), value: type === "stream" ? await textOf(r.value) : show(r.value), metadata: r.metadata, cacheStatus: r.cacheStatus };
      }
      out.missingJson = await env.KV.getWithMetadata("missing", "json");
      out.missingStream = await env.KV.getWithMetadata("missing", { type: "stream" });
      out.batchText = show(await env.KV.getWithMetadata(["k", "missing"], { type: "text" }));
      out.batchStream = await outcome(() => env.KV.getWithMetadata(["k"], "stream"));
      return out;
    },
  },
  {
    name: "kv: overwrites replace value, metadata and expiration together",
    drive: async (env) => {
      await env.KV.put("k", "one", { metadata: { v: 1 }, expirationTtl: 3600 });
      const first = (await env.KV.list()).keys.map((k) => Object.keys(k));
      await env.KV.put("k", "two", { metadata: { v: 2 } });
      const second = (await env.KV.list()).keys.map((k) => [Object.keys(k), k.metadata]);
      await env.KV.put("k", "three");
      const third = { list: (await env.KV.list()).keys, read: await env.KV.getWithMetadata("k") };
      await env.KV.put("k", "four", { metadata: null });
      return { first, second, third, fourth: (await env.KV.list()).keys };
    },
  },
  {
    name: "kv: list of unusual key names",
    drive: async (env) => {
      const keys = ["a b", "a+b", "a%20b", "a/b/c", "a?b", "a#b", "a&b", "a\\b", "a\u0000", "a\u007f", "\u00a0", "Ω", "ω", "🙂", "\u{10ffff}", "a..b", "...", " "];
      for (const k of keys) await env.KV.put(k, k);
      const listed = (await env.KV.list()).keys.map((k) => k.name);
      const values = await env.KV.get(keys.slice(0, 10));
      return { listed, values: show(values), prefix: (await env.KV.list({ prefix: "a" })).keys.map((k) => k.name), emoji: (await env.KV.list({ prefix: "🙂" })).keys.map((k) => k.name) };
    },
  },
  {
    name: "kv: list page boundaries with prefix and limit",
    drive: async (env) => {
      for (const k of ["p1", "p2", "p3", "p4", "q1"]) await env.KV.put(k, "v", { metadata: k });
      const page1 = await env.KV.list({ prefix: "p", limit: 2 });
      const page2 = await env.KV.list({ prefix: "p", limit: 2, cursor: page1.cursor });
      const page3 = await env.KV.list({ prefix: "p", limit: 2, cursor: page2.cursor });
      const shape = (l) => ({ keys: l.keys, complete: l.list_complete, own: Object.keys(l), cursorType: typeof l.cursor });
      return { page1: shape(page1), page2: shape(page2), page3: shape(page3), all: shape(await env.KV.list({ limit: 5 })), more: shape(await env.KV.list({ limit: 4 })) };
    },
  },
  {
    name: "kv: values of every size class round-trip byte for byte",
    drive: async (env) => {
      const sizes = [0, 1, 255, 256, 65535, 65536, 1 << 20];
      const out = {};
      for (const n of sizes) {
        const bytes = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 255);
        await env.KV.put("k" + n, bytes);
        const back = new Uint8Array(await env.KV.get("k" + n, "arrayBuffer"));
        out[n] = back.length === n && back.every((b, i) => b === bytes[i]);
      }
      out.invalidUtf8Text = await env.KV.put("bad", new Uint8Array([0x61, 0xff, 0x62])).then(() => env.KV.get("bad"));
      out.bomText = await env.KV.put("bom", new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).then(() => env.KV.get("bom"));
      out.bomJson = await outcome(() => env.KV.put("bomj", new Uint8Array([0xef, 0xbb, 0xbf, 0x31])).then(() => env.KV.get("bomj", "json")));
      out.batchInvalidUtf8 = show(await env.KV.get(["bad", "bom"]));
      return out;
    },
  },
];
