// The Headers class as Worker and object code sees it, swept method by method: values past
// Latin-1 (kept as UTF-8 bytes, read back decoded, wherever the headers go: a Request, a
// Response, a fetch() to a stub, RPC, storage), iteration over a snapshot, the runtime's
// iterator objects, forEach's arguments, and the words of every refusal.
import { cls, inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`headers: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
${body}`, rest);

// Text past ASCII: Latin-1, past Latin-1, astral, lone surrogates on either side of a pair.
const TEXTS = `["é", "Ā", "é€", "😀", "\\ud800", "a\\ud83d\\ude00\\udc00b", "\\u00e9\\u00c3\\u00a9", "a\\u0085b", "\\u00ff\\u0080"]`;

export default [
  probe("a value past Latin-1 is kept, through every way in and out", `
    const out = {};
    out.perText = ${TEXTS}.map((v) => [
      t(() => { const x = new Headers(); x.set("k", v); return [x.get("k"), [...x], [...x.values()], x.has("k")]; }),
      t(() => { const x = new Headers(); x.append("k", v); x.append("k", v); return x.get("k"); }),
      t(() => new Headers({ k: v }).get("k")),
      t(() => new Headers([["k", v]]).get("k")),
      t(() => { const x = new Headers(); x.append("set-cookie", "a=" + v); return [x.getSetCookie(), x.get("set-cookie")]; }),
      t(() => { const o = []; new Headers({ k: v }).forEach((value, name) => o.push([name, value])); return o; }),
    ]);
    out.copied = t(() => { const x = new Headers({ k: "é€" }); return [...new Headers(x)]; });
    out.request = t(() => { const q = new Request("http://x/", { headers: { a: "é€", "set-cookie": "c=😀" } }); return [[...q.headers], [...q.clone().headers], [...new Request(q).headers]]; });
    out.response = t(() => { const r = new Response("x", { headers: [["a", "é€"]] }); return [[...r.headers], r.headers.get("a"), [...r.clone().headers]]; });
    out.contentType = await a(async () => { const r = new Response("x", { headers: { "content-type": "text/é€" } }); return [r.headers.get("content-type"), (await r.blob()).type]; });
    out.json = t(() => [...Response.json(1, { headers: { a: "é€" } }).headers]);
    return out;`),
  {
    name: "headers: a value past Latin-1 crosses a fetch() to a stub, RPC and storage",
    backend: "sqlite",
    source: cls(`
  async fetch(req) {
    if (req.url.endsWith("/resp")) {
      const x = new Headers();
      x.set("x-u", "é€"); x.append("set-cookie", "a=😀"); x.append("set-cookie", "b"); x.append("B", "2");
      return new Response("r", { headers: x });
    }
    return Response.json([[...req.headers], req.headers.get("x-u"), req.headers.getSetCookie(), outcomeSync(() => req.headers.set("a", "1"))]);
  }
  echo(h, q, r) { return [Object.prototype.toString.call(h), [...h], h.get("x-u"), h.getSetCookie(), [...q.headers], [...r.headers]]; }
  make() { const x = new Headers(); x.set("x-u", "é€"); x.append("b", "\\ud800"); return x; }
  async go() {
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    const other = this.env.DO.getByName("b");
    const x = () => { const h = new Headers(); h.set("x-u", "é€"); h.append("set-cookie", "a=😀"); h.append("set-cookie", "b"); return h; };
    const out = {};
    out.fetchTo = await a(async () => (await other.fetch("http://b/", { headers: x() })).json());
    out.fetchToRecord = await a(async () => (await other.fetch("http://b/", { headers: { "x-u": "ü€" } })).json());
    out.fetchBack = await a(async () => { const res = await other.fetch("http://b/resp"); return [[...res.headers], res.headers.get("x-u"), res.headers.getSetCookie(), t(() => res.headers.set("a", "1"))]; });
    out.rpcTo = await a(async () => other.echo(x(), new Request("http://q/", { headers: x() }), new Response(null, { headers: x() })));
    out.rpcBack = await a(async () => { const back = await other.make(); return [Object.prototype.toString.call(back), [...back], back.get("x-u"), t(() => back.set("q", "é"))]; });
    out.stored = await a(async () => {
      await this.ctx.storage.put("h", x());
      await this.ctx.storage.put("q", new Request("http://q/", { headers: x() }));
      await this.ctx.storage.put("r", new Response(null, { headers: x() }));
      const [h, q, r] = [await this.ctx.storage.get("h"), await this.ctx.storage.get("q"), await this.ctx.storage.get("r")];
      return [[...h], [...q.headers], [...r.headers]];
    });
    out.kvStored = await a(async () => { this.ctx.storage.kv.put("h", x()); return [...this.ctx.storage.kv.get("h")]; });
    return out;
  }`),
    drive: async (env) => env.DO.getByName("a").go(),
  },
  probe("iteration walks a snapshot taken when the iterator is made", `
    const out = {};
    const walk = (h, during) => { const seen = []; for (const [k, v] of h) { seen.push([k, v]); during(k); if (seen.length > 10) break; } return seen; };
    out.setDuring = (() => { const h = new Headers({ c: "3", a: "1", b: "2" }); return [walk(h, (k) => { if (k === "a") h.set("bb", "x"); }), [...h.keys()]]; })();
    out.deleteDuring = (() => { const h = new Headers({ c: "3", a: "1", b: "2" }); return [walk(h, (k) => { if (k === "a") h.delete("b"); }), [...h.keys()]]; })();
    out.changeDuring = (() => { const h = new Headers({ a: "1", b: "2" }); return walk(h, (k) => { if (k === "a") h.set("b", "new"); }); })();
    out.forEachSet = (() => { const h = new Headers({ c: "3", a: "1", b: "2" }); const seen = []; h.forEach((v, k) => { seen.push(k); if (k === "a") h.set("aa", "x"); }); return seen; })();
    out.forEachDelete = (() => { const h = new Headers({ c: "3", a: "1", b: "2" }); const seen = []; h.forEach((v, k) => { seen.push(k); if (k === "a") h.delete("b"); }); return seen; })();
    out.madeBeforeSet = (() => { const h = new Headers({ c: "3", a: "1" }); const it = h.keys(); h.set("b", "2"); return [...it]; })();
    out.afterFirst = (() => { const h = new Headers({ c: "3", a: "1" }); const it = h.entries(); const first = it.next(); h.set("b", "2"); h.set("0", "z"); return [first, ...it]; })();
    out.values = (() => { const h = new Headers({ a: "1" }); const it = h.values(); h.set("a", "2"); return [it.next(), it.next(), it.next()]; })();
    out.cookies = (() => { const x = new Headers(); x.append("set-cookie", "a=1"); x.append("x", "1"); x.append("Set-Cookie", "b=2"); x.append("X", "2"); x.append("a", "0"); return [[...x], [...x.keys()], [...x.values()], x.get("set-cookie"), x.getSetCookie()]; })();
    out.order = [...new Headers([["b", "1"], ["A", "2"], ["a", "3"], ["_", "4"], ["0", "5"], ["~", "6"], ["B", "7"]])];
    return out;`),
  probe("the iterators: EntryIterator, KeyIterator, ValueIterator", `
    const h = new Headers({ a: "1" });
    const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    const kinds = ["entries", "keys", "values"].map((m) => {
      const it = h[m]();
      const p = Object.getPrototypeOf(it);
      const next = Object.getOwnPropertyDescriptor(p, "next");
      return [m, Object.prototype.toString.call(it), Object.getPrototypeOf(p) === IteratorPrototype, Object.getOwnPropertyNames(p), [next.value.name, next.value.length, next.enumerable, next.writable],
        p.constructor.name, t(() => new p.constructor()), t(() => p.constructor()), p[Symbol.iterator] === IteratorPrototype[Symbol.iterator], it[Symbol.iterator]() === it, Object.keys(it),
        t(() => p.next.call({})), t(() => p.next.call(h)), Object.keys(it.next())];
    });
    const sameKind = Object.getPrototypeOf(h[Symbol.iterator]()) === Object.getPrototypeOf(h.entries());
    return { kinds, sameKind, iteratorIsEntries: Headers.prototype[Symbol.iterator] === Headers.prototype.entries, done: (() => { const it = new Headers().keys(); return [it.next(), it.next()]; })() };`),
  probe("forEach: its callback, thisArg and refusals", `
    const out = {};
    const h = new Headers({ a: "1", b: "2" });
    out.args = (() => { const o = []; h.forEach(function (v, k, s) { o.push([v, k, s === h, arguments.length]); }); return o; })();
    out.returns = t(() => h.forEach(() => 5));
    out.thisNone = (() => { const o = []; h.forEach(function () { o.push(this === undefined); }); return o; })();
    out.thisGiven = (() => { const o = []; h.forEach(function () { o.push(this); }, 7); return o; })();
    out.thisNull = (() => { const o = []; h.forEach(function () { o.push(this === undefined); }, null); return o; })();
    out.throws = t(() => { const o = []; h.forEach((v, k) => { o.push(k); throw new RangeError("stop"); }); });
    out.notFunction = [undefined, null, 5, "x", {}].map((f) => [t(() => h.forEach(f)), t(() => new Headers().forEach(f))]);
    out.none = [t(() => h.forEach()), t(() => new Headers().forEach())];
    out.notHeaders = t(() => Headers.prototype.forEach.call({}, () => {}));
    out.notHeadersNorFunction = t(() => Headers.prototype.forEach.call({}, 5));
    return out;`),
  probe("refusals: arguments, names, values, this, symbols", `
    const out = {};
    const h = new Headers();
    out.noArgs = ["append", "set", "get", "has", "delete", "getSetCookie"].map((m) => [m, t(() => h[m]())]);
    out.oneArg = ["append", "set"].map((m) => [m, t(() => h[m]("a"))]);
    out.badNames = ["a b", "a:b", "a\\n", "a\\u0000", "(", "x y", "@"].map((n) => [t(() => h.set(n, "v")), t(() => h.append(n, "v")), t(() => h.get(n)), t(() => h.has(n)), t(() => h.delete(n)), t(() => new Headers({ [n]: "v" })), t(() => new Headers([[n, "v"]]))]);
    out.badValues = ["a\\nb", "a\\rb", "a\\u0000b"].map((v) => [t(() => h.set("k", v)), t(() => h.append("k", v)), t(() => new Headers({ k: v })), t(() => new Headers([["k", v]]))]);
    out.trimmed = t(() => { const x = new Headers(); x.set("a", " \\t v \\t "); x.append("b", "\\n v\\r\\n"); return [...x]; });
    out.converted = t(() => { const x = new Headers(); x.set("a", 5); x.set("b", null); x.set("c", undefined); x.set("d", { toString() { return "o"; } }); x.append(7, 8); return [...x]; });
    out.symbols = [t(() => h.set("a", Symbol())), t(() => h.get(Symbol())), t(() => h.append(Symbol(), "v")), t(() => new Headers({ a: Symbol() })), t(() => new Headers([["a", Symbol()]]))];
    out.notHeaders = ["get", "set", "append", "has", "delete", "entries", "keys", "values", "getSetCookie"].map((m) => [m, t(() => Headers.prototype[m].call({}, "a", "b"))]);
    out.iteratorNotHeaders = t(() => Headers.prototype[Symbol.iterator].call({}));
    out.construct = [5, "x", true, [["a"]], [["a", "b", "c"]], [5], [[1, 2]], new Map([["a", "b"]]), { a: undefined }, { a: null }, [["a", undefined]]].map((i) => t(() => [...new Headers(i)]));
    out.noNew = t(() => Headers());
    out.empty = [t(() => [...new Headers(undefined)]), t(() => [...new Headers(null)])];
    return out;`),
  probe("several Cookie values join with a comma, appended or in an init", `
    const out = {};
    out.append = t(() => { const h = new Headers(); h.append("cookie", "a=1"); h.append("Cookie", " b=2 "); return [h.get("cookie"), [...h]]; });
    out.pairs = t(() => [...new Headers([["cookie", "a=1"], ["x", "1"], ["Cookie", "b=2"]])]);
    out.record = t(() => [...new Headers({ cookie: "a=1", Cookie: "b=2" })]);
    out.request = t(() => [...new Request("http://x/", { headers: [["cookie", "a=1"], ["cookie", "b=2"]] }).headers]);
    out.response = t(() => [...new Response(null, { headers: [["cookie", "a=1"], ["cookie", "b=2"]] }).headers]);
    out.setThenAppend = t(() => { const h = new Headers([["cookie", "a=1"], ["cookie", "b=2"]]); h.set("cookie", "c"); h.append("cookie", "d"); return [...h]; });
    out.copied = t(() => [...new Headers(new Headers([["cookie", "a=1"], ["cookie", "b=2"]]))]);
    out.pastLatin1 = t(() => { const h = new Headers([["cookie", "a=é"], ["cookie", "b=€"]]); h.append("cookie", "c=😀"); return h.get("cookie"); });
    out.badSecond = t(() => { const h = new Headers([["cookie", "a"]]); h.append("cookie", "x\\ny"); });
    out.badLaterPair = [t(() => new Headers([["cookie", "a"], ["a b", "x"], ["cookie", "b\\n"]])), t(() => new Headers([["cookie", "a"], ["cookie", "b\\u0000"], ["a b", "x"]]))];
    out.immutable = t(() => Response.redirect("http://a/").headers.append("cookie", "a"));
    return out;`),
  probe("a name only the runtime's Headers could hold reads as absent", `
    const h = new Headers({ a: "1" });
    const immutable = Response.redirect("http://a/").headers;
    return ["", "é", "Ā", "a\\u0080", "😀", "ÿ", "aé b", "é:", "(é"].map((n) => [n, t(() => h.get(n)), t(() => h.has(n)), t(() => h.delete(n)), t(() => immutable.delete(n)), [...h]]);`),
  probe("a record init reads every key's descriptor before any value", `
    const log = [];
    const p = new Proxy({ b: "1", a: "2" }, {
      ownKeys(target) { log.push("ownKeys"); return Reflect.ownKeys(target); },
      getOwnPropertyDescriptor(target, k) { log.push("describe " + String(k)); return Reflect.getOwnPropertyDescriptor(target, k); },
      get(target, k) { log.push("get " + String(k)); return Reflect.get(target, k); },
    });
    const headers = [...new Headers(p)];
    const viaRequest = [...new Request("http://x/", { headers: p }).headers];
    return [headers, viaRequest, log];`),
];
