// Worker-scope globals Node lacks or gets wrong: reportError() (an `error` event to the global
// listeners, then the caller goes on) and TextDecoder's windows-1252 (Node 20 reads 0x80-0x9F as
// Latin-1's control characters under every label of it: "latin1", "ascii", "iso-8859-1").
import { inside } from "../scenario.mjs";

const P = (name, body) => inside(name, "sqlite", `const t = (f) => outcomeSync(f);\n${body}`);

export default [
  P("worker scope: reportError() tells the global error listeners (a trusted ErrorEvent with the runtime's Uncaught line) and returns; its argument and receiver are checked", `
    const seen = [];
    const listener = (e) => seen.push([Object.prototype.toString.call(e), e.type, e.message, show(e.error), e.cancelable, e.isTrusted, e.bubbles]);
    addEventListener("error", listener);
    const out = {
      error: t(() => reportError(new Error("boom"))),
      string: t(() => reportError("s")),
      undefined: t(() => reportError(undefined)),
      object: t(() => reportError({ message: "m" })),
      typeError: t(() => reportError(new TypeError("x"))),
      missing: t(() => reportError()),
      unboundCall: t(() => reportError.call(undefined, 1)),
      otherReceiver: t(() => reportError.call({}, 1)),
      shape: [typeof reportError, reportError.name, reportError.length],
    };
    const cancel = (e) => e.preventDefault();
    addEventListener("error", cancel);
    out.cancelled = t(() => reportError(new RangeError("r")));
    removeEventListener("error", cancel);
    const thrower = () => { throw new Error("in listener"); };
    addEventListener("error", thrower);
    out.listenerThrows = t(() => reportError(new Error("y")));
    removeEventListener("error", thrower);
    removeEventListener("error", listener);
    out.afterRemoval = t(() => reportError(1));
    out.seen = seen;
    return out;`),
  P("worker scope: TextDecoder's windows-1252 under each of its labels maps 0x80-0x9F as the Encoding Standard does (the five it leaves undefined too), streaming and in TextDecoderStream", `
    const high = new Uint8Array(Array.from({ length: 34 }, (_, i) => 0x7f + i));
    const codes = (s) => [...s].map((c) => c.codePointAt(0).toString(16)).join(" ");
    return {
      labels: ["latin1", "windows-1252", "ascii", "us-ascii", "iso-8859-1", "cp1252", "l1"].map((label) => t(() => { const d = new TextDecoder(label); return [d.encoding, codes(d.decode(high))]; })),
      fatal: t(() => codes(new TextDecoder("latin1", { fatal: true }).decode(new Uint8Array([0x81, 0x80])))),
      streaming: t(() => { const d = new TextDecoder("latin1"); return [d.decode(new Uint8Array([0x80]), { stream: true }), d.decode(new Uint8Array([0x9f]))].map(codes); }),
      stream: await outcome(async () => { const s = new TextDecoderStream("latin1"); const w = s.writable.getWriter(); w.write(new Uint8Array([0x80, 0x41, 0x99])); w.close(); let text = ""; for await (const c of s.readable) text += c; return codes(text); }),
      others: ["iso-8859-2", "windows-1251", "iso-8859-15"].map((label) => t(() => codes(new TextDecoder(label).decode(new Uint8Array([0x80, 0xa4, 0xe9]))))),
    };`),
];
