// The binding objects' prototypes as reflection lists them, in order (constructor included):
// a KV namespace, an R2 bucket and the objects its calls return.
const names = `(o) => { const out = []; for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) out.push(Reflect.ownKeys(p).filter((k) => typeof k === "string" || k === Symbol.toStringTag || k === Symbol.iterator || k === Symbol.asyncIterator).map((k) => typeof k === "symbol" ? k.description : k)); return out; }`;

export default [
  {
    name: "prototypes: own key order of binding objects",
    drive: `async (env) => {
      const names = ${names};
      await env.BUCKET.put("k", "v");
      const upload = await env.BUCKET.createMultipartUpload("m");
      const listed = await env.BUCKET.list();
      return {
        kv: names(env.KV), bucket: names(env.BUCKET), head: names(await env.BUCKET.head("k")), body: names(await env.BUCKET.get("k")),
        upload: names(upload), checksums: names((await env.BUCKET.head("k")).checksums), listed: Object.keys(listed),
      };
    }`,
  },
];
