// CryptoKeys as the runtime shows them: usages in Web Crypto's order whatever order they were
// given in, an exported JSON Web Key with every member of the runtime's dictionary in its order
// (those the key lacks undefined), an Ed25519 key's "alg" EdDSA, and a key used for what its
// usages do not list, or given none, refused in the runtime's words.
import { inside } from "../scenario.mjs";

export default [
  inside("crypto keys: usages in the runtime's order, an exported JWK's members in the runtime's order (absent ones undefined), refusals of a key's usages in its words", "sqlite", `
    const sc = crypto.subtle;
    const o = (f) => outcome(f);
    const jwk = async (key) => { const j = await sc.exportKey("jwk", key); return [Object.keys(j), Object.keys(j).filter((k) => j[k] !== undefined).map((k) => [k, typeof j[k] === "string" && j[k].length > 20 ? "long" : j[k]]), JSON.stringify(j).replace(/"(k|x|y|d)":"[^"]+"/g, '"$1":"…"')]; };
    const hmac = await sc.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, true, ["verify", "sign"]);
    const ec = await sc.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["verify", "sign"]);
    const aes = await sc.generateKey({ name: "AES-GCM", length: 128 }, true, ["unwrapKey", "decrypt", "wrapKey", "encrypt"]);
    const ed = await sc.generateKey({ name: "Ed25519" }, true, ["verify", "sign"]);
    const signOnly = await sc.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
    return {
      usages: [hmac.usages, ec.privateKey.usages, ec.publicKey.usages, aes.usages, hmac.usages === hmac.usages],
      hmac: await jwk(hmac),
      ecPrivate: await jwk(ec.privateKey),
      aes: await jwk(aes),
      ed25519: await jwk(ed.publicKey),
      wrongUsage: [await o(() => sc.verify("HMAC", signOnly, new Uint8Array(32), new Uint8Array(1))), await o(() => sc.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, ec.publicKey, new Uint8Array(1)))],
      noUsages: [await o(() => sc.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, true, [])), await o(() => sc.generateKey({ name: "HMAC", hash: "SHA-256" }, true, [])), await o(() => sc.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, []))],
    };`),
];
