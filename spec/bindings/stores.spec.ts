import { describe, expect, it } from "vitest";
import type { GetResult } from "../../lib/bindings/r2/object.js";
import { BindingStores } from "../../lib/bindings/stores.js";
import { reset, useEmulator } from "../../lib/modules/test/index.js";
import { rejection } from "../helpers.js";
import { bindingsEnv } from "./fixtures.js";

const bodyText = async (object: Promise<unknown>) => ((await object) as GetResult).text();

// The contract emu.snapshot() / restore() and the test runners' isolation build on.
describe("binding stores: snapshot, restore, clear", () => {
  it("restores every namespace and bucket to a snapshot, any number of times, untouched by later writes", async () => {
    const stores = new BindingStores(() => Date.now());
    const kv = stores.kvNamespace("ns");
    const sameKv = stores.kvNamespace("ns");
    const r2 = stores.r2Bucket("b");
    await kv.put("a", "1");
    await r2.put("o", "1");
    const upload = await r2.createMultipartUpload("m");
    const snapshot = stores.snapshot();
    await kv.put("a", "2");
    await kv.put("b", "2");
    await r2.delete("o");
    await upload.uploadPart(1, "x");
    await upload.abort();
    stores.restore(snapshot);
    expect(await sameKv.get(["a", "b"])).toEqual(new Map([["a", "1"], ["b", null]]));
    expect(await bodyText(r2.get("o"))).toBe("1");
    const part = await upload.uploadPart(1, "restored upload");
    await upload.complete([part]);
    expect(await bodyText(r2.get("m"))).toBe("restored upload");
    stores.restore(snapshot);
    expect([await r2.head("m"), await kv.get("a")]).toEqual([null, "1"]);
  });

  it("empties a namespace that did not exist at the snapshot, and clear() empties all", async () => {
    const stores = new BindingStores(() => Date.now());
    const snapshot = stores.snapshot();
    const kv = stores.kvNamespace("late");
    const r2 = stores.r2Bucket("late");
    await kv.put("k", "v");
    await r2.put("k", "v");
    stores.restore(snapshot);
    expect([await kv.get("k"), await r2.head("k")]).toEqual([null, null]);
    await kv.put("k", "v");
    await r2.put("k", "v");
    stores.clear();
    expect([(await kv.list()).keys, (await r2.list()).objects]).toEqual([[], []]);
  });
});

describe("cloudflare:test reset()", () => {
  it("deletes the data of every KV namespace and R2 bucket of the emulator, keeping the bindings usable", async () => {
    const { env } = bindingsEnv({ kvNamespaces: { A: "ns", B: "other" } });
    useEmulator(undefined);
    await env.A.put("k", "v");
    await env.B.put("k", "v");
    await env.BUCKET.put("o", "v");
    const upload = await env.BUCKET.createMultipartUpload("m");
    await reset();
    expect([await env.A.get("k"), await env.B.get("k"), await env.BUCKET.head("o")]).toEqual([null, null, null]);
    expect((await rejection(upload.uploadPart(1, "x"))).message).toBe("uploadPart: The specified multipart upload does not exist. (10024)");
    await env.A.put("k", "again");
    expect(await env.A.get("k")).toBe("again");
  });
});

describe("emu.snapshot() and emu.restore()", () => {
  it("take KV namespaces and R2 buckets back with the rest of the emulator's state", async () => {
    const { emu, env } = bindingsEnv();
    await env.KV.put("kept", "1");
    await env.BUCKET.put("kept", "1");
    const snapshot = await emu.snapshot();
    await env.KV.put("kept", "2");
    await env.KV.put("added", "x");
    await env.BUCKET.delete("kept");
    await emu.restore(snapshot);
    expect(await env.KV.get(["kept", "added"])).toEqual(new Map([["kept", "1"], ["added", null]]));
    expect(await bodyText(env.BUCKET.get("kept"))).toBe("1");
  });
});
