// KV namespace: keys, values, get types, batch get, metadata, expiry options, list, errors.
const basics = [
  { name: "kv: binding shape", drive: async (env) => ({ kv: protoShape(env.KV), same: env.KV === env.KV_SAME }) },
  {
    name: "kv: key validation on put",
    drive: async (env) => {
      const keys = { empty: "", dot: ".", dotdot: "..", dotSlash: "./", slashDot: "/.", space: " ", max: str(512), over: str(513),
        multibyteMax: str(256, "é"), multibyteOver: str(171, "€"), slash: "a/b", nul: "a\u0000b", surrogate: "\ud800x", emoji: "😀" };
      const out = {};
      for (const [k, key] of Object.entries(keys)) out[k] = await outcome(() => env.KV.put(key, "v"));
      out.number = await outcome(() => env.KV.put(12, "v"));
      out.undefinedKey = await outcome(() => env.KV.put(undefined, "v"));
      out.nullKey = await outcome(() => env.KV.put(null, "v"));
      out.objectKey = await outcome(() => env.KV.put({ toString() { return "obj"; } }, "v"));
      out.noArgs = await outcome(() => env.KV.put());
      out.listed = (await env.KV.list()).keys.map((k) => k.name.length > 40 ? `<${k.name.length}>` : k.name);
      return out;
    },
  },
  {
    name: "kv: key validation on get and delete",
    drive: async (env) => {
      const out = {};
      for (const [k, key] of Object.entries({ empty: "", dot: ".", dotdot: "..", over: str(513), max: str(512) })) {
        out[k] = { get: await outcome(() => env.KV.get(key)), meta: await outcome(() => env.KV.getWithMetadata(key)), del: await outcome(() => env.KV.delete(key)) };
      }
      out.getUndefined = await outcome(() => env.KV.get(undefined));
      out.getNoArgs = await outcome(() => env.KV.get());
      out.deleteNoArgs = await outcome(() => env.KV.delete());
      out.getNumber = await outcome(() => env.KV.get(1));
      return out;
    },
  },
  {
    name: "kv: value types on put",
    drive: async (env) => {
      const bytes = new Uint8Array([104, 105, 0, 255]);
      const values = {
        string: "hello", emptyString: "", arrayBuffer: bytes.buffer.slice(0), uint8: bytes, view: new DataView(bytes.buffer, 1, 2),
        subarray: bytes.subarray(1, 3), int16: new Int16Array([1, -1]),
        stream: new Blob(["str", "eam"]).stream(), blob: new Blob(["blob"]),
        number: 42, object: { a: 1 }, nullValue: null, bool: true, array: [1, 2],
      };
      const out = {};
      for (const [k, v] of Object.entries(values)) {
        const put = await outcome(() => env.KV.put(k, v));
        const got = await env.KV.get(k, "arrayBuffer");
        out[k] = { put, stored: got === null ? null : hex(new Uint8Array(got)) };
      }
      out.undefinedValue = await outcome(() => env.KV.put("u", undefined));
      out.noValue = await outcome(() => env.KV.put("u"));
      out.partlyRead = await outcome(async () => {
        const s = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.enqueue("two"); c.close(); } });
        const r = s.getReader(); await r.read(); r.releaseLock();
        await env.KV.put("partly", s);
        return env.KV.get("partly");
      });
      out.numberChunk = await outcome(() => env.KV.put("n", new ReadableStream({ start(c) { c.enqueue(5); c.close(); } })));
      out.erroring = await outcome(() => env.KV.put("e", new ReadableStream({ start(c) { c.error(new Error("boom")); } })));
      out.afterError = await env.KV.get("e");
      out.usedStream = await outcome(async () => { const s = new Blob(["x"]).stream(); await s.getReader().read(); return env.KV.put("used", s); });
      out.lockedStream = await outcome(() => { const s = new Blob(["x"]).stream(); s.getReader(); return env.KV.put("locked", s); });
      return out;
    },
  },
  {
    name: "kv: get types",
    drive: async (env) => {
      await env.KV.put("j", '{"a":[1,"x"]}');
      await env.KV.put("bad", "{not json");
      await env.KV.put("e", "");
      const out = {};
      for (const t of [undefined, "text", "json", "arrayBuffer", "stream"]) {
        out[String(t)] = await outcome(async () => {
          const v = await env.KV.get("j", t);
          return t === "stream" ? { tag: Object.prototype.toString.call(v), text: await textOf(v) } : v;
        });
        out["obj-" + String(t)] = await outcome(async () => {
          const v = await env.KV.get("j", { type: t });
          return t === "stream" ? await textOf(v) : v;
        });
      }
      out.badType = await outcome(() => env.KV.get("j", "blob"));
      out.badTypeObject = await outcome(() => env.KV.get("j", { type: "xml" }));
      out.badJson = await outcome(() => env.KV.get("bad", "json"));
      out.emptyJson = await outcome(() => env.KV.get("e", "json"));
      out.emptyText = await outcome(() => env.KV.get("e"));
      out.missing = {};
      for (const t of ["text", "json", "arrayBuffer", "stream"]) out.missing[t] = await outcome(() => env.KV.get("nope", t));
      out.nullOptions = await outcome(() => env.KV.get("j", null));
      out.numberType = await outcome(() => env.KV.get("j", 5));
      out.typeCase = await outcome(() => env.KV.get("j", "JSON"));
      return out;
    },
  },
  {
    name: "kv: cacheTtl option",
    drive: async (env) => {
      await env.KV.put("k", "v");
      const out = {};
      for (const [k, ttl] of Object.entries({ t60: 60, t30: 30, t0: 0, neg: -1, frac: 60.5, str: "100", nan: NaN, huge: 1e12 })) {
        out[k] = await outcome(() => env.KV.get("k", { cacheTtl: ttl }));
      }
      out.batch = await outcome(() => env.KV.get(["k"], { cacheTtl: 10 }));
      out.meta = await outcome(() => env.KV.getWithMetadata("k", { cacheTtl: 10 }));
      return out;
    },
  },
  {
    name: "kv: batch get",
    drive: async (env) => {
      await env.KV.put("b", "2");
      await env.KV.put("a", '{"x":1}');
      await env.KV.put("t", "text");
      const out = {};
      out.plain = await outcome(() => env.KV.get(["b", "missing", "a", "b"]));
      out.json = await outcome(() => env.KV.get(["a", "b", "missing"], "json"));
      out.jsonObject = await outcome(() => env.KV.get(["a"], { type: "json" }));
      out.jsonBad = await outcome(() => env.KV.get(["a", "t"], "json"));
      out.arrayBuffer = await outcome(() => env.KV.get(["a"], "arrayBuffer"));
      out.stream = await outcome(() => env.KV.get(["a"], "stream"));
      out.empty = await outcome(() => env.KV.get([]));
      out.hundred = await outcome(async () => (await env.KV.get(Array.from({ length: 100 }, (_, i) => "k" + i))).size);
      out.hundredOne = await outcome(() => env.KV.get(Array.from({ length: 101 }, (_, i) => "k" + i)));
      out.badKey = await outcome(() => env.KV.get(["a", ""]));
      out.longKey = await outcome(() => env.KV.get(["a", str(513)]));
      out.numberKey = await outcome(() => env.KV.get([1, "a"]));
      out.withMetadata = await outcome(() => env.KV.getWithMetadata(["a", "missing"]));
      out.withMetadataJson = await outcome(() => env.KV.getWithMetadata(["a"], "json"));
      return out;
    },
  },
];
const more = [
  {
    name: "kv: batch get with non-string keys",
    drive: async (env) => {
      await env.KV.put("1", "one");
      await env.KV.put("true", "t");
      return {
        numberOnly: await outcome(() => env.KV.get([1])),
        mixed: await outcome(() => env.KV.get([1, "1", true, null, "true"])),
        objectKey: await outcome(() => env.KV.get([{ toString() { return "1"; } }])),
        undefinedValue: await outcome(async () => { await env.KV.put("u", undefined); return env.KV.get("u"); }),
        numberArrayKey: await outcome(async () => { await env.KV.put(["x", "y"], "arr"); return (await env.KV.list()).keys.map((k) => k.name); }),
      };
    },
  },
  {
    name: "kv: put options expiration",
    drive: async (env) => {
      const now = Math.floor(Date.now() / 1000);
      const cases = {
        ttl60: { expirationTtl: 60 }, ttl59: { expirationTtl: 59 }, ttl0: { expirationTtl: 0 }, ttlNeg: { expirationTtl: -5 },
        ttlFrac: { expirationTtl: 60.7 }, ttlString: { expirationTtl: "120" }, ttlNaN: { expirationTtl: NaN }, ttlBadString: { expirationTtl: "abc" },
        ttlHuge: { expirationTtl: 1e12 }, ttlNull: { expirationTtl: null },
        expPast: { expiration: now - 100 }, expSoon: { expiration: now + 30 }, exp65: { expiration: now + 65 },
        expFar: { expiration: now + 1000 }, expFrac: { expiration: now + 1000.9 }, expString: { expiration: String(now + 1000) },
        expZero: { expiration: 0 }, expMs: { expiration: Date.now() + 100000 },
        both: { expiration: now + 1000, expirationTtl: 100 }, bothBadTtl: { expiration: now + 1000, expirationTtl: 10 }, bothPastExpiration: { expiration: 5, expirationTtl: 100 },
        expNull: { expiration: null }, expNegative: { expiration: -1 }, ttlInfinity: { expirationTtl: Infinity }, ttlInt32Max: { expirationTtl: 2147483647 }, ttlInt32Over: { expirationTtl: 2147483648 },
        ttlNegativeFraction: { expirationTtl: -0.5 }, ttlSymbol: { expirationTtl: Symbol("s") }, ttlBigInt: { expirationTtl: 100n }, ttlValueOf: { expirationTtl: { valueOf() { return 120; } } }, ttlTrue: { expirationTtl: true },
        nullOptions: null, emptyOptions: {}, unknownOption: { foo: 1 },
      };
      const out = {};
      for (const [k, o] of Object.entries(cases)) out[k] = relativeTimes(await outcome(() => env.KV.put(k, "v", o)), now);
      // Seconds from the driver's "now", in steps of 5: the service's clock may have ticked on
      // a second or two by the time it computes a TTL's expiration. ttlInt32Max expires in 68
      // years: its absolute second is not comparable across runs.
      const ahead = (k) => (k.expiration === undefined ? "absent" : k.expiration - now > 1e8 ? "far" : Math.floor((k.expiration - now) / 5) * 5);
      out.listed = (await env.KV.list()).keys.map((k) => ({ name: k.name, exp: ahead(k) }));
      out.meta = await env.KV.getWithMetadata("ttl60");
      return out;
    },
  },
  {
    name: "kv: metadata",
    drive: async (env) => {
      const cases = {
        object: { a: 1, b: [true, null] }, string: "s", number: 5, nullMeta: null, array: [1], nested: { x: { y: { z: "deep" } } },
        date: new Date(0), undefinedField: { a: undefined, b: 1 }, withFn: { f() {} }, bigint: 1n, fn: () => 1,
        maxSize: { v: str(1024 - 8) }, overSize: { v: str(1024 - 7) }, multibyte: { v: str(338, "€") },
        cyclic: (() => { const o = {}; o.self = o; return o; })(), undefinedMeta: undefined, boolFalse: false, emptyString: "",
      };
      const out = {};
      for (const [k, m] of Object.entries(cases)) {
        const put = await outcome(() => env.KV.put(k, "v", { metadata: m }));
        out[k] = { put, read: put.ok ? show((await env.KV.getWithMetadata(k)).metadata) : "-" };
      }
      out.listed = (await env.KV.list()).keys.map((k) => [k.name, "metadata" in k, show(k.metadata)]);
      out.jsonRead = await env.KV.getWithMetadata("object", "json").catch((e) => err(e));
      out.streamRead = await env.KV.getWithMetadata("object", { type: "stream" }).then(async (r) => ({ keys: Object.keys(r), value: await textOf(r.value), metadata: r.metadata, cacheStatus: r.cacheStatus }));
      out.overwrite = await (async () => { await env.KV.put("object", "v2"); return show(await env.KV.getWithMetadata("object")); })();
      return out;
    },
  },
  {
    name: "kv: value size limit",
    timeoutMs: 30_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      return {
        exact: await outcome(async () => { await env.KV.put("exact", new Uint8Array(25 * MiB)); return (await env.KV.get("exact", "arrayBuffer")).byteLength; }),
        over: await outcome(() => env.KV.put("over", new Uint8Array(25 * MiB + 1))),
        overString: await outcome(() => env.KV.put("overString", str(25 * MiB + 1))),
        overStream: await outcome(() => env.KV.put("overStream", new Blob([new Uint8Array(25 * MiB + 1)]).stream())),
        overAbsent: await env.KV.get("over"),
      };
    },
  },
];

const lists = [
  {
    name: "kv: batch get drops keys that are array indices",
    drive: async (env) => {
      for (const k of ["0", "5", "10", "01", "-1", "4294967294", "4294967295", "1.5", "a"]) await env.KV.put(k, "v" + k);
      return {
        all: await outcome(() => env.KV.get(["a", "0", "5", "10", "01", "-1", "4294967294", "4294967295", "1.5"])),
        meta: await outcome(() => env.KV.getWithMetadata(["5", "a"])),
        single: await outcome(() => env.KV.get("5")),
      };
    },
  },
  {
    name: "kv: list result shape and order",
    drive: async (env) => {
      const keys = ["😀", "｡", "é", "aa", "a\u0000", "a", "B", "\uffff", "~", "Z", "ab", "a b", "a/b"];
      for (const k of keys) await env.KV.put(k, "v");
      const l = await env.KV.list();
      return { shape: protoShape(l), keyShape: protoShape(l.keys[0]), names: l.keys.map((k) => k.name), complete: l.list_complete, cursor: show(l.cursor), cacheStatus: show(l.cacheStatus), empty: await env.OTHER_KV.list() };
    },
  },
  {
    name: "kv: list prefix and limit",
    drive: async (env) => {
      for (const k of ["a", "ab", "abc", "b", "ba", "c"]) await env.KV.put(k, "v");
      const out = {};
      const cases = { prefixA: { prefix: "a" }, prefixAb: { prefix: "ab" }, prefixNone: { prefix: "z" }, prefixEmpty: { prefix: "" }, prefixNull: { prefix: null }, prefixNumber: { prefix: 1 },
        limit1: { limit: 1 }, limit2: { limit: 2 }, limit6: { limit: 6 }, limit7: { limit: 7 }, limit1000: { limit: 1000 }, limit1001: { limit: 1001 }, limit0: { limit: 0 }, limitNeg: { limit: -1 },
        limitFrac: { limit: 2.5 }, limitString: { limit: "2" }, limitNaN: { limit: NaN }, limitNull: { limit: null }, prefixLimit: { prefix: "a", limit: 2 },
        nullOptions: null, undefinedOptions: undefined, unknown: { foo: 1 }, stringOptions: "a" };
      for (const [k, o] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const l = await env.KV.list(o); return { names: l.keys.map((x) => x.name), complete: l.list_complete, hasCursor: "cursor" in l, cursorType: typeof l.cursor }; });
      }
      return out;
    },
  },
  {
    name: "kv: list cursor pagination",
    drive: async (env) => {
      for (let i = 0; i < 7; i++) await env.KV.put("k" + i, "v", { metadata: { i } });
      await env.KV.put("other", "v");
      const pages = [];
      let cursor;
      do {
        const l = await env.KV.list({ prefix: "k", limit: 3, cursor });
        pages.push({ names: l.keys.map((x) => x.name), complete: l.list_complete, cursorType: typeof l.cursor, metadata: l.keys.map((x) => x.metadata) });
        cursor = l.cursor;
      } while (cursor && pages.length < 10);
      const first = await env.KV.list({ limit: 2 });
      const viaSame = await env.KV_SAME.list({ limit: 2, cursor: first.cursor });
      await env.KV.delete("k2");
      const afterDelete = await env.KV.list({ limit: 2, cursor: first.cursor });
      await env.KV.put("k1a", "v");
      const afterInsert = await env.KV.list({ limit: 3, cursor: first.cursor });
      return {
        pages, viaSame: viaSame.keys.map((x) => x.name),
        afterDelete: afterDelete.keys.map((x) => x.name), afterInsert: afterInsert.keys.map((x) => x.name),
        badCursor: await outcome(async () => (await env.KV.list({ cursor: "garbage" })).keys.map((x) => x.name)),
        emptyCursor: await outcome(async () => (await env.KV.list({ cursor: "" })).keys.length),
        otherPrefix: await outcome(async () => (await env.KV.list({ prefix: "o", cursor: first.cursor })).keys.map((x) => x.name)),
        exactEnd: await (async () => { const l = await env.KV.list({ prefix: "k", limit: 6 }); return { n: l.keys.length, complete: l.list_complete, cursor: typeof l.cursor }; })(),
      };
    },
  },
  {
    name: "kv: shared namespaces",
    drive: async (env) => {
      await env.KV.put("k", "one");
      await env.OTHER_KV.put("k", "two");
      return { same: await env.KV_SAME.get("k"), other: await env.OTHER_KV.get("k"), deleteVia: await (async () => { await env.KV_SAME.delete("k"); return env.KV.get("k"); })() };
    },
  },
  {
    name: "kv: delete",
    drive: async (env) => {
      await env.KV.put("a", "1");
      return {
        existing: await outcome(() => env.KV.delete("a")), after: await env.KV.get("a"), missing: await outcome(() => env.KV.delete("a")),
        array: await outcome(() => env.KV.delete(["a", "b"])), number: await outcome(() => env.KV.delete(1)), undefinedKey: await outcome(() => env.KV.delete(undefined)),
      };
    },
  },
];

export default [basics, more, lists];
