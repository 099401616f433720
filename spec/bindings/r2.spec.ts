import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rejection } from "../helpers.js";
import { bindingsEnv, bytes, MiB, streamOf, text } from "./fixtures.js";

const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest();

describe("R2 objects", () => {
  it("put() returns an R2Object; head() and get() describe the stored object; get() has the body", async () => {
    const { env } = bindingsEnv();
    const put = await env.BUCKET.put("k", "hello", { httpMetadata: { contentType: "text/plain" }, customMetadata: { a: "1" } });
    const head = await env.BUCKET.head("k");
    const got = await env.BUCKET.get("k");
    for (const object of [put, head, got]) {
      expect(object.key).toBe("k");
      expect(object.size).toBe(5);
      expect(object.etag).toBe(md5("hello").toString("hex"));
      expect(object.httpEtag).toBe(`"${object.etag}"`);
      expect(object.version).toMatch(/^[0-9a-f]{32}$/);
      expect(object.storageClass).toBe("Standard");
      expect(object.customMetadata).toEqual({ a: "1" });
      expect(object.httpMetadata.contentType).toBe("text/plain");
      expect(object.uploaded).toBeInstanceOf(Date);
    }
    expect([put.constructor.name, head.constructor.name, got.constructor.name]).toEqual(["HeadResult", "HeadResult", "GetResult"]);
    expect(head.version).toBe(put.version);
    expect(put.range).toBe(undefined);
    expect(head.range).toEqual({ offset: 0, length: 5, suffix: undefined });
    expect("body" in head).toBe(false);
    expect(await got.text()).toBe("hello");
    expect(Object.keys(got)).toEqual(["ssecKeyMd5", "storageClass", "range", "customMetadata", "httpMetadata", "uploaded", "checksums", "httpEtag", "etag", "size", "version", "key"]);
    expect(Object.keys(JSON.parse(JSON.stringify(put)))).toEqual(["storageClass", "customMetadata", "httpMetadata", "uploaded", "checksums", "httpEtag", "etag", "size", "version", "key"]);
    expect(() => {
      got.key = "other";
    }).toThrow(TypeError);
    expect(await env.BUCKET.get("missing")).toBe(null);
    expect(await env.BUCKET.head("missing")).toBe(null);
  });

  it("an overwrite is a new version; uploaded follows the emulator's clock", async () => {
    const { emu, env } = bindingsEnv({ clock: "manual" });
    const first = await env.BUCKET.put("k", "one");
    await emu.advanceTime(5_000);
    const second = await env.BUCKET.put("k", "one");
    expect(second.uploaded.getTime() - first.uploaded.getTime()).toBe(5_000);
    expect(second.version).not.toBe(first.version);
    expect(second.etag).toBe(first.etag);
  });

  it("accepts strings, buffers, views, Blobs, streams and null as bodies, and keeps private copies", async () => {
    const { env } = bindingsEnv();
    const input = bytes(1, 2, 3);
    const bodies: Array<[string, unknown, string]> = [
      ["s", "text", "74657874"],
      ["b", input, "010203"],
      ["v", new DataView(bytes(5, 6, 7).buffer, 1, 1), "06"],
      ["blob", new Blob(["ab"]), "6162"],
      ["stream", streamOf("x", bytes(0)), "7800"],
      ["null", null, ""],
    ];
    for (const [key, body] of bodies) await env.BUCKET.put(key, body);
    input[0] = 99;
    for (const [key, , hex] of bodies) {
      const data = await (await env.BUCKET.get(key)).bytes();
      expect(Buffer.from(data).toString("hex")).toBe(hex);
      data.fill(0);
    }
    expect(await (await env.BUCKET.get("b")).bytes()).toEqual(bytes(1, 2, 3));
    const error = await rejection(env.BUCKET.put("n", 5));
    expect(error.message).toBe("Failed to execute 'put' on 'R2Bucket': parameter 2 is not of type 'ReadableStream or ArrayBuffer or ArrayBufferView or string or Blob'.");
  });

  it("takes keys up to 1024 UTF-8 bytes, the empty key included", async () => {
    const { env } = bindingsEnv();
    await env.BUCKET.put("", "empty");
    await env.BUCKET.put("é".repeat(512), "max");
    expect((await rejection(env.BUCKET.put("é".repeat(512) + "x", "v"))).message).toBe("put: The specified object name is not valid. (10020)");
    expect((await rejection(env.BUCKET.get("x".repeat(1025)))).message).toBe("get: The specified object name is not valid. (10020)");
    expect((await env.BUCKET.put("\ud800", "v")).key).toBe("\ufffd\ufffd\ufffd");
    expect(await (await env.BUCKET.get("")).text()).toBe("empty");
  });

  it("the body is read once, by any of its readers", async () => {
    const { env } = bindingsEnv();
    await env.BUCKET.put("j", '{"a":1}', { httpMetadata: { contentType: "application/json" } });
    const viaStream = await env.BUCKET.get("j");
    expect(viaStream.bodyUsed).toBe(false);
    expect(await text(viaStream.body)).toBe('{"a":1}');
    expect(viaStream.bodyUsed).toBe(true);
    expect((await rejection(viaStream.json())).message).toBe("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
    const viaJson = await env.BUCKET.get("j");
    expect(await viaJson.json()).toEqual({ a: 1 });
    expect(viaJson.bodyUsed).toBe(true);
    const blob = await (await env.BUCKET.get("j")).blob();
    expect([blob.type, await blob.text()]).toEqual(["application/json", '{"a":1}']);
    expect(new Uint8Array(await (await env.BUCKET.get("j")).arrayBuffer())).toEqual(new TextEncoder().encode('{"a":1}'));
  });

  it("deletes one key or many", async () => {
    const { env } = bindingsEnv();
    for (const key of ["a", "b", "c"]) await env.BUCKET.put(key, key);
    await env.BUCKET.delete("a");
    await env.BUCKET.delete(["b", "missing"]);
    expect((await env.BUCKET.list()).objects.map((o: { key: string }) => o.key)).toEqual(["c"]);
  });
});

describe("R2 metadata and checksums", () => {
  it("reads HTTP metadata from an object or from Headers and writes it to Headers", async () => {
    const { env } = bindingsEnv();
    const expiry = new Date("2030-01-01T00:00:00Z");
    await env.BUCKET.put("o", "v", { httpMetadata: { contentType: "text/html", cacheControl: "no-cache", cacheExpiry: expiry } });
    await env.BUCKET.put("h", "v", { httpMetadata: new Headers({ "content-language": "fr", expires: expiry.toUTCString(), "x-other": "1" }) });
    const headers = new Headers({ "content-type": "old" });
    (await env.BUCKET.head("o")).writeHttpMetadata(headers);
    expect([...headers]).toEqual([["cache-control", "no-cache"], ["content-type", "text/html"], ["expires", expiry.toUTCString()]]);
    expect((await env.BUCKET.head("h")).httpMetadata).toEqual({
      contentType: undefined, contentLanguage: "fr", contentDisposition: undefined, contentEncoding: undefined, cacheControl: undefined, cacheExpiry: expiry,
    });
    const head = await env.BUCKET.head("o");
    expect(() => head.writeHttpMetadata({})).toThrow("Failed to execute 'writeHttpMetadata' on 'HeadResult': parameter 1 is not of type 'Headers'.");
  });

  it("keeps custom metadata as strings, at most 2048 bytes of keys and values", async () => {
    const { env } = bindingsEnv();
    expect((await env.BUCKET.put("a", "v", { customMetadata: { n: 5, k: "x".repeat(2045) } })).customMetadata.n).toBe("5");
    expect((await rejection(env.BUCKET.put("b", "v", { customMetadata: { k: "x".repeat(2048) } }))).message).toBe(
      "put: Your metadata headers exceed the maximum allowed metadata size. (10012)",
    );
    expect(await env.BUCKET.head("b")).toBe(null);
  });

  it("keeps the MD5 of every single-part object and verifies a given digest", async () => {
    const { env } = bindingsEnv();
    const sha256 = createHash("sha256").update("hello").digest("hex");
    const put = await env.BUCKET.put("k", "hello", { sha256 });
    expect(put.checksums.toJSON()).toEqual({ md5: md5("hello").toString("hex"), sha1: undefined, sha256, sha384: undefined, sha512: undefined });
    expect(new Uint8Array(put.checksums.md5)).toEqual(new Uint8Array(md5("hello")));
    const wrong = await rejection(env.BUCKET.put("k", "hullo", { md5: md5("hello") }));
    expect(wrong.message).toBe(
      `put: The MD5 checksum you specified did not match what we received.\nYou provided a MD5 checksum with value: ${md5("hello").toString("hex")}\nActual MD5 was: ${md5("hullo").toString("hex")} (10037)`,
    );
    expect(await (await env.BUCKET.get("k")).text()).toBe("hello");
    expect((await rejection(env.BUCKET.put("k", "x", { md5: "a", sha1: "b" }))).message).toBe("MD5 is 32 hex characters, not 1");
    const both = md5("x").toString("hex");
    expect((await rejection(env.BUCKET.put("k", "x", { md5: both, sha1: "0".repeat(40) }))).message).toBe("You cannot specify multiple hashing algorithms.");
  });
});

describe("R2 conditional and ranged reads", () => {
  it("evaluates etag and date conditions; a failed get() returns the object without its body", async () => {
    const { env } = bindingsEnv({ clock: "manual" });
    const put = await env.BUCKET.put("k", "0123456789");
    const at = put.uploaded.getTime();
    const hasBody = async (onlyIf: unknown) => "body" in (await env.BUCKET.get("k", { onlyIf }));
    expect(await hasBody({ etagMatches: put.etag })).toBe(true);
    expect(await hasBody({ etagMatches: "other" })).toBe(false);
    expect(await hasBody({ etagDoesNotMatch: put.etag })).toBe(false);
    expect(await hasBody({ uploadedAfter: new Date(at - 1) })).toBe(true);
    expect(await hasBody({ uploadedAfter: new Date(at) })).toBe(false);
    expect(await hasBody({ uploadedBefore: new Date(at + 1) })).toBe(true);
    // HTTP's pairs: a date condition is skipped when its etag partner was given.
    expect(await hasBody({ etagMatches: put.etag, uploadedBefore: new Date(at - 1) })).toBe(true);
    expect(await hasBody({ etagDoesNotMatch: "other", uploadedAfter: new Date(at + 1) })).toBe(true);
    expect(await hasBody({ etagDoesNotMatch: "other", uploadedBefore: new Date(at - 1) })).toBe(false);
    expect(await hasBody(new Headers({ "If-Match": `"${put.etag}"`, "If-Unmodified-Since": new Date(at - 60_000).toUTCString() }))).toBe(true);
    expect(await hasBody(new Headers({ "If-None-Match": `W/"${put.etag}"` }))).toBe(false);
    expect((await rejection(env.BUCKET.get("k", { onlyIf: { etagMatches: `"${put.etag}"` } }))).message).toBe(
      `Conditional ETag should not be wrapped in quotes ("${put.etag}").`,
    );
    expect((await rejection(env.BUCKET.get("k", { onlyIf: new Headers({ "If-Match": put.etag }) }))).message).toBe("Invalid ETag in if-match header");
  });

  it("a conditional put() that fails returns null and changes nothing", async () => {
    const { env } = bindingsEnv();
    const first = await env.BUCKET.put("k", "one");
    expect(await env.BUCKET.put("k", "two", { onlyIf: { etagMatches: "nope" } })).toBe(null);
    expect(await env.BUCKET.put("k", "two", { onlyIf: new Headers({ "If-None-Match": "*" }) })).toBe(null);
    expect(await env.BUCKET.put("new", "v", { onlyIf: { etagMatches: "*" } })).toBe(null);
    expect((await env.BUCKET.put("fresh", "v", { onlyIf: new Headers({ "If-None-Match": "*" }) })).key).toBe("fresh");
    expect((await env.BUCKET.put("k", "three", { onlyIf: { etagMatches: first.etag } })).size).toBe(5);
    expect(await (await env.BUCKET.get("k")).text()).toBe("three");
  });

  it("serves offset/length and suffix ranges, and refuses unsatisfiable ones", async () => {
    const { env } = bindingsEnv();
    await env.BUCKET.put("k", "0123456789");
    const read = async (range: unknown) => {
      const object = await env.BUCKET.get("k", { range });
      return [object.range, await object.text()];
    };
    expect(await read({ offset: 2, length: 3 })).toEqual([{ offset: 2, length: 3, suffix: undefined }, "234"]);
    expect(await read({ offset: 8, length: 100 })).toEqual([{ offset: 8, length: 2, suffix: undefined }, "89"]);
    expect(await read({ suffix: 3 })).toEqual([{ offset: 7, length: 3, suffix: undefined }, "789"]);
    expect(await read(new Headers({ range: "bytes=1-2" }))).toEqual([{ offset: 1, length: 2, suffix: undefined }, "12"]);
    expect(await read(new Headers({ range: "bytes=0-1, 4-5" }))).toEqual([{ offset: 0, length: 10, suffix: undefined }, "0123456789"]);
    expect((await rejection(env.BUCKET.get("k", { range: { offset: 10 } }))).message).toBe("get: The requested range is not satisfiable (10039)");
    expect((await rejection(env.BUCKET.get("k", { range: { offset: -1 } }))).message).toBe("Invalid range. Starting offset (-1) must be greater than or equal to 0.");
    expect((await rejection(env.BUCKET.get("k", { range: { suffix: 1, offset: 1 } }))).message).toBe("Suffix is incompatible with offset.");
  });
});

describe("R2 list", () => {
  it("pages through thousands of objects with cursors, groups by delimiter, and includes metadata on request", async () => {
    const { env } = bindingsEnv();
    const keys = Array.from({ length: 2100 }, (_, i) => `f/${String(i).padStart(4, "0")}`);
    await Promise.all(keys.map((key) => env.BUCKET.put(key, "v", { customMetadata: { key } })));
    for (const key of ["a/1", "a/b/2", "z"]) await env.BUCKET.put(key, "v");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await env.BUCKET.list({ prefix: "f/", cursor });
      seen.push(...page.objects.map((o: { key: string }) => o.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    expect(seen).toEqual(keys);
    const top = await env.BUCKET.list({ delimiter: "/" });
    expect([top.objects.map((o: { key: string }) => o.key), top.delimitedPrefixes, top.truncated]).toEqual([["z"], ["a/", "f/"], false]);
    const after = await env.BUCKET.list({ startAfter: "f/2098", include: ["customMetadata"] });
    expect(after.objects.map((o: { key: string; customMetadata: unknown }) => [o.key, o.customMetadata])).toEqual([["f/2099", { key: "f/2099" }], ["z", {}]]);
    expect((await rejection(env.BUCKET.list({ limit: 1001 }))).message).toBe("list: MaxKeys params must be positive integer <= 1000. (10022)");
    expect((await rejection(env.BUCKET.list({ include: ["everything"] }))).message).toBe("Unsupported include value everything");
  });
});

describe("R2 multipart uploads", () => {
  it("joins parts in part-number order into one object with a multipart etag; the minimum size holds for all but the part given last", async () => {
    const { env } = bindingsEnv();
    const upload = await env.BUCKET.createMultipartUpload("big", { httpMetadata: { contentType: "x/y" }, customMetadata: { a: "1" } });
    const first = new Uint8Array(5 * MiB).fill(1);
    const second = new Uint8Array(5 * MiB).fill(2);
    const p2 = await upload.uploadPart(2, second);
    const p1 = await upload.uploadPart(1, first);
    const p3 = await upload.uploadPart(3, "end");
    expect(await env.BUCKET.head("big")).toBe(null);
    expect((await rejection(upload.complete([p3, p1, p2]))).message).toBe(
      "completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)",
    );
    const done = await env.BUCKET.resumeMultipartUpload("big", upload.uploadId).complete([p2, p1, p3]);
    const etag = createHash("md5").update(Buffer.concat([md5(first), md5(second), md5("end")])).digest("hex");
    expect([done.etag, done.size, done.customMetadata, done.httpMetadata.contentType, done.checksums.toJSON().md5]).toEqual([`${etag}-3`, 10 * MiB + 3, { a: "1" }, "x/y", undefined]);
    const tail = await env.BUCKET.get("big", { range: { suffix: 4 } });
    expect(await tail.text()).toBe("\u0002end");
    expect((await rejection(upload.complete([p1]))).message).toBe("completeMultipartUpload: The specified multipart upload does not exist. (10024)");
  });

  it("enforces part numbers and sizes: non-trailing parts of at least 5 MiB, all the same size", async () => {
    const { env } = bindingsEnv();
    const upload = await env.BUCKET.createMultipartUpload("k");
    expect((await rejection(upload.uploadPart(0, "x"))).message).toBe("Part number must be between 1 and 10000 (inclusive). Actual value was: 0");
    const small = [await upload.uploadPart(1, "a"), await upload.uploadPart(2, "b")];
    expect((await rejection(upload.complete(small))).message).toBe("completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)");
    const other = await env.BUCKET.createMultipartUpload("k");
    const parts = [await other.uploadPart(1, new Uint8Array(5 * MiB)), await other.uploadPart(2, new Uint8Array(5 * MiB + 1))];
    expect((await rejection(other.complete(parts))).message).toBe("completeMultipartUpload: There was a problem with the multipart upload. (10048)");
    expect((await rejection(other.complete([{ partNumber: 1, etag: "wrong" }]))).message).toBe(
      "completeMultipartUpload: One or more of the specified parts could not be found. (10025)",
    );
  });

  it("abort() ends an upload; uploading the same part number again replaces it", async () => {
    const { env } = bindingsEnv();
    const upload = await env.BUCKET.createMultipartUpload("k");
    await upload.uploadPart(1, "x");
    await upload.abort();
    await upload.abort();
    expect((await rejection(upload.uploadPart(1, "y"))).message).toBe("uploadPart: The specified multipart upload does not exist. (10024)");
    const again = await env.BUCKET.createMultipartUpload("k");
    await again.uploadPart(1, "first");
    const replaced = await again.uploadPart(1, "second");
    await again.complete([replaced]);
    expect(await (await env.BUCKET.get("k")).text()).toBe("second");
  });
});
