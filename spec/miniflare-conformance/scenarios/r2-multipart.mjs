// R2 bucket: multipart uploads.
const MiB = 1024 * 1024;
const happy = [
  {
    name: "r2: multipart happy path",
    timeoutMs: 30_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      const up = await env.BUCKET.createMultipartUpload("big", { customMetadata: { a: "1" }, httpMetadata: { contentType: "x/y" } });
      const p1 = await up.uploadPart(1, new Uint8Array(5 * MiB).fill(97));
      const p2 = await up.uploadPart(2, "tail");
      const done = await up.complete([p1, p2]);
      const got = await env.BUCKET.get("big", { range: { suffix: 6 } });
      return {
        upload: protoShape(up), uploadKey: up.key, uploadId: shape(up.uploadId), part: protoShape(p1), parts: [{ n: p1.partNumber, etag: shape(p1.etag) }, { n: p2.partNumber, etag: shape(p2.etag) }],
        done: r2(done), tail: await got.text(), range: show(got.range), doneEtag: done.etag.replace(/^[0-9a-f]{32}/, "<md5>"),
      };
    },
  },
];
const errors = [
  {
    name: "r2: multipart part numbers and sizes",
    timeoutMs: 60_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      const five = new Uint8Array(5 * MiB);
      const up = await env.BUCKET.createMultipartUpload("k");
      const out = {};
      for (const [k, n] of Object.entries({ zero: 0, max: 10000, over: 10001, negative: -1, fraction: 1.5, string: "3" })) {
        out["part-" + k] = await outcome(async () => (await up.uploadPart(n, "x")).partNumber);
      }
      const small1 = await up.uploadPart(1, "small");
      const small2 = await up.uploadPart(2, "small");
      out.smallNonTrailing = await outcome(() => up.complete([small1, small2]));
      const up2 = await env.BUCKET.createMultipartUpload("k2");
      const a = await up2.uploadPart(1, five);
      const b = await up2.uploadPart(2, new Uint8Array(6 * MiB));
      const c = await up2.uploadPart(3, "end");
      out.unequal = await outcome(() => up2.complete([a, b, c]));
      const up3 = await env.BUCKET.createMultipartUpload("k3");
      const only = await up3.uploadPart(1, "just one small part");
      out.singleSmall = await outcome(async () => (await up3.complete([only])).size);
      const up4 = await env.BUCKET.createMultipartUpload("k4");
      const x = await up4.uploadPart(1, five);
      const y = await up4.uploadPart(2, five);
      const z = await up4.uploadPart(3, "z");
      out.outOfOrder = await outcome(async () => (await up4.complete([y, x, z])).size);
      out.completedContent = await (async () => { const o = await env.BUCKET.get("k4", { range: { suffix: 1 } }); return [o.range, await o.text()]; })();
      out.emptyList = await outcome(async () => r2(await (await env.BUCKET.createMultipartUpload("k7")).complete([])));
      const up5 = await env.BUCKET.createMultipartUpload("k5");
      const q = await up5.uploadPart(1, five);
      await up5.uploadPart(2, five);
      const r = await up5.uploadPart(3, "r");
      out.skipPart = await outcome(async () => (await up5.complete([q, r])).size);
      const up6 = await env.BUCKET.createMultipartUpload("k6");
      const s = await up6.uploadPart(1, "s");
      out.wrongEtag = await outcome(() => up6.complete([{ partNumber: 1, etag: "nope" }]));
      out.missingPart = await outcome(() => up6.complete([s, { partNumber: 2, etag: s.etag }]));
      out.duplicate = await outcome(() => up6.complete([s, s]));
      out.badPartShape = await outcome(() => up6.complete([{ partNumber: 1 }]));
      out.notArray = await outcome(() => up6.complete("x"));
      out.keys = (await env.BUCKET.list()).objects.map((o) => [o.key, o.size]);
      return out;
    },
  },
  {
    name: "r2: multipart lifecycle",
    drive: async (env) => {
      const out = {};
      const up = await env.BUCKET.createMultipartUpload("k");
      out.invisibleBeforeComplete = await env.BUCKET.head("k");
      const p = await up.uploadPart(1, "data");
      const resumed = env.BUCKET.resumeMultipartUpload("k", up.uploadId);
      out.resumed = { shape: protoShape(resumed), key: resumed.key, sameId: resumed.uploadId === up.uploadId };
      out.complete = await outcome(async () => (await resumed.complete([p])).size);
      out.completeTwice = await outcome(() => up.complete([p]));
      out.partAfterComplete = await outcome(() => up.uploadPart(2, "x"));
      out.abortAfterComplete = await outcome(() => up.abort());
      const up2 = await env.BUCKET.createMultipartUpload("k2");
      await up2.uploadPart(1, "x");
      out.abort = await outcome(() => up2.abort());
      out.abortTwice = await outcome(() => up2.abort());
      out.partAfterAbort = await outcome(() => up2.uploadPart(2, "x"));
      out.completeAfterAbort = await outcome(() => up2.complete([]));
      const bogus = env.BUCKET.resumeMultipartUpload("k3", "bogus-id");
      out.bogus = { key: bogus.key, id: bogus.uploadId, part: await outcome(() => bogus.uploadPart(1, "x")), abort: await outcome(() => bogus.abort()), complete: await outcome(() => bogus.complete([])) };
      const wrongKey = env.BUCKET.resumeMultipartUpload("other", up.uploadId);
      out.wrongKey = await outcome(() => wrongKey.uploadPart(1, "x"));
      out.resumeNoId = await outcome(() => env.BUCKET.resumeMultipartUpload("k"));
      out.createBadKey = await outcome(() => env.BUCKET.createMultipartUpload(str(1025)));
      out.createEmptyKey = await outcome(async () => (await env.BUCKET.createMultipartUpload("")).key);
      out.createOptions = await outcome(async () => (await env.BUCKET.createMultipartUpload("o", { customMetadata: { k: str(2048) } })).key);
      out.keys = (await env.BUCKET.list()).objects.map((o) => o.key);
      return out;
    },
  },
  {
    name: "r2: multipart part values and overwrite",
    drive: async (env) => {
      await env.BUCKET.put("k", "old", { customMetadata: { old: "1" } });
      const up = await env.BUCKET.createMultipartUpload("k");
      const out = {};
      for (const [n, v] of [[1, "str"], [2, new Uint8Array([1, 2])], [3, new Blob(["blob"])], [4, new Response("stream").body], [5, new Uint8Array([9]).buffer]]) {
        out["part" + n] = await outcome(async () => (await up.uploadPart(n, v)).partNumber);
      }
      out.number = await outcome(() => up.uploadPart(6, 5));
      out.oldStillThere = await (await env.BUCKET.get("k")).text();
      const done = await up.complete([await up.uploadPart(1, "new")]);
      out.done = { size: done.size, custom: done.customMetadata, text: await (await env.BUCKET.get("k")).text() };
      out.replacePart = await (async () => {
        const u = await env.BUCKET.createMultipartUpload("r");
        await u.uploadPart(1, "first");
        const again = await u.uploadPart(1, "second");
        return (await (await env.BUCKET.get((await u.complete([again])).key)).text());
      })();
      return out;
    },
  },
  {
    name: "r2: multipart part sizes in the order complete() is given them",
    timeoutMs: 60_000,
    drive: async (env) => {
      const MiB = 1024 * 1024;
      const five = new Uint8Array(5 * MiB).fill(1);
      const out = {};
      const up = await env.BUCKET.createMultipartUpload("a");
      const x = await up.uploadPart(1, five);
      const y = await up.uploadPart(2, five);
      const z = await up.uploadPart(3, "z");
      out.smallGivenInMiddle = await outcome(async () => (await up.complete([x, z, y])).size);
      out.smallGivenFirst = await outcome(async () => (await up.complete([z, x, y])).size);
      const up2 = await env.BUCKET.createMultipartUpload("b");
      const big = await up2.uploadPart(1, five);
      const small = await up2.uploadPart(2, "b");
      out.smallLastByNumberGivenFirst = await outcome(async () => (await up2.complete([small, big])).size);
      const up3 = await env.BUCKET.createMultipartUpload("c");
      const low = await up3.uploadPart(1, "low");
      const high = await up3.uploadPart(2, five);
      out.smallFirstByNumberGivenLast = await outcome(async () => (await up3.complete([high, low])).size);
      out.inOrderStillWorks = await outcome(async () => (await up.complete([y, x, z])).size);
      out.keys = (await env.BUCKET.list()).objects.map((o) => [o.key, o.size]);
      return out;
    },
  },
  {
    name: "r2: a resumed upload's key and uploadPart's body are checked on use",
    drive: async (env) => {
      const up = await env.BUCKET.createMultipartUpload("k");
      const long = str(1025);
      const out = {
        resumeLongKey: await thrownHow(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId)),
        uploadPart: await outcome(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId).uploadPart(1, "x")),
        abort: await outcome(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId).abort()),
        complete: await outcome(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId).complete([])),
        bogusIdLongKey: await outcome(() => env.BUCKET.resumeMultipartUpload(long, "bogus").abort()),
        completeBadPartLongKey: await outcome(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId).complete([{ partNumber: 0, etag: "x" }])),
        uploadPartBadNumberLongKey: await outcome(() => env.BUCKET.resumeMultipartUpload(long, up.uploadId).uploadPart(0, "x")),
        maxKey: await outcome(async () => (await env.BUCKET.resumeMultipartUpload(str(1024), up.uploadId).uploadPart(1, "x")).partNumber),
      };
      out.bodies = {};
      for (const [k, v] of Object.entries({ nullValue: null, undefinedValue: undefined, emptyString: "", number: 5 })) out.bodies[k] = await thrownHow(() => up.uploadPart(1, v));
      out.bodies.symbolNumberNoBody = await thrownHow(() => up.uploadPart(Symbol("n")));
      out.stillOpen = await outcome(async () => (await up.uploadPart(2, "y")).partNumber);
      return out;
    },
  },
  {
    name: "r2: an upload resumed under another key is unknown to complete() and abort()",
    drive: async (env) => {
      const up = await env.BUCKET.createMultipartUpload("k");
      const p = await up.uploadPart(1, "x");
      const other = () => env.BUCKET.resumeMultipartUpload("other", up.uploadId);
      const out = { open: { abort: await outcome(() => other().abort()), complete: await outcome(() => other().complete([p])), uploadPart: await outcome(() => other().uploadPart(2, "y")) } };
      out.stillOpen = await outcome(async () => (await up.uploadPart(2, "y")).partNumber);
      out.completed = await outcome(async () => (await up.complete([p])).size);
      out.afterCompletion = { abort: await outcome(() => other().abort()), complete: await outcome(() => other().complete([p])) };
      const aborted = await env.BUCKET.createMultipartUpload("k2");
      await aborted.abort();
      out.afterAbort = { abort: await outcome(() => env.BUCKET.resumeMultipartUpload("other", aborted.uploadId).abort()), complete: await outcome(() => env.BUCKET.resumeMultipartUpload("other", aborted.uploadId).complete([])) };
      out.keys = (await env.BUCKET.list()).objects.map((o) => o.key);
      return out;
    },
  },
  {
    name: "r2: a resumed upload's key and id read back as the runtime carries them",
    drive: async (env) => {
      const up = await env.BUCKET.createMultipartUpload("\ud83d");
      const resumed = env.BUCKET.resumeMultipartUpload("\ud83d", up.uploadId);
      const out = { created: escape(up.key), resumed: escape(resumed.key), sameId: resumed.uploadId === up.uploadId, id: escape(env.BUCKET.resumeMultipartUpload("k", "\ud83dx").uploadId) };
      out.complete = await outcome(async () => escape((await resumed.complete([await resumed.uploadPart(1, "y")])).key));
      out.listed = (await env.BUCKET.list()).objects.map((o) => escape(o.key));
      return out;
    },
  },
];
export default [happy, errors];
