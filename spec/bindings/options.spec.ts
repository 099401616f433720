import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator } from "../../lib/index.js";
import { configError as configErrorOf } from "../config/config-error.js";
import { emulator, nextTurn, rejection, until } from "../helpers.js";

function configError(options: ConstructorParameters<typeof Emulator>[0]): string {
  return configErrorOf(() => new Emulator(options).dispose());
}

describe("kvNamespaces and r2Buckets options", () => {
  it("take a list of binding names: each names its own namespace or bucket", async () => {
    const emu = emulator({ module: {}, kvNamespaces: ["A", "B"], r2Buckets: ["C", "D"] });
    await emu.env.A.put("k", "a");
    await emu.env.C.put("k", "c");
    expect([await emu.env.B.get("k"), await emu.env.D.get("k")]).toEqual([null, null]);
    expect([emu.env.A, emu.env.C].map((b) => Object.prototype.toString.call(b))).toEqual(["[object KvNamespace]", "[object R2Bucket]"]);
  });

  it("take a record of binding name to id, as a string or { id }; one id is one store", async () => {
    const emu = emulator({ module: {}, kvNamespaces: { A: "ns", B: { id: "ns" } }, r2Buckets: { C: "bucket", D: { id: "bucket" } } });
    await emu.env.A.put("k", "shared");
    await emu.env.C.put("k", "shared");
    expect(await emu.env.B.get("k")).toBe("shared");
    expect(await (await emu.env.D.get("k")).text()).toBe("shared");
  });

  it("a binding named __proto__ is an own property of env", async () => {
    const emu = emulator({ module: {}, kvNamespaces: ["__proto__"] });
    const binding = Object.getOwnPropertyDescriptor(emu.env, "__proto__")?.value;
    expect(Object.prototype.toString.call(binding)).toBe("[object KvNamespace]");
    expect(Object.getPrototypeOf(emu.env)).toBe(Object.prototype);
  });

  it("a KV namespace and an R2 bucket of the same id are unrelated", async () => {
    const emu = emulator({ module: {}, kvNamespaces: { K: "same" }, r2Buckets: { R: "same" } });
    await emu.env.K.put("k", "v");
    expect(await emu.env.R.head("k")).toBe(null);
  });

  it("refuse shapes Miniflare does not take, naming the option and the fix", () => {
    expect(configError({ module: {}, kvNamespaces: "KV" as never })).toBe(
      'durasim: option "kvNamespaces" of Worker "worker" must be a list of binding names or a record of binding name to namespace id, e.g. { MY_BINDING: "my-id" }.',
    );
    expect(configError({ module: {}, r2Buckets: [""] })).toBe('durasim: option "r2Buckets" of Worker "worker" has "" at index 0; list binding names as non-empty strings.');
    expect(configError({ module: {}, r2Buckets: { B: 5 } as never })).toBe(
      'durasim: option "r2Buckets" of Worker "worker" maps "B" to 5; give the bucket name as a non-empty string or { id: "..." }.',
    );
    expect(configError({ module: {}, kvNamespaces: { K: { id: "x", remoteProxyConnectionString: "..." } } as never })).toBe(
      'durasim: option "kvNamespaces" of Worker "worker" maps "K" to an object with "remoteProxyConnectionString": durasim emulates bindings locally and reads only "id". Remove the other keys.',
    );
  });

  it("refuse a binding name declared twice", () => {
    expect(configError({ module: {}, kvNamespaces: ["X"], r2Buckets: ["X"] })).toBe(
      'durasim: Worker "worker" declares "X" both in "kvNamespaces" and in "r2Buckets". Rename one of them.',
    );
    expect(configError({ module: {}, kvNamespaces: ["X"], bindings: { X: 1 } })).toBe(
      'durasim: Worker "worker" declares "X" both in "kvNamespaces" and in "bindings". Rename one of them.',
    );
    expect(configError({ module: {}, durableObjects: { X: "C" }, r2Buckets: ["X"] })).toBe(
      'durasim: Worker "worker" declares "X" both in "durableObjects" and in "r2Buckets". Rename one of them.',
    );
  });
});

describe("reconfigure()", () => {
  it("keeps every KV namespace's and R2 bucket's data for the new options", async () => {
    const first = emulator({ module: {}, kvNamespaces: { KV: "ns" }, r2Buckets: { R2: "bucket" }, clock: "manual" });
    await first.env.KV.put("k", "v", { expirationTtl: 60 });
    await first.env.R2.put("o", "body");
    const second = first.reconfigure({ module: {}, kvNamespaces: { RENAMED: "ns" }, r2Buckets: { R2: "bucket", OTHER: "other" }, clock: "manual" });
    expect(await second.env.RENAMED.get("k")).toBe("v");
    expect(await (await second.env.R2.get("o")).text()).toBe("body");
    expect(await second.env.OTHER.head("o")).toBe(null);
    await second.advanceTime(60_000);
    expect(await second.env.RENAMED.get("k")).toBe(null);
    await second.dispose();
  });
});

describe("a disposed emulator's bindings", () => {
  it("refuse every call with the disposed error, while a successor's bindings work", async () => {
    const first = emulator({ module: {}, kvNamespaces: ["KV"], r2Buckets: ["R2"] });
    const { KV, R2 } = first.env;
    const upload = await R2.createMultipartUpload("m");
    const second = first.reconfigure({ module: {}, kvNamespaces: ["KV"], r2Buckets: ["R2"] });
    for (const call of [() => KV.get("k"), () => KV.put("k", "v"), () => R2.head("k"), () => R2.list(), () => upload.abort()]) {
      expect((await rejection(call())).message).toBe("durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.");
    }
    await second.env.KV.put("k", "v");
    expect(await second.env.KV.get("k")).toBe("v");
    await second.dispose();
  });
});

const DISPOSED = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";

/** A body that yields one chunk, then waits until `release()`; it counts its pulls and keeps what cancelled it. */
function heldBody() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const seen = { pulls: 0, cancelled: undefined as unknown };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (seen.pulls++ > 0) await released;
      controller.enqueue(new Uint8Array(1000));
      if (seen.pulls > 3) controller.close();
    },
    cancel(reason) {
      seen.cancelled = reason;
    },
  });
  return { body, seen, release };
}

describe("binding calls in flight when their emulator is disposed", () => {
  const root = mkdtempSync(join(tmpdir(), "durasim-bindings-dispose-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const persist of [false, true]) {
    it(`fail with the disposed error, cancel the body they were reading and write nothing, though it could go on (${persist ? "persisted" : "in memory"})`, async () => {
      const options = { module: {}, kvNamespaces: ["KV"], r2Buckets: ["R2"], ...(persist ? { persist: join(root, "state") } : {}) };
      const emu = new Emulator(options);
      const upload = await emu.env.R2.createMultipartUpload("m");
      const bodies = [heldBody(), heldBody(), heldBody()];
      const calls = [emu.env.KV.put("k", bodies[0]!.body), emu.env.R2.put("o", bodies[1]!.body), upload.uploadPart(1, bodies[2]!.body)];
      await until(() => bodies.every(({ seen }) => seen.pulls === 2));
      await emu.dispose();
      for (const { release } of bodies) release();
      const errors = await Promise.all(calls.map(rejection));
      expect(errors.map((error) => error.message)).toEqual([DISPOSED, DISPOSED, DISPOSED]);
      expect(bodies.map(({ seen }) => (seen.cancelled as Error | undefined)?.message)).toEqual([DISPOSED, DISPOSED, DISPOSED]);
      for (let i = 0; i < 5; i++) await nextTurn();
      expect(bodies.map(({ seen }) => seen.pulls)).toEqual([2, 2, 2]);
      if (persist) {
        const next = emulator(options);
        expect(await next.env.KV.get("k")).toBe(null);
        expect(await next.env.R2.head("o")).toBe(null);
      }
    });
  }
});

describe("binding calls whose answer has not reached the caller when the emulator is disposed", () => {
  it("fail with the disposed error, reads as writes, as Miniflare's binding calls cut short by dispose() fail", async () => {
    const emu = new Emulator({ module: {}, kvNamespaces: ["KV"], r2Buckets: ["R2"] });
    await emu.env.KV.put("k", "v");
    await emu.env.R2.put("o", "body");
    const calls = [
      emu.env.KV.get("k"),
      emu.env.KV.getWithMetadata("k"),
      emu.env.KV.get(["k"]),
      emu.env.KV.list(),
      emu.env.R2.get("o"),
      emu.env.R2.head("o"),
      emu.env.R2.list(),
      emu.env.KV.put("k2", "v"),
    ];
    await emu.dispose();
    const errors = await Promise.all(calls.map(rejection));
    expect(errors.map((error) => [error.constructor, error.message])).toEqual(calls.map(() => [Error, DISPOSED]));
  });
});
