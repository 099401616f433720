// A differential sweep of the KV and R2 bindings: many small cases per scenario, each an
// outcome (value or error), across get types, options, limits, list paging, ranges, conditions,
// multipart uploads, odd value types and text that is not well-formed UTF-16.
export default [
  {
    name: "kv: a sweep of get types, batch reads, put options, key limits and list options",
    drive: async (env) => {
      const out = {};
      await env.KV.put("j", "{bad");
      out.badJson = await outcome(() => env.KV.get("j", "json"));
      out.badJsonMeta = await outcome(() => env.KV.getWithMetadata("j", { type: "json" }));
      out.bulkBadJson = await outcome(() => env.KV.get(["j"], "json"));
      out.bulkStream = await outcome(() => env.KV.get(["j"], "stream"));
      out.bulkAB = await outcome(() => env.KV.get(["j"], { type: "arrayBuffer" }));
      out.bulkMetaStream = await outcome(() => env.KV.getWithMetadata(["j"], "stream"));
      out.bulk101 = await outcome(() => env.KV.get(Array.from({ length: 101 }, (_, i) => "k" + i)));
      out.bulk100 = await outcome(async () => (await env.KV.get(Array.from({ length: 100 }, (_, i) => "k" + i))).size);
      out.bulkEmpty = await outcome(async () => show(await env.KV.get([])));
      out.bulkDup = await outcome(async () => [...(await env.KV.get(["j", "j", "zz"])).entries()]);
      out.bulkMetaDup = await outcome(async () => [...(await env.KV.getWithMetadata(["j", "zz"])).entries()]);
      out.badType = await outcome(() => env.KV.get("j", "blob"));
      out.badTypeObj = await outcome(() => env.KV.get("j", { type: "TEXT" }));
      out.ttl59 = await outcome(() => env.KV.put("t", "v", { expirationTtl: 59 }));
      out.ttl60 = await outcome(() => env.KV.put("t", "v", { expirationTtl: 60 }));
      out.ttl0 = await outcome(() => env.KV.put("t", "v", { expirationTtl: 0 }));
      out.ttlNeg = await outcome(() => env.KV.put("t", "v", { expirationTtl: -5 }));
      out.ttlFrac = await outcome(() => env.KV.put("t", "v", { expirationTtl: 60.5 }));
      out.ttlStr = await outcome(() => env.KV.put("t", "v", { expirationTtl: "100" }));
      out.ttlNaN = await outcome(() => env.KV.put("t", "v", { expirationTtl: NaN }));
      out.expPast = await outcome(() => env.KV.put("t", "v", { expiration: 1000 }));
      out.expNear = await outcome(async () => { const at = Math.floor(Date.now() / 1000) + 30; try { await env.KV.put("t", "v", { expiration: at }); return "stored"; } catch (e) { return e.message.replace(String(at), "<at>").replace(String(at + 1), "<at+1>"); } });
      out.expBoth = await outcome(() => env.KV.put("t", "v", { expiration: Math.floor(Date.now() / 1000) + 3000, expirationTtl: 100 }));
      out.meta1024 = await outcome(() => env.KV.put("m", "v", { metadata: str(1022) }));
      out.meta1025 = await outcome(() => env.KV.put("m", "v", { metadata: str(1023) }));
      out.metaFn = await outcome(() => env.KV.put("m", "v", { metadata: () => 1 }));
      out.metaUndef = await outcome(async () => { await env.KV.put("m", "v", { metadata: undefined }); return show(await env.KV.getWithMetadata("m")); });
      out.metaNull = await outcome(async () => { await env.KV.put("m", "v", { metadata: null }); return show(await env.KV.getWithMetadata("m")); });
      out.metaBigInt = await outcome(() => env.KV.put("m", "v", { metadata: { a: 1n } }));
      out.metaDate = await outcome(async () => { await env.KV.put("m", "v", { metadata: { d: new Date(0) } }); return show((await env.KV.getWithMetadata("m")).metadata); });
      out.key512 = await outcome(() => env.KV.put(str(512), "v"));
      out.key513 = await outcome(() => env.KV.put(str(513), "v"));
      out.key512multi = await outcome(() => env.KV.put(str(256, "é"), "v"));
      out.key513multi = await outcome(() => env.KV.put("a" + str(256, "é"), "v"));
      out.getKey513 = await outcome(() => env.KV.get(str(513)));
      out.delKey513 = await outcome(() => env.KV.delete(str(513)));
      out.bulkKey513 = await outcome(() => env.KV.get([str(513)]));
      out.emptyKey = await outcome(() => env.KV.put("", "v"));
      out.getEmpty = await outcome(() => env.KV.get(""));
      out.delEmpty = await outcome(() => env.KV.delete(""));
      out.dot = await outcome(() => env.KV.put(".", "v"));
      out.dotdot = await outcome(() => env.KV.put("..", "v"));
      out.getDot = await outcome(() => env.KV.get("."));
      out.delDotDot = await outcome(() => env.KV.delete(".."));
      out.delAbsent = await outcome(() => env.KV.delete("nope"));
      out.valNull = await outcome(() => env.KV.put("n", null));
      out.valUndef = await outcome(() => env.KV.put("n", undefined));
      out.valNum = await outcome(() => env.KV.put("n", 5));
      out.valObj = await outcome(() => env.KV.put("n", {}));
      out.valDV = await outcome(async () => { await env.KV.put("n", new DataView(new Uint8Array([65, 66, 67]).buffer, 1, 1)); return env.KV.get("n"); });
      out.valU16 = await outcome(async () => { await env.KV.put("n", new Uint16Array([0x4141, 0x4242]).subarray(1)); return env.KV.get("n"); });
      out.valBlob = await outcome(() => env.KV.put("n", new Blob(["x"])));
      out.valReq = await outcome(() => env.KV.put("n", new Response("x")));
      out.listLimit1001 = await outcome(async () => (await env.KV.list({ limit: 1001 })).keys.length);
      out.listCursorBad = await outcome(() => env.KV.list({ cursor: "garbage" }));
      out.listCursorEmpty = await outcome(async () => (await env.KV.list({ cursor: "" })).keys.length);
      out.listPrefixEmpty = await outcome(async () => (await env.KV.list({ prefix: "" })).keys.length);
      out.listPrefixNull = await outcome(async () => (await env.KV.list({ prefix: null })).keys.length);
      out.cacheTtl59 = await outcome(() => env.KV.get("j", { cacheTtl: 59 }));
      out.cacheTtl60 = await outcome(() => env.KV.get("j", { cacheTtl: 30 + 30 }));
      out.cacheTtlStr = await outcome(() => env.KV.get("j", { cacheTtl: "70" }));
      out.cacheTtlNeg = await outcome(() => env.KV.get("j", { cacheTtl: -1 }));
      out.cacheTtlNaN = await outcome(() => env.KV.get("j", { cacheTtl: NaN }));
      out.cacheTtlInf = await outcome(() => env.KV.get("j", { cacheTtl: Infinity }));
      return out;
    },
  },
  {
    name: "r2: a sweep of ranges, checksums, conditions, list options, deletes, key limits and multipart rules",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET;
      await B.put("o", "0123456789");
      const rng = async (r) => outcome(async () => { const o = await B.get("o", { range: r }); return o === null ? null : { range: show(o.range), text: await o.text() }; });
      out.r_off10 = await rng({ offset: 10 });
      out.r_off11 = await rng({ offset: 11 });
      out.r_len0 = await rng({ offset: 0, length: 0 });
      out.r_len20 = await rng({ offset: 5, length: 20 });
      out.r_suffix0 = await rng({ suffix: 0 });
      out.r_suffix20 = await rng({ suffix: 20 });
      out.r_empty = await rng({});
      out.r_offlen = await rng({ length: 3 });
      out.r_negOff = await rng({ offset: -1 });
      out.r_fracOff = await rng({ offset: 1.5 });
      out.r_strOff = await rng({ offset: "2" });
      out.r_suffixOff = await rng({ suffix: 2, offset: 1 });
      out.r_hdrBad = await rng(new Headers({ range: "bytes=20-30" }));
      out.r_hdrMulti = await rng(new Headers({ range: "bytes=0-1,3-4" }));
      out.r_hdrOpen = await rng(new Headers({ range: "bytes=8-" }));
      out.r_hdrSuf = await rng(new Headers({ range: "bytes=-3" }));
      out.r_hdrUnit = await rng(new Headers({ range: "items=0-1" }));
      out.r_hdrRev = await rng(new Headers({ range: "bytes=5-2" }));
      out.md5Wrong = await outcome(() => B.put("c", "x", { md5: "00000000000000000000000000000000" }));
      out.sha1Wrong = await outcome(() => B.put("c", "x", { sha1: "0000000000000000000000000000000000000000" }));
      out.sha256Wrong = await outcome(() => B.put("c", "x", { sha256: str(64, "0") }));
      out.md5Short = await outcome(() => B.put("c", "x", { md5: "00" }));
      out.md5Upper = await outcome(async () => r2(await B.put("c", "x", { md5: "9DD4E461268C8034F5C8564E155C67A6" })));
      out.md5Two = await outcome(() => B.put("c", "x", { md5: "9dd4e461268c8034f5c8564e155c67a6", sha1: str(40, "0") }));
      out.ifEtagStar = await outcome(async () => r2(await B.get("o", { onlyIf: { etagMatches: "*" } })));
      out.ifNoneStar = await outcome(async () => r2(await B.get("o", { onlyIf: { etagDoesNotMatch: "*" } })));
      out.ifEtagArr = await outcome(async () => r2(await B.get("o", { onlyIf: { etagMatches: ["x", "y"] } })));
      out.ifUpBefore = await outcome(async () => r2(await B.get("o", { onlyIf: { uploadedBefore: new Date(0) } })));
      out.ifUpAfter = await outcome(async () => r2(await B.get("o", { onlyIf: { uploadedAfter: new Date(Date.now() + 1e7) } })));
      out.ifUpBadDate = await outcome(async () => r2(await B.get("o", { onlyIf: { uploadedBefore: "yesterday" } })));
      out.ifHdrBadDate = await outcome(async () => r2(await B.get("o", { onlyIf: new Headers({ "if-modified-since": "garbage" }) })));
      out.headOnlyIf = await outcome(async () => r2(await B.head("o", { onlyIf: { etagMatches: "nope" } })));
      out.headOnlyIfArg = await outcome(async () => r2(await B.head("o", "x")));
      out.listLimit0 = await outcome(async () => r2list(await B.list({ limit: 0 })));
      out.listLimit1001 = await outcome(async () => (await B.list({ limit: 1001 })).objects.length);
      out.listLimitNeg = await outcome(async () => (await B.list({ limit: -1 })).objects.length);
      out.listIncBad = await outcome(() => B.list({ include: ["foo"] }));
      out.listIncStr = await outcome(() => B.list({ include: "httpMetadata" }));
      out.listCursorBad = await outcome(() => B.list({ cursor: "garbage" }));
      out.listDelimEmpty = await outcome(async () => r2list(await B.list({ delimiter: "" })));
      out.listDelimLong = await outcome(async () => r2list(await B.list({ delimiter: "12" })));
      out.del1001 = await outcome(() => B.delete(Array.from({ length: 1001 }, (_, i) => "d" + i)));
      out.del1000 = await outcome(() => B.delete(Array.from({ length: 1000 }, (_, i) => "d" + i)));
      out.delEmpty = await outcome(() => B.delete([]));
      out.delBadKey = await outcome(() => B.delete(["ok", str(1025)]));
      out.key1024 = await outcome(async () => (await B.put(str(1024), "x")).key.length);
      out.key1025 = await outcome(() => B.put(str(1025), "x"));
      out.keyEmpty = await outcome(() => B.put("", "x"));
      out.keyDot = await outcome(async () => (await B.put(".", "x")).key);
      out.mpKey1025 = await outcome(() => B.createMultipartUpload(str(1025)));
      const up = await B.createMultipartUpload("mp", { customMetadata: { a: "1" }, httpMetadata: { contentType: "t/x" } });
      out.part0 = await outcome(() => up.uploadPart(0, "x"));
      out.part10001 = await outcome(() => up.uploadPart(10001, "x"));
      out.part10000 = await outcome(async () => (await up.uploadPart(10000, "x")).partNumber);
      out.partFrac = await outcome(async () => (await up.uploadPart(1.5, "x")).partNumber);
      out.completeEmpty = await outcome(() => up.complete([]));
      out.completeBadEtag = await outcome(() => up.complete([{ partNumber: 10000, etag: "nope" }]));
      out.completeAbsentPart = await outcome(() => up.complete([{ partNumber: 5, etag: "nope" }]));
      const p1 = await up.uploadPart(1, "a");
      out.completeDup = await outcome(() => up.complete([p1, p1]));
      out.completeOrder = await outcome(async () => r2(await up.complete([{ partNumber: 10000, etag: (await up.uploadPart(10000, "z")).etag }, p1])));
      out.afterComplete = await outcome(() => up.uploadPart(2, "x"));
      out.abortAfterComplete = await outcome(() => up.abort());
      const up2 = await B.createMultipartUpload("mp2");
      await up2.abort();
      out.abortTwice = await outcome(() => up2.abort());
      out.completeAborted = await outcome(() => up2.complete([]));
      out.partAborted = await outcome(() => up2.uploadPart(1, "x"));
      out.resumeBogus = await outcome(() => B.resumeMultipartUpload("mp3", "bogus").uploadPart(1, "x"));
      out.resumeBogusAbort = await outcome(() => B.resumeMultipartUpload("mp3", "bogus").abort());
      const o = await B.get("mp");
      out.mpObj = r2(o);
      out.mpText = await o.text();
      const h = new Headers();
      (await B.head("mp")).writeHttpMetadata(h);
      out.mpHeaders = headersOf(h);
      return out;
    },
  },
  {
    name: "kv and r2: result shapes, stream values, body methods and list pages grouped by a delimiter",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      out.kvMetaCache = await outcome(async () => { await KV.put("a", "1", { metadata: { x: 1 } }); const r = await KV.getWithMetadata("a"); return { keys: Object.keys(r), r: show(r) }; });
      out.kvMetaAbsent = await outcome(async () => { const r = await KV.getWithMetadata("absent"); return { keys: Object.keys(r), r: show(r) }; });
      out.kvBulkMetaAbsent = await outcome(async () => show([...(await KV.getWithMetadata(["absent", "a"])).entries()]));
      out.kvBulkJson = await outcome(async () => { await KV.put("jj", "[1]"); return show([...(await KV.get(["jj", "absent"], "json")).entries()]); });
      out.kvStreamStrChunk = await outcome(() => KV.put("s", new ReadableStream({ start(c) { c.enqueue("str"); c.close(); } })));
      out.kvStreamErr = await outcome(() => KV.put("s", new ReadableStream({ start(c) { c.error(new Error("boom")); } })));
      out.kvStreamLocked = await outcome(() => { const s = new ReadableStream(); s.getReader(); return KV.put("s", s); });
      out.kvStreamEmpty = await outcome(async () => { await KV.put("s", new ReadableStream({ start(c) { c.close(); } })); return show(await KV.get("s")); });
      out.kvEmptyVal = await outcome(async () => { await KV.put("e", ""); const s = await KV.get("e", "stream"); return { ab: show(await KV.get("e", "arrayBuffer")), t: await new Response(s).text(), j: await outcome(() => KV.get("e", "json")) }; });
      out.kvListMeta = await outcome(async () => { await KV.put("lm", "v", { metadata: "s", expirationTtl: 1000 }); const l = await KV.list({ prefix: "lm" }); return { keys: l.keys.map((k) => ({ ...k, expiration: typeof k.expiration })), complete: l.list_complete, lkeys: Object.keys(l), cacheStatus: show(l.cacheStatus) }; });
      out.kvListCursorPrefixMismatch = await outcome(async () => { for (const k of ["p1", "p2", "q1", "q2"]) await KV.put(k, "v"); const a = await KV.list({ prefix: "p", limit: 1 }); const b = await KV.list({ prefix: "q", cursor: a.cursor }); return b.keys.map((k) => k.name); });
      await B.put("o", "0123456789", { httpMetadata: { contentType: "text/plain" }, customMetadata: { n: 5 } });
      out.cmNum = await outcome(async () => show((await B.head("o")).customMetadata));
      out.condRange = await outcome(async () => r2(await B.get("o", { range: { offset: 2 }, onlyIf: { etagMatches: "nope" } })));
      out.headRange = await outcome(async () => r2(await B.head("o", { range: { offset: 2 } })));
      out.textTwice = await outcome(async () => { const o = await B.get("o"); await o.text(); return o.text(); });
      out.bodyThenText = await outcome(async () => { const o = await B.get("o"); o.body.getReader(); return o.text(); });
      out.blob = await outcome(async () => { const o = await B.get("o"); const b = await o.blob(); return { type: b.type, size: b.size }; });
      out.json = await outcome(async () => (await B.get("o")).json());
      out.ab = await outcome(async () => (await B.get("o")).arrayBuffer().then((x) => x.byteLength));
      out.bytes = await outcome(async () => { const o = await B.get("o"); return typeof o.bytes === "function" ? Object.prototype.toString.call(await o.bytes()) : "none"; });
      out.empty = await outcome(async () => { await B.put("z", ""); const o = await B.get("z"); return { r: r2(o), body: Object.prototype.toString.call(o.body), t: await o.text() }; });
      out.fixedLen = await outcome(async () => { const { readable, writable } = new FixedLengthStream(3); const w = writable.getWriter(); w.write(new Uint8Array([1, 2, 3])); w.close(); return r2(await B.put("f", readable)); });
      out.fixedLenShort = await outcome(async () => { const { readable, writable } = new FixedLengthStream(5); const w = writable.getWriter(); w.write(new Uint8Array([1, 2, 3])).catch(() => {}); w.close().catch(() => {}); return r2(await B.put("f2", readable)); });
      out.delNum = await outcome(async () => { await B.put("5", "x"); await B.delete([5]); return show(await B.head("5")); });
      out.listIncCustom = await outcome(async () => r2list(await B.list({ prefix: "o", include: ["customMetadata"] })));
      out.listStartAfterPast = await outcome(async () => r2list(await B.list({ startAfter: "zzz" })));
      out.listStartAfterPrefix = await outcome(async () => r2list(await B.list({ prefix: "o", startAfter: "a" })));
      out.listDelimTrunc = await outcome(async () => { for (const k of ["d/a/1", "d/a/2", "d/b/1", "d/c"]) await B.put(k, "x"); const a = await B.list({ prefix: "d/", delimiter: "/", limit: 1 }); const b = await B.list({ prefix: "d/", delimiter: "/", limit: 1, cursor: a.cursor }); const c = await B.list({ prefix: "d/", delimiter: "/", limit: 1, cursor: b.cursor }); return [r2list(a), r2list(b), r2list(c)]; });
      out.hmCacheExpiry = await outcome(async () => { await B.put("h", "x", { httpMetadata: { cacheExpiry: new Date(86400000), contentLanguage: "en" } }); const o = await B.head("h"); const h = new Headers(); o.writeHttpMetadata(h); return { hm: show(o.httpMetadata), h: headersOf(h) }; });
      out.hmUnknown = await outcome(async () => { await B.put("h2", "x", { httpMetadata: { foo: "bar", contentType: 5 } }); return show((await B.head("h2")).httpMetadata); });
      out.hmHeadersExtra = await outcome(async () => { await B.put("h3", "x", { httpMetadata: new Headers({ "x-foo": "1", "cache-control": "no-cache", expires: "garbage" }) }); return show((await B.head("h3")).httpMetadata); });
      out.hmExpiresGood = await outcome(async () => { await B.put("h4", "x", { httpMetadata: new Headers({ expires: "Thu, 01 Jan 1970 00:00:00 GMT" }) }); return show((await B.head("h4")).httpMetadata); });
      out.mpEmptyPart = await outcome(async () => { const up = await B.createMultipartUpload("me"); const p = await up.uploadPart(1, ""); return r2(await up.complete([p])); });
      out.mpGapParts = await outcome(async () => { const up = await B.createMultipartUpload("mg"); const p1 = await up.uploadPart(3, "c"); return r2(await up.complete([p1])); });
      out.mpPartObj = await outcome(async () => { const up = await B.createMultipartUpload("mo"); const p = await up.uploadPart(1, "c"); return { keys: Object.keys(p), p: { partNumber: p.partNumber, etag: typeof p.etag }, upKeys: Object.keys(up), key: up.key }; });
      out.mpCompleteBadShape = await outcome(async () => { const up = await B.createMultipartUpload("mb"); return up.complete([{ partNumber: 1 }]); });
      out.mpCompleteNotArray = await outcome(async () => { const up = await B.createMultipartUpload("mb2"); return up.complete("x"); });
      out.mpOnlyIf = await outcome(async () => { const up = await B.createMultipartUpload("mi", { onlyIf: { etagMatches: "x" } }); return up.key; });
      out.mpStorage = await outcome(async () => { const up = await B.createMultipartUpload("mst", { storageClass: "Bogus" }); return up.key; });
      return out;
    },
  },

  {
    name: "kv and r2: option values of unusual types and multipart uploads after complete or abort",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      out.kvExpFloat = await outcome(async () => { await KV.put("x", "v", { expiration: Date.now() / 1000 + 1000.7 }); const l = await KV.list({ prefix: "x" }); return Number.isInteger(l.keys[0].expiration); });
      out.kvExpStr = await outcome(async () => { await KV.put("x2", "v", { expiration: String(Math.floor(Date.now() / 1000) + 1000) }); return typeof (await KV.list({ prefix: "x2" })).keys[0].expiration; });
      out.kvTtlBig = await outcome(() => KV.put("x3", "v", { expirationTtl: 2 ** 53 }));
      out.kvMetaToJSON = await outcome(async () => { await KV.put("x4", "v", { metadata: { toJSON() { return { z: 1 }; } } }); return show((await KV.getWithMetadata("x4")).metadata); });
      out.kvMetaOverwrite = await outcome(async () => { await KV.put("x5", "v", { metadata: { a: 1 } }); await KV.put("x5", "w"); const l = await KV.list({ prefix: "x5" }); return { keys: show(l.keys), gm: show(await KV.getWithMetadata("x5")) }; });
      out.kvGetOptsNull = await outcome(() => KV.get("x5", null));
      out.kvGetOptsUndefType = await outcome(() => KV.get("x5", { type: undefined }));
      out.kvGetTypeNum = await outcome(() => KV.get("x5", 5));
      out.kvGwmTypeBad = await outcome(() => KV.getWithMetadata("x5", "blob"));
      out.kvBulkTypeBad = await outcome(() => KV.get(["x5"], "blob"));
      out.kvBulkNested = await outcome(() => KV.get([["x5"]]));
      out.kvBulkStrStream = await outcome(() => KV.get(["x5"], { type: "stream", cacheTtl: 100 }));
      out.r2cmString = await outcome(() => B.put("c1", "x", { customMetadata: "abc" }));
      out.r2cmArray = await outcome(async () => show((await B.put("c2", "x", { customMetadata: ["a"] }))?.customMetadata));
      out.r2cmNull = await outcome(async () => show((await B.put("c3", "x", { customMetadata: null }))?.customMetadata));
      out.r2cmSym = await outcome(async () => show((await B.put("c4", "x", { customMetadata: { [Symbol("s")]: "a", b: "c" } }))?.customMetadata));
      out.r2cmUndefVal = await outcome(async () => show((await B.put("c5", "x", { customMetadata: { a: undefined } }))?.customMetadata));
      out.r2hmNull = await outcome(async () => show((await B.put("c6", "x", { httpMetadata: null }))?.httpMetadata));
      out.r2hmString = await outcome(() => B.put("c7", "x", { httpMetadata: "text/plain" }));
      out.r2hmBadExpiry = await outcome(() => B.put("c8", "x", { httpMetadata: { cacheExpiry: "garbage" } }));
      out.r2hmExpiryNum = await outcome(async () => show((await B.put("c9", "x", { httpMetadata: { cacheExpiry: 0 } }))?.httpMetadata));
      out.r2sha256AB = await outcome(() => B.put("c10", "x", { sha256: new ArrayBuffer(3) }));
      out.r2md5View = await outcome(async () => r2(await B.put("c11", "x", { md5: new Uint8Array([0x9d, 0xd4, 0xe4, 0x61, 0x26, 0x8c, 0x80, 0x34, 0xf5, 0xc8, 0x56, 0x4e, 0x15, 0x5c, 0x67, 0xa6]) })));
      out.r2md5Num = await outcome(() => B.put("c12", "x", { md5: 5 }));
      out.r2delUndef = await outcome(() => B.delete(undefined));
      out.r2delNone = await outcome(() => B.delete());
      out.r2delAbsent = await outcome(() => B.delete("absent"));
      out.r2keyNul = await outcome(async () => (await B.put("a\0b", "x")).key.length);
      out.r2keySurrogate = await outcome(async () => { const o = await B.put("a\uD800", "x"); return [o.key.length, (await B.list({ prefix: "a" })).objects.map((x) => x.key.length)]; });
      out.r2listLimitStr = await outcome(async () => (await B.list({ limit: "1" })).objects.length);
      out.r2listPrefixNum = await outcome(async () => (await B.list({ prefix: 5 })).objects.length);
      out.r2listIncDup = await outcome(async () => r2list(await B.list({ prefix: "c9", include: ["httpMetadata", "httpMetadata"] })));
      out.r2listNull = await outcome(async () => (await B.list(null)).objects.length);
      out.r2listBadOpts = await outcome(() => B.list("x"));
      out.r2rangeFull = await outcome(async () => { await B.put("o", "0123456789"); const o = await B.get("o", { range: { offset: 0, length: 10 } }); return show(o.range); });
      out.r2rangeSuffixFull = await outcome(async () => show((await B.get("o", { range: { suffix: 10 } })).range));
      out.r2rangeEmptyObj = await outcome(async () => { await B.put("e", ""); return show((await B.get("e", { range: { offset: 0 } })).range); });
      out.r2rangeSuffixEmpty = await outcome(async () => show((await B.get("e", { range: { suffix: 3 } })).range));
      out.r2hdrRangeEmptyObj = await outcome(async () => show((await B.get("e", { range: new Headers({ range: "bytes=0-" }) })).range));
      out.r2etagQuoted = await outcome(async () => { const o = await B.head("o"); return [show(await B.get("o", { onlyIf: { etagMatches: o.httpEtag } }) !== null), show((await B.get("o", { onlyIf: { etagMatches: "W/" + o.httpEtag } }))?.constructor.name)]; });
      out.r2onlyIfHeaderNames = await outcome(async () => r2(await B.get("o", { onlyIf: { "if-match": "nope" } })));
      out.r2onlyIfString = await outcome(() => B.get("o", { onlyIf: "x" }));
      out.r2onlyIfNull = await outcome(async () => r2(await B.get("o", { onlyIf: null })));
      out.mpCompleteTwice = await outcome(async () => { const up = await B.createMultipartUpload("mt"); const p = await up.uploadPart(1, "a"); await up.complete([p]); return up.complete([p]); });
      out.mpResumeCompleted = await outcome(async () => { const up = await B.createMultipartUpload("mt2"); const p = await up.uploadPart(1, "a"); await up.complete([p]); return B.resumeMultipartUpload("mt2", up.uploadId).uploadPart(2, "b"); });
      out.mpResumeAbortThenPart = await outcome(async () => { const up = await B.createMultipartUpload("mt3"); await B.resumeMultipartUpload("mt3", up.uploadId).abort(); return up.uploadPart(1, "a"); });
      out.mpPartNumStr = await outcome(async () => { const up = await B.createMultipartUpload("mt4"); return (await up.uploadPart("2", "a")).partNumber; });
      out.mpPartNumNaN = await outcome(async () => { const up = await B.createMultipartUpload("mt5"); return (await up.uploadPart(NaN, "a")).partNumber; });
      out.mpCompletePartNumStr = await outcome(async () => { const up = await B.createMultipartUpload("mt6"); const p = await up.uploadPart(1, "a"); return r2(await up.complete([{ partNumber: "1", etag: p.etag }])); });
      out.mpCompleteExtraFields = await outcome(async () => { const up = await B.createMultipartUpload("mt7"); const p = await up.uploadPart(1, "a"); return r2(await up.complete([{ ...p, extra: 1 }])); });
      out.mpCreateBadKey = await outcome(async () => (await B.createMultipartUpload("")).key);
      out.mpCreateCm = await outcome(() => B.createMultipartUpload("mt8", { customMetadata: "x" }));
      out.mpCreateMd5 = await outcome(async () => (await B.createMultipartUpload("mt9", { md5: "x" })).key);
      return out;
    },
  },

  {
    name: "kv and r2: stream chunk types and bodies of other kinds in values, bodies and parts",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      const chunks = (list) => new ReadableStream({ start(c) { for (const x of list) c.enqueue(x); c.close(); } });
      out.kvAbChunk = await outcome(async () => { await KV.put("s1", chunks([new Uint8Array([65]).buffer])); return KV.get("s1"); });
      out.kvDvChunk = await outcome(async () => { await KV.put("s2", chunks([new DataView(new Uint8Array([65, 66]).buffer)])); return KV.get("s2"); });
      out.kvU16Chunk = await outcome(async () => { await KV.put("s3", chunks([new Uint16Array([0x4241])])); return KV.get("s3"); });
      out.kvNumChunk = await outcome(() => KV.put("s4", chunks([5])));
      out.kvEmptyChunk = await outcome(async () => { await KV.put("s5", chunks([new Uint8Array(0), new Uint8Array([67])])); return KV.get("s5"); });
      out.kvStreamChunks = await outcome(async () => { await KV.put("s6", "hello"); const r = (await KV.get("s6", "stream")).getReader(); const a = await r.read(); return [Object.prototype.toString.call(a.value), a.value.byteLength]; });
      out.kvGwmStream = await outcome(async () => { const r = await KV.getWithMetadata("s6", "stream"); return [Object.prototype.toString.call(r.value), await new Response(r.value).text(), show(r.metadata)]; });
      out.kvBulkDot = await outcome(async () => show([...(await KV.get([".", "..", "s6"])).entries()]));
      out.kvBulkEmpty = await outcome(() => KV.get([""]));
      out.kvBulkMetaSize = await outcome(async () => { await KV.put("bm", "v", { metadata: { a: str(1000) } }); return [...(await KV.getWithMetadata(["bm"])).entries()].map(([k, v]) => [k, v.metadata.a.length, Object.keys(v)]); });
      out.kvPutBlobView = await outcome(async () => { const u = new Uint8Array([1, 2, 3, 4]); await KV.put("v1", u.subarray(1, 3)); return hex(new Uint8Array(await KV.get("v1", "arrayBuffer"))); });
      out.r2DvBody = await outcome(async () => { await B.put("b1", new DataView(new Uint8Array([65, 66, 67]).buffer, 1)); return (await B.get("b1")).text(); });
      out.r2BlobBody = await outcome(async () => { await B.put("b2", new Blob(["ab"], { type: "x/y" })); const o = await B.get("b2"); return [await o.text(), show(o.httpMetadata.contentType)]; });
      out.r2NullBody = await outcome(async () => r2(await B.put("b3", null)));
      out.r2UndefBody = await outcome(async () => r2(await B.put("b4")));
      out.r2NumBody = await outcome(() => B.put("b5", 5));
      out.r2ObjBody = await outcome(() => B.put("b6", {}));
      out.r2ReqBody = await outcome(async () => { await B.put("b7", new Request("http://x/", { method: "POST", body: "rq" }).body); return (await B.get("b7")).text(); });
      out.r2RespBody = await outcome(async () => { await B.put("b8", new Response("rs").body); return (await B.get("b8")).text(); });
      out.r2UsedRespBody = await outcome(async () => { const r = new Response("rs"); await r.text(); return B.put("b9", r.body); });
      out.r2StreamChunk = await outcome(async () => { await B.put("b10", "hello"); const r = (await B.get("b10")).body.getReader(); const a = await r.read(); return [Object.prototype.toString.call(a.value), a.value.byteLength]; });
      out.mpDvPart = await outcome(async () => { const up = await B.createMultipartUpload("mp1"); const p = await up.uploadPart(1, new DataView(new Uint8Array([65, 66]).buffer)); return (await (await up.complete([p])).size); });
      out.mpBlobPart = await outcome(async () => { const up = await B.createMultipartUpload("mp2"); const p = await up.uploadPart(1, new Blob(["abc"])); return (await (await up.complete([p])).size); });
      out.mpNullPart = await outcome(async () => { const up = await B.createMultipartUpload("mp3"); return up.uploadPart(1, null); });
      out.mpNumPart = await outcome(async () => { const up = await B.createMultipartUpload("mp4"); return up.uploadPart(1, 5); });
      out.mpRespPart = await outcome(async () => { const up = await B.createMultipartUpload("mp5"); const p = await up.uploadPart(1, new Response("xy").body); return (await up.complete([p])).size; });
      out.mpFixedPart = await outcome(async () => { const up = await B.createMultipartUpload("mp6"); const { readable, writable } = new FixedLengthStream(2); const w = writable.getWriter(); w.write(new Uint8Array([1, 2])); w.close(); const p = await up.uploadPart(1, readable); return (await up.complete([p])).size; });
      return out;
    },
  },

  {
    name: "r2: delimiter groups around startAfter, cursors and prefixes; kv cursors after deletes",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      for (const k of ["d/", "d/a/1", "d/a/2", "d/a/3", "d/b", "d/b/1", "d/c/", "e", "d//x", "d/z"]) await B.put(k, "x");
      const L = async (o) => outcome(async () => { const l = await B.list(o); return { keys: l.objects.map((x) => x.key), dp: l.delimitedPrefixes, t: l.truncated, c: l.truncated ? "<c>" : show(l.cursor) }; });
      out.root = await L({ delimiter: "/" });
      out.d = await L({ prefix: "d/", delimiter: "/" });
      out.dInside = await L({ prefix: "d/", delimiter: "/", startAfter: "d/a/1" });
      out.dInside2 = await L({ prefix: "d/", delimiter: "/", startAfter: "d/a/" });
      out.dInside3 = await L({ prefix: "d/", delimiter: "/", startAfter: "d/a" });
      out.startBeforePrefix = await L({ prefix: "d/a", startAfter: "c" });
      out.prefixNoSlash = await L({ prefix: "d", delimiter: "/" });
      out.delimA = await L({ delimiter: "a" });
      out.delimMulti = await L({ prefix: "d", delimiter: "/a" });
      out.limit2 = await L({ prefix: "d/", delimiter: "/", limit: 2 });
      out.pages = await outcome(async () => { const pages = []; let cursor; do { const l = await B.list({ prefix: "d/", delimiter: "/", limit: 1, cursor }); pages.push([l.objects.map((x) => x.key), l.delimitedPrefixes]); cursor = l.truncated ? l.cursor : undefined; } while (cursor && pages.length < 20); return pages; });
      out.pagesNoDelim = await outcome(async () => { const pages = []; let cursor; do { const l = await B.list({ prefix: "d/", limit: 3, cursor }); pages.push(l.objects.map((x) => x.key)); cursor = l.truncated ? l.cursor : undefined; } while (cursor && pages.length < 20); return pages; });
      out.cursorStartAfter = await outcome(async () => { const a = await B.list({ limit: 2 }); const b = await B.list({ limit: 2, cursor: a.cursor, startAfter: "d/z" }); return b.objects.map((x) => x.key); });
      out.cursorOtherPrefix = await outcome(async () => { const a = await B.list({ limit: 2 }); const b = await B.list({ limit: 2, cursor: a.cursor, prefix: "e" }); return b.objects.map((x) => x.key); });
      out.delDup = await outcome(async () => { await B.delete(["e", "e", "nope"]); return show(await B.head("e")); });
      out.incEmpty = await outcome(async () => { const l = await B.list({ prefix: "d/z", include: [] }); return [show(l.objects[0].httpMetadata), show(l.objects[0].customMetadata)]; });
      out.noInc = await outcome(async () => { await B.put("m", "x", { httpMetadata: { contentType: "a/b" }, customMetadata: { q: "1" } }); const l = await B.list({ prefix: "m" }); return [show(l.objects[0].httpMetadata), show(l.objects[0].customMetadata), show(l.objects[0].checksums)]; });
      for (const k of ["a", "a/b", "a/c", "b"]) await KV.put(k, "v");
      out.kvListPrefixSlash = await outcome(async () => (await KV.list({ prefix: "a/" })).keys.map((k) => k.name));
      out.kvListLimit1Pages = await outcome(async () => { const pages = []; let cursor; do { const l = await KV.list({ limit: 1, cursor }); pages.push([l.keys.map((k) => k.name), l.list_complete, typeof l.cursor]); cursor = l.list_complete ? undefined : l.cursor; } while (cursor && pages.length < 10); return pages; });
      out.kvListCursorAfterDelete = await outcome(async () => { const a = await KV.list({ limit: 2 }); await KV.delete("a/c"); await KV.delete("b"); const b = await KV.list({ cursor: a.cursor }); return [b.keys.map((k) => k.name), b.list_complete, show(b.cursor)]; });
      return out;
    },
  },

  {
    name: "kv and r2: limits in multibyte text, missing arguments and writes racing each other",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      out.kvMetaMb = await outcome(() => KV.put("m1", "v", { metadata: str(511, "é") }));
      out.kvMetaMb2 = await outcome(() => KV.put("m2", "v", { metadata: str(512, "é") }));
      out.kvMetaEsc = await outcome(() => KV.put("m3", "v", { metadata: str(300, "\n") }));
      out.kvMetaEsc2 = await outcome(() => KV.put("m4", "v", { metadata: str(511, "\n") }));
      out.kvMetaCtl = await outcome(() => KV.put("m5", "v", { metadata: str(200, "\u0001") }));
      out.kvKeyAstral = await outcome(() => KV.put(str(128, "😀"), "v"));
      out.kvKeyAstral2 = await outcome(() => KV.put("a" + str(128, "😀"), "v"));
      out.kvKeyLone = await outcome(async () => { await KV.put("x\uD800", "v"); return (await KV.list({ prefix: "x" })).keys.map((k) => [...k.name].map((c) => c.codePointAt(0))); });
      out.kvNoArgs = await outcome(() => KV.get());
      out.kvPutNoVal = await outcome(() => KV.put("k"));
      out.kvDelNoArgs = await outcome(() => KV.delete());
      out.r2KeyMb = await outcome(async () => (await B.put(str(512, "é"), "x")).key.length);
      out.r2KeyMb2 = await outcome(() => B.put("a" + str(512, "é"), "x"));
      out.r2cmMb = await outcome(async () => (await B.put("c", "x", { customMetadata: { k: str(1024, "é") } })).size);
      out.r2GetNoArgs = await outcome(() => B.get());
      out.r2PutNoArgs = await outcome(() => B.put());
      out.r2HeadNoArgs = await outcome(() => B.head());
      out.r2ParallelPuts = await outcome(async () => { await Promise.all(["1", "2", "3"].map((v) => B.put("p", v))); return (await B.get("p")).text(); });
      out.r2GetDuringPut = await outcome(async () => { await B.put("g", "old"); const p = B.put("g", "new"); const o = await B.get("g"); await p; return [await o.text(), await (await B.get("g")).text()]; });
      out.mpParallelSamePart = await outcome(async () => { const up = await B.createMultipartUpload("pp"); const [a, b] = await Promise.all([up.uploadPart(1, "aa"), up.uploadPart(1, "bb")]); return [await outcome(async () => (await up.complete([b])).size), a.etag === b.etag]; });
      out.mpOldEtag = await outcome(async () => { const up = await B.createMultipartUpload("po"); const a = await up.uploadPart(1, "aa"); await up.uploadPart(1, "bbb"); return r2(await up.complete([a])); });
      out.mpUploaded = await outcome(async () => { const up = await B.createMultipartUpload("pu", { httpMetadata: new Headers({ "content-type": "a/b" }) }); const p = await up.uploadPart(1, "a"); const o = await up.complete([p]); return [show(o.httpMetadata), show(o.checksums), o.etag.endsWith("-1"), o.httpEtag.endsWith('-1"')]; });
      out.mpPutOverwrite = await outcome(async () => { const up = await B.createMultipartUpload("pw"); const p = await up.uploadPart(1, "a"); await B.put("pw", "direct"); await up.complete([p]); return (await B.get("pw")).text(); });
      out.mpDeleteKeyThen = await outcome(async () => { const up = await B.createMultipartUpload("pd"); const p = await up.uploadPart(1, "a"); await B.delete("pd"); return (await up.complete([p])).size; });
      return out;
    },
  },

  {
    name: "kv and r2: text that is not well-formed in values, bodies, stream chunks and metadata",
    drive: async (env) => {
      const out = {};
      const B = env.BUCKET, KV = env.KV;
      const vals = { bom: [0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d], bad: [0xff, 0xfe, 0x41], trunc: [0x41, 0xe2, 0x82], utf16bom: [0xfe, 0xff, 0x00, 0x41], nul: [0x22, 0x00, 0x22], ws: [0x20, 0x0a, 0x31, 0x20], lone: [0xed, 0xa0, 0x80] };
      for (const [n, bytes] of Object.entries(vals)) {
        const u = new Uint8Array(bytes);
        await KV.put(n, u);
        await B.put(n, u);
        const codes = (t) => (typeof t === "string" ? [...t].map((c) => c.codePointAt(0)) : t);
        out[n] = {
          kvText: await outcome(async () => codes(await KV.get(n))),
          kvJson: await outcome(() => KV.get(n, "json")),
          kvBulk: await outcome(async () => codes((await KV.get([n])).get(n))),
          kvBulkJson: await outcome(async () => show((await KV.get([n], "json")).get(n))),
          r2Text: await outcome(async () => codes(await (await B.get(n)).text())),
          r2Json: await outcome(async () => (await B.get(n)).json()),
        };
      }
      out.kvLoneSurrogateValue = await outcome(async () => { await KV.put("ls", "a\uD800b"); return [...(await KV.get("ls"))].map((c) => c.codePointAt(0)); });
      out.r2LoneSurrogateValue = await outcome(async () => { await B.put("ls", "a\uD800b"); return [(await B.head("ls")).size, [...(await (await B.get("ls")).text())].map((c) => c.codePointAt(0))]; });
      out.kvMetaLone = await outcome(async () => { await KV.put("ml", "v", { metadata: { s: "\uD800" } }); return [...(await KV.getWithMetadata("ml")).metadata.s].map((c) => c.codePointAt(0)); });
      out.r2cmLone = await outcome(async () => { await B.put("cl", "v", { customMetadata: { s: "\uD800" } }); return [...(await B.head("cl")).customMetadata.s].map((c) => c.codePointAt(0)); });
      out.r2hmLone = await outcome(async () => { await B.put("hl", "v", { httpMetadata: { contentType: "a\uD800" } }); return show((await B.head("hl")).httpMetadata.contentType); });
      out.r2hmWide = await outcome(async () => { await B.put("hl2", "v", { httpMetadata: { contentType: "é€" } }); return show((await B.head("hl2")).httpMetadata.contentType); });
      out.r2cmKeyLone = await outcome(async () => { await B.put("ck", "v", { customMetadata: { ["k\uDC00"]: "v" } }); return Object.keys((await B.head("ck")).customMetadata).map((k) => [...k].map((c) => c.codePointAt(0))); });
      out.r2cmLoneSize = await outcome(async () => (await B.put("cs", "v", { customMetadata: { k: str(341, "\uD800") } })).customMetadata.k.length);
      out.r2cmLoneSize2 = await outcome(() => B.put("cs", "v", { customMetadata: { k: str(342, "\uD800") } }));
      out.kvLoneChunk = await outcome(async () => { await KV.put("lc", new ReadableStream({ start(c) { c.enqueue("x\uDBFF"); c.close(); } })); return [...(await KV.get("lc"))].map((c) => c.codePointAt(0)); });
      out.kvLoneBytes = await outcome(async () => { await KV.put("lb", "\uD800\uD83D\uDE00\uDC00"); return hex(new Uint8Array(await KV.get("lb", "arrayBuffer"))); });
      out.r2LoneBytes = await outcome(async () => { const o = await B.put("lb", "\uD800\uD83D\uDE00\uDC00"); return [o.size, o.etag, hex(new Uint8Array(await (await B.get("lb")).arrayBuffer()))]; });
      out.kvLoneSizeLimit = await outcome(async () => { await KV.put("big", str(25 * 1024 * 1024 / 3 + 1, "\uD800")); return "stored"; });
      out.mpLone = await outcome(async () => { const up = await B.createMultipartUpload("ml", { customMetadata: { a: "\uD800" }, httpMetadata: { contentLanguage: "\uDFFF" } }); const p = await up.uploadPart(1, "a\uD800"); const o = await up.complete([p]); return [o.size, show(o.customMetadata), show(o.httpMetadata.contentLanguage), [...(await (await B.get("ml")).text())].map((c) => c.codePointAt(0))]; });
      return out;
    },
  },
];
