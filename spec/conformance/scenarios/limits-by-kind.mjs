// The KV backend's key and value limits found by a binary search over the length of each kind
// of key and value: the longest key and the largest value of each kind that a put() takes, and
// the refusal one step over. The sizes are V8's serialisation (string encodings, tags, varints,
// typed-array headers, an object's keys), which durasim writes as workerd writes it. An Error
// is left out: it is stored with its stack, which names where the code runs.
import { inside } from "../scenario.mjs";

/**
 * Method-body text of `longest(make, hi, fits)`: the largest n <= hi for which `fits(make(n))`
 * resolves true (false: refused with the size error; anything else thrown ends the search with it).
 */
const LONGEST = `const longest = async (make, hi, fits) => {
      let lo = 0;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (await fits(make(mid))) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };`;

export default [
  inside("limits by kind: the longest key of each kind of character the KV backend takes (2048 UTF-8 bytes, a lone surrogate three)", "kv", `
    const kinds = {
      ascii: (n) => "k".repeat(n),
      nul: (n) => "\\u0000".repeat(n),
      latin1: (n) => "\\u00e9".repeat(n),
      bmp: (n) => "\\u4e2d".repeat(n),
      astral: (n) => "😀".repeat(n),
      loneHigh: (n) => "\\ud800".repeat(n),
      loneLow: (n) => "\\udfff".repeat(n),
      reversedPair: (n) => "\\udc00\\ud800".repeat(n),
      mixed: (n) => "a\\u00e9\\u4e2d😀".repeat(n),
    };
    ${LONGEST}
    const fits = async (key) => { try { await s.put(key, 1); await s.delete(key); return true; } catch (e) { if (/Keys cannot be larger/.test(e.message)) return false; throw e; } };
    const out = {};
    for (const [k, make] of Object.entries(kinds)) {
      const n = await longest(make, 2100, fits);
      out[k] = [n, (await outcome(() => s.get(make(n + 1)))).error?.message];
    }
    return out;`),
  inside("limits by kind: the largest value of each kind the KV backend stores (its V8 serialisation within 131072 + 34 bytes)", "kv", `
    const kinds = {
      latin1: (n) => "x".repeat(n),
      twoByte: (n) => "\\u0100".repeat(n),
      emoji: (n) => "😀".repeat(n),
      u8: (n) => new Uint8Array(n),
      ab: (n) => new ArrayBuffer(n),
      dv: (n) => new DataView(new ArrayBuffer(n)),
      f64: (n) => new Float64Array(n),
      smis: (n) => Array.from({ length: n }, (_, i) => i % 100),
      doubles: (n) => Array.from({ length: n }, (_, i) => i + 0.5),
      sparse: (n) => { const a = []; a[n] = 1; return a; },
      objectKeys: (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => ["k" + i, i])),
      map: (n) => new Map(Array.from({ length: n }, (_, i) => [i, "v"])),
      set: (n) => new Set(Array.from({ length: n }, (_, i) => "s" + i)),
      bigints: (n) => Array.from({ length: n }, (_, i) => BigInt(i) * 10n ** 30n),
      dates: (n) => Array.from({ length: n }, (_, i) => new Date(i)),
      nested: (n) => { let v = "x".repeat(n); for (let i = 0; i < 50; i++) v = { v }; return v; },
      boxed: (n) => new String("x".repeat(n)),
      regexp: (n) => new RegExp("x".repeat(n)),
    };
    ${LONGEST}
    const fits = async (value) => { try { await s.put("v", value); return true; } catch (e) { if (/Values cannot be larger/.test(e.message)) return false; throw e; } };
    const out = {};
    for (const [k, make] of Object.entries(kinds)) {
      const n = await longest(make, 140000, fits);
      out[k] = [n, (await outcome(() => s.put("v", make(n + 1)))).error?.message ?? "stored"];
    }
    return out;`, { timeoutMs: 30000 }),
];
