// Found by spec/conformance/fuzz-events.mjs (kv seed 62): an operation a transaction's closure
// does not await settles before or after the transaction's own promise. On the KV backend a
// single-key read (get, delete, getAlarm) of what the cache has not seen settles after it, a
// read of several keys or of a range before it. Each case runs in a fresh object whose cache has
// seen everything (a full list() and the alarm) or nothing, and records the settle order.
import { both, cls } from "../scenario.mjs";

const CASES = {
  getUnseen: { op: "(t) => t.get('k')" },
  getSeen: { seen: true, op: "(t) => t.get('k')" },
  getManyUnseen: { op: "(t) => t.get(['k', 'j'])" },
  getManyAllSeen: { seen: true, op: "(t) => t.get(['k', 'j'])" },
  getConcurrentUnseen: { op: "(t) => t.get('k', { allowConcurrency: true })" },
  deleteUnseen: { op: "(t) => t.delete('k')" },
  deleteSeen: { seen: true, op: "(t) => t.delete('k')" },
  deleteManyUnseen: { op: "(t) => t.delete(['k', 'j'])" },
  deleteManySeen: { seen: true, op: "(t) => t.delete(['k'])" },
  deleteConcurrentUnseen: { op: "(t) => t.delete('k', { allowConcurrency: true })" },
  deleteOwnWrite: { op: "(t) => { t.put('k', 2); return t.delete('k'); }" },
  listUnseen: { op: "(t) => t.list()" },
  listSeen: { seen: true, op: "(t) => t.list()" },
  getAlarmUnseen: { op: "(t) => t.getAlarm()" },
  getAlarmSeen: { seen: true, op: "(t) => t.getAlarm()" },
  putUnseen: { op: "(t) => t.put('k', 2)" },
  setAlarmUnseen: { op: "(t) => t.setAlarm(Date.now() + 600000)" },
  getThenCommitWrite: { op: "(t) => { t.put('x', 1); return t.get('k'); }" },
  deleteThenRollback: { op: "(t) => { const p = t.delete('k'); t.rollback(); return p; }" },
  getThenThrow: { op: "(t) => { t.get('k').then(() => LOG.push('op0')); throw new Error('closure fails'); }" },
  storageGetUnseen: { op: "(t, s) => s.get('k')" },
  storageGetBefore: { before: "(s) => s.get('k')", op: "(t) => t.get('x', { allowConcurrency: true })" },
  storageGetManyBefore: { before: "(s) => s.get(['k'])", op: "(t) => t.get('x', { allowConcurrency: true })" },
  keyThenRange: { op: "(t) => [t.get('k'), t.list(), t.getAlarm(), t.get(['j'])]" },
  keyAfterAwaitedRange: { awaits: true, op: "async (t) => { await t.list({ start: 'x' }); return [t.get('k'), t.get(['j'])]; }" },
};

const opsSource = Object.entries(CASES).map(([name, c]) => `    ${name}: ${c.op},`).join("\n");
const beforeSource = Object.entries(CASES).filter(([, c]) => c.before).map(([name, c]) => `    ${name}: ${c.before},`).join("\n");
const named = (field) => JSON.stringify(Object.keys(CASES).filter((name) => CASES[name][field]));

export default [
  ...both({
    name: "transaction: an operation its closure does not await, settling against the transaction",
    source: cls(`  async alarm() {}
  async go(name) {
    const s = this.ctx.storage;
    if (SEEN.includes(name)) { await s.get("k"); await s.list(); await s.getAlarm(); }
    LOG.length = 0;
    const label = (p, i) => p.then(() => LOG.push("op" + i), (e) => LOG.push("op" + i + " failed " + e.message));
    if (BEFORE[name]) label(BEFORE[name](s), "B");
    const txn = s.transaction(async (t) => {
      // A closure that awaits a read first hands back the operations it then leaves unawaited.
      const p = AWAITS.includes(name) ? await OPS[name](t, s) : OPS[name](t, s);
      [p].flat().forEach((q, i) => q && q.then && label(q, i));
    });
    await txn.then(() => LOG.push("txn"), (e) => LOG.push("txn failed " + e.message));
    // A later turn: an operation still owed by then has settled.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return LOG.join(",");
  }`, { extra: `const LOG = [];\nconst SEEN = ${named("seen")};\nconst AWAITS = ${named("awaits")};\nconst BEFORE = {\n${beforeSource}\n};\nconst OPS = {\n${opsSource}\n};` }),
    drive: `async function drive(env) {
  const out = {};
  for (const name of ${JSON.stringify(Object.keys(CASES))}) out[name] = await env.DO.getByName(name).go(name);
  return out;
}`,
  }),
];
