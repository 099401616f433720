/**
 * KV and R2 on disk in wrangler dev's layout, checked against Miniflare 4 in both directions
 * with state made at test time: what Miniflare wrote, durasim reads as Miniflare itself does
 * (multipart objects and an unfinished upload included), and what durasim wrote, Miniflare
 * reads as durasim does.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BindingStores } from "../../lib/bindings/stores.js";
import { PersistLayout } from "../../lib/storage/persist/layout.js";

const repo = new URL("../..", import.meta.url).pathname;
// Miniflare needs Node >= 22: the repository's own Node 24 when this runs on Node 20.
const node = Number(process.versions.node.split(".")[0]) >= 22 ? process.execPath : join(repo, "node_modules", "node", "bin", "node");
const script = join(repo, "spec", "bindings", "miniflare-state.mjs");
const fixtures: { NAMESPACE: string; BUCKET: string; WRITE_SOURCE: string; READ_SOURCE: string } = await import(new URL("./miniflare-state.mjs", import.meta.url).href);

const root = mkdtempSync(join(tmpdir(), "durasim-bindings-persist-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function miniflare(command: "write" | "read", state: string, upload = ""): any {
  const output = execFileSync(node, [script, command, state, upload], { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output.trim().split("\n").at(-1)!);
}

/** durasim's bindings over a state directory, as the emulator builds them with `persist`. */
async function durasim(state: string, now = () => Date.now()) {
  const stores = new BindingStores(now, { layout: PersistLayout.inStateDirectory(state), durability: { fsync: false } });
  await stores.ready;
  return { stores, KV: stores.kvNamespace(fixtures.NAMESPACE), BUCKET: stores.r2Bucket(fixtures.BUCKET) };
}

const blobCount = (state: string, kind: "kv" | "r2", name: string) => readdirSync(join(state, "v3", kind, name, "blobs")).length;

const drive = (source: string) => new Function(`return (${source});`)() as (env: object, upload?: string) => Promise<any>;

describe("KV and R2 persistence, interoperable with Miniflare 4", () => {
  it("reads what Miniflare wrote as Miniflare reads it", { timeout: 120_000 }, async () => {
    const written = join(root, "by-miniflare");
    const { uploads } = miniflare("write", written);
    const copy = join(root, "by-miniflare-copy");
    cpSync(written, copy, { recursive: true });
    const expected = miniflare("read", written, uploads);
    const actual = await drive(fixtures.READ_SOURCE)(await durasim(copy), uploads);
    expect(actual).toEqual(expected);
    expect(Object.keys(actual.kv)).toContain("meta");
    expect(actual.r2.multi.length).toBe(5 * 1024 * 1024 + 4);
    expect(actual.upload).toEqual({ size: 5 * 1024 * 1024 + 3, custom: { state: "pending" }, etagParts: "2" });
    expect(actual.ranged).toEqual({ range: { offset: 5 * 1024 * 1024 - 2, length: 4 }, bytes: "07077461" });
    expect(actual.aborted).not.toBe("no error");
    expect(Object.keys(actual.r2)).toContain("ünï/😀");
    expect(Object.keys(actual.r2)).toContain("lone\uFFFD\uFFFD\uFFFD");
  });

  it("writes what Miniflare reads as durasim reads it", { timeout: 120_000 }, async () => {
    const written = join(root, "by-durasim");
    const { uploads } = await drive(fixtures.WRITE_SOURCE)(await durasim(written));
    expect(existsSync(join(written, "v3", "kv", "miniflare-KVNamespaceObject"))).toBe(true);
    expect(readdirSync(join(written, "v3", "kv", fixtures.NAMESPACE, "blobs")).length).toBe(10);
    const copy = join(root, "by-durasim-copy");
    cpSync(written, copy, { recursive: true });
    const expected = await drive(fixtures.READ_SOURCE)(await durasim(written), uploads);
    const actual = miniflare("read", copy, uploads);
    expect(actual).toEqual(expected);
  });

  it("an entry that expired while on disk is gone for both", { timeout: 120_000 }, async () => {
    const HOUR = 3600 * 1000;
    // durasim writes two hours in the past: "stale" expired an hour ago, "fresh" expires in one.
    const byDurasim = join(root, "expired-by-durasim");
    const past = await durasim(byDurasim, () => Date.now() - 2 * HOUR);
    await past.KV.put("stale", "gone", { expirationTtl: 3600, metadata: { m: 1 } });
    await past.KV.put("fresh", "kept", { expirationTtl: 3 * 3600 });
    const copy = join(root, "expired-by-durasim-copy");
    cpSync(byDurasim, copy, { recursive: true });
    const seenByMiniflare = miniflare("read", copy);
    expect(Object.keys(seenByMiniflare.kv)).toEqual(["fresh"]);
    expect(await drive(fixtures.READ_SOURCE)(await durasim(byDurasim))).toEqual(seenByMiniflare);
    // Miniflare writes "expiring" (one hour); durasim opens it two hours later.
    const byMiniflare = join(root, "expired-by-miniflare");
    miniflare("write", byMiniflare);
    const later = await drive(fixtures.READ_SOURCE)(await durasim(byMiniflare, () => Date.now() + 2 * HOUR));
    expect(Object.keys(later.kv)).not.toContain("expiring");
    expect(Object.keys(later.kv)).toContain("meta");
    expect(await (await durasim(byMiniflare, () => Date.now() + 2 * HOUR)).KV.getWithMetadata("expiring")).toEqual({ value: null, metadata: null, cacheStatus: null });
  });

  it("a new set of stores on the same directory sees every write, and expiry and deletes stick", { timeout: 60_000 }, async () => {
    const state = join(root, "reopen");
    const first = await durasim(state);
    await first.KV.put("k", "v", { metadata: { m: 1 } });
    await first.KV.put("gone", "x");
    await first.KV.delete("gone");
    await first.BUCKET.put("o", "body", { customMetadata: { c: "1" } });
    const second = await durasim(state);
    expect(await second.KV.getWithMetadata("k")).toEqual({ value: "v", metadata: { m: 1 }, cacheStatus: null });
    expect(await second.KV.get("gone")).toBe(null);
    const object = await second.BUCKET.get("o");
    expect([await (object as any).text(), (object as any).customMetadata]).toEqual(["body", { c: "1" }]);
    // Overwritten and deleted values leave no blob behind.
    await second.KV.put("k", "v2");
    await second.BUCKET.put("o", "body2");
    expect([blobCount(state, "kv", fixtures.NAMESPACE), blobCount(state, "r2", fixtures.BUCKET)]).toEqual([1, 1]);
  });

  it("restore() and clear() rewrite what is on disk", { timeout: 60_000 }, async () => {
    const state = join(root, "snapshots");
    const { stores, KV, BUCKET } = await durasim(state);
    await KV.put("kept", "1");
    await BUCKET.put("kept", "1");
    const upload = await BUCKET.createMultipartUpload("m");
    const snapshot = stores.snapshot();
    await KV.put("kept", "2");
    await KV.put("added", "x");
    await BUCKET.delete("kept");
    await upload.uploadPart(1, "part");
    stores.restore(snapshot);
    const reopened = await durasim(state);
    expect(await reopened.KV.get(["kept", "added"])).toEqual(new Map([["kept", "1"], ["added", null]]));
    expect(await ((await reopened.BUCKET.get("kept")) as any).text()).toBe("1");
    const part = await reopened.BUCKET.resumeMultipartUpload("m", upload.uploadId).uploadPart(1, "after restore");
    expect(part.partNumber).toBe(1);
    reopened.stores.clear();
    const cleared = await durasim(state);
    expect([(await cleared.KV.list()).keys, (await cleared.BUCKET.list()).objects]).toEqual([[], []]);
  });
});
