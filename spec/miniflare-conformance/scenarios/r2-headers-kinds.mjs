// R2 options that take a Headers or a dictionary (httpMetadata, onlyIf, range) read an object
// that only has Headers.prototype (Object.create) as the dictionary it is, and
// writeHttpMetadata() refuses it as no Headers.
export default [
  {
    name: "r2: an object with only Headers.prototype is read as a dictionary, and is no Headers to write into",
    drive: async (env) => {
      const fake = (fields) => Object.assign(Object.create(Headers.prototype), fields);
      await env.BUCKET.put("k", "value");
      return {
        httpMetadata: await outcome(async () => show((await env.BUCKET.put("m", "v", { httpMetadata: fake({ "content-type": "a/b", contentType: "c/d" }) })).httpMetadata)),
        emptyHttpMetadata: await outcome(async () => show((await env.BUCKET.put("m2", "v", { httpMetadata: fake({}) })).httpMetadata)),
        onlyIf: await outcome(async () => { const o = await env.BUCKET.get("k", { onlyIf: fake({ "if-match": "\"nope\"", etagMatches: "*" }) }); return o === null ? null : "body" in o ? "body" : "head"; }),
        putOnlyIf: await outcome(async () => (await env.BUCKET.put("k2", "v", { onlyIf: fake({ etagDoesNotMatch: "*" }) })) === null),
        range: await outcome(async () => show((await env.BUCKET.get("k", { range: fake({ range: "bytes=0-1", offset: 1, length: 2 }) })).range)),
        writeHttpMetadata: await outcome(async () => (await env.BUCKET.head("k")).writeHttpMetadata(fake({}))),
      };
    },
  },
];
