// A KV-backed transaction remembers every key it deleted, found or not, as workerd's cache keeps
// a tombstone for each: a later list({ limit }) takes those deletes among the writes it merges
// (so it lists past the limit), and get() does not count them against its 128 keys.
import { insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

export default [
  insideWithBoth(CALL_HELPERS, "transaction tombstones: deletes of keys never stored, then list() limits, get() counts and repeated deletes", `
    await s.put({ a: 1, b: 2, c: 3, d: 4 });
    const inTxn = (f) => how(() => s.transaction(f));
    const keys = (n) => Array.from({ length: n }, (_, i) => "k" + i);
    return {
      listAfterOne: await inTxn(async (t) => [await t.delete("a0"), [...(await t.list({ limit: 2 })).keys()]]),
      listAfterTwo: await inTxn(async (t) => [await t.delete(["a0", "a1"]), [...(await t.list({ limit: 2 })).keys()]]),
      listReversed: await inTxn(async (t) => { await t.delete("c0"); return [...(await t.list({ limit: 2, reverse: true })).keys()]; }),
      listOutsideRange: await inTxn(async (t) => { await t.delete("zz"); return [...(await t.list({ limit: 2 })).keys()]; }),
      deleteTwice: await inTxn(async (t) => [await t.delete("a0"), await t.delete("a0"), await t.delete("a"), await t.delete("a")]),
      getPastLimit: await inTxn(async (t) => { await t.delete("k1"); return (await t.get(keys(129))).size; }),
      committed: [...(await s.list()).keys()],
    };`),
];
