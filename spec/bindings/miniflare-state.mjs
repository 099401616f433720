// Interop fixtures made by Miniflare 4 at test time (no committed files): a child process on
// Node >= 22 (Miniflare's minimum) that runs Miniflare with `kvPersist` / `r2Persist`, laid out
// as wrangler dev lays them out (`<state>/v3/kv`, `<state>/v3/r2`), to
//   write <state>   store a KV namespace and an R2 bucket full of cases, and stop;
//   read <state>    print, as one JSON line, what Miniflare's bindings read from a state
//                   directory (durasim's, or its own).
// The Worker source is shared with the tests, so both sides describe what they read the same way.
import { join } from "node:path";

export const NAMESPACE = "interop-ns";
export const BUCKET = "interop-bucket";
export const MiB = 1024 * 1024;

/** Writes the cases through whatever env it is given (Miniflare's or durasim's). */
export const WRITE_SOURCE = `async (env) => {
  await env.KV.put("plain", "value");
  await env.KV.put("binary", new Uint8Array([0, 1, 2, 255]));
  await env.KV.put("meta", "with metadata", { metadata: { tags: ["a", "b"], n: 1 } });
  await env.KV.put("expiring", "soon gone", { expirationTtl: 3600, metadata: "m" });
  await env.KV.put("\\uFFFF", "bmp-high");
  await env.KV.put("\\u{1F600}", "astral");
  await env.KV.put("empty", "");
  await env.KV.put("deleted", "x");
  await env.KV.delete("deleted");
  await env.KV.put("overwritten", "first");
  await env.KV.put("overwritten", "second");
  await env.KV.put("big", new Uint8Array(${1024 * 1024}).map((_, i) => (i * 31) & 255), { metadata: { size: "1 MiB" } });
  await env.KV.put("a/../b", "path-like key");
  await env.BUCKET.put("doc.txt", "hello", { httpMetadata: { contentType: "text/plain", cacheExpiry: new Date(1e12) }, customMetadata: { owner: "me" } });
  await env.BUCKET.put("sha", "hello", { sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" });
  await env.BUCKET.put("dir/a", new Uint8Array([1, 2, 3]));
  await env.BUCKET.put("dir/b", "");
  await env.BUCKET.put("dir/sub/c", "nested");
  await env.BUCKET.put("lone\\udc00", "lone surrogate");
  await env.BUCKET.put("ünï/😀", "unicode key", { customMetadata: { "ключ": "значение 😀" } });
  await env.BUCKET.put("all-http", "h", { httpMetadata: { contentType: "text/html", contentLanguage: "fr", contentDisposition: "inline", contentEncoding: "gzip", cacheControl: "max-age=1", cacheExpiry: new Date(2e12) } });
  await env.BUCKET.put("sha1", "hello", { sha1: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d" });
  await env.BUCKET.put("sha512", "hello", { sha512: "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043" });
  await env.BUCKET.put("gone", "x");
  await env.BUCKET.delete("gone");
  const done = await env.BUCKET.createMultipartUpload("multi", { customMetadata: { parts: "2" }, httpMetadata: { contentType: "video/mp4" } });
  const p1 = await done.uploadPart(1, new Uint8Array(${5 * 1024 * 1024}).fill(7));
  const p2 = await done.uploadPart(2, "tail");
  await done.complete([p1, p2]);
  const open = await env.BUCKET.createMultipartUpload("open", { customMetadata: { state: "pending" } });
  await open.uploadPart(1, new Uint8Array(${5 * 1024 * 1024}).fill(1));
  const aborted = await env.BUCKET.createMultipartUpload("aborted");
  await aborted.uploadPart(1, "never kept");
  await aborted.abort();
  return { uploads: open.uploadId + " " + aborted.uploadId };
}`;

/** Reads everything back, as a JSON-safe description. */
export const READ_SOURCE = `async (env, uploads) => {
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const kv = {};
  for (const { name, expiration, metadata } of (await env.KV.list()).keys) {
    const value = await env.KV.get(name, "arrayBuffer");
    kv[name] = { value: hex(value), expiration: expiration === undefined ? null : expiration > Date.now() / 1000, metadata: metadata ?? null };
  }
  const r2 = {};
  for (const head of (await env.BUCKET.list({ include: ["httpMetadata", "customMetadata"] })).objects) {
    const body = await env.BUCKET.get(head.key);
    const bytes = new Uint8Array(await body.arrayBuffer());
    r2[head.key] = {
      size: head.size, etag: head.etag, version: head.version, uploaded: head.uploaded.getTime(),
      http: JSON.parse(JSON.stringify(head.httpMetadata)), custom: head.customMetadata, checksums: body.checksums.toJSON(),
      head: hex(bytes.subarray(0, 8)), tail: hex(bytes.subarray(Math.max(0, bytes.length - 8))), length: bytes.length,
    };
  }
  const multi = await env.BUCKET.get("multi", { range: { offset: ${5 * 1024 * 1024 - 2}, length: 4 } });
  const ranged = multi === null ? null : { range: multi.range, bytes: hex(await multi.arrayBuffer()) };
  const delimited = await env.BUCKET.list({ delimiter: "/", prefix: "dir/" });
  const listed = { keys: delimited.objects.map((o) => o.key), prefixes: delimited.delimitedPrefixes };
  const failure = async (call) => { try { await call(); return "no error"; } catch (e) { return String(e.message); } };
  let upload = null;
  let aborted = null;
  if (uploads) {
    const [openId, abortedId] = uploads.split(" ");
    aborted = await failure(() => env.BUCKET.resumeMultipartUpload("aborted", abortedId).uploadPart(1, "x"));
    const resumed = env.BUCKET.resumeMultipartUpload("open", openId);
    const last = await resumed.uploadPart(2, "end");
    const first = await resumed.uploadPart(1, new Uint8Array(${5 * 1024 * 1024}).fill(1));
    const object = await resumed.complete([first, last]);
    upload = { size: object.size, custom: object.customMetadata, etagParts: object.etag.split("-")[1] };
  }
  return { kv, r2, ranged, listed, upload, aborted };
}`;

async function main() {
  const [command, state, uploads] = process.argv.slice(2);
  const { Miniflare } = await import("miniflare");
  const drive = command === "write" ? WRITE_SOURCE : READ_SOURCE;
  const mf = new Miniflare({
    modules: true,
    compatibilityDate: "2026-07-01",
    script: `const drive = (${drive}); export default { async fetch(request, env) { return Response.json(await drive(env, new URL(request.url).searchParams.get("upload"))); } };`,
    kvNamespaces: { KV: NAMESPACE },
    r2Buckets: { BUCKET },
    kvPersist: join(state, "v3", "kv"),
    r2Persist: join(state, "v3", "r2"),
  });
  try {
    const response = await mf.dispatchFetch(`http://interop/?upload=${encodeURIComponent(uploads ?? "")}`);
    process.stdout.write(`${await response.text()}\n`);
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) await main();
