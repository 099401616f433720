// crypto.subtle's arguments as the runtime's binding converts them: each in order, before any
// algorithm name, format or usage is looked at; a key that is no CryptoKey, data that is no
// BufferSource, a usage list that is no Array refused in its words; an algorithm left out, or
// given as undefined or null, refused as its dictionary; importKey()'s data of the wrong kind for
// its format refused before the algorithm's name.
import { inside } from "../scenario.mjs";

const P = (name, body) => inside(name, "sqlite", `const t = (f) => outcomeSync(f);
    const key = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    const aes = await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "AES-GCM" }, true, ["encrypt", "decrypt", "wrapKey", "unwrapKey"]);
    const u8 = new Uint8Array(1);
    const o = (f) => outcome(f);
${body}`);

export default [
  P("subtle arguments: data that is no BufferSource, a key that is no CryptoKey, a usage list that is no Array, an extractable left out, refused in the runtime's words before any name is looked at", `
    return {
      digest: await Promise.all([["SHA-256", "abc"], ["SHA-256"], ["SHA-256", null], ["SHA-256", 1], ["SHA-256", new SharedArrayBuffer(1)], ["SHA-256", [1]], ["no such digest", "abc"], [5, "x"]].map((a) => o(() => crypto.subtle.digest(...a)))),
      sharedView: await o(() => crypto.subtle.digest("SHA-256", new Uint8Array(new SharedArrayBuffer(1)))),
      sign: await Promise.all([[{ name: "HMAC" }, key, "x"], [{ name: "HMAC" }, key], ["HMAC", {}, u8], ["HMAC", {}, "x"], ["X", key, "x"], ["AES-GCM", key, "x"]].map((a) => o(() => crypto.subtle.sign(...a)))),
      verify: await Promise.all([["HMAC", key, "x", u8], ["HMAC", key, u8, "x"], ["HMAC", key, u8]].map((a) => o(() => crypto.subtle.verify(...a)))),
      encrypt: await Promise.all([[{ name: "AES-GCM", iv: new Uint8Array(12) }, aes, "x"], [{ name: "AES-GCM", iv: new Uint8Array(12) }, aes]].map((a) => o(() => crypto.subtle.encrypt(...a)))),
      decrypt: await o(() => crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, aes, null)),
      generateKey: await Promise.all([[{ name: "HMAC", hash: "SHA-256" }], [{ name: "HMAC", hash: "SHA-256" }, false, "sign"], [{ name: "HMAC", hash: "SHA-256" }, false, new Set(["sign"])], ["X", false, "sign"]].map((a) => o(() => crypto.subtle.generateKey(...a)))),
      exportKey: await Promise.all([["raw"], ["raw", {}], ["x", {}]].map((a) => o(() => crypto.subtle.exportKey(...a)))),
      deriveBits: await o(() => crypto.subtle.deriveBits({ name: "HKDF" })),
      deriveKey: await o(() => crypto.subtle.deriveKey({ name: "HKDF" }, {}, "x", false, [])),
      wrapKey: await Promise.all([["raw", aes], ["raw", aes, {}, "AES-KW"]].map((a) => o(() => crypto.subtle.wrapKey(...a)))),
      unwrapKey: await Promise.all([["raw", "x", aes, "AES-KW", "AES-GCM", false, []], ["raw", u8, aes, "AES-KW", "AES-GCM", false]].map((a) => o(() => crypto.subtle.unwrapKey(...a)))),
      importKey: await Promise.all([["raw", "abc", { name: "HMAC", hash: "SHA-256" }, false, ["sign"]], ["raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, "sign"], ["raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false], ["x", "abc", "HMAC", false, ["sign"]], ["x"], ["raw", null, "HMAC", false, ["sign"]], ["jwk", "x", "HMAC", false, ["sign"]], ["raw", u8, "X", false, "sign"]].map((a) => o(() => crypto.subtle.importKey(...a)))),
      extractableTruthy: await o(async () => (await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, "yes", ["sign"])).extractable),
    };`),
  P("subtle arguments: an algorithm left out, or given as undefined or null, is refused as its dictionary for every method; a Symbol in V8's words; importKey()'s data of the wrong kind for its format before the algorithm's name", `
    const out = { missing: { sign: await o(() => crypto.subtle.sign()), generateKey: await o(() => crypto.subtle.generateKey()), digest: await o(() => crypto.subtle.digest()) } };
    for (const v of [undefined, null]) {
      out[String(v)] = {
        encrypt: await o(() => crypto.subtle.encrypt(v, key, u8)), decrypt: await o(() => crypto.subtle.decrypt(v, key, u8)), sign: await o(() => crypto.subtle.sign(v, key, u8)), verify: await o(() => crypto.subtle.verify(v, key, u8, u8)),
        digest: await o(() => crypto.subtle.digest(v, u8)), generateKey: await o(() => crypto.subtle.generateKey(v, false, [])),
        deriveKey: await o(() => crypto.subtle.deriveKey(v, key, "AES-GCM", false, [])), derivedKeyAlgorithm: await o(() => crypto.subtle.deriveKey("HKDF", key, v, false, [])),
        deriveBits: await o(() => crypto.subtle.deriveBits(v, key, 8)), importKey: await o(() => crypto.subtle.importKey("raw", u8, v, false, [])),
        wrapKey: await o(() => crypto.subtle.wrapKey("raw", key, key, v)), unwrapAlgorithm: await o(() => crypto.subtle.unwrapKey("raw", u8, key, v, "HMAC", false, [])), unwrappedKeyAlgorithm: await o(() => crypto.subtle.unwrapKey("raw", u8, key, "AES-KW", v, false, [])),
      };
    }
    out.symbol = await o(() => crypto.subtle.digest(Symbol(), u8));
    out.symbolFormat = await o(() => crypto.subtle.importKey(Symbol(), u8, "HMAC", false, []));
    out.jwkGivenBytes = await o(() => crypto.subtle.importKey("jwk", u8, "X", false, []));
    out.rawGivenObject = await o(() => crypto.subtle.importKey("raw", {}, "X", false, []));
    out.unknownFormatFirst = await o(() => crypto.subtle.importKey("x", {}, "X", false, []));
    return out;`),
];
