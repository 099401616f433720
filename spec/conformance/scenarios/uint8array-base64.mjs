// Uint8Array's base64 and hex methods (ES2026), which the runtime's V8 has and Node 24 lacks
// (durasim adds them: modules/builtins/uint8array-base64.ts). Libraries take them when they are
// there (jose decodes keys and tokens with Uint8Array.fromBase64), so their refusals reach users
// in V8's words, which tell the kind of fault apart.
import { inside } from "../scenario.mjs";

const base64 = (name, body) => inside(`uint8array base64: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(() => { const v = f(); return v instanceof Uint8Array ? ["bytes", ...v] : v; });
    const prop = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k); return [typeof d.value, d.value.name, d.value.length, d.writable, d.enumerable, d.configurable, "prototype" in d.value]; };
${body}`);

export default [
  base64("the methods' shapes, encoding, and refusals of receivers and options", `
    const u = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const detached = new Uint8Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const receivers = [5, "s", null, undefined, () => 1, new DataView(new ArrayBuffer(1)), new Map(), [1], new Int8Array(1), {}, Object.create(null), new Uint8ClampedArray(1)];
    const log = [];
    const watched = (o) => new Proxy(o, { get(target, key) { log.push(String(key)); return target[key]; } });
    return {
      props: [prop(Uint8Array, "fromBase64"), prop(Uint8Array, "fromHex"), prop(Uint8Array.prototype, "toBase64"), prop(Uint8Array.prototype, "toHex"),
        prop(Uint8Array.prototype, "setFromBase64"), prop(Uint8Array.prototype, "setFromHex"), "fromBase64" in Int8Array],
      encode: [u.toBase64(), u.toBase64({ alphabet: "base64url" }), u.toBase64({ omitPadding: true }), new Uint8Array([1]).toBase64({ omitPadding: 1 }),
        new Uint8Array([]).toBase64(), u.toHex(), new Uint8Array([1, 2, 3, 4]).subarray(1, 3).toHex()],
      options: [t(() => u.toBase64({ alphabet: "x" })), t(() => u.toBase64(5)), t(() => u.toBase64(null)), t(() => Uint8Array.fromBase64("AA", { alphabet: 5 })),
        t(() => Uint8Array.fromBase64("AA", { lastChunkHandling: "Strict" })), t(() => Uint8Array.fromBase64("AA", { alphabet: Symbol("q") })),
        t(() => Uint8Array.fromBase64("AA", { alphabet: { toString() { return "base64"; } } })), t(() => Uint8Array.fromBase64("AA", { alphabet: null })),
        t(() => Uint8Array.fromBase64("AA", { get alphabet() { throw new RangeError("getter"); } }))],
      strings: [t(() => Uint8Array.fromBase64(5)), t(() => Uint8Array.fromBase64()), t(() => Uint8Array.fromBase64(new String("AA"))), t(() => Uint8Array.fromHex(5)),
        t(() => new Uint8Array(1).setFromBase64(5)), t(() => new Uint8Array(1).setFromHex(5)), t(() => Uint8Array.fromBase64.call(Int8Array, "AA"))],
      order: [t(() => Uint8Array.fromBase64("AA", watched({}))), log.splice(0), t(() => new Uint8Array(1).toBase64(watched({ omitPadding: 1 }))), log.splice(0),
        t(() => Uint8Array.fromBase64(5, watched({}))), log.splice(0), t(() => Uint8Array.fromBase64("AA", watched({ alphabet: "bad" }))), log.splice(0)],
      receivers: ["toBase64", "toHex", "setFromBase64", "setFromHex"].map((m) => receivers.map((r) => t(() => Uint8Array.prototype[m].call(r, "00")))),
      detached: [t(() => detached.toBase64()), t(() => detached.toHex()), t(() => detached.setFromBase64("AA")), t(() => detached.setFromHex("00"))],
      constructs: [t(() => new Uint8Array.fromHex("00")), t(() => new (Uint8Array.prototype.toHex)())],
    };`),
  base64("decoding in each last-chunk mode and alphabet, partial chunks, padding and whitespace", `
    const inputs = ["AAEC+vv8/f7/", "AAEC-vv8_f7_", "AAEC", "AA", "AA==", "A", "AAE", "AAE=", "AB==", "AAE=x", " A A\\tE\\n=\\f\\r", "A=A", "AA=", "====", "",
      "AAEC!", "AAE==", "Zm9v YmFy", "Zm9vYg", "Zm9vYh==", "Zm9vYg=", "\\u00e9AA", "QUJD\\u00a0", "Zm9vYg = = "];
    return {
      fromBase64: inputs.map((s) => [s, t(() => Uint8Array.fromBase64(s)), t(() => Uint8Array.fromBase64(s, { lastChunkHandling: "strict" })),
        t(() => Uint8Array.fromBase64(s, { lastChunkHandling: "stop-before-partial" })), t(() => Uint8Array.fromBase64(s, { alphabet: "base64url" }))]),
      fromHex: ["00ff", "00FF", "0", "0g", "", "aBcD", " 00", "\\u00e9\\u00e9"].map((s) => [s, t(() => Uint8Array.fromHex(s))]),
    };`),
  base64("setFromBase64 and setFromHex: what fits, what is read, what a fault leaves written", `
    const into = (n, f) => { const target = new Uint8Array(n); return [t(() => f(target)), [...target]]; };
    return {
      base64: [["AAEC+vv8", 3], ["AAEC+vv8", 4], ["AAEC+vv8", 10], ["AAE", 1], ["AAE", 2], ["AA!A", 5], ["AAECAA!A", 5], ["Zm9vYmFy", 5, { lastChunkHandling: "stop-before-partial" }],
        ["Zm9vYg", 10, { lastChunkHandling: "stop-before-partial" }], ["Zm9vYg", 10, { lastChunkHandling: "strict" }], ["Zm9vYmE=", 4], ["", 2], ["AA", 0]]
        .map(([s, n, o]) => [s, n, into(n, (target) => target.setFromBase64(s, o))]),
      hex: [["0102ff", 2], ["0102ff", 5], ["01zz", 4], ["012", 4], ["", 1]].map(([s, n]) => [s, n, into(n, (target) => target.setFromHex(s))]),
      subarray: (() => { const b = new Uint8Array(4); return [b.subarray(1, 3).setFromHex("aabbcc"), [...b]]; })(),
    };`),
];
