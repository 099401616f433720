// crypto.subtle's algorithm names as the runtime matches them: ASCII only, ignoring ASCII case
// (Node's webcrypto folds all of Unicode: "\u017Fha-256" is SHA-256 there), a name the key's
// algorithm does not have refused first, and EC curve names matched ignoring ASCII case.
import { inside } from "../scenario.mjs";

const subtle = (name, body) => inside(`subtle names: ${name}`, "sqlite", `
  const outcome = async (f) => { try { return ["ok", await f()]; } catch (e) { return [e.constructor.name, e.name, e.message]; } };
${body}`);

export default [
  subtle("generateKey() of algorithms that only import or derive, and of names it does not know", `
  const out = {};
  const kind = (made) => (made.type ?? Object.keys(made).join());
  for (const [name, usages] of [["HKDF", ["deriveBits"]], ["HKDF", ["sign", "verify"]], ["pbkdf2", ["deriveKey"]], ["PBKDF2", ["encrypt"]], ["HKDF", []], ["SHA-256", ["sign"]], ["MD5", ["sign"]], ["FOO", ["sign"]], ["x25519", ["deriveBits"]]]) {
    out[name + " " + usages] = [await outcome(async () => kind(await crypto.subtle.generateKey(name, true, usages))), await outcome(async () => kind(await crypto.subtle.generateKey({ name, hash: "SHA-256" }, false, usages))), await outcome(async () => kind(await crypto.subtle.generateKey({ name }, true, usages)))];
  }
  return out;
`),
  subtle("digest() names", `
  const data = new Uint8Array([1, 2]);
  const out = {};
  for (const name of ["SHA-256", "sha-256", "\\u017Fha-256", "\\u017FHA-1", "SHA-256 ", "SHA3-256", "\\u212Ad5", "md5", "FOO"]) {
    out[name] = [await outcome(async () => (await crypto.subtle.digest(name, data)).byteLength), await outcome(async () => (await crypto.subtle.digest({ name }, data)).byteLength)];
  }
  out.number = await outcome(() => crypto.subtle.digest(5, data));
  return out;
`),
  subtle("importKey() and generateKey() names, hashes and curves", `
  const raw = new Uint8Array(16);
  const out = {};
  for (const [name, usages] of [["HMAC", ["sign"]], ["hmac", ["sign"]], ["HMA\\u0421", ["sign"]], ["PB\\u212ADF2", ["deriveBits"]], ["H\\u212ADF", ["deriveBits"]], ["AES-\\u212AW", ["wrapKey"]], ["RSA-P\\u017FS", ["sign"]], ["ECD\\u017FA", ["sign"]], ["aes-gcm", ["encrypt"]]]) {
    out["import " + name] = await outcome(async () => (await crypto.subtle.importKey("raw", raw, name.toLowerCase().startsWith("hma") ? { name, hash: "SHA-256" } : name, false, usages)).algorithm.name);
  }
  for (const hash of ["sha-256", "\\u017FHA-256", { name: "\\u017Fha-1" }]) {
    out["hmac hash " + JSON.stringify(hash)] = await outcome(async () => (await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash }, false, ["sign"])).algorithm.hash.name);
  }
  out.generate = await outcome(async () => (await crypto.subtle.generateKey({ name: "AE\\u017F-GCM", length: 128 }, true, ["encrypt"])).algorithm.name);
  out.generateLower = await outcome(async () => (await crypto.subtle.generateKey({ name: "aes-gcm", length: 128 }, true, ["encrypt"])).algorithm.name);
  out.generateEc = await outcome(async () => (await crypto.subtle.generateKey({ name: "ECD\\u017FA", namedCurve: "P-256" }, true, ["sign"])).privateKey.algorithm.name);
  out.rsaHash = await outcome(async () => (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "\\u017FHA-256" }, false, ["sign"])).privateKey.algorithm.name);
  for (const [name, namedCurve, usages] of [["ECDSA", "p-256", ["sign"]], ["ECDSA", "p-384", ["sign"]], ["ECDH", "p-521", ["deriveBits"]], ["ECDSA", "P-256\\u017F", ["sign"]]]) {
    out[name + " " + namedCurve] = await outcome(async () => (await crypto.subtle.generateKey({ name, namedCurve }, true, usages)).privateKey.algorithm.namedCurve);
  }
  return out;
`),
  subtle("a name the key's algorithm does not have", `
  const raw = new Uint8Array(16);
  const data = new Uint8Array(1);
  const aes = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "wrapKey"]);
  const hmac = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const pbkdf2 = await crypto.subtle.importKey("raw", raw, "PBKDF2", false, ["deriveBits"]);
  const iv = new Uint8Array(12);
  return {
    encrypt: await outcome(() => crypto.subtle.encrypt({ name: "AE\\u017F-GCM", iv }, aes, data)),
    encryptOther: await outcome(() => crypto.subtle.encrypt({ name: "FOO", iv }, aes, data)),
    encryptLower: await outcome(async () => (await crypto.subtle.encrypt({ name: "aes-gcm", iv }, aes, data)).byteLength),
    sign: await outcome(() => crypto.subtle.sign("HMA\\u0421", hmac, data)),
    signObject: await outcome(() => crypto.subtle.sign({ name: "FOO" }, hmac, data)),
    signLower: await outcome(async () => (await crypto.subtle.sign("hmac", hmac, data)).byteLength),
    derive: await outcome(() => crypto.subtle.deriveBits({ name: "PB\\u212ADF2", hash: "SHA-256", salt: data, iterations: 1 }, pbkdf2, 8)),
    deriveHash: await outcome(() => crypto.subtle.deriveBits({ name: "PBKDF2", hash: "\\u017FHA-256", salt: data, iterations: 1 }, pbkdf2, 8)),
    wrap: await outcome(() => crypto.subtle.wrapKey("raw", aes, aes, { name: "AE\\u017F-GCM", iv })),
  };
`),
];
