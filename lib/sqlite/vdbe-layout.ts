import type { Database, SqlJsStatic } from "sql.js";

/**
 * Where a prepared statement (SQLite's `Vdbe`) keeps, in the WebAssembly heap, what row counting
 * needs and sql.js does not export: its program (`aOp`, `nOp`), its registers (`aMem`, and in each
 * register's `Mem` the type flags and a string's bytes), the rows
 * it has changed so far (`nChange`) and the counters behind `sqlite3_stmt_status()` (`aCounter`). The offsets belong to one build of
 * sql.js, so they are learnt, not assumed: a scratch statement with a known program and known
 * counts is searched for them, and every later use checks the program it patches against
 * EXPLAIN (see row-counters.ts). If the search fails, counting falls back to what the C API
 * reports (`VdbeLayout` is undefined).
 *
 * Invariant: nothing is ever written to the heap except the `p5` operand of a statement's
 * `Next`/`Prev`/`SorterNext` instructions, the opcode of some of its `Rewind` instructions,
 * made `SorterSort`, and its own `aCounter` slots. In those instructions `p5` only selects
 * which `aCounter` slot a step increments, and `SorterSort` is `Rewind` (SQLite runs the one
 * into the other, for a sorter's cursor or a b-tree's alike) that also counts in the SORT
 * slot, so no write changes what a statement does.
 */
export interface VdbeLayout {
  /** Byte offsets inside a `Vdbe`. */
  readonly ops: number;
  readonly opCount: number;
  readonly registers: number;
  readonly counters: number;
  /** The rows the running statement has changed so far (an i64; sqlite3_changes() only has them once it ends). */
  readonly changes: number;
  /** Bytes per instruction (`VdbeOp`) and per register (`Mem`). */
  readonly opSize: number;
  readonly registerSize: number;
  /**
   * Byte offsets inside a `Mem`: its type flags (a u16), and a string's bytes (a pointer, then
   * their count); undefined when not found (a register's value cannot then be told).
   */
  readonly registerFields: { readonly flags: number; readonly text: number } | undefined;
  /** The opcode bytes of Rewind and SorterSort in this build (undefined: not found). */
  readonly opcodes: { readonly rewind: number; readonly sorterSort: number } | undefined;
  /** The heap (a new view whenever it has grown). */
  heap(): DataView;
}

/** The `aCounter[]` slot SQLITE_STMTSTATUS_RUN counts runs in (slot 1, FULLSCAN_STEP, counts full-scan steps). */
const RUN_SLOT = 6;
const SCAN_ROWS = 37;
const LOOKUP_VALUES = [123_456_789, 987_654_321];
/** Registers 3 and 4 of the values statement: a string and a real, to find a `Mem`'s fields by. */
const LOOKUP_TEXT = "durasim-layout";
const LOOKUP_REAL = 2.5;
/** SQLite's MEM_Null, MEM_Str, MEM_Int, MEM_Real and MEM_Blob flags (vdbeInt.h), the type bits of a register. */
export const MEM_NULL = 0x1;
export const MEM_STR = 0x2;
export const MEM_INT = 0x4;
export const MEM_REAL = 0x8;
export const MEM_BLOB = 0x10;

export function learnVdbeLayout(
  sqlJs: SqlJsStatic,
  memory: { buffer: ArrayBuffer } | undefined,
  pointerOf: (statement: ReturnType<Database["prepare"]>) => number,
): VdbeLayout | undefined {
  if (memory === undefined) return undefined;
  // A new view only when the memory has grown: growing detaches the old buffer (its length reads
  // 0 then), which is cheaper to ask than the memory's `buffer`, a call into the runtime.
  let view = new DataView(memory.buffer);
  const heap = () => (view.buffer.byteLength !== 0 ? view : (view = new DataView(memory.buffer)));
  const database = new sqlJs.Database();
  try {
    database.exec(
      `CREATE TABLE t (x); WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ${SCAN_ROWS}) INSERT INTO t SELECT i FROM r`,
    );
    const scanSql = "SELECT x FROM t";
    const program = (database.exec(`EXPLAIN ${scanSql}`)[0]?.values ?? []).map((row) => row.map(Number));
    const scan = database.prepare(scanSql);
    const valuesSql = `SELECT ${LOOKUP_VALUES.join(", ")}, '${LOOKUP_TEXT}', ${LOOKUP_REAL}`;
    const values = database.prepare(valuesSql);
    const sortSql = "SELECT x FROM t ORDER BY x";
    const sort = database.prepare(sortSql);
    // Copies every row, so it has changed SCAN_ROWS rows at its first step.
    const insert = database.prepare("INSERT INTO t SELECT x FROM t RETURNING x");
    try {
      while (scan.step());
      values.step();
      const insertVdbe = pointerOf(insert);
      const unchanged = new Set<number>();
      for (let offset = 0; offset < 256; offset += 8) if (heap().getUint32(insertVdbe + offset, true) === 0) unchanged.add(offset);
      insert.step();
      const scanVdbe = pointerOf(scan);
      const valuesVdbe = pointerOf(values);
      const memoryView = heap();
      const limit = memoryView.byteLength;
      const isPointer = (at: number) => at > 0 && at + 64 < limit;
      let counters: number | undefined;
      let ops: number | undefined;
      let opSize: number | undefined;
      let registers: number | undefined;
      let registerSize: number | undefined;
      let changes: number | undefined;
      for (let offset = 0; offset < 256; offset += 4) {
        if (changes === undefined && unchanged.has(offset) && memoryView.getUint32(insertVdbe + offset, true) === SCAN_ROWS &&
          memoryView.getUint32(insertVdbe + offset + 4, true) === 0) {
          changes = offset;
        }
        // A full scan of N rows: N - 1 FULLSCAN_STEP Next steps, one run, nothing sorted.
        if (counters === undefined && memoryView.getUint32(scanVdbe + offset + 4, true) === SCAN_ROWS - 1 &&
          memoryView.getUint32(scanVdbe + offset + 4 * RUN_SLOT, true) === 1 && memoryView.getUint32(scanVdbe + offset + 8, true) === 0) {
          counters = offset;
        }
        const target = memoryView.getUint32(scanVdbe + offset, true);
        if (ops === undefined && isPointer(target)) {
          for (const size of [20, 24, 28, 32]) {
            if (target + size * program.length > limit) continue;
            // Init's p1 counts runs, so it is not compared.
            const same = program.every(([, , p1, p2, p3], i) =>
              (i === 0 || memoryView.getInt32(target + i * size + 4, true) === p1) && memoryView.getInt32(target + i * size + 8, true) === p2 &&
              memoryView.getInt32(target + i * size + 12, true) === p3);
            if (same && memoryView.getInt32(scanVdbe + offset + 4, true) === program.length) {
              ops = offset;
              opSize = size;
              break;
            }
          }
        }
        const registerArray = memoryView.getUint32(valuesVdbe + offset, true);
        if (registers === undefined && isPointer(registerArray)) {
          // Registers 1 and 2 hold the two values; register 0 is unused.
          for (const size of [32, 40, 48, 56]) {
            if (registerArray + 3 * size > limit) continue;
            if (memoryView.getInt32(registerArray + size, true) === LOOKUP_VALUES[0] && memoryView.getInt32(registerArray + 2 * size, true) === LOOKUP_VALUES[1]) {
              registers = offset;
              registerSize = size;
              break;
            }
          }
        }
      }
      if (counters === undefined || ops === undefined || registers === undefined || changes === undefined) return undefined;
      const registerFields = learnRegisterFields(memoryView, memoryView.getUint32(valuesVdbe + registers, true), registerSize!);
      const opcodeOf = (sql: string, vdbe: number, name: string) => {
        const addr = (database.exec(`EXPLAIN ${sql}`)[0]?.values ?? []).find((row) => row[1] === name)?.[0];
        return typeof addr === "number" ? heap().getUint8(heap().getUint32(vdbe + ops!, true) + addr * opSize!) : undefined;
      };
      const rewind = opcodeOf(scanSql, scanVdbe, "Rewind");
      const sorterSort = opcodeOf(sortSql, pointerOf(sort), "SorterSort");
      const opcodes = rewind === undefined || sorterSort === undefined || rewind === sorterSort ? undefined : { rewind, sorterSort };
      return { ops, opCount: ops + 4, registers, counters, changes, opSize: opSize!, registerSize: registerSize!, registerFields, opcodes, heap };
    } finally {
      scan.free();
      sort.free();
      values.free();
      insert.free();
    }
  } catch {
    return undefined;
  } finally {
    database.close();
  }
}

/**
 * Finds, in the values statement's registers (1 and 2 integers, 3 a string, 4 a real), the
 * offset of a `Mem`'s type flags (the one u16 that reads each register's type) and of its
 * string pointer (followed by the string's length). The value itself is at offset 0.
 */
function learnRegisterFields(heap: DataView, registerArray: number, size: number): VdbeLayout["registerFields"] {
  const at = (register: number) => registerArray + register * size;
  const type = (register: number, offset: number) => heap.getUint16(at(register) + offset, true) & (MEM_STR | MEM_INT | MEM_REAL);
  let flags: number | undefined;
  for (let offset = 8; offset + 2 <= size && flags === undefined; offset += 2) {
    if (type(1, offset) === MEM_INT && type(2, offset) === MEM_INT && type(3, offset) === MEM_STR && type(4, offset) === MEM_REAL) flags = offset;
  }
  if (flags === undefined || heap.getFloat64(at(4), true) !== LOOKUP_REAL) return undefined;
  for (let offset = 8; offset + 8 <= size; offset += 4) {
    const pointer = heap.getUint32(at(3) + offset, true);
    if (heap.getInt32(at(3) + offset + 4, true) !== LOOKUP_TEXT.length || pointer === 0 || pointer + LOOKUP_TEXT.length > heap.byteLength) continue;
    const bytes = new Uint8Array(heap.buffer, pointer, LOOKUP_TEXT.length);
    if (String.fromCharCode(...bytes) === LOOKUP_TEXT) return { flags, text: offset };
  }
  return undefined;
}
