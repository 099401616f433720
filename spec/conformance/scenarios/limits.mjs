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
  // Found by spec/conformance/fuzz-kv.mjs: the KV backend refuses an oversized key to delete()
  // by throwing at the call, not with a rejected promise as get() and put() do.
  ...limit("an oversized key to delete() throws at the call; get() and put() reject", `
    const long = "k".repeat(2049);
    await s.put("a", 1);
    const call = (f) => outcomeSync(() => { const p = f(); p.catch(() => {}); return "returned a promise"; });
    return {
      delete: call(() => s.delete(long)),
      deleteMany: call(() => s.delete(["a", long])),
      get: call(() => s.get(long)),
      getMany: call(() => s.get(["a", long])),
      put: call(() => s.put(long, 1)),
      keys: [...(await s.list()).keys()],
    };`),
  // Found by spec/conformance/fuzz-kv.mjs: a transaction's own key checks are lifted, but a single
  // key its get() or delete() reads from the store is held to the store's limit; a delete's
  // refusal comes after the transaction recorded the delete, which then commits.
  ...limit("a transaction's get() and delete() of an oversized key it has not written", `
    const long = "k".repeat(2049), longer = "k".repeat(2050);
    await s.transaction(async (txn) => { await txn.put({ [long]: 1, a: 1 }); });
    const txn = await s.transaction(async (txn) => {
      const call = (f) => outcome(() => { const p = f(); return p.then((v) => ({ resolved: show(v) }), (e) => ({ rejected: err(e) })); });
      return {
        getStored: await call(() => txn.get(long)),
        getMany: await call(() => txn.get([long, longer])),
        deleteMany: await call(() => txn.delete([longer])),
        deleteStored: await call(() => txn.delete(long)),
        getAfterDelete: await call(() => txn.get(long)),
        deleteAgain: await call(() => txn.delete(long)),
        getAfterArrayDelete: await call(() => txn.get(longer, { allowConcurrency: true })),
        putThenGet: [await call(() => txn.put(longer, 2)), await call(() => txn.get(longer)), await call(() => txn.delete(longer))],
        listed: [...(await txn.list()).keys()].map((k) => k.length),
      };
    });
    return { txn, stored: [...(await s.list()).keys()].map((k) => k.length) };`),
];
