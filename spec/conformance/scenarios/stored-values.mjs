// Stored values of the kinds V8's serializer treats specially, read back on both backends:
// resizable and detached buffers, views at offsets, objects with getters, hidden and odd keys,
// values V8 refuses (with their exact DataCloneError), and Errors of every built-in kind.
import { insideBoth } from "../scenario.mjs";

const rt = `
    const rt = async (k, v) => { try { await s.put(k, v); } catch (e) { return { putError: err(e) }; } try { return { got: await s.get(k) }; } catch (e) { return { getError: err(e) }; } };
    const shown = async (k, v) => { const r = await rt(k, v); return "got" in r ? show(r.got) : r; };
`;

export default [
  insideBoth("stored values: buffers and views", rt + `
    const out = {};
    const rab = new ArrayBuffer(4, { maxByteLength: 8 });
    const a = await rt("rab", rab);
    out.rab = a.got ? { resizable: a.got.resizable, max: a.got.maxByteLength, len: a.got.byteLength } : a;
    const tracking = new Uint8Array(rab);
    const b = await rt("tracking", tracking);
    out.tracking = b.got ? (() => { b.got.buffer.resize?.(6); return { len: b.got.length, resizable: b.got.buffer.resizable }; })() : b;
    const buf = new ArrayBuffer(32); new Uint8Array(buf).forEach((_, i, arr) => { arr[i] = i; });
    const f = await rt("f64", new Float64Array(buf, 8, 2));
    out.f64 = f.got ? { off: f.got.byteOffset, len: f.got.length, bufLen: f.got.buffer.byteLength } : f;
    const dv = await rt("dv", new DataView(buf, 3, 5));
    out.dv = dv.got ? { tag: Object.prototype.toString.call(dv.got), off: dv.got.byteOffset, len: dv.got.byteLength, bufLen: dv.got.buffer.byteLength } : dv;
    out.big64 = await shown("b64", new BigInt64Array([-1n, 2n]));
    out.clamped = await shown("cl", new Uint8ClampedArray([300, -5]));
    const withProp = new Uint8Array(2); withProp.extra = 1;
    const wp = await rt("wp", withProp);
    out.withProp = wp.got ? Object.keys(wp.got) : wp;
    const det = new ArrayBuffer(4); structuredClone(det, { transfer: [det] });
    out.detached = await shown("det", det);
    const det2 = new ArrayBuffer(4); const v2 = new Uint8Array(det2); structuredClone(det2, { transfer: [det2] });
    out.detachedView = await shown("det2", v2);
    out.emptyBuffer = await shown("eb", new ArrayBuffer(0));
    const bufMap = await rt("pair", { a: new Uint8Array(buf, 0, 2), b: new Uint16Array(buf, 2, 1) });
    out.pairShared = bufMap.got ? bufMap.got.a.buffer === bufMap.got.b.buffer : bufMap;
    return out;`),
  insideBoth("stored values: objects, odd keys and refused kinds", rt + `
    const out = {};
    out.getter = await shown("g", { get g() { return 5; }, plain: 1 });
    out.throwingGetter = await shown("tg", { get g() { throw new RangeError("getter boom"); } });
    const hidden = { a: 1 }; Object.defineProperty(hidden, "h", { value: 2, enumerable: false });
    hidden[Symbol("s")] = 3;
    out.hidden = await shown("h", hidden);
    out.symbolValue = await shown("sv", { s: Symbol("inner") });
    const nullProto = Object.create(null); nullProto.x = 1;
    out.nullProto = await shown("np", nullProto);
    const protoKey = JSON.parse('{"__proto__": {"x": 1}, "y": 2}');
    const pk = await rt("pk", protoKey);
    out.protoKey = pk.got ? { own: Object.getOwnPropertyNames(pk.got), x: pk.got.x, protoIsObject: Object.getPrototypeOf(pk.got) === Object.prototype } : pk;
    out.keyOrder = await rt("ko", { b: 1, 2: 1, a: 1, 1: 1, "-1": 1, "01": 1, 4294967295: 1, 4294967294: 1 }).then((r) => r.got ? Object.keys(r.got) : r);
    const fr = await rt("fr", Object.freeze({ z: 1 }));
    out.frozen = fr.got ? Object.isFrozen(fr.got) : fr;
    out.boxedBigInt = await shown("bbi", Object(5n));
    out.boxedSymbol = await shown("bs", Object(Symbol("x")));
    out.weakRef = await shown("wr", new WeakRef({}));
    out.weakSet = await shown("ws", new WeakSet());
    out.generator = await shown("gen", (function* () {})());
    out.args = await shown("args", (function () { return arguments; })(1, 2));
    out.math = await shown("math", Math);
    out.json = await shown("json", JSON);
    out.collator = await shown("coll", new Intl.Collator());
    out.privateFields = await shown("pf", new (class { #p = 1; q = 2; })());
    out.textDecoder = await shown("td", new TextDecoder());
    const sparseBig = []; sparseBig[1e6] = 1;
    const sb = await rt("sb", sparseBig);
    out.sparseBig = sb.got ? { len: sb.got.length, keys: Object.keys(sb.got) } : sb;
    const arrStr = ["a"]; arrStr["-1"] = "neg"; arrStr["1.5"] = "frac";
    out.arrayOddKeys = await rt("aok", arrStr).then((r) => r.got ? { keys: Object.keys(r.got), len: r.got.length } : r);
    const re = /a/dgimsuy; re.lastIndex = 3; re.extra = 1;
    const rr = await rt("re", re);
    out.regexp = rr.got ? { s: String(rr.got), lastIndex: rr.got.lastIndex, keys: Object.keys(rr.got) } : rr;
    out.regexpV = await shown("rev", /[\\p{L}--[a-z]]/v);
    out.invalidDate = await shown("id", new Date(NaN));
    const d = new Date(0); d.extra = 1;
    out.dateProp = await rt("dp", d).then((r) => r.got ? Object.keys(r.got) : r);
    const st = new String("ab"); st.extra = 1;
    out.boxedStringProp = await rt("bsp", st).then((r) => r.got ? { keys: Object.keys(r.got), v: r.got.valueOf() } : r);
    const m = new Map(); const ko = { k: 1 }; m.set(ko, ko); m.set("self", m);
    const mm = await rt("mm", m);
    out.mapIdentity = mm.got ? { same: [...mm.got.keys()][0] === [...mm.got.values()][0], self: mm.got.get("self") === mm.got } : mm;
    const setSelf = new Set(); setSelf.add(setSelf);
    const ss = await rt("ss", setSelf);
    out.setSelf = ss.got ? [...ss.got][0] === ss.got : ss;
    const mp = new Map([[1, 2]]); mp.extra = 1;
    out.mapProp = await rt("mp", mp).then((r) => r.got ? Object.keys(r.got) : r);
    return out;`),
  insideBoth("stored values: WebSocket API objects are refused by their own name (put, storage.kv, attachments)", rt + `
    const makers = { pair: () => new WebSocketPair(), end: () => new WebSocketPair()[0], autoResponse: () => new WebSocketRequestResponsePair("ping", "pong"),
      nested: () => ({ list: [1, new WebSocketRequestResponsePair("a", "b")] }), closeEvent: () => new CloseEvent("close", { code: 1000 }) };
    const out = {};
    for (const [k, make] of Object.entries(makers)) {
      out[k] = { put: await rt(k, make()), attachment: outcomeSync(() => { const [, end] = new WebSocketPair(); end.serializeAttachment(make()); return show(end.deserializeAttachment()); }) };
      if (s.kv) out[k].kv = outcomeSync(() => { s.kv.put(k, make()); return show(s.kv.get(k)); });
    }
    out.keys = [...(await s.list()).keys()];
    return out;`),
  insideBoth("stored values: Errors of every kind and their own properties", rt + `
    const out = {};
    class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; this.code = 7; } }
    const d = (e) => e && typeof e === "object" ? { tag: Object.prototype.toString.call(e), name: e.name, message: e.message, ctor: e.constructor?.name, own: Object.getOwnPropertyNames(e).filter((k) => k !== "stack"), code: e.code, cause: e.cause === undefined ? "none" : show(e.cause), instErr: e instanceof Error } : show(e);
    const one = async (k, v) => { const r = await rt(k, v); return "got" in r ? d(r.got) : r; };
    out.custom = await one("c", new MyErr("mine"));
    out.nameOnly = await one("n", Object.assign(new Error("x"), { name: "Custom" }));
    out.typeName = await one("t", Object.assign(new Error("x"), { name: "TypeError" }));
    out.agg = await one("agg", new AggregateError([new Error("a")], "agg"));
    out.evalErr = await one("ev", new EvalError("ev"));
    out.uriErr = await one("ur", new URIError("ur"));
    out.refErr = await one("re", new ReferenceError("re"));
    out.syntaxErr = await one("sy", new SyntaxError("sy"));
    out.noMessage = await one("nm", new Error());
    out.numMessage = await one("num", Object.assign(new Error("x"), { message: 42 }));
    out.causeString = await one("cs", new Error("x", { cause: "why" }));
    out.causeUndefined = await one("cu", new Error("x", { cause: undefined }));
    out.stackReplaced = await one("st", Object.assign(new Error("x"), { stack: "custom stack" }));
    const withStack = await rt("st2", Object.assign(new Error("x"), { stack: "custom stack" }));
    out.stackValue = withStack.got ? withStack.got.stack : withStack;
    out.domException = await one("dom", new DOMException("dm", "AbortError"));
    const de = await rt("dom2", new DOMException("dm", "DataCloneError"));
    out.domCode = de.got ? { code: de.got.code, name: de.got.name } : de;
    out.inArray = await rt("arr", [new TypeError("in")]).then((r) => r.got ? d(r.got[0]) : r);
    const errWithFn = new Error("f"); errWithFn.fn = () => 1;
    out.errWithFn = await one("ef", errWithFn);
    const errWithObj = new Error("o"); errWithObj.detail = { a: [1] };
    out.errWithObj = await one("eo", errWithObj);
    return out;`),
];
