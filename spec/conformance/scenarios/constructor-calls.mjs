// Every runtime class Worker code can name, called without `new` (the runtime's "Please use the
// 'new' operator" for those it constructs, "Illegal constructor" for the others, where V8 would
// say "Class constructor X cannot be invoked without 'new'") and constructed without arguments,
// which the runtime refuses in its own words where a parameter is required; CustomEvent's
// arguments. Event, Request, Response, MessageChannel and MessagePort, which durasim
// leaves as Node's classes (or classes of its own), are declared apart.
import { inside } from "../scenario.mjs";

/** Scenario body: each class of \`classes\` (source text of an object literal) called, then constructed without arguments. */
const calls = (classes) => `
    const out = {};
    const ALL = ${classes};
    for (const [n, C] of Object.entries(ALL)) {
      if (typeof C !== "function") { out[n] = typeof C; continue; }
      out[n] = [outcomeSync(() => C()), outcomeSync(() => { new C(); return "made"; })];
    }
    return out;`;

export default [
  inside("constructor calls: every runtime class called without new, and constructed without arguments", "sqlite", calls(`{ EventTarget: typeof EventTarget === "undefined" ? undefined : EventTarget, AbortController: typeof AbortController === "undefined" ? undefined : AbortController, AbortSignal: typeof AbortSignal === "undefined" ? undefined : AbortSignal, CustomEvent: typeof CustomEvent === "undefined" ? undefined : CustomEvent, MessageEvent: typeof MessageEvent === "undefined" ? undefined : MessageEvent, CloseEvent: typeof CloseEvent === "undefined" ? undefined : CloseEvent, ErrorEvent: typeof ErrorEvent === "undefined" ? undefined : ErrorEvent, Blob: typeof Blob === "undefined" ? undefined : Blob, File: typeof File === "undefined" ? undefined : File, FormData: typeof FormData === "undefined" ? undefined : FormData, Headers: typeof Headers === "undefined" ? undefined : Headers, URL: typeof URL === "undefined" ? undefined : URL, URLSearchParams: typeof URLSearchParams === "undefined" ? undefined : URLSearchParams, URLPattern: typeof URLPattern === "undefined" ? undefined : URLPattern, TextEncoder: typeof TextEncoder === "undefined" ? undefined : TextEncoder, TextDecoder: typeof TextDecoder === "undefined" ? undefined : TextDecoder, TextEncoderStream: typeof TextEncoderStream === "undefined" ? undefined : TextEncoderStream, TextDecoderStream: typeof TextDecoderStream === "undefined" ? undefined : TextDecoderStream, ReadableStream: typeof ReadableStream === "undefined" ? undefined : ReadableStream, WritableStream: typeof WritableStream === "undefined" ? undefined : WritableStream, TransformStream: typeof TransformStream === "undefined" ? undefined : TransformStream, ReadableStreamDefaultReader: typeof ReadableStreamDefaultReader === "undefined" ? undefined : ReadableStreamDefaultReader, ReadableStreamBYOBReader: typeof ReadableStreamBYOBReader === "undefined" ? undefined : ReadableStreamBYOBReader, WritableStreamDefaultWriter: typeof WritableStreamDefaultWriter === "undefined" ? undefined : WritableStreamDefaultWriter, ByteLengthQueuingStrategy: typeof ByteLengthQueuingStrategy === "undefined" ? undefined : ByteLengthQueuingStrategy, CountQueuingStrategy: typeof CountQueuingStrategy === "undefined" ? undefined : CountQueuingStrategy, CompressionStream: typeof CompressionStream === "undefined" ? undefined : CompressionStream, DecompressionStream: typeof DecompressionStream === "undefined" ? undefined : DecompressionStream, IdentityTransformStream: typeof IdentityTransformStream === "undefined" ? undefined : IdentityTransformStream, FixedLengthStream: typeof FixedLengthStream === "undefined" ? undefined : FixedLengthStream, DOMException: typeof DOMException === "undefined" ? undefined : DOMException, WebSocket: typeof WebSocket === "undefined" ? undefined : WebSocket, WebSocketPair: typeof WebSocketPair === "undefined" ? undefined : WebSocketPair, WebSocketRequestResponsePair: typeof WebSocketRequestResponsePair === "undefined" ? undefined : WebSocketRequestResponsePair, Crypto: typeof Crypto === "undefined" ? undefined : Crypto, CryptoKey: typeof CryptoKey === "undefined" ? undefined : CryptoKey, SubtleCrypto: typeof SubtleCrypto === "undefined" ? undefined : SubtleCrypto, Navigator: typeof Navigator === "undefined" ? undefined : Navigator, Performance: typeof Performance === "undefined" ? undefined : Performance, PromiseRejectionEvent: typeof PromiseRejectionEvent === "undefined" ? undefined : PromiseRejectionEvent, ExtendableEvent: typeof ExtendableEvent === "undefined" ? undefined : ExtendableEvent, FetchEvent: typeof FetchEvent === "undefined" ? undefined : FetchEvent, ReadableStreamDefaultController: typeof ReadableStreamDefaultController === "undefined" ? undefined : ReadableStreamDefaultController, ReadableByteStreamController: typeof ReadableByteStreamController === "undefined" ? undefined : ReadableByteStreamController, ReadableStreamBYOBRequest: typeof ReadableStreamBYOBRequest === "undefined" ? undefined : ReadableStreamBYOBRequest, WritableStreamDefaultController: typeof WritableStreamDefaultController === "undefined" ? undefined : WritableStreamDefaultController, TransformStreamDefaultController: typeof TransformStreamDefaultController === "undefined" ? undefined : TransformStreamDefaultController, Cache: typeof Cache === "undefined" ? undefined : Cache, CacheStorage: typeof CacheStorage === "undefined" ? undefined : CacheStorage }`)),
  inside("constructor calls: Event, Request, Response, MessageChannel and MessagePort called without new", "sqlite", calls(`{ Event: typeof Event === "undefined" ? undefined : Event, Request: typeof Request === "undefined" ? undefined : Request, Response: typeof Response === "undefined" ? undefined : Response, MessageChannel: typeof MessageChannel === "undefined" ? undefined : MessageChannel, MessagePort: typeof MessagePort === "undefined" ? undefined : MessagePort }`), {
    differs: "durasim's Request and Response are classes (extending Node's) and Event, MessageChannel and MessagePort Node's own, so a call without new is refused in V8's or Node's words rather than the runtime's, and Event's missing type in Node's (README 'Differences from production')",
  }),
  inside("constructor calls: CustomEvent's type and init in the runtime's words; subclasses, instanceof and constructor", "sqlite", `
    const t = (f) => outcomeSync(f);
    const out = {};
    out.e = [t(() => new Event("x", null).type), t(() => new Event(undefined).type), t(() => new Event(Symbol())), t(() => new Event("x", { get bubbles() { throw new Error("getter"); } }))];
    out.ce = [t(() => new CustomEvent("x", 5)), t(() => new CustomEvent("x", "s"))];
    out.targets = [t(() => new EventTarget(1) instanceof EventTarget), t(() => new AbortController(1).signal.aborted)];
    out.sub = t(() => { class E extends Event { constructor() { super("sub"); } } const e = new E(); return [e.type, e instanceof Event, e.constructor === E]; });
    out.subTarget = t(() => { class T extends EventTarget {} const x = new T(); let seen; x.addEventListener("y", (e) => { seen = [e.type, e.target === x]; }); x.dispatchEvent(new Event("y")); return [x instanceof EventTarget, x.constructor === T, seen]; });
    out.inst = t(() => [new Event("x") instanceof Event, new CustomEvent("x") instanceof Event, Event.name, Event.length, new Event("x").constructor === Event, new EventTarget().constructor === EventTarget, new AbortController().signal.constructor === AbortSignal, new TextEncoder().constructor === TextEncoder, crypto.subtle.constructor === SubtleCrypto, crypto.constructor === Crypto]);
    out.readers = t(() => { const rs = new ReadableStream({ type: "bytes" }); const r = new ReadableStreamBYOBReader(rs); const w = new WritableStreamDefaultWriter(new WritableStream()); return [r instanceof ReadableStreamBYOBReader, r.constructor === ReadableStreamBYOBReader, w.constructor === WritableStreamDefaultWriter, new ReadableStream().getReader() instanceof ReadableStreamDefaultReader]; });
    out.readerBad = [t(() => new ReadableStreamDefaultReader({})), t(() => new ReadableStreamBYOBReader(new ReadableStream())), t(() => new WritableStreamDefaultWriter(new ReadableStream()))];
    return out;`),
  inside("constructor calls: Event's arguments and Event.prototype's members", "sqlite", `
    const t = (f) => outcomeSync(f);
    return {
      refused: [t(() => new Event()), t(() => new Event("x", 5)), t(() => new Event("x", "s"))],
      customEventExtends: Object.getPrototypeOf(CustomEvent) === Event,
      keys: Object.getOwnPropertyNames(Event.prototype).sort(),
      initEvent: typeof new Event("x").initEvent,
    };`, {
    differs: "Worker code's Event is Node's class (a binding of its own would cost its instances V8's '#<Event>' in the message of an assignment to a phase constant): a missing type or an init that is no object is refused in Node's words, CustomEvent extends it, and its prototype has initEvent(), which the runtime's lacks (README 'Differences from production')",
  }),
];
