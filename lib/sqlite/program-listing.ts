import type { Database } from "sql.js";
import type { VdbeLayout } from "./vdbe-layout.js";

/** One row of EXPLAIN: addr, opcode, p1, p2, p3, p4, p5. */
export type Instruction = [number, string, number, number, number, unknown, number];

/** The instructions that open a b-tree cursor: an index's carries its KeyInfo as p4 (EXPLAIN shows "k(...)"). */
export const OPENS = new Set(["OpenRead", "OpenWrite", "ReopenIdx"]);

/**
 * What EXPLAIN has taught about the engine's instructions in the heap (a `VdbeOp`: the opcode
 * byte, then p4's type byte, p5, p1, p2, p3): each opcode byte's name, and which p4 types of an
 * Open instruction are a KeyInfo. Both belong to the build of SQLite, not to a database or its
 * schema, so what one statement's EXPLAIN taught serves every statement in the process.
 */
interface Learnt {
  readonly names: Map<number, string>;
  readonly keyInfo: Map<number, boolean>;
  /** Set when the heap ever disagreed with a lesson: the heap is then never read alone. */
  inconsistent: boolean;
}

const learnt = new WeakMap<VdbeLayout, Learnt>();

/**
 * The program of the statement at `vdbe` (prepared from `sql` on `database`; `explains` when
 * it is itself an EXPLAIN), as EXPLAIN lists it; undefined when EXPLAIN does not describe the
 * program in memory. Once EXPLAIN has taught
 * every opcode and key-info type it uses, the program is read from the heap alone: running
 * EXPLAIN compiles the statement a second time, which cost a fresh object about as much as
 * running its start-up statements. Read so, p4 is only the "k(" of an Open's KeyInfo (all the
 * row counters read of it).
 */
export function programListing(database: Database, sql: string, explains: boolean, vdbe: number, layout: VdbeLayout): Instruction[] | undefined {
  let lessons = learnt.get(layout);
  if (lessons === undefined) learnt.set(layout, (lessons = { names: new Map(), keyInfo: new Map(), inconsistent: false }));
  // An EXPLAIN statement holds the program it lists, not one it runs: EXPLAIN of it fails, as before.
  if (!lessons.inconsistent && !explains) {
    const rows = readHeap(vdbe, layout, lessons);
    if (rows !== undefined) return rows;
  }
  let rows: Instruction[];
  try {
    rows = (database.exec(`EXPLAIN ${sql}`)[0]?.values ?? []) as Instruction[];
  } catch {
    return undefined;
  }
  const heap = layout.heap();
  const program = heap.getUint32(vdbe + layout.ops, true);
  if (rows.length === 0 || heap.getInt32(vdbe + layout.opCount, true) !== rows.length) return undefined;
  for (const [addr, name, p1, p2, p3, p4] of rows) {
    const at = program + addr * layout.opSize;
    // Init's p1 counts runs.
    if ((addr !== 0 && heap.getInt32(at + 4, true) !== p1) || heap.getInt32(at + 8, true) !== p2 || heap.getInt32(at + 12, true) !== p3) return undefined;
    learn(lessons.names, heap.getUint8(at), name, lessons);
    if (OPENS.has(name)) learn(lessons.keyInfo, heap.getInt8(at + 1), String(p4).startsWith("k("), lessons);
  }
  return rows;
}

function learn<V>(lessons: Map<number, V>, key: number, value: V, learnt: Learnt): void {
  const known = lessons.get(key);
  if (known === undefined) lessons.set(key, value);
  else if (known !== value) learnt.inconsistent = true;
}

/**
 * The program read from the heap; undefined when it holds an opcode or Open's p4 type EXPLAIN
 * has not shown yet, or a subprogram.
 */
function readHeap(vdbe: number, layout: VdbeLayout, lessons: Learnt): Instruction[] | undefined {
  const heap = layout.heap();
  const program = heap.getUint32(vdbe + layout.ops, true);
  const count = heap.getInt32(vdbe + layout.opCount, true);
  if (count <= 0) return undefined;
  const rows = new Array<Instruction>(count);
  for (let addr = 0; addr < count; addr++) {
    const at = program + addr * layout.opSize;
    const name = lessons.names.get(heap.getUint8(at));
    // EXPLAIN lists a trigger's or foreign key action's subprogram after the program, so it
    // never describes one with a subprogram alone (the counters then fall back): it decides.
    if (name === undefined || name === "Program") return undefined;
    let p4: string | undefined;
    if (OPENS.has(name)) {
      const keyInfo = lessons.keyInfo.get(heap.getInt8(at + 1));
      if (keyInfo === undefined) return undefined;
      p4 = keyInfo ? "k(" : undefined;
    }
    rows[addr] = [addr, name, heap.getInt32(at + 4, true), heap.getInt32(at + 8, true), heap.getInt32(at + 12, true), p4, heap.getUint16(at + 2, true)];
  }
  return rows;
}
