// crypto.DigestStream, the runtime's WritableStream that hashes what is written to it: a
// constructor on Crypto's prototype, its instances' digest (a promise of an ArrayBuffer, the
// abort reason when aborted) and bytesWritten (a bigint), the digest names digest() takes, and
// the runtime's refusals of a missing algorithm, a call without new and a chunk of no bytes.
import { inside } from "../scenario.mjs";
export default [
  inside("crypto: DigestStream hashes what is written (strings as UTF-8, pipes), counts bytesWritten, and refuses what the runtime refuses", "sqlite", `
    const t = async (f) => { try { const v = await f(); return { ok: v }; } catch (e) { return { error: err(e) }; } };
    const D = crypto.DigestStream;
    const proto = Object.getPrototypeOf(crypto);
    const dd = Object.getOwnPropertyDescriptor(proto, "DigestStream");
    const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
    const r = {
      own: Object.hasOwn(crypto, "DigestStream"), protoDesc: dd ? { get: typeof dd.get, value: typeof dd.value, e: dd.enumerable, w: dd.writable, c: dd.configurable } : "none",
      name: D.name, len: D.length, parent: Object.getPrototypeOf(D.prototype) === WritableStream.prototype,
      keys: Object.getOwnPropertyNames(D.prototype).join(","),
      tag: Object.prototype.toString.call(new D("SHA-256")),
    };
    r.sha = await t(async () => { const s = new D("SHA-256"); const w = s.getWriter(); await w.write(new TextEncoder().encode("ab")); await w.write(new Uint8Array([99])); await w.close(); return hex(await s.digest); });
    r.md5 = await t(async () => { const s = new D("md5"); const w = s.getWriter(); await w.write(new Uint8Array([1])); await w.close(); return hex(await s.digest); });
    r.obj = await t(async () => { const s = new D({ name: "SHA-1" }); const w = s.getWriter(); await w.close(); const d = await s.digest; return [d.constructor.name, hex(d)]; });
    r.bad = await t(() => new D("SHA-3"));
    r.none = await t(() => new D());
    r.call = await t(() => D("SHA-256"));
    r.str = await t(async () => { const s = new D("SHA-256"); const w = s.getWriter(); await w.write("é"); await w.close(); return [hex(await s.digest), String(s.bytesWritten)]; });
    r.num = await t(async () => { const s = new D("SHA-256"); const w = s.getWriter(); await w.write(123); return "wrote"; });
    r.getter = await t(() => Object.getOwnPropertyDescriptor(D.prototype, "digest").get.call({}));
    r.pipe = await t(async () => { const s = new D("sha-512"); await new Response("hello").body.pipeTo(s); return [hex(await s.digest).slice(0, 16), String(s.bytesWritten)]; });
    r.bytesWritten = await t(async () => { const s = new D("SHA-256"); const w = s.getWriter(); await w.write(new Uint8Array(5)); return String(s.bytesWritten); });
    r.abort = await t(async () => { const s = new D("SHA-256"); const w = s.getWriter(); await w.abort(new Error("stop")); return await s.digest; });
    return r;`),
];
