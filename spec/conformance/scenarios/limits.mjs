// Checklist §10.12: KV-backend limits with exact RangeErrors (kv only), and the same inputs
// accepted by the SQLite backend. Local workerd (inMemory) checks the value size as the
// serialized size <= 131072 + 34 bytes (§9); the message still says 131072.
import { inside } from "../scenario.mjs";

/** The same body on both backends: the kv record shows the limits, the sqlite one that
 * they do not apply. */
const limit = (name, body) => ["kv", "sqlite"].map((b) => inside(`limits: ${name} [${b}]`, b, body));

export default [
  ...limit("key size at 2048 UTF-8 bytes", `
    const keys = { ascii2048: "k".repeat(2048), ascii2049: "k".repeat(2049), twoByte2048: "é".repeat(1024),
      twoByte2050: "é".repeat(1025), emoji2048: "😀".repeat(512), emojiStraddle: "k".repeat(2046) + "😀", big5000: "k".repeat(5000) };
    const out = {};
    for (const [k, key] of Object.entries(keys)) out[k] = await outcome(() => s.put(key, 1));
    return out;`),
  ...limit("oversized keys in get, delete, list and put(entries)", `
    const big = "k".repeat(2049);
    return {
      get: await outcome(() => s.get(big)),
      getMany: await outcome(() => s.get(["a", big])),
      delete: await outcome(() => s.delete(big)),
      deleteMany: await outcome(() => s.delete([big])),
      putEntries: await outcome(() => s.put({ [big]: 1 })),
      listStart: await outcome(async () => (await s.list({ start: big })).size),
      listPrefix: await outcome(async () => (await s.list({ prefix: big })).size),
    };`),
  ...limit("value size boundary", `
    const lengths = [131072, 131100, 131101, 131102, 200000];
    const out = {};
    for (const n of lengths) out["string" + n] = await outcome(() => s.put("v", "x".repeat(n)));
    out.bytes131072 = await outcome(() => s.put("b", new Uint8Array(131072)));
    out.bytes131080 = await outcome(() => s.put("b", new Uint8Array(131080)));
    out.twoByteString = await outcome(() => s.put("u", "é".repeat(70000)));
    out.inEntries = await outcome(() => s.put({ small: 1, large: "x".repeat(131101) }));
    out.smallWritten = show(await s.get("small"));
    return out;`),
  ...limit("which check refuses a write first: serialisation, then each entry's key and value size", `
    const long = "k".repeat(2049), big = "v".repeat(140000), fn = () => 1;
    return {
      longKeyUncloneable: await outcome(() => s.put(long, fn)),
      longKeyBigValue: await outcome(() => s.put(long, big)),
      entriesLongKeyThenUncloneable: await outcome(() => s.put({ [long]: 1, b: fn })),
      entriesBigValueThenLongKey: await outcome(() => s.put({ b: big, [long]: 1 })),
      entriesLongKeyThenBigValue: await outcome(() => s.put({ [long]: 1, b: big })),
      entriesBigValueThenUncloneable: await outcome(() => s.put({ b: big, c: [fn] })),
      transactionLongKeyUncloneable: await outcome(() => s.transaction((txn) => txn.put(long, fn))),
      keys: [...(await s.list()).keys()],
    };`),
  ...limit("number of keys per operation", `
    const keys = (n) => Array.from({ length: n }, (_, i) => "k" + i);
    return {
      get128: await outcome(async () => (await s.get(keys(128))).size),
      get129: await outcome(async () => (await s.get(keys(129))).size),
      put200: await outcome(() => s.put(Object.fromEntries(keys(200).map((k) => [k, 1])))),
      get200AfterPut: await outcome(async () => (await s.get(keys(200))).size),
      delete200: await outcome(() => s.delete(keys(200))),
      get129Duplicates: await outcome(async () => (await s.get(Array(129).fill("k0"))).size),
    };`),
];
