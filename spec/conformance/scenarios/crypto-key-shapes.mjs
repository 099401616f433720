// CryptoKeys and key pairs as the runtime's subtle methods make them: a key holds `usages`,
// `algorithm`, `extractable` and `type` as own read-only, enumerable data properties (so
// Object.keys() lists them and JSON.stringify() writes them), whichever method made it; a pair
// is a plain object with `publicKey` first, for every algorithm.
import { inside } from "../scenario.mjs";

export default [
  inside("crypto key shapes: own members of keys, and key pairs, as generateKey, importKey, deriveKey and unwrapKey make them", "sqlite", `
    const subtle = crypto.subtle;
    const shape = (k) => { const d = Object.getOwnPropertyDescriptors(k); return [Object.keys(d).map((n) => [n, "value" in d[n] ? typeof d[n].value : "accessor", d[n].writable, d[n].enumerable, d[n].configurable]), JSON.stringify(k), k.usages === k.usages]; };
    const pair = (p) => [Object.getPrototypeOf(p) === Object.prototype, Object.keys(p), shape(p.publicKey)[1], shape(p.privateKey)[1]];
    const aes = await subtle.generateKey({ name: "AES-GCM", length: 128 }, true, ["decrypt", "encrypt"]);
    const hmac = await subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["verify", "sign"]);
    const hmacJwk = await subtle.importKey("jwk", { kty: "oct", k: "AAAA", alg: "HS256" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
    const base = await subtle.importKey("raw", new Uint8Array(16), "PBKDF2", false, ["deriveKey"]);
    const derived = await subtle.deriveKey({ name: "PBKDF2", salt: new Uint8Array(8), iterations: 10, hash: "SHA-256" }, base, { name: "AES-CBC", length: 128 }, true, ["encrypt"]);
    const wrapper = await subtle.generateKey({ name: "AES-KW", length: 128 }, false, ["wrapKey", "unwrapKey"]);
    const wrapped = await subtle.wrapKey("raw", aes, wrapper, "AES-KW");
    const unwrapped = await subtle.unwrapKey("raw", wrapped, wrapper, "AES-KW", "AES-GCM", true, ["encrypt"]);
    return {
      aes: shape(aes), hmac: shape(hmac), hmacJwk: shape(hmacJwk), base: shape(base), derived: shape(derived), unwrapped: shape(unwrapped),
      ed25519: pair(await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])),
      x25519: pair(await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"])),
      ecdsa: pair(await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])),
      rsa: pair(await subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])),
      assigned: (() => { try { aes.type = "x"; return aes.type; } catch (e) { return err(e); } })(),
      prototype: Object.getOwnPropertyNames(Object.getPrototypeOf(aes)),
      cloned: (() => { try { return Object.keys(structuredClone(aes)); } catch (e) { return err(e); } })(),
      stored: await (async () => { try { await s.put("k", aes); return Object.keys(await s.get("k")); } catch (e) { return err(e); } })(),
    };`),
];
