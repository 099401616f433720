import { afterEach, describe, expect, it, vi } from "vitest";
import { rejection } from "../helpers.js";
import { bindingsEnv, bytes, MiB, streamOf, text } from "./fixtures.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("KV values", () => {
  it("stores strings, buffers, views and streams as bytes and reads them back in every type", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("s", '{"a":[1,"é"]}');
    await env.KV.put("b", bytes(1, 2, 255).buffer);
    await env.KV.put("v", new DataView(bytes(9, 8, 7, 6).buffer, 1, 2));
    await env.KV.put("r", streamOf("ab", bytes(99)));
    expect(await env.KV.get("s")).toBe('{"a":[1,"é"]}');
    expect(await env.KV.get("s", "json")).toEqual({ a: [1, "é"] });
    expect(await env.KV.get("s", { type: "json" })).toEqual({ a: [1, "é"] });
    expect(new Uint8Array(await env.KV.get("b", "arrayBuffer"))).toEqual(bytes(1, 2, 255));
    expect(new Uint8Array(await env.KV.get("v", "arrayBuffer"))).toEqual(bytes(8, 7));
    expect(await env.KV.get("r")).toBe("abc");
    const stream = await env.KV.get("s", "stream");
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await text(stream)).toBe('{"a":[1,"é"]}');
  });

  it("stores other primitives as their string form and refuses objects", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("n", 42);
    await env.KV.put("t", true);
    await env.KV.put("z", null);
    await env.KV.put("u", undefined);
    expect(await env.KV.get(["n", "t", "z", "u"])).toEqual(new Map([["n", "42"], ["t", "true"], ["z", "null"], ["u", "undefined"]]));
    for (const value of [{}, [1], new Blob(["x"])]) {
      const error = await rejection(env.KV.put("o", value));
      expect([error.name, error.message]).toEqual(["TypeError", "KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values."]);
    }
  });

  it("keeps private copies: changing a buffer after put() or a buffer read back changes nothing stored", async () => {
    const { env } = bindingsEnv();
    const input = bytes(1, 2, 3);
    await env.KV.put("k", input);
    input[0] = 99;
    const first = new Uint8Array(await env.KV.get("k", "arrayBuffer"));
    first[1] = 99;
    expect(new Uint8Array(await env.KV.get("k", "arrayBuffer"))).toEqual(bytes(1, 2, 3));
  });

  it("parses metadata afresh on every read", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("k", "v", { metadata: { tags: ["a"] } });
    const first = await env.KV.getWithMetadata("k");
    first.metadata.tags.push("b");
    expect(await env.KV.getWithMetadata("k")).toEqual({ value: "v", metadata: { tags: ["a"] }, cacheStatus: null });
    expect((await env.KV.list()).keys).toEqual([{ name: "k", metadata: { tags: ["a"] } }]);
  });

  it("refuses streams another reader holds and streams that fail, storing nothing", async () => {
    const { env } = bindingsEnv();
    const locked = streamOf("x");
    locked.getReader();
    expect((await rejection(env.KV.put("a", locked))).message).toBe("The ReadableStream has been locked to a reader.");
    const failing = new ReadableStream({ start: (c) => c.error(new Error("boom")) });
    expect((await rejection(env.KV.put("b", failing))).message).toBe("boom");
    const numbers = new ReadableStream({ start: (c) => (c.enqueue(5), c.close()) });
    expect((await rejection(env.KV.put("c", numbers))).message).toBe("Draining read encountered a value that cannot be converted to bytes");
    expect((await env.KV.list()).keys).toEqual([]);
  });
});

describe("KV limits", () => {
  it("takes keys up to 512 UTF-8 bytes and refuses empty, '.', '..' and longer keys", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("é".repeat(256), "v");
    expect((await rejection(env.KV.put("é".repeat(256) + "x", "v"))).message).toBe(
      "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.",
    );
    expect((await rejection(env.KV.get("a".repeat(600)))).message).toBe("KV GET failed: 414 UTF-8 encoded length of 600 exceeds key length limit of 512.");
    expect((await rejection(env.KV.delete("a".repeat(513)))).message).toMatch(/^KV DELETE failed: 414 /);
    for (const [key, message] of [["", "Key name cannot be empty."], [".", '"." is not allowed as a key name.'], ["..", '".." is not allowed as a key name.']]) {
      const error = await rejection(env.KV.get(key));
      expect([error.name, error.message]).toEqual(["TypeError", message]);
    }
    expect((await rejection(env.KV.put("\ud800", "v"))).message).toBe("KV PUT failed: 400 Could not URL-decode key name");
  });

  it("takes values up to 25 MiB", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("max", new Uint8Array(25 * MiB));
    expect((await env.KV.get("max", "arrayBuffer")).byteLength).toBe(25 * MiB);
    expect((await rejection(env.KV.put("over", streamOf(new Uint8Array(25 * MiB), "x")))).message).toBe(
      "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.",
    );
    expect(await env.KV.get("over")).toBe(null);
  });

  it("takes metadata up to 1024 bytes of JSON", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("max", "v", { metadata: "x".repeat(1022) });
    expect((await rejection(env.KV.put("over", "v", { metadata: "€".repeat(341) }))).message).toBe(
      "KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.",
    );
    expect((await rejection(env.KV.put("big", "v", { metadata: 1n }))).message).toBe("Do not know how to serialize a BigInt");
  });

  it("gets at most 100 keys at once, as text or JSON only", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("a", "1");
    const hundred = Array.from({ length: 100 }, (_, i) => `k${i}`);
    expect((await env.KV.get(hundred)).size).toBe(100);
    expect((await rejection(env.KV.get([...hundred, "a"]))).message).toBe("KV GET_BULK failed: 400 You can request a maximum of 100 keys");
    expect((await rejection(env.KV.get([]))).message).toBe("KV GET_BULK failed: 400 You must request a minimum of 1 key");
    expect((await rejection(env.KV.get(["a"], "arrayBuffer"))).message).toBe('KV GET_BULK failed: 400 "arrayBuffer" is not a valid type. Use "json" or "text"');
    expect(await env.KV.get(["a", "missing", "a"], "json")).toEqual(new Map<string, unknown>([["a", 1], ["missing", null]]));
  });

  it("checks cacheTtl (at least 30) though edge caching is not emulated", async () => {
    const { env } = bindingsEnv();
    await env.KV.put("k", "v");
    expect(await env.KV.get("k", { cacheTtl: 30 })).toBe("v");
    expect((await rejection(env.KV.get("k", { cacheTtl: 29 }))).message).toBe("KV GET failed: 400 Invalid cache_ttl of 29. Cache TTL must be at least 30.");
  });
});

describe("KV expiry", () => {
  it("refuses TTLs under 60 s and expirations less than 60 s ahead", async () => {
    // Read before the emulator starts: its manual clock stays at its start, so it is never
    // behind `now` (read after, `now` could fall a second later and `now + 59` be accepted).
    const now = Math.floor(Date.now() / 1000);
    const { env } = bindingsEnv({ clock: "manual" });
    expect((await rejection(env.KV.put("k", "v", { expirationTtl: 59 }))).message).toBe(
      "KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.",
    );
    expect((await rejection(env.KV.put("k", "v", { expirationTtl: 0 }))).message).toBe(
      "KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.",
    );
    expect((await rejection(env.KV.put("k", "v", { expiration: now - 1 }))).message).toBe(
      `KV PUT failed: 400 Invalid expiration of ${now - 1}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
    );
    expect((await rejection(env.KV.put("k", "v", { expiration: now + 59 }))).message).toBe(
      `KV PUT failed: 400 Invalid expiration of ${now + 59}. Expiration times must be at least 60 seconds in the future.`,
    );
    expect((await rejection(env.KV.put("k", "v", { expirationTtl: 2 ** 31 }))).message).toBe(
      "Value out of range. Must be between -2147483648 and 2147483647 (inclusive).",
    );
  });

  it("expires keys when the manual clock passes their expiration, in get, batch get, metadata and list", async () => {
    const { emu, env } = bindingsEnv({ clock: "manual" });
    await env.KV.put("ttl", "a", { expirationTtl: 60, metadata: { m: 1 } });
    await env.KV.put("keep", "b");
    // The manual clock starts at the wall time: the key expires 60 s (rounded to the second) on.
    await emu.advanceTime(59_000);
    expect(await env.KV.get("ttl")).toBe("a");
    await emu.advanceTime(1000);
    expect(await env.KV.get("ttl")).toBe(null);
    expect(await env.KV.getWithMetadata("ttl")).toEqual({ value: null, metadata: null, cacheStatus: null });
    expect(await env.KV.get(["ttl", "keep"])).toEqual(new Map([["ttl", null], ["keep", "b"]]));
    expect((await env.KV.list()).keys.map((k: { name: string }) => k.name)).toEqual(["keep"]);
  });

  it("expires keys under fake timers", async () => {
    vi.useFakeTimers();
    const { env } = bindingsEnv();
    await env.KV.put("k", "v", { expiration: Math.floor(Date.now() / 1000) + 120 });
    vi.advanceTimersByTime(119_000);
    expect(await env.KV.get("k")).toBe("v");
    vi.advanceTimersByTime(1_000);
    expect(await env.KV.get("k")).toBe(null);
  });

  it("an overwrite without expiry or metadata drops both", async () => {
    const { env } = bindingsEnv({ clock: "manual" });
    await env.KV.put("k", "v", { expirationTtl: 100, metadata: 1 });
    await env.KV.put("k", "w");
    expect((await env.KV.list()).keys).toEqual([{ name: "k" }]);
  });

  it("a page of list() skips expired keys without coming up short", async () => {
    const { emu, env } = bindingsEnv({ clock: "manual" });
    for (const key of ["a", "b", "c"]) await env.KV.put(key, "v", { expirationTtl: 60 });
    for (const key of ["d", "e"]) await env.KV.put(key, "v");
    await emu.advanceTime(60_000);
    const page = await env.KV.list({ limit: 1 });
    expect(page.keys.map((k: { name: string }) => k.name)).toEqual(["d"]);
    expect(page.list_complete).toBe(false);
    const rest = await env.KV.list({ cursor: page.cursor });
    expect([rest.keys.map((k: { name: string }) => k.name), rest.list_complete, "cursor" in rest]).toEqual([["e"], true, false]);
  });
});

describe("KV list", () => {
  it("pages through thousands of keys in UTF-8 order, 1000 by default", async () => {
    const { env } = bindingsEnv();
    const keys = Array.from({ length: 2500 }, (_, i) => `k${String(i).padStart(4, "0")}`);
    await Promise.all([...keys, "😀", "｡"].map((key) => env.KV.put(key, "v")));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await env.KV.list({ cursor });
      seen.push(...page.keys.map((k: { name: string }) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...keys, "｡", "😀"]);
    expect((await rejection(env.KV.list({ limit: 1001 }))).message).toBe(
      "KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less than 1000.",
    );
    expect((await env.KV.list({ prefix: "k24", limit: 3 })).keys.map((k: { name: string }) => k.name)).toEqual(["k2400", "k2401", "k2402"]);
  });
});

describe("KV bindings and I/O", () => {
  it("bindings naming one namespace share it, in any Worker; other namespaces are separate", async () => {
    const reader = `
      import { DurableObject } from "cloudflare:workers";
      export class Reader extends DurableObject {
        read(key) { return this.env.D.get(key); }
      }`;
    const { env } = bindingsEnv({
      kvNamespaces: { A: "shared", B: "shared", C: "other" },
      durableObjects: { R: { className: "Reader", scriptName: "second" } },
      workers: [{ name: "second", script: reader, kvNamespaces: { D: "shared" } }],
    });
    await env.A.put("k", "v");
    expect(await env.B.get("k")).toBe("v");
    expect(await env.C.get("k")).toBe(null);
    expect(await env.R.getByName("r").read("k")).toBe("v");
  });

  it("delivers results in a later turn, as I/O", async () => {
    const { env } = bindingsEnv();
    const order: string[] = [];
    setImmediate(() => order.push("earlier turn"));
    await env.KV.put("k", "v");
    order.push("put resolved");
    expect(order).toEqual(["earlier turn", "put resolved"]);
  });

  it("is usable from a Durable Object's env, and data outlives the object", async () => {
    const script = `
      import { DurableObject } from "cloudflare:workers";
      export class Counter extends DurableObject {
        async bump() {
          const n = Number((await this.env.KV.get("n")) ?? 0) + 1;
          await this.env.KV.put("n", String(n));
          return n;
        }
      }`;
    const { emu, env } = bindingsEnv({ module: undefined, script, durableObjects: { C: "Counter" } });
    const stub = env.C.getByName("x");
    expect(await stub.bump()).toBe(1);
    await emu.evict();
    expect(await stub.bump()).toBe(2);
    expect(await env.KV.get("n")).toBe("2");
  });
});
