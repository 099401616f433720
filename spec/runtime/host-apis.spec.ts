import { createHash } from "node:crypto";
import { runInNewContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, emulator, namespaceOf, ticksBeforeSettling } from "../helpers.js";

/** Call A logs, awaits `what`, logs again; call B logs once and returns the log. Whether B
 * lands between A's entries shows whether awaiting `what` let B in. */
function interleaving(what: () => Promise<unknown>) {
  class Gate extends DurableObject {
    log: string[] = [];
    async a() {
      this.log.push("a1");
      await what();
      this.log.push("a2");
      return this.log;
    }
    async b() {
      this.log.push("b");
      return this.log;
    }
  }
  return async () => {
    const ns = namespaceOf(Gate);
    const a = (ns.getByName("g") as AnyStub).a();
    const b = (ns.getByName("g") as AnyStub).b();
    await a;
    return (await b) as string[];
  };
}

describe("host APIs and the input gate", () => {
  it("crypto.subtle holds the gate until it settles", async () => {
    expect(await interleaving(() => crypto.subtle.digest("SHA-256", new Uint8Array(64)))()).toEqual(["a1", "a2", "b"]);
  });

  it("reading a Response body is I/O and lets a queued call in", async () => {
    expect(await interleaving(() => new Response("body").text())()).toEqual(["a1", "b"]);
  });

  it("scheduler.wait is a timer that lets a queued call in", async () => {
    const wait = (globalThis as unknown as { scheduler: { wait(ms: number): Promise<void> } }).scheduler;
    expect(await interleaving(() => wait.wait(0))()).toEqual(["a1", "b"]);
  });

  it("scheduler.wait runs on the runtime's own timers: under vi.useFakeTimers() an object's wait still ends, letting a queued call in", async () => {
    const { scheduler } = globalThis as unknown as { scheduler: { wait(ms: number): Promise<void> } };
    vi.useFakeTimers();
    try {
      // (On the global timers it would wait for vi.advanceTimersByTime() and time the test out.)
      expect(await interleaving(() => scheduler.wait(0))()).toEqual(["a1", "b"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("scheduler.wait refuses its arguments by rejecting, and an abort with a primitive reason rejects with an Error saying it", async () => {
    const { wait } = (globalThis as unknown as { scheduler: { wait(...args: unknown[]): Promise<void> } }).scheduler;
    const scheduler = (globalThis as unknown as { scheduler: object }).scheduler;
    const refused = Reflect.apply(wait, scheduler, [Symbol()]);
    await expect(refused).rejects.toThrow(new TypeError("Cannot convert a Symbol value to a number"));
    const controller = new AbortController();
    const waiting = Reflect.apply(wait, scheduler, [60_000, { signal: controller.signal }]);
    controller.abort("stop");
    const reason = await waiting.catch((error: unknown) => error);
    expect([Object.prototype.toString.call(reason), (reason as Error).message]).toEqual(["[object Error]", "stop"]);
    const object = { why: 1 };
    await expect(Reflect.apply(wait, scheduler, [1, { signal: AbortSignal.abort(object) }])).rejects.toBe(object);
  });

  it("in Worker code (a fetch handler) too, a body read is I/O: it settles after the microtask queue drains", async () => {
    const post = (body: string) => new Request("http://x/", { method: "POST", body });
    const emu = emulator({
      module: {
        default: {
          fetch: async () =>
            Response.json([
              await ticksBeforeSettling(() => new Response("body").text()),
              await ticksBeforeSettling(() => new Response("{}").json()),
              await ticksBeforeSettling(() => post("body").arrayBuffer()),
              await ticksBeforeSettling(() => new Response("{").json().catch(() => null)),
            ]),
        },
      },
      name: "main",
    });
    expect(await (await emu.dispatchFetch("http://x/")).json()).toEqual([40, 40, 40, 40]);
  });

  it("leaves code outside objects alone", async () => {
    namespaceOf(class Unused extends DurableObject {});
    let later = false;
    setImmediate(() => (later = true));
    await new Response("x").text();
    expect(later).toBe(false);
  });
});

describe("crypto.subtle computed at once (digest, HMAC sign/verify, raw HMAC importKey)", () => {
  const inputs = [new Uint8Array(0), new Uint8Array(64).fill(7), new TextEncoder().encode("durasim"), new Uint8Array(1000).map((_, i) => i * 31)];
  const hashes = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
  const hex = (b: ArrayBuffer) => Buffer.from(b).toString("hex");
  const failure = (p: Promise<unknown>) => p.then(() => "resolved", (e: Error) => `${e.name}: ${e.message}`);

  /** `run()` as Worker code (a fetch handler); its JSON-able result. */
  async function inWorker<T>(run: () => Promise<T>): Promise<T> {
    const emu = emulator({ module: { default: { fetch: async () => Response.json(await run()) } }, name: "main" });
    return (await (await emu.dispatchFetch("http://x/")).json()) as T;
  }

  /** Every digest, signature and verification, as hex strings and booleans. */
  async function everything() {
    const out: unknown[] = [];
    for (const hash of hashes) {
      const keyBytes = new Uint8Array(hash === "SHA-512" ? 100 : 20).map((_, i) => i + 1);
      const key = await crypto.subtle.importKey("raw", keyBytes, { name: "hmac", hash: hash.toLowerCase() }, false, ["sign", "verify"]);
      const extractable = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: { name: hash } }, true, ["sign", "verify"]);
      for (const data of inputs) {
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        out.push(hex(await crypto.subtle.digest(hash, data)), hex(await crypto.subtle.digest({ name: hash.toLowerCase() }, view)));
        const signature = await crypto.subtle.sign("HMAC", key, data);
        out.push(hex(signature), hex(await crypto.subtle.sign({ name: "hmac" }, extractable, data.buffer)));
        out.push(await crypto.subtle.verify("HMAC", key, signature, data));
        out.push(await crypto.subtle.verify("HMAC", extractable, signature.slice(1), data));
        out.push(await crypto.subtle.verify("HMAC", key, new Uint8Array(signature.byteLength), data));
      }
      out.push(await crypto.subtle.exportKey("jwk", extractable));
    }
    return out;
  }

  it("gives Node's webcrypto results bit for bit", async () => {
    const fromNode = await everything(); // test code: Node's own methods
    expect(fromNode.filter((v) => v === true).length).toBe(inputs.length * hashes.length);
    expect(await inWorker(everything)).toEqual(JSON.parse(JSON.stringify(fromNode)));
  });

  it("settles one microtask hop after the call, from Worker and object code", async () => {
    const hops = async () => {
      const key = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
      const sig = await crypto.subtle.sign("HMAC", key, new Uint8Array(8));
      return [
        await ticksBeforeSettling(() => crypto.subtle.digest("SHA-256", new Uint8Array(64))),
        await ticksBeforeSettling(() => crypto.subtle.digest({ name: "sha-1" }, new ArrayBuffer(3))),
        await ticksBeforeSettling(() => crypto.subtle.sign("HMAC", key, new Uint8Array(8))),
        await ticksBeforeSettling(() => crypto.subtle.verify({ name: "HMAC" }, key, sig, new Uint8Array(8))),
        await ticksBeforeSettling(() => crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])),
      ];
    };
    expect(await inWorker(hops)).toEqual([2, 2, 2, 2, 2]);
    class Hops extends DurableObject {
      hops() {
        return hops();
      }
    }
    expect(await (namespaceOf(Hops).getByName("h") as AnyStub).hops()).toEqual([2, 2, 2, 2, 2]);
  });

  it("takes a buffer of another realm (a test runner's vm context) as its own: MD5, hops and all", async () => {
    // MD5 is only computed at once (Node's webcrypto refuses it), so a buffer the fast path
    // did not recognise would be refused.
    const foreign = runInNewContext("[new Uint8Array([1, 2, 3]).buffer, new Uint8Array([4, 5]), new DataView(new ArrayBuffer(2))]") as [ArrayBuffer, Uint8Array, DataView];
    const md5 = async () => {
      const out: unknown[] = [];
      for (const data of foreign) out.push(hex(await crypto.subtle.digest("MD5", data)), await ticksBeforeSettling(() => crypto.subtle.digest("SHA-256", data)));
      return out;
    };
    const expected = foreign.flatMap((data) => [createHash("md5").update(new Uint8Array(ArrayBuffer.isView(data) ? data.buffer : data)).digest("hex"), 2]);
    expect(await inWorker(md5)).toEqual(expected);
  });

  it("leaves other calls to Node, whose refusals Worker code reads in the runtime's words (test code in Node's)", async () => {
    const errors = async () => [await failure(crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"]))];
    expect(await errors()).toEqual([expect.stringMatching(/^SyntaxError: Unsupported key usage/)]);
    expect(await inWorker(errors)).toEqual(['SyntaxError: Attempt to import secret HMAC key with invalid usage "encrypt".']);
  });

  it("refuses a key's usages in the runtime's words in Worker code: one the key does not list, none at all", async () => {
    const errors = async () => {
      const signOnly = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return [
        await failure(crypto.subtle.verify("HMAC", signOnly, new Uint8Array(32), new Uint8Array(1))),
        await failure(crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, [])),
      ];
    };
    expect(await errors()).toEqual(["InvalidAccessError: Unable to use this key to verify", "SyntaxError: Usages cannot be empty when importing a secret key."]);
    expect(await inWorker(errors)).toEqual([
      'InvalidAccessError: Requested key usage "verify" does not match any usage listed in this CryptoKey.',
      "SyntaxError: Secret/private CryptoKeys must have at least one usage.",
    ]);
  });

  it("converts the arguments as the runtime does in Worker code, each in order before any name is looked at", async () => {
    const refusals = async () => [
      await failure(crypto.subtle.digest("SHA-256", "text" as unknown as Uint8Array)),
      await failure(crypto.subtle.digest("no such digest", "text" as unknown as Uint8Array)),
      await failure(crypto.subtle.sign("HMAC", {} as never, "text" as unknown as Uint8Array)),
      await failure(crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, new Set(["sign"]) as unknown as never)),
      await failure((crypto.subtle.sign as (...args: unknown[]) => Promise<ArrayBuffer>)()),
      await failure(crypto.subtle.sign(null as never, {} as never, new Uint8Array(1))),
    ];
    const fromNode = await refusals();
    expect(fromNode[0]).toMatch(/2nd argument is not instance of ArrayBuffer/);
    expect(fromNode[3]).toBe("resolved");
    expect(await inWorker(refusals)).toEqual([
      "TypeError: Failed to execute 'digest' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.",
      "TypeError: Failed to execute 'digest' on 'SubtleCrypto': parameter 2 is not of type 'BufferSource'.",
      "TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.",
      "TypeError: Failed to execute 'generateKey' on 'SubtleCrypto': parameter 3 is not of type 'Array'.",
      "TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 1 is not of type 'string or SignAlgorithm'.",
      "TypeError: Cannot initialize N7workerd3api12SubtleCrypto13SignAlgorithmE with required members from an undefined or null value.",
    ]);
  });

  it("matches algorithm names as the runtime does in Worker code, leaving test code's to Node", async () => {
    const names = async () => {
      const hmac = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return [
        await failure(crypto.subtle.digest("\u017Fha-256", new Uint8Array(1))),
        await failure(crypto.subtle.sign("RSASSA-PKCS1-v1_5", hmac, new Uint8Array(1))),
      ];
    };
    const fromNode = await names();
    expect(fromNode[0]).toBe("resolved");
    expect(fromNode[1]).toMatch(/^InvalidAccessError: /);
    expect(await inWorker(names)).toEqual([
      "NotSupportedError: Unrecognized or unimplemented digest algorithm requested.",
      'InvalidAccessError: Requested algorithm "RSASSA-PKCS1-v1_5" does not match this CryptoKey\'s algorithm "HMAC".',
    ]);
  });
});
