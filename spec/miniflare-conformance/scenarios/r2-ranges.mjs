// R2 bucket: ranged reads (object form and Range headers).
export default [
  {
    name: "r2: range options",
    drive: async (env) => {
      await env.BUCKET.put("k", "0123456789");
      const cases = {
        offset: { offset: 3 }, offsetLength: { offset: 2, length: 3 }, lengthOnly: { length: 4 }, suffix: { suffix: 3 }, offsetZero: { offset: 0 },
        offsetEnd: { offset: 10 }, offsetPast: { offset: 11 }, lengthPast: { offset: 8, length: 5 }, lengthZero: { offset: 2, length: 0 },
        suffixAll: { suffix: 10 }, suffixPast: { suffix: 20 }, suffixZero: { suffix: 0 }, negativeOffset: { offset: -1 }, negativeLength: { length: -1 },
        fractional: { offset: 1.5 }, stringOffset: { offset: "2" }, suffixAndOffset: { suffix: 2, offset: 1 }, suffixAndLength: { suffix: 2, length: 1 }, empty: {},
        lengthHuge: { length: 1e20 }, nullRange: null,
      };
      const out = {};
      for (const [k, range] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const o = await env.BUCKET.get("k", { range }); return { range: show(o.range), size: o.size, text: await o.text() }; });
      }
      out.headRange = await outcome(async () => show((await env.BUCKET.head("k")).range));
      out.emptyObjectRange = await outcome(async () => { await env.BUCKET.put("e", ""); const o = await env.BUCKET.get("e", { range: { offset: 0 } }); return { range: show(o.range), text: await o.text() }; });
      out.emptyObjectSuffix = await outcome(async () => { const o = await env.BUCKET.get("e", { range: { suffix: 1 } }); return { range: show(o.range), text: await o.text() }; });
      return out;
    },
  },
  {
    name: "r2: range as Headers",
    drive: async (env) => {
      await env.BUCKET.put("k", "0123456789");
      const cases = { first: "bytes=0-2", open: "bytes=4-", suffix: "bytes=-3", exact: "bytes=2-2", endPast: "bytes=8-20", startPast: "bytes=12-", multi: "bytes=0-1, 3-4",
        reversed: "bytes=5-2", garbage: "garbage", otherUnit: "items=0-1", noRange: null, spaces: "bytes= 1-2", suffixZero: "bytes=-0", suffixHuge: "bytes=-50" };
      const out = {};
      for (const [k, r] of Object.entries(cases)) {
        out[k] = await outcome(async () => { const h = new Headers(); if (r !== null) h.set("Range", r); const o = await env.BUCKET.get("k", { range: h }); return { range: show(o.range), text: await o.text() }; });
      }
      return out;
    },
  },
  {
    name: "r2: range with conditions",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "0123456789");
      return {
        failed: await outcome(async () => { const o = await env.BUCKET.get("k", { range: { offset: 2, length: 2 }, onlyIf: { etagMatches: "x" } }); return { body: "body" in o, range: show(o.range) }; }),
        passed: await outcome(async () => { const o = await env.BUCKET.get("k", { range: { offset: 2, length: 2 }, onlyIf: { etagMatches: put.etag } }); return { body: "body" in o, range: show(o.range), text: await o.text() }; }),
        badRangeFailedCondition: await outcome(async () => { const o = await env.BUCKET.get("k", { range: { offset: 20 }, onlyIf: { etagMatches: "x" } }); return { body: "body" in o }; }),
        missingWithRange: await outcome(() => env.BUCKET.get("missing", { range: { offset: 20 } })),
        getOptionsString: await outcome(() => env.BUCKET.get("k", "x")),
        getOptionsNull: await outcome(async () => (await env.BUCKET.get("k", null)).size),
      };
    },
  },
  {
    name: "r2: Range headers in every spelling",
    drive: async (env) => {
      await env.BUCKET.put("k", "0123456789");
      await env.BUCKET.put("empty", "");
      const out = {};
      const headers = ["BYTES=0-1", "Bytes=2-3", "bytes = 1-2", "  bytes=1-2", "bytes=1 - 2", "bytes= 1-2 ", "bytes=-0, 1-2", "bytes=1-2,-0", "bytes=1-2,-20", "bytes=-0", "bytes=-", "bytes=",
        "bytes=0-0,", "bytes=,1-2", "bytes=1-1,2-2", "bytes=3-3,3-3", "bytes=1", "bytes=a-b", "bytes=+1-2", "bytes=1e0-2", "bytes=2-1", "bytes=9-", "bytes=10-", "bytes=-10", "bytes=-9",
        "bytes=0-99999999999999999999", "bytes=00-01", "bytes=1\t-2", "bytes=1-2;x", "bits=1-2"];
      for (const h of headers) out[h] = await outcome(async () => { const o = await env.BUCKET.get("k", { range: new Headers({ range: h }) }); return { range: show(o.range), text: await o.text() }; });
      for (const h of ["bytes=-0", "bytes=0-", "BYTES=-1"]) out["empty " + h] = await outcome(async () => { const o = await env.BUCKET.get("empty", { range: new Headers({ range: h }) }); return { range: show(o.range), text: await o.text() }; });
      return out;
    },
  },
];
