// KV namespace edges: list option types and paging across the default limit, unicode prefixes,
// argument refusals in combination, option objects with several fields, batch reads' refusals.
export default [
  {
    name: "kv: list option types",
    drive: async (env) => {
      for (const k of ["a", "ab", "b"]) await env.KV.put(k, "v");
      const out = {};
      const cases = {
        limitUndefined: { limit: undefined }, prefixUndefined: { prefix: undefined }, cursorUndefined: { cursor: undefined }, cursorNull: { cursor: null },
        cursorNumber: { cursor: 5 }, cursorObject: { cursor: {} }, prefixObject: { prefix: { toString() { return "a"; } } }, prefixArray: { prefix: ["a"] },
        prefixBool: { prefix: true }, limitBool: { limit: true }, limitInfinity: { limit: Infinity }, limitBig: { limit: 2 ** 32 + 1 }, limitNegFrac: { limit: -0.5 },
        limitValueOf: { limit: { valueOf() { return 1; } } }, limitStringBad: { limit: "x" }, limitBigInt: { limit: 1n }, limit999: { limit: 999 },
        numberOptions: 5, arrayOptions: [], fnOptions: () => {}, prefixDot: { prefix: "." }, prefixLong: { prefix: str(513) },
      };
      for (const [k, o] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const l = await env.KV.list(o); return { names: l.keys.map((x) => x.name), complete: l.list_complete }; });
      }
      out.thrown = { limit0: await thrownHow(() => env.KV.list({ limit: 0 })), limitBigInt: await thrownHow(() => env.KV.list({ limit: 1n })), numberOptions: await thrownHow(() => env.KV.list(5)) };
      return out;
    },
  },
  {
    name: "kv: list pages past the default limit of 1000",
    timeoutMs: 60_000,
    drive: async (env) => {
      const keys = Array.from({ length: 1005 }, (_, i) => "k" + String(i).padStart(4, "0"));
      for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => env.KV.put(k, "v")));
      const first = await env.KV.list();
      const second = await env.KV.list({ cursor: first.cursor });
      const limited = await env.KV.list({ limit: 1000, prefix: "k1" });
      return {
        first: { n: first.keys.length, last: first.keys.at(-1).name, complete: first.list_complete, cursor: typeof first.cursor },
        second: { names: second.keys.map((k) => k.name), complete: second.list_complete, cursor: show(second.cursor) },
        limited: { n: limited.keys.length, complete: limited.list_complete },
      };
    },
  },
  {
    name: "kv: list prefixes in unicode",
    drive: async (env) => {
      const keys = ["é", "éa", "e", "ea", "e\u0301", "ß", "ss", "日本", "日本語", "日", "😀", "😀x", "😁", "\ud83d", "\ud83dx", "\uffff", "\uffffa", "İ", "i"];
      for (const k of keys) await env.KV.put(k, k.length.toString());
      const out = { all: (await env.KV.list()).keys.map((k) => k.name) };
      for (const p of ["é", "e", "日本", "😀", "\ud83d", "\uffff", "İ", "ss", "\u0301"]) {
        out[`prefix ${escape(p)}`] = await outcome(async () => (await env.KV.list({ prefix: p })).keys.map((k) => k.name));
      }
      out.paged = [];
      let cursor;
      do {
        const l = await env.KV.list({ limit: 4, cursor });
        out.paged.push(l.keys.map((k) => k.name));
        cursor = l.list_complete ? undefined : l.cursor;
      } while (cursor && out.paged.length < 10);
      out.values = show(await env.KV.get(["\ud83d", "\ud83dx", "😀"]));
      return out;
    },
  },
  {
    name: "kv: metadata and expiration in list and getWithMetadata",
    drive: async (env) => {
      const now = Math.floor(Date.now() / 1000);
      await env.KV.put("both", "v", { metadata: { m: 1 }, expiration: now + 3600 });
      await env.KV.put("ttl", "v", { expirationTtl: 7200 });
      await env.KV.put("meta", "v", { metadata: "s" });
      await env.KV.put("falsy", "v", { metadata: 0 });
      await env.KV.put("plain", "v");
      const listed = (await env.KV.list()).keys.map((k) => ({ name: k.name, own: Object.keys(k), exp: k.expiration === undefined ? "absent" : Math.round((k.expiration - now) / 10) * 10, metadata: show(k.metadata) }));
      const read = {};
      for (const k of ["both", "ttl", "meta", "falsy", "plain", "missing"]) read[k] = show(await env.KV.getWithMetadata(k));
      return { listed, read };
    },
  },
  {
    name: "kv: put refusals in combination",
    drive: async (env) => {
      const now = Math.floor(Date.now() / 1000);
      const out = {
        badKeyAndTtl: await outcome(() => env.KV.put("", "v", { expirationTtl: 1 })),
        badKeyAndMeta: await outcome(() => env.KV.put(".", "v", { metadata: { v: str(2000) } })),
        ttlAndMeta: await outcome(() => env.KV.put("k", "v", { expirationTtl: 1, metadata: { v: str(2000) } })),
        expAndMeta: await outcome(() => env.KV.put("k", "v", { expiration: now, metadata: { v: str(2000) } })),
        objectValueAndBadKey: await outcome(() => env.KV.put("", {})),
        objectValueAndTtl: await outcome(() => env.KV.put("k", {}, { expirationTtl: 1 })),
        bigValueAndTtl: await outcome(() => env.KV.put("k", new Uint8Array(25 * 1024 * 1024 + 1), { expirationTtl: 1 })),
        metaFunctionOnly: await outcome(() => env.KV.put("k", "v", { metadata: () => 1 })),
        metaSymbol: await outcome(() => env.KV.put("k", "v", { metadata: Symbol("s") })),
        metaToJSON: await outcome(async () => { await env.KV.put("tj", "v", { metadata: { toJSON() { return "custom"; } } }); return (await env.KV.getWithMetadata("tj")).metadata; }),
        metaMap: await outcome(async () => { await env.KV.put("map", "v", { metadata: new Map([["a", 1]]) }); return show((await env.KV.getWithMetadata("map")).metadata); }),
        metaNaN: await outcome(async () => { await env.KV.put("nan", "v", { metadata: { n: NaN, i: -Infinity } }); return show((await env.KV.getWithMetadata("nan")).metadata); }),
        metaExact1024Multibyte: await outcome(() => env.KV.put("mb", "v", { metadata: str(511, "é") })),
        metaOver1024Multibyte: await outcome(() => env.KV.put("mb2", "v", { metadata: str(512, "é") })),
        thrown: {
          badKeyAndTtl: await thrownHow(() => env.KV.put("", "v", { expirationTtl: 1 })),
          ttl: await thrownHow(() => env.KV.put("k", "v", { expirationTtl: 1 })),
          meta: await thrownHow(() => env.KV.put("k", "v", { metadata: { v: str(2000) } })),
          key513: await thrownHow(() => env.KV.put(str(513), "v")),
          dot: await thrownHow(() => env.KV.put(".", "v")),
          objectValue: await thrownHow(() => env.KV.put("k", {})),
          bigValue: await thrownHow(() => env.KV.put("k", new Uint8Array(25 * 1024 * 1024 + 1))),
          cacheTtl: await thrownHow(() => env.KV.get("k", { cacheTtl: 10 })),
          badType: await thrownHow(() => env.KV.get("k", { type: "xml" })),
        },
        keys: (await env.KV.list()).keys.map((k) => k.name),
      };
      return relativeTimes(out, now);
    },
  },
  {
    name: "kv: get options objects with several fields",
    drive: async (env) => {
      await env.KV.put("j", '{"a":1}', { metadata: { m: true } });
      const out = {};
      const cases = {
        typeAndTtl: { type: "json", cacheTtl: 60 }, typeAndBadTtl: { type: "json", cacheTtl: 10 }, badTypeAndBadTtl: { type: "xml", cacheTtl: 10 },
        typeUndefined: { type: undefined, cacheTtl: 60 }, typeNull: { type: null }, ttlUndefined: { cacheTtl: undefined }, ttlNull: { cacheTtl: null },
        unknown: { type: "text", extra: 1 }, typeObject: { type: { toString() { return "json"; } } },
      };
      for (const [k, o] of Object.entries(cases)) {
        out[k] = { get: await outcome(() => env.KV.get("j", o)), meta: await outcome(async () => show(await env.KV.getWithMetadata("j", o))) };
      }
      out.arrayBufferMeta = await outcome(async () => { const r = await env.KV.getWithMetadata("j", "arrayBuffer"); return { value: hex(new Uint8Array(r.value)), metadata: r.metadata, tag: Object.prototype.toString.call(r.value) }; });
      out.getArrayBufferFresh = await (async () => { const a = await env.KV.get("j", "arrayBuffer"); new Uint8Array(a)[0] = 0; return env.KV.get("j"); })();
      out.jsonFresh = await (async () => { const a = await env.KV.get("j", "json"); a.a = 2; return env.KV.get("j", "json"); })();
      return out;
    },
  },
  {
    name: "kv: batch reads' refusals",
    drive: async (env) => {
      await env.KV.put("a", "1");
      const out = {
        dot: await outcome(() => env.KV.get(["a", "."])), dotdot: await outcome(() => env.KV.get([".."])),
        duplicate: await outcome(() => env.KV.get(["a", "a"])),
        hundredDupes: await outcome(async () => (await env.KV.get(Array(100).fill("a"))).size),
        hundredOneDupes: await outcome(() => env.KV.get(Array(101).fill("a"))),
        badTypeAndBadKey: await outcome(() => env.KV.get([""], "xml")),
        metaArrayBuffer: await outcome(() => env.KV.getWithMetadata(["a"], "arrayBuffer")),
        metaBadTtl: await outcome(() => env.KV.getWithMetadata(["a"], { cacheTtl: 1 })),
        sparse: await outcome(async () => show(await env.KV.get([, "a"]))),
        nested: await outcome(async () => show(await env.KV.get([["a"]]))),
        set: await outcome(async () => show(await env.KV.get(new Set(["a"])))),
        arrayLike: await outcome(async () => show(await env.KV.get({ length: 1, 0: "a" }))),
        undefinedKey: await outcome(async () => show(await env.KV.get([undefined]))),
        thrown: {
          empty: await thrownHow(() => env.KV.get([])), over: await thrownHow(() => env.KV.get(Array(101).fill("a"))),
          badKey: await thrownHow(() => env.KV.get(["."])), stream: await thrownHow(() => env.KV.get(["a"], "stream")),
        },
      };
      return out;
    },
  },
  {
    name: "kv: writes to one key in flight together",
    drive: async (env) => {
      await Promise.all([env.KV.put("k", "1"), env.KV.put("k", "2", { metadata: 2 }), env.KV.delete("k"), env.KV.put("k", "3")]);
      await Promise.all([env.KV.put("d", "x", { metadata: 1 }), env.KV.delete("d")]);
      return { after: show(await env.KV.getWithMetadata("k")), deleted: show(await env.KV.getWithMetadata("d")), listed: (await env.KV.list()).keys };
    },
  },
  {
    name: "kv: option values of unusual types",
    drive: async (env) => {
      const now = Math.floor(Date.now() / 1000);
      const out = {};
      const cases = {
        expDate: { expiration: new Date((now + 3600) * 1000) }, expDateSeconds: { expiration: { valueOf() { return now + 3600; } } }, ttlNumericString: { expirationTtl: "3600" },
        ttlTrailing: { expirationTtl: "60abc" }, ttlHex: { expirationTtl: "0x100" }, ttlExp: { expirationTtl: "1e3" }, ttlArray: { expirationTtl: [120] }, ttlEmptyString: { expirationTtl: "" },
        expBool: { expiration: true }, metaDate: { metadata: new Date(0) }, metaRegExp: { metadata: /x/g }, metaArrayHoles: { metadata: [1, , 3] }, metaNested: { metadata: { a: [{ b: undefined }] } },
        metaTypedArray: { metadata: new Uint8Array([1, 2]) }, metaBoxed: { metadata: new String("s") }, metaBigIntField: { metadata: { n: 1n } },
        optionsArray: [], optionsFn: Object.assign(() => {}, { expirationTtl: 120 }), optionsString: "x", optionsNumber: 5,
      };
      out.order = {
        badKeyAndOptions: await thrownHow(() => env.KV.put("", "v", 5)), objectValueAndOptions: await thrownHow(() => env.KV.put("k", {}, 5)),
        badKeyAndSymbolTtl: await thrownHow(() => env.KV.put("", "v", { expirationTtl: Symbol("s") })), objectValueAndSymbolTtl: await thrownHow(() => env.KV.put("k", {}, { expirationTtl: Symbol("s") })),
        badKeyAndCyclicMeta: await thrownHow(() => env.KV.put("", "v", { metadata: (() => { const c = {}; c.c = c; return c; })() })),
        options: await thrownHow(() => env.KV.put("k", "v", 5)), getOptionsNumberKey: await thrownHow(() => env.KV.get("", 5)),
      };
      for (const [k, o] of Object.entries(cases)) {
        out[k] = relativeTimes(await outcome(async () => { await env.KV.put(k, "v", o); const l = (await env.KV.list({ prefix: k })).keys.find((x) => x.name === k); return { exp: l.expiration === undefined ? "absent" : Math.round((l.expiration - now) / 10) * 10, metadata: show(l.metadata) }; }), now);
      }
      return out;
    },
  },
  {
    name: "kv: streams read back and given back",
    drive: async (env) => {
      await env.KV.put("k", "0123456789");
      const out = {};
      const s1 = await env.KV.get("k", "stream");
      const reader = s1.getReader();
      const first = await reader.read();
      out.firstChunk = { done: first.done, tag: Object.prototype.toString.call(first.value) };
      await reader.cancel();
      const s2 = await env.KV.get("k", "stream");
      out.putBack = await outcome(async () => { await env.KV.put("copy", s2); return env.KV.get("copy"); });
      const s3 = await env.KV.get("k", "stream");
      out.teed = await outcome(async () => { const [a, b] = s3.tee(); await env.KV.put("tee", a); return [await env.KV.get("tee"), await textOf(b)]; });
      const meta = await env.KV.getWithMetadata("k", "stream");
      out.metaStreamToPut = await outcome(async () => { await env.KV.put("m", meta.value, { metadata: { from: "stream" } }); return show(await env.KV.getWithMetadata("m")); });
      out.responseBody = await outcome(async () => { await env.KV.put("r", new Response("resp").body); return env.KV.get("r"); });
      out.responseObject = await outcome(() => env.KV.put("ro", new Response("x")));
      return out;
    },
  },
  {
    name: "kv: keys of unusual types",
    drive: async (env) => {
      const keys = { symbol: Symbol("s"), throwing: { toString() { throw new RangeError("no key"); } }, boxed: new String("boxed"), bigint: 10n, negZero: -0, nan: NaN, date: new Date(0), fn: function named() {} };
      const out = {};
      for (const [k, key] of Object.entries(keys)) {
        out[k] = {
          put: await thrownHow(() => env.KV.put(key, "v")), get: await thrownHow(() => env.KV.get(key)), meta: await thrownHow(() => env.KV.getWithMetadata(key)),
          del: await thrownHow(() => env.KV.delete(key)), batch: await thrownHow(() => env.KV.get([key])),
        };
      }
      out.listed = (await env.KV.list()).keys.map((k) => k.name.length > 40 ? `<${k.name.length}>` : k.name);
      out.listPrefixSymbol = await thrownHow(() => env.KV.list({ prefix: Symbol("p") }));
      out.listCursorNumber = await thrownHow(() => env.KV.list({ cursor: 5 }));
      out.listSymbols = await thrownHow(() => env.KV.list({ cursor: Symbol("c"), limit: Symbol("l"), prefix: Symbol("p") }));
      out.listLimitAndPrefix = await thrownHow(() => env.KV.list({ limit: Symbol("l"), prefix: Symbol("p") }));
      out.listCursorAndPrefix = await thrownHow(() => env.KV.list({ cursor: Symbol("c"), prefix: { toString() { throw new RangeError("prefix first"); } } }));
      out.getOptions = { symbolType: await thrownHow(() => env.KV.get("k", Symbol("t"))), symbolTtl: await thrownHow(() => env.KV.get("k", { cacheTtl: Symbol("t") })), symbolTypeField: await thrownHow(() => env.KV.get("k", { type: Symbol("t") })),
        ttlAndType: await thrownHow(() => env.KV.get("k", { type: Symbol("t"), cacheTtl: Symbol("c") })), badKeyAndSymbolType: await thrownHow(() => env.KV.get("", Symbol("t"))), batchSymbolType: await thrownHow(() => env.KV.get(["k"], Symbol("t"))) };
      return out;
    },
  },
  {
    name: "kv: batch reads' total size and the service's view of every key",
    timeoutMs: 60_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      await env.KV.put("big1", str(13 * MiB));
      await env.KV.put("big2", str(12 * MiB));
      await env.KV.put("one", "x");
      await env.KV.put("5", "{bad json");
      await env.KV.put("num", "1");
      await env.KV.put("multibyte", str(9 * MiB, "é"));
      const size = async (call) => outcome(async () => { const m = await call(); return [...m].map(([k, v]) => [k, v === null ? null : typeof v === "string" ? v.length : typeof v.value === "string" ? v.value.length : show(v)]); });
      return {
        exactly25: await size(() => env.KV.get(["big1", "big2"])), over25: await size(() => env.KV.get(["big1", "big2", "one"])),
        duplicate: await size(() => env.KV.get(["big1", "big1"])), withMetadata: await size(() => env.KV.getWithMetadata(["big1", "big2", "one"])),
        multibyte: await size(() => env.KV.get(["multibyte", "big1"])), multibyteAndBig2: await size(() => env.KV.get(["multibyte", "big2", "one"])),
        arrayIndexBadJson: await size(() => env.KV.get(["5", "num"], "json")), arrayIndexText: await size(() => env.KV.get(["5", "one"])),
        overWithArrayIndex: await size(() => env.KV.get(["big1", "big2", "5"])), badJsonAndOver: await size(() => env.KV.get(["num", "big1", "big2"], "json")),
      };
    },
  },
  {
    name: "kv: detached buffers as values",
    drive: async (env) => {
      const detached = () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); return b; };
      const out = {};
      out.buffer = await outcome(async () => { await env.KV.put("a", detached()); return [(await env.KV.get("a", "arrayBuffer")).byteLength, await env.KV.get("a")]; });
      out.viewMadeBefore = await outcome(async () => { const b = new ArrayBuffer(4); const v = new DataView(b, 1); structuredClone(b, { transfer: [b] }); await env.KV.put("b", v, { metadata: { m: 1 } }); return show(await env.KV.getWithMetadata("b")); });
      out.streamChunk = await outcome(async () => { await env.KV.put("s", new ReadableStream({ start(c) { const b = new ArrayBuffer(2); c.enqueue(new Uint8Array([65])); c.enqueue(new Uint8Array(b)); structuredClone(b, { transfer: [b] }); c.close(); } })); return env.KV.get("s"); });
      out.keys = (await env.KV.list()).keys.map((k) => k.name);
      return out;
    },
  },
  {
    name: "kv: batch reads check each key, then the cache TTL, then its value, in request order",
    drive: async (env) => {
      await env.KV.put("t", "text", { metadata: { m: 1 } });
      await env.KV.put("e", "", { metadata: { m: 2 } });
      await env.KV.put("j", "1");
      return {
        badJsonThenDot: await outcome(() => env.KV.get(["t", "."], "json")), badJsonThenLong: await outcome(() => env.KV.get(["t", str(513)], "json")),
        dotThenBadJson: await outcome(() => env.KV.get([".", "t"], "json")), repeatThenBadJsonThenDot: await outcome(() => env.KV.get(["j", "j", "t", "."], "json")),
        badKeyThenBadTtl: await outcome(() => env.KV.get(["", "t"], { cacheTtl: 10 })), badTtlThenBadKey: await outcome(() => env.KV.get(["t", ""], { cacheTtl: 10 })),
        badTtlBeforeBadJson: await outcome(() => env.KV.get(["t"], { type: "json", cacheTtl: 10 })),
        noKeysBadType: await outcome(() => env.KV.get([], "xml")), tooManyBadType: await outcome(() => env.KV.get(Array(101).fill("t"), "xml")),
        emptyValueJson: await outcome(() => env.KV.getWithMetadata(["e"], "json")), emptyValueText: await outcome(async () => show(await env.KV.getWithMetadata(["e", "t", "missing"]))),
      };
    },
  },
  {
    name: "kv: SharedArrayBuffers and resizable buffers as values",
    drive: async (env) => {
      const shared = (bytes) => { const b = new SharedArrayBuffer(bytes.length); new Uint8Array(b).set(bytes); return b; };
      const out = {};
      out.shared = await outcome(async () => { await env.KV.put("s", shared([65, 66])); return env.KV.get("s"); });
      out.sharedView = await outcome(async () => { await env.KV.put("sv", new Uint8Array(shared([65, 66, 67]), 1)); return env.KV.get("sv"); });
      out.resizable = await outcome(async () => { const b = new ArrayBuffer(2, { maxByteLength: 4 }); new Uint8Array(b).set([67, 68]); await env.KV.put("r", b, { metadata: 1 }); return show(await env.KV.getWithMetadata("r")); });
      out.sharedChunk = await outcome(async () => { await env.KV.put("c", new ReadableStream({ start(c) { c.enqueue(new Uint8Array(shared([69]))); c.close(); } })); return env.KV.get("c"); });
      out.keys = (await env.KV.list()).keys.map((k) => k.name);
      return out;
    },
  },
];
