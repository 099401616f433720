/**
 * The globals Worker modules get as module-scoped bindings (modules/worker-scope.ts): the
 * runtime's navigator, self, atob/btoa, queueMicrotask, structuredClone, TextDecoder, the text
 * streams, URL, Headers,
 * URLSearchParams, DOMException and the compression streams,
 * with its words, while the process keeps Node's; and Node's Headers methods and crypto's random
 * values refusing in the runtime's words when Worker or object code calls them
 * (runtime/globals/runtime-words.ts). Conformance "worker scope: ..." checks the same against workerd.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { Emulator } from "../../lib/index.js";
import { withWorkerGlobals, WORKER_SCOPE_NAMES, WORKER_SCOPE_URL } from "../../lib/modules/worker-prelude.js";
import { atomicsOf } from "../../lib/runtime/globals/atomics.js";
import { webAssemblyOf } from "../../lib/runtime/globals/web-assembly.js";

const emu = new Emulator({
  script: `
    import { DurableObject } from "cloudflare:workers";
    const caught = (f) => { try { return f(); } catch (e) { return e.name + ": " + e.message; } };
    export class Probe extends DurableObject {
      navigator() { return { ua: navigator.userAgent, json: JSON.stringify(navigator), named: navigator.constructor === Navigator }; }
      base64() {
        return [atob("YQ=="), btoa("a"), caught(() => atob("!")), caught(() => btoa("\\u0100")), caught(() => atob()), caught(() => btoa())];
      }
      urls() {
        const u = new URL("/p?q=1", "http://h/");
        return [u.href, caught(() => new URL("nope")), caught(() => new URL()), caught(() => URL("http://h")), URL.parse("nope"),
          new URL("http://h/") instanceof URL, new globalThis.URL("http://h/") instanceof URL, caught(() => { u.href = "nope"; }), u.href];
      }
      async textStreams() {
        const decoded = async (stream, chunk) => { const w = stream.writable.getWriter(); w.write(chunk).catch(() => {}); try { return (await stream.readable.getReader().read()).value; } catch (e) { return e.name + ": " + e.message; } };
        return [new TextDecoderStream() instanceof TransformStream, new TextEncoderStream() instanceof TransformStream, new globalThis.TextDecoderStream() instanceof TransformStream,
          await decoded(new TextDecoderStream("utf-8", {}), new Uint8Array([0xff])), await decoded(new TextDecoderStream(), new Uint8Array([0xff])),
          await decoded(new TextDecoderStream(), "ab"), caught(() => new TextDecoderStream("nope")), [...(await decoded(new TextEncoderStream(), "é"))]];
      }
      events() {
        const target = new EventTarget();
        return [new CustomEvent("x").detail, new CustomEvent("x", { detail: null }).detail, new globalThis.CustomEvent("x").detail,
          caught(() => target.addEventListener("x", () => {}, true)), caught(() => target.addEventListener("x", () => {}, { capture: 1 })),
          caught(() => target.removeEventListener("x", () => {}, true)), caught(() => target.addEventListener("x", () => {}, ""))];
      }
      decoders() {
        const bytes = new Uint8Array([0x61, 0x80, 0xff]);
        return [new TextDecoder("x-user-defined").decode(bytes), caught(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
          caught(() => new TextDecoder("nope")), caught(() => new TextDecoder().decode("ab")), caught(() => TextDecoder.prototype.decode.call({})),
          new TextDecoder().decode(new Uint8Array([0xe2, 0x82]), { stream: true }), Object.keys(TextDecoder.prototype)];
      }
      headersAndRandom() {
        const own = new Response("x").headers;
        return [caught(() => new Headers({ "a b": "x" })), caught(() => new Headers([["a"]])), caught(() => own.append("a b", "c")),
          caught(() => own.set("a", "x\\0")), caught(() => own.get()), own instanceof Headers && Object.getPrototypeOf(own) === Headers.prototype,
          caught(() => crypto.getRandomValues(new Uint8Array(65537))), caught(() => crypto.getRandomValues(new Float32Array(1))),
          caught(() => crypto.getRandomValues(new ArrayBuffer(1))), crypto.getRandomValues(new Uint8Array(65536)).length];
      }
      streamsAndParams() {
        return [self === globalThis, caught(() => new CompressionStream("zip")), caught(() => new DecompressionStream()),
          Object.getPrototypeOf(new CompressionStream("gzip")) === CompressionStream.prototype,
          caught(() => new URLSearchParams([["a"]])), caught(() => new URLSearchParams([1])), String(new URLSearchParams([["a", "1"]])),
          caught(() => new URLSearchParams().append("a"))];
      }
      domExceptions() {
        let cloneError;
        try { structuredClone(() => {}); } catch (e) { cloneError = e; }
        const made = new DOMException("m", "SyntaxError");
        return [Object.keys(made), JSON.stringify(made, ["code", "name", "message"]), made instanceof DOMException, made instanceof Error,
          AbortSignal.abort().reason instanceof DOMException, cloneError instanceof DOMException,
          Object.keys(new (class X extends DOMException {})("s", "AbortError")), new DOMException("o", { name: "DataError" }).name];
      }
      madeDomException() { return new DOMException("m", "SyntaxError"); }
      stubbed() { return [crypto.getRandomValues(new Uint8Array(2)).length, crypto.randomUUID(), atob("YQ==")]; }
      async functions() {
        const seen = [];
        queueMicrotask(() => seen.push("micro"));
        await null;
        return [seen, caught(() => queueMicrotask(1)), caught(() => structuredClone()), caught(() => structuredClone(1, 1)), structuredClone({ a: [1] })];
      }
    }
  `,
  durableObjects: { PROBE: "Probe" },
});
afterAll(() => emu.dispose());
const probe = () => (emu.env.PROBE as any).getByName("p");

const NOT_BASE64 =
  "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)";

describe("globals a Worker module sees", () => {
  it("a navigator that says Cloudflare-Workers", async () => {
    expect(await probe().navigator()).toEqual({
      ua: "Cloudflare-Workers",
      json: '{"languages":["en"],"language":"en","platform":"","hardwareConcurrency":1,"userAgent":"Cloudflare-Workers"}',
      named: true,
    });
  });

  it("atob and btoa with the runtime's refusals", async () => {
    expect(await probe().base64()).toEqual([
      "a",
      "YQ==",
      `InvalidCharacterError: ${NOT_BASE64}`,
      "InvalidCharacterError: btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.",
      "TypeError: Failed to execute 'atob' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'string'.",
      "TypeError: Failed to execute 'btoa' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'String'.",
    ]);
  });

  it("URL with the runtime's words; Node's URLs are instances of it", async () => {
    expect(await probe().urls()).toEqual([
      "http://h/p?q=1",
      "TypeError: Invalid URL string.",
      "TypeError: Failed to construct 'URL': constructor parameter 1 is not of type 'USVString'.",
      "TypeError: Failed to construct 'URL': Please use the 'new' operator, this object constructor cannot be called as a function.",
      null,
      true,
      true,
      "TypeError: Failed to set the 'href' property on 'URL': the provided value is not of type 'valid URL string'.",
      "http://h/p?q=1",
    ]);
  });

  it("TextDecoder with the runtime's words, and x-user-defined", async () => {
    expect(await probe().decoders()).toEqual([
      "a\uf780\uf7ff",
      "TypeError: Failed to decode input.",
      'RangeError: "nope" is not a valid encoding.',
      "TypeError: Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of type 'Array'.",
      "TypeError: Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.",
      "",
      ["decode", "encoding", "fatal", "ignoreBOM"],
    ]);
  });

  it("TextDecoderStream and TextEncoderStream are TransformStreams with the runtime's words and defaults; Node's stay Node's", async () => {
    expect(await probe().textStreams()).toEqual([
      true,
      true,
      false,
      "TypeError: Failed to decode input.",
      "\ufffd",
      "TypeError: This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.",
      'RangeError: "nope" is not a valid encoding.',
      [0xc3, 0xa9],
    ]);
  });

  it("a CustomEvent's missing detail reads undefined; a listener for a capture phase is refused", async () => {
    expect(await probe().events()).toEqual([
      undefined,
      null,
      null,
      "TypeError: addEventListener(): useCapture must be false.",
      "TypeError: addEventListener(): options.capture must be false.",
      "TypeError: removeEventListener(): useCapture must be false.",
      undefined,
    ]);
  });

  it("Headers and getRandomValues refuse in the runtime's words", async () => {
    expect(await probe().headersAndRandom()).toEqual([
      "TypeError: Invalid header name.",
      "TypeError: To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.",
      "TypeError: Invalid header name.",
      "TypeError: Invalid header value.",
      "TypeError: Failed to execute 'get' on 'Headers': parameter 1 is not of type 'string'.",
      true,
      "QuotaExceededError: getRandomValues() only accepts buffers of size <= 64K but provided 65537 bytes.",
      "TypeMismatchError: ArrayBufferView argument to getRandomValues() must be an integer-typed view.",
      "TypeError: Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.",
      65536,
    ]);
  });

  it("self, compression formats and URLSearchParams' pairs in the runtime's words", async () => {
    expect(await probe().streamsAndParams()).toEqual([
      true,
      "TypeError: The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.",
      "TypeError: Failed to construct 'DecompressionStream': constructor parameter 1 is not of type 'string'.",
      true,
      "TypeError: Invalid URL search params sequence.",
      "TypeError: Incorrect type: the provided value is not of type 'Sequence'.",
      "a=1",
      "TypeError: Failed to execute 'append' on 'URLSearchParams': parameter 2 is not of type 'USVString'.",
    ]);
  });

  it("queueMicrotask and structuredClone convert their arguments as the runtime does", async () => {
    expect(await probe().functions()).toEqual([
      ["micro"],
      "TypeError: Failed to execute 'queueMicrotask' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'function'.",
      "TypeError: Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': parameter 1 is not of type 'Value'.",
      "TypeError: Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': parameter 2 is not of type 'StructuredCloneOptions'.",
      { a: [1] },
    ]);
  });

  it("DOMExceptions the code makes have the runtime's own properties and stay instances of Node's class, as Node's own do", async () => {
    expect(await probe().domExceptions()).toEqual([
      ["code", "name", "message", "stack"], '{"code":12,"name":"SyntaxError","message":"m"}', true, true, true, true,
      ["code", "name", "message", "stack"], "[object Object]",
    ]);
    const received = await probe().madeDomException();
    expect(received).toBeInstanceOf(DOMException);
    expect([received.name, received.code, Object.keys(received)]).toEqual(["SyntaxError", 12, ["code", "name", "message", "stack"]]);
  });

  it("reaches a test's stub of crypto that delegates to Node's, and a test's spy of atob", async () => {
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => real.getRandomValues(a), randomUUID: () => real.randomUUID().replace(/./, "x") });
    const spy = vi.spyOn(globalThis, "atob").mockReturnValue("spied");
    try {
      const [length, uuid, decoded] = (await probe().stubbed()) as [number, string, string];
      expect([length, uuid.startsWith("x"), decoded]).toEqual([2, true, "spied"]);
    } finally {
      spy.mockRestore();
      vi.unstubAllGlobals();
    }
  });

  it("leaves the process's own globals alone", () => {
    expect(() => atob("!")).toThrow("Invalid character");
    expect(Object.keys(new DOMException("m", "SyntaxError"))).toEqual([]);
    expect(() => new URL("nope")).toThrow("Invalid URL");
    expect(() => new TextDecoder("nope")).toThrow('The "nope" encoding is not supported');
    expect(globalThis.URL.name).toBe("URL");
    expect(() => new Headers().get("a b")).toThrow('Headers.get: "a b" is an invalid header name.');
    expect(() => crypto.getRandomValues(new Uint8Array(65537))).toThrow("The requested length exceeds 65,536 bytes");
  });
});

describe("the prelude's module-scoped names", () => {
  it("imports only those a module mentions and does not bind", () => {
    const source = "const u = new URL(x); const atob = (s) => s; export default btoa(atob(u.href));";
    expect(withWorkerGlobals(source)).toBe(`import { btoa, URL } from ${JSON.stringify(WORKER_SCOPE_URL)};${source}`);
    expect(withWorkerGlobals("import { URL } from 'node:url'; new URL(x);")).toBe("import { URL } from 'node:url'; new URL(x);");
  });

  it("points at a module that exports every name", async () => {
    const scope = (await import(WORKER_SCOPE_URL)) as Record<string, unknown>;
    expect(Object.keys(scope).sort()).toEqual([...WORKER_SCOPE_NAMES].sort());
  });
});

describe("the Atomics and WebAssembly Worker modules get, called by test code", () => {
  const workerAtomics = atomicsOf(globalThis) as typeof Atomics;
  const workerWasm = webAssemblyOf(globalThis) as Record<"compile", (...args: unknown[]) => unknown>;

  it("wait() still waits outside Worker and object code (a test file importing cloudflare:test gets this Atomics)", () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    expect(workerAtomics.wait(shared, 0, 1, 0)).toBe("not-equal");
    expect(workerAtomics.wait(shared, 0, 0, 0)).toBe("timed-out");
  });

  it("wait() and compile() are, as V8's, no constructors and have no prototype", () => {
    for (const [name, f] of [["wait", workerAtomics.wait], ["compile", workerWasm.compile]] as const) {
      expect(Reflect.ownKeys(f)).toEqual(["length", "name"]);
      expect(() => new (f as unknown as new () => object)()).toThrow(`is not a constructor`);
      expect(f.name).toBe(name);
    }
  });
});
