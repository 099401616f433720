// The runtime tells its host objects by what they are (their C++ kind), not by their prototype:
// an object made with Object.create(Headers.prototype) holds nothing of a Headers, and is
// stored, cloned and sent as the plain object it is.
import { both, cls, inside } from "../scenario.mjs";

const FAKES = `
  const fakes = Object.fromEntries(["TextDecoder", "TextEncoder", "URL", "URLSearchParams", "Headers", "Request", "Response", "Blob", "File",
    "AbortController", "Event", "ReadableStream", "WritableStream", "TransformStream", "CompressionStream"].map((name) => [name, Object.create(globalThis[name].prototype)]));
  const shape = (v) => [Object.prototype.toString.call(v), Object.getPrototypeOf(v) === Object.prototype, JSON.stringify(v)];
  const outcome = async (f) => { try { return shape(await f()); } catch (e) { return [e.name, e.message]; } };
`;

export default [
  inside("host kinds: an object with a host class's prototype alone is stored and cloned as a plain object", "sqlite", `${FAKES}
  const out = {};
  for (const [name, fake] of Object.entries(fakes)) {
    out[name] = [await outcome(async () => { await s.put("k", { fake }); return (await s.get("k")).fake; }), await outcome(() => structuredClone(fake))];
  }
  return out;
`),
  both({
    name: "host kinds: an object with a host class's prototype alone, sent over RPC",
    source: cls(`  take(v) { return Object.prototype.toString.call(v) + " " + JSON.stringify(v); }`),
    drive: `async function drive(env) {${FAKES}
      const stub = env.DO.getByName("a");
      const out = {};
      for (const [name, fake] of Object.entries(fakes)) {
        try { out[name] = await stub.take(fake); } catch (e) { out[name] = [e.name, e.message]; }
      }
      return out;
    }`,
  }, { kv: { name: "unused" } })[0],
];
