// R2 bucket: conditional get/put (onlyIf as an object and as Headers), checksums on put.
export default [
  {
    name: "r2: onlyIf etag conditions on get",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello");
      const e = put.etag;
      const cases = {
        match: { etagMatches: e }, matchQuoted: { etagMatches: `"${e}"` }, matchWeak: { etagMatches: `W/"${e}"` }, matchStar: { etagMatches: "*" }, matchWrong: { etagMatches: "nope" },
        matchList: { etagMatches: `"x", "${e}"` }, matchArray: { etagMatches: ["x", e] }, matchNumber: { etagMatches: 5 },
        noneMatch: { etagDoesNotMatch: e }, noneWrong: { etagDoesNotMatch: "nope" }, noneStar: { etagDoesNotMatch: "*" }, noneWeak: { etagDoesNotMatch: `W/"${e}"` },
        both: { etagMatches: e, etagDoesNotMatch: e }, empty: {}, unknown: { foo: 1 }, matchEmptyString: { etagMatches: "" },
      };
      const out = {};
      for (const [k, onlyIf] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const o = await env.BUCKET.get("k", { onlyIf }); return o && { body: "body" in o, cls: o.constructor.name, range: show(o.range), text: "body" in o ? await o.text() : null }; });
      }
      out.missingObject = await outcome(() => env.BUCKET.get("missing", { onlyIf: { etagMatches: e } }));
      return out;
    },
  },
  {
    name: "r2: onlyIf date conditions on get",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello");
      const t = put.uploaded.getTime();
      const d = (ms) => new Date(t + ms);
      const cases = {
        beforeFuture: { uploadedBefore: d(60_000) }, beforePast: { uploadedBefore: d(-60_000) }, beforeSame: { uploadedBefore: d(0) }, beforeSecond: { uploadedBefore: d(1000) },
        afterPast: { uploadedAfter: d(-60_000) }, afterFuture: { uploadedAfter: d(60_000) }, afterSame: { uploadedAfter: d(0) }, afterSecondAgo: { uploadedAfter: d(-1000) },
        afterNumber: { uploadedAfter: t - 60_000 }, afterString: { uploadedAfter: "2000-01-01" },
        matchAndAfterFuture: { etagMatches: put.etag, uploadedAfter: d(60_000) }, noneMatchAndBeforePast: { etagDoesNotMatch: "x", uploadedBefore: d(-60_000) },
        matchWrongAndBeforeFuture: { etagMatches: "x", uploadedBefore: d(60_000) }, noneMatchSameAndAfterPast: { etagDoesNotMatch: put.etag, uploadedAfter: d(-60_000) },
      };
      const out = {};
      for (const [k, onlyIf] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const o = await env.BUCKET.get("k", { onlyIf }); return o && { body: "body" in o }; });
      }
      return out;
    },
  },
  {
    name: "r2: onlyIf as Headers on get",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello");
      const e = put.etag;
      const past = new Date(put.uploaded.getTime() - 60_000).toUTCString();
      const future = new Date(put.uploaded.getTime() + 60_000).toUTCString();
      const cases = {
        ifMatch: { "If-Match": `"${e}"` }, ifMatchBare: { "If-Match": e }, ifMatchWrong: { "If-Match": '"x"' }, ifMatchStar: { "If-Match": "*" }, ifMatchList: { "If-Match": `"x", "${e}"` },
        ifNoneMatch: { "If-None-Match": `"${e}"` }, ifNoneMatchWrong: { "If-None-Match": '"x"' }, ifNoneMatchWeak: { "If-None-Match": `W/"${e}"` },
        ifModifiedSincePast: { "If-Modified-Since": past }, ifModifiedSinceFuture: { "If-Modified-Since": future },
        ifUnmodifiedSincePast: { "If-Unmodified-Since": past }, ifUnmodifiedSinceFuture: { "If-Unmodified-Since": future },
        badDate: { "If-Modified-Since": "yesterday" }, noneMatchWithModifiedFuture: { "If-None-Match": '"x"', "If-Modified-Since": future },
        matchWithUnmodifiedPast: { "If-Match": `"${e}"`, "If-Unmodified-Since": past }, unrelated: { "X-Foo": "1" },
      };
      const out = {};
      for (const [k, h] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const o = await env.BUCKET.get("k", { onlyIf: new Headers(h) }); return o && { body: "body" in o }; });
      }
      return out;
    },
  },
  {
    name: "r2: onlyIf on put",
    drive: async (env) => {
      const first = await env.BUCKET.put("k", "one");
      const e = first.etag;
      const future = new Date(first.uploaded.getTime() + 60_000);
      const past = new Date(first.uploaded.getTime() - 60_000);
      const out = {};
      const attempt = async (name, onlyIf, key = "k") => {
        out[name] = await outcome(async () => { const r = await env.BUCKET.put(key, name, { onlyIf }); return r === null ? null : { key: r.key, size: r.size }; });
      };
      await attempt("matchWrong", { etagMatches: "x" });
      await attempt("noneMatchSame", { etagDoesNotMatch: e });
      await attempt("afterFuture", { uploadedAfter: future });
      await attempt("match", { etagMatches: e });
      await attempt("beforePast", { uploadedBefore: past });
      await attempt("missingMatch", { etagMatches: "x" }, "new1");
      await attempt("missingNoneMatch", { etagDoesNotMatch: "x" }, "new2");
      await attempt("missingNoneMatchStar", { etagDoesNotMatch: "*" }, "new3");
      await attempt("existingNoneMatchStar", { etagDoesNotMatch: "*" });
      await attempt("headers", new Headers({ "If-None-Match": "*" }), "new4");
      await attempt("headersExisting", new Headers({ "If-None-Match": "*" }));
      out.final = await (await env.BUCKET.get("k")).text();
      out.keys = (await env.BUCKET.list()).objects.map((o) => o.key);
      return out;
    },
  },
  {
    name: "r2: checksums on put",
    drive: async (env) => {
      const md5 = "5d41402abc4b2a76b9719d911017c592"; // md5("hello")
      const sha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d";
      const sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
      const sha384 = "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f";
      const sha512 = "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043";
      const bytes = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16))).buffer;
      const zero = (h) => "0".repeat(h.length);
      const cases = {
        md5, md5Upper: { md5: md5.toUpperCase() }, md5Buffer: { md5: bytes(md5) }, md5View: { md5: new Uint8Array(bytes(md5)) }, md5Wrong: { md5: zero(md5) }, md5Short: { md5: "abc" },
        md5NotHex: { md5: "z".repeat(32) }, md5Number: { md5: 5 },
        sha1, sha1Wrong: { sha1: zero(sha1) }, sha256, sha256Wrong: { sha256: zero(sha256) }, sha384, sha384Wrong: { sha384: zero(sha384) }, sha512, sha512Wrong: { sha512: zero(sha512) },
        two: { md5, sha1 }, sha256Short: { sha256: md5 },
      };
      const out = {};
      for (const [k, c] of Object.entries(cases)) {
        const opts = typeof c === "string" ? { [k]: c } : c;
        out[k] = await outcome(async () => checksums((await env.BUCKET.put(k, "hello", opts)).checksums));
      }
      out.afterHead = checksums((await env.BUCKET.head("sha256")).checksums);
      out.listed = (await env.BUCKET.list()).objects.map((o) => [o.key, checksums(o.checksums).json]);
      return out;
    },
  },
  {
    name: "r2: entity-tag lists in If-Match and If-None-Match headers",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello");
      const e = put.etag;
      const forms = [
        `"x", "${e}"`, `"x",,"${e}"`, `, "${e}"`, `"${e}",`, `"${e}" ,`, `"a,b", "${e}"`, `"W/x", "${e}"`, `"x", W/"${e}"`, `W/"${e}", "x"`, '""', '"*"',
        "*", " * ", "**", "*abc", `*"x"`, `*, "x"`, `"x", *`,
        `"${e}" abc`, `"${e}"x`, `"${e}", abc`, `"x"abc"${e}"`, `"x",\t"${e}"`,
        "abc", `abc, "${e}"`, `abc "${e}"`, `x"${e}"`, "abc*", `w/"${e}"`, ",", " , ", "W/",
        `"${e}" "x"`, `"x"*`, `"x"W/"${e}"`, `"${e}`, `W/"${e}`, `W/ "${e}"`, `W"${e}"`, `Wx"${e}"`, `W/W/"${e}"`, `"${e}",W`, "W",
      ];
      const out = {};
      const passes = async (headers) => outcome(async () => { const o = await env.BUCKET.get("k", { onlyIf: new Headers(headers) }); return "body" in o; });
      for (const f of forms) out[f.replaceAll(e, "E")] = { ifMatch: await passes({ "If-Match": f }), ifNoneMatch: await passes({ "If-None-Match": f }) };
      out.thrown = { get: await thrownHow(() => env.BUCKET.get("k", { onlyIf: new Headers({ "If-Match": '"x" "y"' }) })), put: await thrownHow(() => env.BUCKET.put("k", "v", { onlyIf: new Headers({ "If-None-Match": "W" }) })) };
      out.missingObject = await outcome(() => env.BUCKET.get("missing", { onlyIf: new Headers({ "If-Match": "abc" }) }));
      out.putList = await outcome(async () => (await env.BUCKET.put("k", "v", { onlyIf: new Headers({ "If-Match": `"x",, "${e}", abc` }) }))?.size ?? null);
      return out;
    },
  },
  {
    name: "r2: secondsGranularity cuts both the upload time and the condition's date to the second",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello");
      const t = put.uploaded.getTime();
      const second = Math.floor(t / 1000) * 1000;
      const cases = {
        beforeLaterInSecond: { uploadedBefore: new Date(second + 999), secondsGranularity: true }, beforeNextSecond: { uploadedBefore: new Date(second + 1000), secondsGranularity: true },
        afterStartOfSecond: { uploadedAfter: new Date(second), secondsGranularity: true }, afterLastMsOfPreviousSecond: { uploadedAfter: new Date(second - 1), secondsGranularity: true },
        afterEarlierInSecond: { uploadedAfter: new Date(second + (t % 1000 === 0 ? 0 : (t % 1000) - 1)), secondsGranularity: true },
        beforeLaterInSecondMs: { uploadedBefore: new Date(second + 999) }, truthyString: { uploadedBefore: new Date(second + 999), secondsGranularity: "yes" },
        falseFlag: { uploadedBefore: new Date(second + 999), secondsGranularity: false },
      };
      const out = { msOfUpload: t % 1000 === 999 ? "last" : "not last" };
      for (const [k, onlyIf] of Object.entries(cases)) out[k] = await outcome(async () => "body" in (await env.BUCKET.get("k", { onlyIf })));
      out.put = await outcome(async () => (await env.BUCKET.put("k", "v", { onlyIf: { uploadedBefore: new Date(second + 999), secondsGranularity: true } })) === null);
      return out;
    },
  },
  {
    name: "r2: a wrong checksum fails a put before its condition is tested",
    drive: async (env) => {
      await env.BUCKET.put("k", "hello");
      const wrongMd5 = "0".repeat(32);
      const put = async (key, options) => outcome(async () => show(await env.BUCKET.put(key, "x", options)));
      return {
        failedCondition: await put("k", { md5: wrongMd5, onlyIf: { etagMatches: "nope" } }), missingObject: await put("new", { md5: wrongMd5, onlyIf: { etagMatches: "nope" } }),
        headers: await put("k", { sha1: "0".repeat(40), onlyIf: new Headers({ "If-None-Match": "*" }) }), rightDigestFailedCondition: await put("k", { md5: "9dd4e461268c8034f5c8564e155c67a6", onlyIf: { etagMatches: "nope" } }),
        metadataBeforeDigest: await put("k", { customMetadata: { a: str(3000) }, md5: wrongMd5, onlyIf: { etagMatches: "nope" } }),
        final: await (await env.BUCKET.get("k")).text(), keys: (await env.BUCKET.list()).objects.map((o) => o.key),
      };
    },
  },
];
