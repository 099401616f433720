import { Serializer } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue } from "../../lib/storage/codec.js";
import { makeURLPattern } from "../../lib/modules/builtins/url-pattern/url-pattern.js";

/** Bytes workerd 2026-11-17 wrote to its SQLite storage for these values (read from disk). */
const WORKERD = {
  headers: "ff0f5c0403010001610131", // new Headers([["a", "1"]])
  headers5:
    "ff0f5c040305050178110a746578742f706c61696e2903613d312903623d320003582d410131", // accept, content-type, 2 set-cookie, X-A
  request: // new Request("https://e.com/")
    "ff0f5c050e68747470733a2f2f652e636f6d2f6f22066d6574686f645f2207686561646572735c0403002204626f647930220872656469726563745f2207666574636865725f220263665f220563616368655f2209696e746567726974795f22067369676e616c5f2212656e636f6465526573706f6e7365426f64795f7b0a",
  response: // new Response(null, { status: 204 })
    "ff0f5c06306f2206737461747573499803220a737461747573546578745f2207686561646572735c040300220263665f220977656253" +
    "6f636b65745f220a656e636f6465426f64795f7b06",
  blob: "ff0f5c0f03742f70027879", // new Blob(["xy"], { type: "t/p" })
  // Object.assign(new Error("coded"), { code: "E" }), its stack cut to "S"
  codedError: "ff0f5c0a012205636f6465646f2205737461636b2201532204636f64652201457b02",
  // Object.assign(new Error("n"), { name: "Custom" }), stack "S"
  namedError: "ff0f5c0a002206437573746f6d22016e6f2205737461636b2201537b01",
  // new AggregateError([1], "a"), stack "S"
  aggregate: "ff0f5c0a0c2201616f2205737461636b2201532206657272" + "6f7273410149022400017b02",
  // new DOMException("d", "NotFoundError"), stack "S"
  domException: "ff0f5c080d4e6f74466f756e644572726f72016401" + "53",
};

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const hex = (value: unknown) => Buffer.from(encodeValue(value)).toString("hex");

describe("storage codec: values workerd serialises itself", () => {
  it("writes Headers, Requests and Responses byte for byte as workerd does", () => {
    expect(hex(new Headers([["a", "1"]]))).toBe(WORKERD.headers);
    expect(hex(new Request("https://e.com/"))).toBe(WORKERD.request);
    expect(hex(new Response(null, { status: 204 }))).toBe(WORKERD.response);
  });

  it("reads and writes each value of a header apart, as workerd does: Cookie values joined with \", \", empty ones kept", () => {
    // Headers with cookie "a", "", "b" and x-c "", "b", one entry per value (workerd's Headers::serialize).
    const apart = "ff0f5c040305" + "120161" + "1200" + "120162" + "0003782d6300" + "0003782d630162";
    const headers = decodeValue(bytes(apart)) as Headers;
    expect([headers.get("cookie"), headers.get("x-c")]).toEqual(["a, , b", ", b"]);
    expect(hex(headers)).toBe(apart);
  });

  it("reads what workerd wrote", async () => {
    const headers = decodeValue(bytes(WORKERD.headers5)) as Headers;
    expect([...headers]).toEqual([["accept", "x"], ["content-type", "text/plain"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1"]]);
    const request = decodeValue(bytes(WORKERD.request)) as Request;
    expect([request.url, request.method, request.body]).toEqual(["https://e.com/", "GET", null]);
    expect((decodeValue(bytes(WORKERD.response)) as Response).status).toBe(204);
    const blob = decodeValue(bytes(WORKERD.blob)) as Blob;
    expect([blob.type, await blob.text()]).toEqual(["t/p", "xy"]);

    const coded = decodeValue(bytes(WORKERD.codedError)) as Error & { code: string };
    // Read back from storage, an Error lists its stack among its keys, first (conformance "leftovers: ...").
    expect([coded.constructor, coded.message, coded.code, coded.stack, Object.keys(coded)]).toEqual([Error, "coded", "E", "S", ["stack", "code"]]);
    const named = decodeValue(bytes(WORKERD.namedError)) as Error;
    expect([named.constructor, named.name, named.message]).toEqual([Error, "Custom", "n"]);
    const aggregate = decodeValue(bytes(WORKERD.aggregate)) as AggregateError;
    expect([aggregate.constructor, aggregate.message, aggregate.errors]).toEqual([AggregateError, "a", [1]]);
    const dom = decodeValue(bytes(WORKERD.domException)) as DOMException;
    expect([dom instanceof DOMException, dom.name, dom.message, dom.code]).toEqual([true, "NotFoundError", "d", 8]);
  });

  it("writes Errors in workerd's format: the same bytes for the same anatomy", () => {
    const coded = Object.assign(new Error("coded"), { code: "E" });
    Object.defineProperty(coded, "stack", { value: "S" });
    expect(hex(coded)).toBe(WORKERD.codedError);
    const named = Object.assign(new Error("n"), { name: "Custom" });
    Object.defineProperty(named, "stack", { value: "S" });
    expect(hex(named)).toBe(WORKERD.namedError);
  });

  it("keeps an Error's type, custom name, cause and own properties, nested anywhere", () => {
    class HttpError extends Error {
      override name = "HttpError";
      status = 404;
    }
    const original = { list: [new TypeError("t", { cause: new RangeError("inner") }), new HttpError("gone")], map: new Map([["e", new EvalError("e")]]) };
    const copy = decodeValue(encodeValue(original)) as typeof original;
    const [typed, http] = copy.list as [TypeError & { cause: RangeError }, HttpError];
    expect([typed.constructor, typed.message, typed.cause.constructor, typed.cause.message]).toEqual([TypeError, "t", RangeError, "inner"]);
    expect([http.constructor, http.name, http.message, http.status]).toEqual([Error, "HttpError", "gone", 404]);
    expect((copy.map.get("e") as Error).constructor).toBe(EvalError);
  });

  it("reads an AggregateError back with its own properties in the original's order, errors only if it had them", () => {
    const withCause = decodeValue(encodeValue(new AggregateError([1], "agg", { cause: "why" }))) as AggregateError;
    expect(Object.getOwnPropertyNames(withCause)).toEqual(["stack", "message", "cause", "errors"]);
    expect([withCause.message, withCause.cause, withCause.errors]).toEqual(["agg", "why", [1]]);
    const stripped = new AggregateError([1], "none");
    delete (stripped as Partial<AggregateError>).errors;
    expect(Object.getOwnPropertyNames(decodeValue(encodeValue(stripped)))).toEqual(["stack", "message"]);
  });

  it("takes values made in another realm (Jest's vm context) as the kinds they are", () => {
    // Another realm's Error is still written in workerd's format, own properties kept.
    const coded = runInNewContext(`const e = Object.assign(new Error("coded"), { code: "E" }); Object.defineProperty(e, "stack", { value: "S" }); e`) as Error;
    expect(coded instanceof Error).toBe(false);
    expect(hex(coded)).toBe(WORKERD.codedError);
    // Its Maps, Sets and Dates beside such an Error stay Maps, Sets and Dates.
    const mixed = runInNewContext(`({ m: new Map([["d", new Date(0)]]), s: new Set([1]), when: new Date(5), re: /x/g, e: new TypeError("t") })`);
    const copy = decodeValue(encodeValue(mixed)) as { m: Map<string, Date>; s: Set<number>; when: Date; re: RegExp; e: TypeError };
    expect([copy.m instanceof Map, copy.m.get("d") instanceof Date, copy.m.get("d")?.getTime()]).toEqual([true, true, 0]);
    expect([copy.s instanceof Set, [...copy.s], copy.when.getTime(), String(copy.re)]).toEqual([true, [1], 5, "/x/g"]);
    expect([copy.e.constructor, copy.e.message]).toEqual([TypeError, "t"]);
  });

  it("refuses what workerd cannot store, with its messages", () => {
    const refusal = (value: unknown) => {
      try {
        encodeValue(value);
      } catch (error) {
        return [(error as Error).name, (error as Error).message];
      }
      return "stored";
    };
    expect(refusal({ body: new ReadableStream() })).toEqual(["DataCloneError", "ReadableStream can only be serialized for RPC."]);
    expect(refusal(new Request("http://x/", { method: "POST", body: "b" }))).toEqual(["DataCloneError", "ReadableStream can only be serialized for RPC."]);
    expect(refusal([new TextEncoder()])).toEqual([
      "DataCloneError",
      'Could not serialize object of type "TextEncoder". This type does not support serialization.',
    ]);
    expect(refusal(new AbortController().signal)).toEqual(["DataCloneError", "AbortSignal serialization is not enabled."]);
    expect(refusal(new Proxy([], {}))).toEqual(["DataCloneError", "[object Object] could not be cloned."]);
    expect(refusal(new Blob(["x"]))[1]).toMatch(/^Could not serialize object of type "Blob"\. durasim cannot store a Blob/);
    expect(refusal(new Blob([]))).toBe("stored");
  });

  it.runIf(typeof (globalThis as { URLPattern?: unknown }).URLPattern === "function")("refuses a URLPattern by its name, as workerd (where the realm has URLPattern)", () => {
    const URLPattern = (globalThis as unknown as { URLPattern: new (init: object) => object }).URLPattern;
    expect(() => encodeValue({ p: new URLPattern({ pathname: "/x" }) })).toThrow('Could not serialize object of type "URLPattern". This type does not support serialization.');
  });

  it("refuses durasim's own URLPattern, made for a realm whose Node has none, by its name", () => {
    const URLPattern = makeURLPattern(runInNewContext("globalThis") as typeof globalThis) as unknown as new (init: object) => object;
    expect(() => encodeValue({ p: new URLPattern({ pathname: "/x" }) })).toThrow('Could not serialize object of type "URLPattern". This type does not support serialization.');
  });

  it("leaves values without such objects to V8 unchanged", () => {
    const plain = { a: [1, , 3], m: new Map([[1, new Date(0)]]), u: new Uint8Array([1, 2]) };
    const serializer = new Serializer();
    serializer.writeHeader();
    serializer.writeValue(plain);
    expect(Buffer.from(encodeValue(plain)).equals(serializer.releaseBuffer())).toBe(true);
  });

  it("walks values of many objects, shared and cyclic, to the end: V8 writes them as they are, and a host object or refusal past them is found", () => {
    const shared = { s: 1 };
    const many: unknown[] = Array.from({ length: 40 }, (_, i) => ({ i, shared }));
    many.push(many);
    const serializer = new Serializer();
    serializer.writeHeader();
    serializer.writeValue(many);
    expect(Buffer.from(encodeValue(many)).equals(serializer.releaseBuffer())).toBe(true);
    expect(() => encodeValue([...many, { e: new TextEncoder() }])).toThrow('Could not serialize object of type "TextEncoder".');
    expect((decodeValue(encodeValue([...many, new Headers([["a", "1"]])])) as unknown[])[41]).toBeInstanceOf(Headers);
  });

  it("stores a record whatever symbol-keyed properties it has (V8 writes none): only API objects' prototypes refuse", () => {
    expect(decodeValue(encodeValue({ a: 1, [Symbol.for("durasim.storageRefusal")]: "refused" }))).toEqual({ a: 1 });
  });

  it("tells objects on a bare prototype chain (Object.prototype, an array's, none) by their kind, and still finds host objects inside them", () => {
    const error = new TypeError("t");
    Object.defineProperty(error, "stack", { value: "S" });
    Object.setPrototypeOf(error, Object.prototype);
    expect(hex(error)).toBe("ff0f5c0a005f2201746f2205737461636b2201537b01");
    expect(decodeValue(encodeValue(error))).toBeInstanceOf(Error);
    expect((decodeValue(encodeValue(Object.setPrototypeOf(new Date(5), null))) as Date).getTime()).toBe(5);
    const bare = <T extends object>(fields: T): T => Object.assign(Object.create(null) as T, fields);
    expect(hex(bare({ h: new Headers([["a", "1"]]) }))).toBe("ff0f6f2201685c04030100016101317b01");
    expect(() => encodeValue(bare({ r: new Request("http://x/", { method: "POST", body: "b" }) }))).toThrow("ReadableStream can only be serialized for RPC.");
    expect(() => encodeValue([1, [bare({ e: new TextEncoder() })]])).toThrow('Could not serialize object of type "TextEncoder".');
  });

  it("writes an array as an array whatever it inherits from, as workerd's V8 does: an API object's prototype refuses no array", () => {
    const asArray = (proto: object) => decodeValue(encodeValue({ x: [Object.setPrototypeOf([1, 2], proto)] }));
    expect(asArray(EventTarget.prototype)).toEqual({ x: [[1, 2]] });
    expect(asArray(AbortSignal.prototype)).toEqual({ x: [[1, 2]] });
    expect(asArray(TextEncoder.prototype)).toEqual({ x: [[1, 2]] });
    const arrayChain = Object.getPrototypeOf(Array.prototype) as object;
    Object.setPrototypeOf(Array.prototype, EventTarget.prototype);
    try {
      expect(decodeValue(encodeValue([5, [6]]))).toEqual([5, [6]]);
    } finally {
      Object.setPrototypeOf(Array.prototype, arrayChain);
    }
    // What it holds is still asked.
    expect(() => encodeValue(Object.setPrototypeOf([new TextEncoder()], EventTarget.prototype))).toThrow('Could not serialize object of type "TextEncoder".');
  });

  it("writes each primitive as a serializer of its own would, whatever it encoded or refused before", () => {
    const alone = (value: unknown) => {
      const serializer = new Serializer();
      serializer.writeHeader();
      serializer.writeValue(value);
      return serializer.releaseBuffer().toString("hex");
    };
    const shared = { s: "x" };
    const primitives = ["a", "é€", "", 0, -0, 1.5, 2 ** 40, -(2 ** 31), NaN, 10n, true, false, null, undefined];
    for (const value of primitives) {
      encodeValue({ first: shared, again: shared, list: [shared] });
      expect(() => encodeValue(Symbol("s"))).toThrow();
      expect(hex(value)).toBe(alone(value));
      expect(Object.is(decodeValue(encodeValue(value)), value)).toBe(true);
    }
  });

  it("writes what V8 cannot read back (a SharedArrayBuffer, an Error inside itself), which fails its read as workerd's", () => {
    const cyclic = new Error("x");
    cyclic.cause = cyclic;
    for (const value of [new SharedArrayBuffer(4), { v: new Uint8Array(new SharedArrayBuffer(2)) }, cyclic]) {
      const stored = encodeValue(value);
      expect(() => decodeValue(stored)).toThrow(/^internal error; reference = [0-9a-z]+$/);
    }
  });
});
