// crypto.subtle's ciphers, key agreement, key wrapping and RSA key sizes where they refuse:
// an AES counter, IV or tag of the wrong size, a decryption that fails (the lengths the runtime
// reports), RSA-OAEP, AES-KW wrapping and unwrapping, a derived length past the curve's, RSA
// modulus lengths (checked before any key is generated), HMAC import lengths short of the data's,
// a detached buffer (read as empty), a method called on another receiver; Ed25519 and X25519
// keys, randomUUID and getRandomValues. The runtime's legacy NODE-ED25519 is declared apart.
import { inside } from "../scenario.mjs";

const subtle = (name, body, rest) => inside(`subtle refusals: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    const out = {};
${body}
    return out;`, rest);

export default [
  subtle("Ed25519, X25519, HKDF and PBKDF2 lengths, AES parameters, RSA-OAEP, AES-KW, exports, random values", `
    const enc = new TextEncoder();
    const S = crypto.subtle;
    out.ed25519 = await a(async () => { const k = await S.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]); const sig = await S.sign("Ed25519", k.privateKey, enc.encode("x")); return [sig.byteLength, await S.verify("Ed25519", k.publicKey, sig, enc.encode("x")), k.privateKey.algorithm, k.publicKey.usages]; });
    out.x25519 = await a(async () => { const k1 = await S.generateKey({ name: "X25519" }, true, ["deriveBits"]); const k2 = await S.generateKey({ name: "X25519" }, true, ["deriveBits"]); return [(await S.deriveBits({ name: "X25519", public: k2.publicKey }, k1.privateKey, 256)).byteLength, k1.privateKey.usages, k1.publicKey.usages]; });
    out.x25519Null = await a(async () => { const k1 = await S.generateKey({ name: "X25519" }, true, ["deriveBits"]); return (await S.deriveBits({ name: "X25519", public: k1.publicKey }, k1.privateKey, null)).byteLength; });
    out.x25519Long = await a(async () => { const k1 = await S.generateKey({ name: "X25519" }, true, ["deriveBits"]); return (await S.deriveBits({ name: "X25519", public: k1.publicKey }, k1.privateKey, 512)).byteLength; });
    out.hkdf0 = await a(async () => { const k = await S.importKey("raw", enc.encode("k"), "HKDF", false, ["deriveBits"]); return [(await S.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new Uint8Array() }, k, 0)).byteLength]; });
    out.hkdfOdd = await a(async () => { const k = await S.importKey("raw", enc.encode("k"), "HKDF", false, ["deriveBits"]); return (await S.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new Uint8Array() }, k, 7)).byteLength; });
    out.pbkdf0 = await a(async () => { const k = await S.importKey("raw", enc.encode("k"), "PBKDF2", false, ["deriveBits"]); return (await S.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(8), iterations: 0 }, k, 256)).byteLength; });
    out.pbkdfOdd = await a(async () => { const k = await S.importKey("raw", enc.encode("k"), "PBKDF2", false, ["deriveBits"]); return (await S.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(8), iterations: 1 }, k, 12)).byteLength; });
    out.aesCtr = await a(async () => { const k = await S.generateKey({ name: "AES-CTR", length: 128 }, false, ["encrypt"]); return [await a(() => S.encrypt({ name: "AES-CTR", counter: new Uint8Array(16), length: 0 }, k, new Uint8Array(4))), await a(() => S.encrypt({ name: "AES-CTR", counter: new Uint8Array(8), length: 64 }, k, new Uint8Array(4))), await a(() => S.encrypt({ name: "AES-CTR", counter: new Uint8Array(16), length: 129 }, k, new Uint8Array(4)))]; });
    out.aesGcmTag = await a(async () => { const k = await S.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]); const r = []; for (const tl of [32, 64, 96, 104, 112, 120, 128, 127, 0]) r.push(await a(async () => (await S.encrypt({ name: "AES-GCM", iv: new Uint8Array(12), tagLength: tl }, k, new Uint8Array(4))).byteLength)); r.push(await a(async () => (await S.encrypt({ name: "AES-GCM", iv: new Uint8Array(0) }, k, new Uint8Array(4))).byteLength)); return r; });
    out.aesCbcIv = await a(async () => { const k = await S.importKey("raw", new Uint8Array(16), "AES-CBC", false, ["encrypt", "decrypt"]); return [await a(() => S.encrypt({ name: "AES-CBC", iv: new Uint8Array(15) }, k, new Uint8Array(4))), await a(() => S.decrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, k, new Uint8Array(5))), await a(() => S.decrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, k, new Uint8Array(16)))]; });
    out.aesKw = await a(async () => { const kw = await S.generateKey({ name: "AES-KW", length: 128 }, true, ["wrapKey", "unwrapKey"]); const k = await S.generateKey({ name: "HMAC", hash: "SHA-256", length: 72 }, true, ["sign"]); return [await a(async () => (await S.wrapKey("raw", k, kw, "AES-KW")).byteLength), kw.algorithm, k.algorithm]; });
    out.exportNonExtractable = await a(async () => { const k = await S.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]); return S.exportKey("raw", k); });
    out.ecdsaP521 = await a(async () => { const k = await S.generateKey({ name: "ECDSA", namedCurve: "P-521" }, true, ["sign", "verify"]); const s = await S.sign({ name: "ECDSA", hash: "SHA-512" }, k.privateKey, new Uint8Array(3)); return [s.byteLength, (await S.exportKey("raw", k.publicKey)).byteLength, (await S.exportKey("jwk", k.privateKey)).crv]; });
    out.rsaOaep = await a(async () => { const k = await S.generateKey({ name: "RSA-OAEP", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-1" }, true, ["encrypt", "decrypt"]); const c = await S.encrypt({ name: "RSA-OAEP", label: new Uint8Array(2) }, k.publicKey, new Uint8Array(200)); return c.byteLength; });
    out.rsaSmall = await a(async () => (await S.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 256, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"])).privateKey.algorithm.modulusLength);
    out.rsaExp3 = await a(async () => (await S.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([3]), hash: "SHA-256" }, true, ["sign"])).privateKey.algorithm.publicExponent);
    out.rsaExp = await a(async () => (await S.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([0, 1, 0, 1]), hash: "SHA-256" }, true, ["sign"])).privateKey.algorithm.publicExponent);
    out.hmacEmpty = await a(async () => S.importKey("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    out.hmacLen = await a(async () => (await S.importKey("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256", length: 25 }, false, ["sign"])).algorithm);
    out.digestEmpty = await a(async () => hex(new Uint8Array(await S.digest("SHA-256", new ArrayBuffer(0)))));
    out.digestDetached = await a(async () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); return hex(new Uint8Array(await S.digest("SHA-1", b))); });
    out.randomUUIDfmt = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
    out.grv = [t(() => crypto.getRandomValues(new Float32Array(1))), t(() => crypto.getRandomValues(new BigInt64Array(1)).length), t(() => crypto.getRandomValues(new Uint8ClampedArray(2)).length), t(() => crypto.getRandomValues(new DataView(new ArrayBuffer(2)))), t(() => crypto.getRandomValues(new Uint8Array(65537))), t(() => crypto.getRandomValues(new Uint32Array(16385))), t(() => crypto.getRandomValues(new ArrayBuffer(2))), t(() => crypto.getRandomValues(new Float64Array(0)))];
    out.grvReceiver = t(() => { const f = crypto.getRandomValues; return f(new Uint8Array(1)).length; });
    out.subtleRecv = await a(() => { const f = crypto.subtle.digest; return f("SHA-1", new Uint8Array(1)); });
    out.cryptoKeyCtor = t(() => new CryptoKey());
    out.subtleCtor = t(() => new SubtleCrypto());
    out.cryptoCtor = t(() => new Crypto());`),
  subtle("decryptions that fail, counters, derived lengths, RSA modulus lengths, HMAC import lengths, AES-KW, receivers, detached buffers", `
    const S = crypto.subtle;
    out.cbc = await a(async () => { const k = await S.generateKey({ name: "AES-CBC", length: 128 }, false, ["decrypt"]); const r = []; for (const n of [0, 1, 16, 32, 33]) r.push(await a(() => S.decrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, k, new Uint8Array(n)))); r.push(await a(() => S.decrypt({ name: "AES-CBC", iv: new Uint8Array(17) }, k, new Uint8Array(16)))); return r; });
    out.gcmDecrypt = await a(async () => { const k = await S.generateKey({ name: "AES-GCM", length: 128 }, false, ["decrypt"]); const r = []; for (const n of [0, 8, 16, 32]) r.push(await a(() => S.decrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, k, new Uint8Array(n)))); r.push(await a(() => S.decrypt({ name: "AES-GCM", iv: new Uint8Array(12), tagLength: 96 }, k, new Uint8Array(8)))); return r; });
    out.ctrDecrypt = await a(async () => { const k = await S.generateKey({ name: "AES-CTR", length: 128 }, false, ["decrypt"]); return [await a(() => S.decrypt({ name: "AES-CTR", counter: new Uint8Array(17), length: 64 }, k, new Uint8Array(3))), await a(() => S.decrypt({ name: "AES-CTR", counter: new Uint8Array(16), length: -1 }, k, new Uint8Array(3)))]; });
    out.ecdhLong = await a(async () => { const k = await S.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]); return [await a(async () => (await S.deriveBits({ name: "ECDH", public: k.publicKey }, k.privateKey, 512)).byteLength), await a(async () => (await S.deriveBits({ name: "ECDH", public: k.publicKey }, k.privateKey, 264)).byteLength), await a(async () => (await S.deriveBits({ name: "ECDH", public: k.publicKey }, k.privateKey, 12)).byteLength)]; });
    out.x25519Sizes = await a(async () => { const k = await S.generateKey({ name: "X25519" }, true, ["deriveBits"]); const r = []; for (const n of [0, 8, 12, 255, 257, 264]) r.push(await a(async () => (await S.deriveBits({ name: "X25519", public: k.publicKey }, k.privateKey, n)).byteLength)); return r; });
    out.rsaSizes = await a(async () => { const r = []; for (const m of [0, 256, 511, 512, 1000, 1023, 1025, 16384 + 8]) r.push(await a(async () => (await S.generateKey({ name: "RSA-PSS", modulusLength: m, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"])).privateKey.algorithm.modulusLength)); return r; });
    out.rsaOaepDecrypt = await a(async () => { const k = await S.generateKey({ name: "RSA-OAEP", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["encrypt", "decrypt"]); return [await a(() => S.decrypt({ name: "RSA-OAEP" }, k.privateKey, new Uint8Array(128))), await a(() => S.decrypt({ name: "RSA-OAEP" }, k.privateKey, new Uint8Array(5))), await a(async () => (await S.encrypt({ name: "RSA-OAEP" }, k.publicKey, new Uint8Array(62))).byteLength), await a(async () => (await S.encrypt({ name: "RSA-OAEP" }, k.publicKey, new Uint8Array(63))).byteLength)]; });
    out.hmacLens = await a(async () => { const r = []; for (const l of [1, 24, 25, 31, 32, 33, 40]) r.push(await a(async () => (await S.importKey("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256", length: l }, false, ["sign"])).algorithm.length)); return r; });
    out.kw = await a(async () => { const kw = await S.generateKey({ name: "AES-KW", length: 128 }, true, ["wrapKey", "unwrapKey"]); const r = []; for (const bits of [64, 72, 128, 136]) { const k = await S.importKey("raw", new Uint8Array(Math.ceil(bits / 8)), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]); r.push(await a(async () => (await S.wrapKey("raw", k, kw, "AES-KW")).byteLength)); } r.push(await a(() => S.unwrapKey("raw", new Uint8Array(24), kw, "AES-KW", { name: "HMAC", hash: "SHA-256" }, true, ["sign"]))); r.push(await a(() => S.unwrapKey("raw", new Uint8Array(20), kw, "AES-KW", { name: "HMAC", hash: "SHA-256" }, true, ["sign"]))); return r; });
    out.recv = await a(() => crypto.subtle.digest.call({}, "SHA-1", new Uint8Array(1)));
    out.recv2 = await a(() => crypto.subtle.importKey.call(undefined, "raw", new Uint8Array(1), "HKDF", false, ["deriveBits"]));
    out.recv3 = t(() => crypto.getRandomValues.call({}, new Uint8Array(1)));
    out.recv4 = t(() => crypto.randomUUID.call({}));
    out.detached = await a(async () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); const k = await S.importKey("raw", new Uint8Array(16), "AES-GCM", false, ["encrypt"]); return [await a(async () => hex(new Uint8Array(await S.digest("SHA-1", new Uint8Array(b))))), await a(async () => (await S.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, k, b)).byteLength), await a(async () => S.importKey("raw", b, "HKDF", false, ["deriveBits"]))]; });`),
  subtle("the legacy NODE-ED25519 algorithm", `
    out.generated = await a(async () => (await crypto.subtle.generateKey({ name: "NODE-ED25519", namedCurve: "NODE-ED25519" }, true, ["sign", "verify"])).publicKey.algorithm);`, {
    differs: "workerd still takes Cloudflare's pre-standard Ed25519 name (NODE-ED25519 with namedCurve NODE-ED25519); durasim's webcrypto is Node's, which knows only the standard Ed25519 (README 'Differences from production')",
  }),
];
