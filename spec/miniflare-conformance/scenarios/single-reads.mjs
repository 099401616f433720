// KV stream values and R2 object bodies are streams the runtime makes: their readers take one
// read at a time. Three reads at once give the first chunk and refuse the other two, default and
// BYOB readers alike; reads one after another go through.
export default [
  {
    name: "kv and r2: binding streams take one pending read at a time",
    drive: async (env) => {
      const settled = (reads) => Promise.all(reads.map((p) => p.then((v) => (v.done ? "done" : v.value.byteLength), (e) => err(e))));
      const three = (body) => { const r = body.getReader(); return settled([r.read(), r.read(), r.read()]); };
      const threeByob = (body) => { const r = body.getReader({ mode: "byob" }); return settled([r.read(new Uint8Array(2)), r.read(new Uint8Array(2)), r.read(new Uint8Array(2))]); };
      const oneByOne = async (body) => { const r = body.getReader(); const got = []; for (let v = await r.read(); !v.done; v = await r.read()) got.push(v.value.byteLength); return got; };
      await env.KV.put("k", "abc");
      await env.BUCKET.put("r", "abcdef");
      return {
        kvStream: await three(await env.KV.get("k", "stream")),
        kvWithMetadata: await three((await env.KV.getWithMetadata("k", { type: "stream" })).value),
        kvOneByOne: await oneByOne(await env.KV.get("k", { type: "stream" })),
        r2Body: await three((await env.BUCKET.get("r")).body),
        r2Range: await three((await env.BUCKET.get("r", { range: { offset: 2 } })).body),
        r2Byob: await threeByob((await env.BUCKET.get("r")).body),
        r2OneByOne: await oneByOne((await env.BUCKET.get("r")).body),
      };
    },
  },
];
