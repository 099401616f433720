// R2 bucket: object shapes, keys, values, get/head/delete and body methods.
export default [
  {
    name: "r2: result shapes",
    drive: async (env) => {
      const put = await env.BUCKET.put("k", "hello", { httpMetadata: { contentType: "text/plain" }, customMetadata: { a: "1" } });
      const head = await env.BUCKET.head("k");
      const get = await env.BUCKET.get("k");
      const list = await env.BUCKET.list();
      const jsonKeys = (o) => Object.keys(JSON.parse(JSON.stringify(o)));
      return {
        bucket: protoShape(env.BUCKET), put: protoShape(put), head: protoShape(head), get: protoShape(get),
        getParent: Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(get))).sort(),
        list: protoShape(list), listObject: protoShape(list.objects[0]), checksums: protoShape(put.checksums),
        ownOrder: Object.keys(get), jsonOrder: jsonKeys(get), putJson: jsonKeys(put), listJson: jsonKeys(list.objects[0]),
        httpMetadata: Object.keys(get.httpMetadata), httpMetadataProto: Object.getPrototypeOf(get.httpMetadata) === Object.prototype,
        same: env.BUCKET === env.BUCKET_SAME, instanceOfParent: get instanceof Object.getPrototypeOf(put).constructor,
        records: { put: r2(put), head: r2(head), get: r2(get), list: r2list(list) },
        uploadedSame: head.uploaded.getTime() === put.uploaded.getTime() && get.uploaded.getTime() === put.uploaded.getTime(),
        versionSame: head.version === put.version,
      };
    },
  },
  {
    name: "r2: key validation",
    drive: async (env) => {
      const keys = { empty: "", dot: ".", dotdot: "..", slash: "/", leadingSlash: "/a", max: str(1024), over: str(1025), multibyteMax: str(512, "é"),
        multibyteOver: str(342, "€"), nul: "a\u0000b", surrogate: "\ud800x", emoji: "😀", spaces: "a b", dotSlash: "./a" };
      const out = {};
      for (const [k, key] of Object.entries(keys)) {
        out[k] = {
          put: await outcome(async () => (await env.BUCKET.put(key, "v")).key.length),
          get: await outcome(async () => (await env.BUCKET.get(key))?.size ?? null),
          head: await outcome(async () => (await env.BUCKET.head(key))?.size ?? null),
          del: await outcome(() => env.BUCKET.delete(key)),
        };
      }
      out.number = await outcome(async () => (await env.BUCKET.put(12, "v")).key);
      out.undefinedKey = await outcome(async () => (await env.BUCKET.put(undefined, "v")).key);
      out.nullKey = await outcome(async () => (await env.BUCKET.put(null, "v")).key);
      out.noArgs = await outcome(() => env.BUCKET.put());
      out.getNoArgs = await outcome(() => env.BUCKET.get());
      out.headNoArgs = await outcome(() => env.BUCKET.head());
      out.deleteNoArgs = await outcome(() => env.BUCKET.delete());
      out.listed = (await env.BUCKET.list()).objects.map((o) => (o.key.length > 40 ? `<${o.key.length}>` : o.key));
      return out;
    },
  },
  {
    name: "r2: value types on put",
    drive: async (env) => {
      const bytes = new Uint8Array([104, 105, 0, 255]);
      const values = {
        string: "hello", emptyString: "", arrayBuffer: bytes.buffer.slice(0), uint8: bytes, view: new DataView(bytes.buffer, 1, 2),
        subarray: bytes.subarray(1, 3), int16: new Int16Array([1, -1]), blob: new Blob(["bl", "ob"]), nullValue: null,
        knownStream: new Response("known").body,
        blobStream: new Blob(["blob-stream"]).stream(), number: 42, object: { a: 1 }, bool: true, array: [1, 2],
      };
      const out = {};
      for (const [k, v] of Object.entries(values)) {
        const put = await outcome(async () => (await env.BUCKET.put(k, v)).size);
        const got = await env.BUCKET.get(k);
        out[k] = { put, stored: got === null ? null : hex(new Uint8Array(await got.arrayBuffer())) };
      }
      out.undefinedValue = await outcome(async () => (await env.BUCKET.put("u", undefined)).size);
      out.noValue = await outcome(async () => (await env.BUCKET.put("u2")).size);
      out.lockedStream = await outcome(() => { const s = new Response("x").body; s.getReader(); return env.BUCKET.put("locked", s); });
      return out;
    },
  },
  {
    name: "r2: missing objects and delete",
    drive: async (env) => {
      await env.BUCKET.put("a", "1");
      await env.BUCKET.put("b", "2");
      await env.BUCKET.put("c", "3");
      return {
        get: await env.BUCKET.get("missing"), head: await env.BUCKET.head("missing"),
        deleteMissing: await outcome(() => env.BUCKET.delete("missing")),
        deleteOne: await outcome(() => env.BUCKET.delete("a")),
        deleteMany: await outcome(() => env.BUCKET.delete(["b", "missing", "b"])),
        deleteEmpty: await outcome(() => env.BUCKET.delete([])),
        deleteBadKey: await outcome(() => env.BUCKET.delete(["c", ""])),
        deleteNumber: await outcome(() => env.BUCKET.delete(5)),
        thousand: await outcome(() => env.BUCKET.delete(Array.from({ length: 1000 }, (_, i) => "k" + i))),
        thousandOne: await outcome(() => env.BUCKET.delete(Array.from({ length: 1001 }, (_, i) => "k" + i))),
        left: (await env.BUCKET.list()).objects.map((o) => o.key),
        viaSame: await (async () => { await env.BUCKET_SAME.delete("c"); return env.BUCKET.head("c"); })(),
        other: await (async () => { await env.OTHER_BUCKET.put("x", "y"); return { bucket: await env.BUCKET.head("x"), other: (await env.OTHER_BUCKET.get("x")).size }; })(),
      };
    },
  },
  {
    name: "r2: body methods",
    drive: async (env) => {
      await env.BUCKET.put("j", '{"a":[1,2]}');
      await env.BUCKET.put("bad", "{nope");
      const read = async (f) => outcome(async () => { const o = await env.BUCKET.get("j"); return f(o); });
      return {
        text: await read((o) => o.text()),
        json: await read((o) => o.json()),
        arrayBuffer: await read((o) => o.arrayBuffer()),
        bytes: await read(async (o) => { const b = await o.bytes(); return { tag: Object.prototype.toString.call(b), hex: hex(b) }; }),
        blob: await read(async (o) => { const b = await o.blob(); return { tag: Object.prototype.toString.call(b), type: b.type, size: b.size, text: await b.text() }; }),
        body: await read(async (o) => ({ tag: Object.prototype.toString.call(o.body), same: o.body === o.body, text: await textOf(o.body), usedAfter: o.bodyUsed })),
        twice: await read(async (o) => { await o.text(); return o.text(); }),
        afterBody: await read(async (o) => { await textOf(o.body); return o.arrayBuffer(); }),
        badJson: await outcome(async () => (await env.BUCKET.get("bad")).json()),
        blobType: await outcome(async () => { await env.BUCKET.put("typed", "x", { httpMetadata: { contentType: "text/html" } }); return (await (await env.BUCKET.get("typed")).blob()).type; }),
        emptyObject: await outcome(async () => { await env.BUCKET.put("empty", ""); const o = await env.BUCKET.get("empty"); return { size: o.size, text: await o.text(), range: o.range }; }),
      };
    },
  },
];
