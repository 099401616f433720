// Globals Worker code finds in the runtime where Node's differ: atob/btoa, navigator,
// queueMicrotask, structuredClone, TextDecoder, URL, Headers, crypto's random values, self,
// (De)CompressionStream and URLSearchParams, with their argument checks, refusals' words and shapes.
import { cls, inside } from "../scenario.mjs";

const scope = (name, body) => inside(`worker scope: ${name}`, "sqlite", `
    const tryAll = (f, inputs) => inputs.map((x) => { try { return show(f(x)); } catch (e) { return err(e); } });
    const errorKind = (f) => { try { f(); } catch (e) { return [e.name, e.code, e.constructor.name, e instanceof DOMException, Object.keys(e)]; } };
${body}`);

export default [
  scope("atob and btoa", `
    return {
      shape: [atob.name, atob.length, btoa.name, btoa.length],
      atob: tryAll(atob, ["", "=", "==", "a", "ab", "abc", "abcd", "ab==", "ab=", "ab=c", "a b\\tc\\nd\\f", " ab\\u00a0", "abc=", "ab c=", "A===", "++//", "-_", 0, 12, null, true, {}, [], "YQ", "YR==", "\\u0100", "abcde", "ab\\rcd\\r\\n", undefined, "!!!"]),
      btoa: tryAll(btoa, ["", "a", "\\u00ff", "\\u0100", "😀", 0, null, undefined, {}, true]),
      atobNone: outcomeSync(() => atob()),
      btoaNone: outcomeSync(() => btoa()),
      atobSymbol: outcomeSync(() => atob(Symbol("s"))),
      btoaSymbol: outcomeSync(() => btoa(Symbol("s"))),
      atobToStringThrows: outcomeSync(() => atob({ toString() { throw new RangeError("ts"); } })),
      atobError: errorKind(() => atob("!")),
      btoaError: errorKind(() => btoa("\\u0100")),
    };`),
  scope("navigator", `
    const d = Object.getOwnPropertyDescriptor(navigator, "userAgent");
    return {
      tag: Object.prototype.toString.call(navigator),
      own: Object.getOwnPropertyNames(navigator),
      proto: Object.getOwnPropertyNames(Object.getPrototypeOf(navigator)),
      ctor: navigator.constructor.name,
      isInstance: navigator instanceof Navigator,
      json: JSON.stringify(navigator),
      userAgent: { writable: d.writable, enumerable: d.enumerable, value: d.value },
      members: ["userAgent", "hardwareConcurrency", "language", "languages", "platform", "onLine", "sendBeacon", "gpu"].map((k) => [k, typeof navigator[k], k in navigator]),
      assign: outcomeSync(() => { "use strict"; navigator.userAgent = "x"; }),
      construct: outcomeSync(() => new Navigator()),
      beaconNone: outcomeSync(() => navigator.sendBeacon()),
      beaconDetached: outcomeSync(() => navigator.sendBeacon.call({}, "http://x/")),
      beaconLength: navigator.sendBeacon.length,
    };`),
  {
    // The runtime sends a beacon only from within a request's I/O: at a module's top level there is none.
    name: "worker scope: navigator.sendBeacon() answers false at a module's top level, true in an object's and a Worker's event",
    backend: "sqlite",
    source: cls(`  go() { return navigator.sendBeacon("http://127.0.0.1:9/", "object"); }`, {
      extra: `const atTopLevel = (() => { try { return navigator.sendBeacon("http://127.0.0.1:9/", "top"); } catch (e) { return [e.name, e.message]; } })();`,
    }),
    drive: async (env) => ({ atTopLevel, object: await env.DO.getByName("a").go(), worker: navigator.sendBeacon("http://127.0.0.1:9/", "worker") }),
  },
  scope("queueMicrotask and structuredClone", `
    const order = [];
    queueMicrotask(() => order.push("micro"));
    order.push("sync");
    await null;
    return {
      order,
      shape: [queueMicrotask.name, queueMicrotask.length, structuredClone.name, structuredClone.length],
      queueNone: outcomeSync(() => queueMicrotask()),
      queueObject: outcomeSync(() => queueMicrotask({})),
      queueNumber: outcomeSync(() => queueMicrotask(1)),
      cloneNone: outcomeSync(() => structuredClone()),
      cloneUndefined: outcomeSync(() => structuredClone(undefined)),
      cloneNullOptions: outcomeSync(() => structuredClone({ a: [1] }, null)),
      cloneNumberOptions: outcomeSync(() => structuredClone(1, 1)),
      cloneStringOptions: outcomeSync(() => structuredClone(1, "x")),
      cloneFunction: outcomeSync(() => structuredClone(() => 1)),
      cloneSymbol: outcomeSync(() => structuredClone(Symbol("x"))),
      cloneTransfer: outcomeSync(() => { const b = new ArrayBuffer(2); const c = structuredClone(b, { transfer: [b] }); return [b.byteLength, c.byteLength]; }),
    };`),
  scope("URL", `
    const u = new URL("http://a/");
    const setters = {};
    for (const [k, v] of [["protocol", "bad:"], ["port", "x"], ["hostname", "a b"], ["pathname", "q r"], ["search", "?x y"], ["hash", "h i"], ["port", "8080x"], ["href", "https://b/c"], ["href", "nope"], ["href", ""]]) {
      try { u[k] = v; setters[k + "=" + v] = u.href; } catch (e) { setters[k + "=" + v] = err(e); }
    }
    return {
      parse: tryAll((args) => new URL(...args).href, [["http://a"], ["a:b"], ["/x", "http://a/b/c"], ["//h/x", "https://a"], [""], ["", "http://a/b"], ["http://[::1"], ["http://a b/"], ["x", undefined], ["x", null], ["x", ""], ["http://a", "bad base"], [undefined], [null], [1], ["http://a:99999/"], ["file:///c:/x"]]),
      none: outcomeSync(() => new URL()),
      symbol: outcomeSync(() => new URL(Symbol("s"))),
      call: outcomeSync(() => URL("http://a")),
      shape: [URL.name, URL.length, Object.getOwnPropertyNames(URL.prototype), Object.prototype.toString.call(u)],
      statics: [URL.canParse("/x", "http://a"), URL.canParse("nope"), show(URL.parse("nope")), URL.parse("/y", "http://a").href, URL.parse("http://q") instanceof URL, typeof URL.createObjectURL, typeof URL.revokeObjectURL],
      canParseNone: outcomeSync(() => URL.canParse()),
      parseNone: outcomeSync(() => URL.parse()),
      setters,
      instances: [u instanceof URL, new Request("http://r/").url, JSON.stringify(new URL("http://a/b")), String(new URL("http://A/%7e")), new URL("http://a/?b=1&b=2").searchParams.getAll("b")],
      subclass: (() => { class MyURL extends URL {} return [new URL("http://a/") instanceof MyURL, new MyURL("http://a/") instanceof MyURL, new MyURL("http://a/") instanceof URL]; })(),
      origins: ["blob:http://a/x", "data:x", "file:///x", "http://a:80", "ws://a", "foo://a"].map((x) => new URL(x).origin),
    };`),
  scope("TextDecoder", `
    const bytes = (...b) => new Uint8Array(b);
    return {
      labels: tryAll((args) => { const d = new TextDecoder(...args); return [d.encoding, d.fatal, d.ignoreBOM]; }, [[], ["utf-8"], ["utf8", { fatal: 1 }], ["UTF-16"], ["utf-16be"], ["latin1"], ["iso-8859-2"], ["gbk"], ["shift_jis"], ["replacement"], ["x-user-defined"], [" X-User-Defined "], ["\\u00a0x-user-defined"], ["\\tutf-8\\n"], [undefined], [null], [""], ["utf-8", null], ["utf-8", undefined], ["utf-8", 1], ["utf-8", "x"], ["utf-8", () => {}], ["utf-32"], ["nope"]]),
      decode: tryAll((args) => new TextDecoder(args[0], args[1]).decode(args[2], args[3]), [
        ["utf-8", {}, bytes(0xef, 0xbb, 0xbf, 0x61)], ["utf-8", { ignoreBOM: true }, bytes(0xef, 0xbb, 0xbf, 0x61)], ["utf-8", {}, bytes(0xe2, 0x82)],
        ["utf-8", { fatal: true }, bytes(0xe2, 0x82)], ["utf-8", { fatal: true }, bytes(0xe2, 0x82), { stream: true }], ["utf-8", {}, undefined], ["utf-8", {}, null],
        ["utf-8", {}, new ArrayBuffer(2)], ["utf-8", {}, new DataView(new ArrayBuffer(1))], ["utf-8", {}, [97]], ["utf-8", {}, "ab"], ["utf-8", {}, new Uint16Array([0x6261])],
        ["utf-16le", {}, bytes(0x61, 0, 0x62)], ["utf-16le", { fatal: true }, bytes(0x00, 0xd8)], ["utf-8", {}, bytes(0x61), 5], ["utf-8", {}, bytes(0x61), { stream: 1 }], ["utf-8", {}, bytes(0x61), null],
        ["utf-8", {}, new SharedArrayBuffer(1)], ["x-user-defined", {}, bytes(0x61, 0x80, 0xff)], ["x-user-defined", { fatal: true }, new Uint8Array([0, 0x41, 0xfe]).subarray(1)],
      ]),
      streamed: (() => { const d = new TextDecoder(); return [d.decode(bytes(0xe2, 0x82), { stream: true }), d.decode(bytes(0xac)), d.decode()]; })(),
      shape: [TextDecoder.name, TextDecoder.length, Object.getOwnPropertyNames(TextDecoder.prototype), Object.prototype.toString.call(new TextDecoder()), TextDecoder.prototype.decode.length,
        Object.keys(TextDecoder.prototype), new TextDecoder() instanceof TextDecoder],
      subclass: (() => { class D extends TextDecoder {} return [new TextDecoder() instanceof D, new D() instanceof D, new D() instanceof TextDecoder]; })(),
      call: outcomeSync(() => TextDecoder()),
      getterOnOther: outcomeSync(() => Object.getOwnPropertyDescriptor(TextDecoder.prototype, "encoding").get.call({})),
      decodeOnOther: outcomeSync(() => TextDecoder.prototype.decode.call({}, new Uint8Array(1))),
      symbolLabel: outcomeSync(() => new TextDecoder(Symbol("s"))),
      fatalGetterThrows: outcomeSync(() => new TextDecoder("utf-8", { get fatal() { throw new RangeError("fatal read"); } })),
      readOrder: (() => { const seen = []; new TextDecoder("utf-8", new Proxy({}, { get(t, k) { seen.push(String(k)); } })); return seen; })(),
    };`),
  scope("Headers and crypto's random values", `
    const t = (f) => outcomeSync(f);
    const ownHeaders = new Response("x").headers;
    return {
      ctorName: t(() => new Headers({ "a b": "x" })), pair: t(() => new Headers([["a"]])), pair3: t(() => new Headers([["a", "b", "c"]])), num: t(() => new Headers(5)), notIterable: t(() => new Headers([1])),
      setValue: t(() => new Headers().set("a", "x\\0")), get: t(() => new Headers().get("a b")), has: t(() => new Headers().has("a b")), del: t(() => new Headers().delete("a b")),
      appendNone: t(() => new Headers().append()), appendOne: t(() => new Headers().append("a")), getNone: t(() => new Headers().get()), setOne: t(() => new Headers().set("a")),
      responseHeaders: t(() => ownHeaders.append("a b", "c")), responseHeadersValue: t(() => ownHeaders.set("a", "\\r")), unicodeValue: t(() => { const h = new Headers(); h.append("a", "é"); return h.get("a"); }),
      responseInitName: t(() => new Response("", { headers: { "a b": "x" } })), responseInitValue: t(() => new Response("", { headers: { a: "x\\0" } })),
      requestInitPair: t(() => new Request("http://a/", { headers: [["a"]] })),
      trimmed: t(() => { const h = new Headers([["A", "  x  "]]); h.append("a", "y"); return [...h]; }), instances: [new Headers() instanceof Headers, ownHeaders instanceof Headers, Headers.name, Object.getPrototypeOf(ownHeaders) === Headers.prototype, Object.getPrototypeOf(new Headers()) === Headers.prototype],
      call: t(() => Headers()), subclass: t(() => { class H extends Headers { extra() { return this.get("a"); } } const h = new H([["a", "1"]]); return [h.extra(), h instanceof Headers]; }), subclassBad: t(() => new (class extends Headers {})([["a"]])),
      randomLarge: t(() => crypto.getRandomValues(new Uint8Array(65537))), randomLarge32: t(() => crypto.getRandomValues(new Uint32Array(16385))), randomLimit: t(() => crypto.getRandomValues(new Uint8Array(65536)).length),
      randomFloat: t(() => crypto.getRandomValues(new Float64Array(1))), randomNone: t(() => crypto.getRandomValues()), randomNull: t(() => crypto.getRandomValues(null)),
      randomBuffer: t(() => crypto.getRandomValues(new ArrayBuffer(4))), randomDataView: t(() => crypto.getRandomValues(new DataView(new ArrayBuffer(4)))), randomFloatLarge: t(() => crypto.getRandomValues(new Float32Array(20000))),
      randomBigInt: t(() => crypto.getRandomValues(new BigInt64Array(1)).length), randomClamped: t(() => crypto.getRandomValues(new Uint8ClampedArray(1)).length), randomSame: t(() => { const a = new Uint8Array(2); return crypto.getRandomValues(a) === a; }),
      randomOther: t(() => crypto.getRandomValues.call({}, new Uint8Array(1))), uuidOther: t(() => crypto.randomUUID.call({})),
      uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
    };`),
  scope("self, compression streams and URLSearchParams", `
    const t = (f) => outcomeSync(f);
    const gz = new CompressionStream("gzip");
    const params = new URLSearchParams([["a", "1"], new Set(["b", "2"])]);
    return {
      self: [typeof self, self === globalThis],
      formats: ["gzip", "deflate", "deflate-raw", "GZIP", "br", "", undefined, null, 1].map((f) => t(() => typeof new CompressionStream(f))),
      decompressionFormats: ["gzip", "brotli", "Deflate", "deflate-raw"].map((f) => t(() => typeof new DecompressionStream(f))),
      compressionNone: t(() => new CompressionStream()), decompressionNone: t(() => new DecompressionStream()), compressionCall: t(() => CompressionStream("gzip")),
      compression: [Object.getPrototypeOf(gz) === CompressionStream.prototype, gz instanceof CompressionStream, Object.prototype.toString.call(gz), gz.readable instanceof ReadableStream],
      subclass: t(() => { class Z extends CompressionStream {} return [new Z("deflate") instanceof CompressionStream, err(outcomeSync(() => new Z("zip")).error)]; }),
      params: [String(params), Object.getPrototypeOf(params) === URLSearchParams.prototype, String(new URLSearchParams("a=1&b")), String(new URLSearchParams({ x: "1", y: "2" })), String(new URLSearchParams(params))],
      pairOfOne: t(() => String(new URLSearchParams([["a"]]))), pairOfThree: t(() => String(new URLSearchParams([["a", "b", "c"]]))), notSequence: t(() => String(new URLSearchParams([1]))),
      stringPair: t(() => String(new URLSearchParams(["ab"]))), searchParamsCall: t(() => URLSearchParams()),
      appendOne: t(() => new URLSearchParams().append("a")), getNone: t(() => new URLSearchParams().get()), setOne: t(() => new URLSearchParams().set("a")),
      hasNone: t(() => new URLSearchParams().has()), deleteNone: t(() => new URLSearchParams().delete()), getAllNone: t(() => new URLSearchParams().getAll()),
      urlParams: t(() => new URL("http://a/?q=1").searchParams.get()),
    };`),
  scope("JSON.parse's syntax errors name their line and column", `
    const texts = ["{", "[1,]", "{\\n\\"a\\" 1}", "{\\r\\n\\"a\\" 1}", "{\\r\\"a\\" 1}", "[1,\\n\\r2 3]", "[1,\\r\\r\\n2 3]", "\\"a\\u2028b\\u0001\\"", "01", "\\"abc", "[-]", "1e", "tru", "", "\\t\\t{a", "\\"\\\\x\\"", "{\\"a\\":1 \\"b\\"}", "{} x", "[1]\\n ]", "1 2", "\\"\\\\u12\\"", "[1.]", "{\\"a\\":1,}", "{\\"a\\" 1}", "\\"a\\nb\\""];
    const parsed = (f) => { try { return show(f()); } catch (e) { return [e.name, e.message, e.constructor === SyntaxError, String(e.stack).split("\\n")[0]]; } };
    return {
      texts: texts.map((text) => parsed(() => JSON.parse(text))),
      converted: [parsed(() => JSON.parse({ toString: () => "[1 2]" })), parsed(() => JSON.parse()), parsed(() => JSON.parse(Symbol("s"))), parsed(() => JSON.parse("{\\"a\\":[1,2]}", (k, v) => (k === "a" ? v.length : v))), parsed(() => JSON.parse("[1,2]", function (k, v) { return k === "" ? [this[""] === v, typeof this] : v; }))],
      reviverThrows: parsed(() => JSON.parse("[1]", () => { throw new SyntaxError("mine in JSON at position 3"); })),
      shape: [String(JSON.parse), String(JSON.stringify), JSON.parse.name, JSON.parse.length, Object.prototype.toString.call(JSON), ["parse", "stringify", Symbol.toStringTag].map((k) => Object.keys(Object.getOwnPropertyDescriptor(JSON, k))), typeof JSON.stringify, Object.getPrototypeOf(JSON) === Object.prototype],
      objects: [Object.getPrototypeOf(JSON.parse("{}")) === Object.prototype, Array.isArray(JSON.parse("[]")), JSON.parse("[1]") instanceof Array],
    };`),
  scope("URLSearchParams iterators are the runtime's, walking the live list", `
    const params = new URLSearchParams("a=1&b=2");
    const it = params.entries();
    const first = it.next();
    params.append("c", "3");
    params.delete("a");
    const rest = [it.next(), it.next(), it.next()];
    const proto = Object.getPrototypeOf(it);
    return {
      first, rest,
      tags: [params.keys(), params.values(), params.entries(), params[Symbol.iterator](), new URL("http://a/?x=1").searchParams.keys()].map((x) => Object.prototype.toString.call(x)),
      prototypes: [proto === Object.getPrototypeOf(new Headers().entries()), params[Symbol.iterator] === params.entries, Object.getPrototypeOf(proto) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), Object.getPrototypeOf(params.keys()) === Object.getPrototypeOf(new URLSearchParams().keys())],
      members: [Object.getOwnPropertyNames(proto), proto.next.name, proto.next.length, Object.getOwnPropertyNames(it), params[Symbol.iterator].name, proto.constructor.name],
      construct: outcomeSync(() => new proto.constructor()),
      nextOther: outcomeSync(() => proto.next.call({})),
      nextHeaders: outcomeSync(() => proto.next.call(new Headers().entries())),
      entriesOther: outcomeSync(() => URLSearchParams.prototype.entries.call({})),
      iterateOther: outcomeSync(() => URLSearchParams.prototype[Symbol.iterator].call(new Headers())),
      walks: [[...new URLSearchParams("x=1&y=2")], (() => { const q = new URLSearchParams("a=1"); const k = q.keys(); q.append("b", "2"); return [...k]; })(), [...new URLSearchParams("p=1&q=2").values()], Array.from(new URLSearchParams("k=v"))],
      clone: outcomeSync(() => structuredClone(params.entries())),
      stored: await outcome(() => s.put("it", params.keys())),
    };`),
  scope("a body's json() fails with the words JSON.parse's syntax errors have", `
    const failed = async (f) => { try { return show(await f()); } catch (e) { return [e.name, e.message, e.constructor === SyntaxError]; } };
    return {
      response: [await failed(() => new Response("{").json()), await failed(() => new Response("{\\r\\n  \\"a\\" 1}").json()), await failed(() => new Response("[1,]").json()), await failed(() => new Response("").json()), await failed(() => new Response("\\ufeff[1]").json()), await failed(() => new Response("{} x").json())],
      request: [await failed(() => new Request("http://a/", { method: "POST", body: "[1,\\n2 3]" }).json()), await failed(() => new Request("http://a/", { method: "POST", body: "{\\"a\\":[1]}" }).json())],
      parsed: await (async () => { const v = await new Response("{\\"a\\":[1]}").json(); return [Object.getPrototypeOf(v) === Object.prototype, Array.isArray(v.a)]; })(),
      used: await failed(async () => { const r = new Response("{"); await r.json().catch(() => {}); return r.json(); }),
    };`),
];
