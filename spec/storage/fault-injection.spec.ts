/**
 * Randomised fault injection (issue 9, must-fix 1): mixed workloads of KV puts, SQL inserts,
 * storage.kv, transaction(), transactionSync() and alarms, with a commit failure injected at a
 * random point (emu.failNextCommit, or a row violating a deferred foreign key). A model of the
 * batches each event forms predicts what must survive: every write of a call that resolved is
 * durable, the failed batch and everything the instance does after it (in the same event or
 * from a later turn) never reach storage, and batches committed before it stay. Seeded and
 * reproducible: DURASIM_FAULT_SEED=<n> replays a run; a failure names its seed and trial.
 */
import { describe, expect, it } from "vitest";
import { Emulator } from "../../lib/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { nextTurn } from "../helpers.js";

type Backend = "kv" | "sqlite";

/** One step of an event's plan, interpreted by the object. */
type Op =
  | { op: "put"; key: string }
  | { op: "sql"; key: string }
  | { op: "kv"; key: string }
  | { op: "alarm"; time: number }
  | { op: "poison" }
  | { op: "txn"; keys: string[]; alarm: number | undefined; poison: boolean; rollback: boolean; slow: boolean }
  | { op: "yield" }
  | { op: "txnSync"; keys: string[]; poison: boolean; rollback: boolean }
  | { op: "late"; key: string; sql: boolean };

interface EventPlan {
  ops: Op[];
  failNextCommit: boolean;
}

const ROLLBACK = Symbol("rollback");

class Store extends DurableObject {
  declare ctx: DurableObjectState;
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    if (sqliteBacked(ctx)) {
      ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY); CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); " +
          "CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)",
      );
    }
  }

  async alarm() {}

  ping() {
    return "ok";
  }

  async run(ops: Op[]) {
    const s = this.ctx.storage;
    for (const step of ops) {
      switch (step.op) {
        case "put":
          await s.put(step.key, step.key);
          break;
        case "sql":
          s.sql.exec("INSERT INTO t VALUES (?)", step.key);
          break;
        case "kv":
          s.kv.put(step.key, step.key);
          break;
        case "alarm":
          await s.setAlarm(step.time);
          break;
        case "poison":
          s.sql.exec("INSERT INTO c VALUES (42)");
          break;
        case "yield":
          // Real I/O: the turn ends and the open batch commits.
          await nextTurn();
          break;
        case "txn":
          await s.transaction(async (txn: any) => {
            // A transaction that spans turns (the batch before it commits meanwhile on KV).
            if (step.slow) await nextTurn();
            for (const key of step.keys) await txn.put(key, key);
            if (step.alarm !== undefined) await txn.setAlarm(step.alarm);
            if (step.poison) s.sql.exec("INSERT INTO c VALUES (42)");
            if (step.rollback) txn.rollback();
          });
          break;
        case "txnSync":
          try {
            s.transactionSync(() => {
              for (const key of step.keys) s.kv.put(key, key);
              if (step.poison) s.sql.exec("INSERT INTO c VALUES (42)");
              if (step.rollback) throw ROLLBACK;
            });
          } catch (error) {
            if (error !== ROLLBACK) throw error;
          }
          break;
        case "late":
          // A write from a later turn: after the event, as a timer callback or waitUntil would.
          setImmediate(() => {
            try {
              if (step.sql) s.sql.exec("INSERT INTO t VALUES (?)", step.key);
              else s.put(step.key, step.key).catch(() => undefined);
            } catch {
              // The instance was reset: its storage is closed.
            }
          });
          break;
      }
    }
  }

  /** What storage holds of one trial (its keys start with `prefix`), and the alarm. */
  async state(prefix: string) {
    const s = this.ctx.storage;
    const keys = [...(await s.list({ prefix })).keys()].sort();
    const rows = sqliteBacked(this.ctx)
      ? s.sql.exec("SELECT k FROM t WHERE substr(k, 1, ?) = ? ORDER BY k", prefix.length, prefix).toArray().map((row: any) => row.k)
      : [];
    return { keys, rows, alarm: await s.getAlarm() };
  }
}

interface DurableObjectState {
  storage: any;
}

function sqliteBacked(ctx: DurableObjectState): boolean {
  try {
    // `sql` exists on every storage (as in the runtime); using it is what a KV-backed one refuses.
    void ctx.storage.sql.databaseSize;
    return true;
  } catch {
    return false;
  }
}

/** mulberry32: a small seeded PRNG, so a run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random event: a mix of the backend's write paths, perhaps with one injected failure. */
function planEvent(rand: () => number, backend: Backend, prefix: string, alarmBase: { next: number }): EventPlan {
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const failNextCommit = rand() < 0.2;
  const poisonAt = backend === "sqlite" && !failNextCommit && rand() < 0.2 ? Math.floor(rand() * 6) : -1;
  const count = 1 + Math.floor(rand() * 7);
  const kinds: Array<Op["op"]> =
    backend === "sqlite" ? ["put", "sql", "kv", "alarm", "txn", "txnSync", "yield", "late"] : ["put", "alarm", "txn", "yield", "late"];
  let serial = 0;
  const key = () => `${prefix}.${serial++}`;
  const keys = () => Array.from({ length: Math.floor(rand() * 3) }, key);
  // An injected failure hits the next commit: the event's first step always writes, so that
  // commit is this event's.
  const ops: Op[] = failNextCommit ? [{ op: "put", key: key() }] : [];
  while (ops.length < count) {
    const poisonHere = ops.length === poisonAt;
    const kind = pick(kinds);
    if (poisonHere && (kind === "put" || kind === "alarm" || kind === "late" || kind === "yield")) ops.push({ op: "poison" });
    if (kind === "yield") ops.push({ op: "yield" });
    else if (kind === "put" || kind === "sql" || kind === "kv") ops.push({ op: kind, key: key() });
    else if (kind === "alarm") ops.push({ op: "alarm", time: alarmBase.next++ });
    else if (kind === "late") ops.push({ op: "late", key: key(), sql: backend === "sqlite" && rand() < 0.5 });
    else if (kind === "txn") {
      const alarm = rand() < 0.3 ? alarmBase.next++ : undefined;
      ops.push({ op: "txn", keys: keys(), alarm, poison: poisonHere && backend === "sqlite", rollback: rand() < 0.3, slow: rand() < 0.3 });
    } else ops.push({ op: "txnSync", keys: keys(), poison: poisonHere, rollback: rand() < 0.3 });
  }
  // Later-turn writes are registered last: one registered before a yield could run inside the
  // event's next batch, and the model keeps them out of the event's batches.
  return { ops: [...ops.filter((step) => step.op !== "late"), ...ops.filter((step) => step.op === "late")], failNextCommit };
}

interface Write {
  kind: "key" | "row" | "alarm";
  key?: string;
  time?: number;
}

interface Batch {
  /** Opened on the backend: its commit consumes an injected failure even with no writes in it. */
  opened: boolean;
  poisoned: boolean;
  writes: Write[];
}

/** The batches an event forms, as the storage layer forms them (see the module comment). */
function batchesOf(event: EventPlan, backend: Backend): Batch[] {
  const batches: Batch[] = [{ opened: false, poisoned: false, writes: [] }];
  const current = () => batches[batches.length - 1]!;
  /** The open batch commits (the turn ended, or a SQLite transaction began): a new one starts. */
  const boundary = () => {
    if (current().opened) batches.push({ opened: false, poisoned: false, writes: [] });
  };
  const write = (...writes: Write[]) => {
    current().opened = true;
    current().writes.push(...writes);
  };
  for (const step of event.ops) {
    switch (step.op) {
      case "put":
      case "kv":
        write({ kind: "key", key: step.key });
        break;
      case "sql":
        write({ kind: "row", key: step.key });
        break;
      case "alarm":
        write({ kind: "alarm", time: step.time });
        break;
      case "poison":
        write();
        current().poisoned = true;
        break;
      case "txn": {
        const writes: Write[] = step.keys.map((key) => ({ kind: "key", key }));
        if (step.alarm !== undefined) writes.push({ kind: "alarm", time: step.alarm });
        if (backend === "sqlite") {
          // The transaction commits what came before it, then runs as a savepoint of a new batch
          // that commits when it ends (releasing the outermost savepoint is a commit).
          boundary();
          write(...(step.rollback ? [] : writes));
          if (step.poison && !step.rollback) current().poisoned = true;
          boundary();
        } else {
          // KV: the txn buffers its writes; a turn ending inside it commits the batch before it.
          if (step.slow) boundary();
          if (!step.rollback && writes.length > 0) write(...writes);
        }
        break;
      }
      case "yield":
        boundary();
        break;
      case "txnSync":
        write(...(step.rollback ? [] : step.keys.map((key): Write => ({ kind: "key", key }))));
        if (step.poison && !step.rollback) current().poisoned = true;
        break;
      case "late":
        break;
    }
  }
  return batches;
}

/** The index of the batch whose commit fails, or -1 when the event succeeds. */
function failingBatch(event: EventPlan, batches: Batch[]): number {
  if (event.failNextCommit) return batches.findIndex((batch) => batch.opened);
  return batches.findIndex((batch) => batch.poisoned);
}

interface Model {
  keys: Set<string>;
  rows: Set<string>;
  alarm: number | null;
}

function apply(model: Model, writes: Write[]): void {
  for (const write of writes) {
    if (write.kind === "key") model.keys.add(write.key!);
    else if (write.kind === "row") model.rows.add(write.key!);
    else model.alarm = write.time!;
  }
}

const SEED = Number(process.env.DURASIM_FAULT_SEED ?? 20261117);
// 1,000 per backend (2,000 in all): the issue asks for thousands; more only lengthened CI.
const TRIALS = 1000;
const OBJECTS = 16;

describe.each<Backend>(["kv", "sqlite"])("commit failures at random points (%s backend)", (backend) => {
  it(`keep every acknowledged write and nothing of a failed batch or after it (${TRIALS} trials)`, async () => {
    const emu = new Emulator({
      module: { Store },
      durableObjects: { STORE: { className: "Store", sqlite: backend === "sqlite" } },
      clock: "manual",
    });
    await emu.ready;
    const rand = random(SEED + (backend === "sqlite" ? 1 : 0));
    const problems: string[] = [];
    let failures = 0;
    // Trials take turns on a few objects (opening thousands of databases would dominate the
    // run); each trial's keys carry its own prefix, and the alarm is the object's.
    const ids = Array.from({ length: OBJECTS }, (_, i) => emu.env.STORE.idFromName(`object-${i}`));
    const alarms: Array<number | null> = ids.map(() => null);
    const alarmBase = { next: Date.now() + 10 ** 9 };
    for (let trial = 0; trial < TRIALS && problems.length === 0; trial++) {
      // A stub that saw its object reset stays broken: each call takes a fresh one.
      const object = () => emu.env.STORE.get(ids[trial % OBJECTS]);
      const model: Model = { keys: new Set(), rows: new Set(), alarm: alarms[trial % OBJECTS]! };
      const events = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => planEvent(rand, backend, `${trial}.${i}`, alarmBase));
      for (const [index, event] of events.entries()) {
        // Construct the instance first, so its own first writes (the schema) are committed.
        const stub = object();
        await stub.ping();
        if (event.failNextCommit) emu.failNextCommit(stub);
        const batches = batchesOf(event, backend);
        const failing = failingBatch(event, batches);
        let outcome: unknown = "resolved";
        try {
          await stub.run(event.ops);
        } catch (error) {
          outcome = error;
        }
        for (let i = 0; i < 3; i++) await nextTurn();
        for (const batch of failing === -1 ? batches : batches.slice(0, failing)) apply(model, batch.writes);
        if (failing === -1) {
          for (const step of event.ops) if (step.op === "late") apply(model, [{ kind: step.sql ? "row" : "key", key: step.key }]);
          if (outcome !== "resolved") problems.push(`event ${index} should have resolved but failed with ${String(outcome)}`);
        } else {
          failures++;
          const reset = outcome instanceof Error && (outcome as { durableObjectReset?: boolean }).durableObjectReset === true;
          const constraint = outcome instanceof Error && outcome.message.includes("constraints were violated");
          if (!reset && !constraint) problems.push(`event ${index} should have failed with the reset error, got ${String(outcome)}`);
        }
      }
      alarms[trial % OBJECTS] = model.alarm;
      const state = await object().state(`${trial}.`);
      const expected = { keys: [...model.keys].sort(), rows: [...model.rows].sort(), alarm: model.alarm };
      if (JSON.stringify(state) !== JSON.stringify(expected)) {
        problems.push(`storage is ${JSON.stringify(state)}, expected ${JSON.stringify(expected)}`);
      }
      if (problems.length > 0) problems.unshift(`seed ${SEED}, trial ${trial}: ${JSON.stringify(events)}`);
    }
    await emu.dispose();
    expect(problems).toEqual([]);
    // The run exercised what it claims to: many failed batches among the successes.
    expect(failures).toBeGreaterThan(TRIALS / 4);
  }, 60_000);
});
