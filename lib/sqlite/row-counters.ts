import type { Database } from "sql.js";
import { isKeyword, isPunct, type Token } from "./tokenizer.js";
import { MEM_BLOB, MEM_INT, MEM_NULL, MEM_REAL, MEM_STR, type VdbeLayout } from "./vdbe-layout.js";
import { upperAscii } from "../util/ascii-case.js";
import { filledOwn } from "../util/own-arrays.js";
import { OPENS, programListing, type Instruction } from "./program-listing.js";

/**
 * `rowsRead` and `rowsWritten` as workerd counts them. workerd's SQLite carries a patch that
 * counts inside the bytecode engine: a row read each time a b-tree cursor is positioned
 * (Rewind, Last, a Seek that finds its key, SeekRowid/NotExists) or stepped (a Next/Prev/
 * SorterNext that lands on a row, a virtual table's VNext), plus every entry OP_Count counts;
 * a row written for each Insert/IdxInsert into a real (not ephemeral) b-tree, each Delete that
 * counts as a change, and each row a Clear empties. Temporary b-trees (sorters, DISTINCT and IN
 * sets, automatic indexes) are read like tables, so a sort reads every row twice.
 *
 * sql.js has no such patch, but its statements keep SQLite's stock step counters, which count
 * exactly the Next steps (stmt_status slots 0 and 1) and sorts (slot 2). A `ProgramCounter`
 * reads the statement's program once (EXPLAIN), gives each loop's Next its own counter slot
 * (the `p5` operand only chooses the slot), and then derives the other events from the loop
 * structure: an instruction outside every loop runs once, one inside a loop once per iteration
 * of the innermost loop around it, and an iteration count is the loop's Next steps plus the
 * times its opening instruction ran (a lookup after a filter in a query that returns rows: once
 * per row returned). A write statement writes, per row it changed, once per counted write
 * instruction of its program. The Rewinds outside those loops (in loops of a Goto back, or in
 * subroutines) are made SorterSort, the same code counted in the SORT slot, so that slot
 * counts their runs. What this cannot see is listed in README ("Row counters"): several
 * equality seeks in one loop that miss, ALTER TABLE's schema rewrites, trigger programs.
 */

export type StatementKind = "select" | "insert" | "update" | "delete" | "other";

export interface StatementShape {
  kind: StatementKind;
  /** CREATE, DROP or ALTER: cached schema facts are stale afterwards. */
  changesSchema: boolean;
}

export function statementShape(tokens: readonly Token[]): StatementShape {
  const main = tokens[mainVerbIndex(tokens)];
  const verb = main === undefined ? "" : upperAscii(main.text);
  const kind: StatementKind =
    verb === "SELECT" || verb === "VALUES"
      ? "select"
      : verb === "INSERT" || verb === "REPLACE"
        ? "insert"
        : verb === "UPDATE"
          ? "update"
          : verb === "DELETE"
            ? "delete"
            : "other";
  return { kind, changesSchema: ["CREATE", "DROP", "ALTER"].includes(verb) };
}

/** The verb after an optional `WITH ...` prefix. */
function mainVerbIndex(tokens: readonly Token[]): number {
  if (!isKeyword(tokens[0], "WITH")) return 0;
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0 && ["SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE"].some((v) => isKeyword(token, v))) {
      return i;
    }
  }
  return 0;
}


/** Instructions that add a row to a temporary b-tree. */
const TEMPORARY_INSERTS = new Set(["Insert", "IdxInsert", "SorterInsert"]);
/**
 * Instructions that position a cursor (each run reads a row); VFilter opens a virtual table's
 * loop unread; SeekEnd (an index build's append) reads only while its cursor is unpositioned.
 */
const OPENERS = new Set(["Rewind", "Last", "SeekGE", "SeekGT", "SeekLE", "SeekLT", "SeekRowid", "NotExists", "SorterSort", "Sort", "VFilter", "SeekEnd"]);
/** Sorter rewinds are counted by stmt_status's SORT slot instead. */
const SORTS = new Set(["SorterSort", "Sort"]);
const STEPS = new Set(["Next", "Prev", "SorterNext"]);
/** Instructions that give a sort its rows (a LIMIT sort's b-tree is an index). */
const SORT_INSERTS = new Set(["SorterInsert", "IdxInsert"]);
/** The seeks that start a range of a table's rowids. */
const RANGE_SEEKS = new Set(["SeekGT", "SeekGE", "SeekLT", "SeekLE"]);
const EPHEMERAL = new Set(["OpenEphemeral", "OpenAutoindex", "SorterOpen", "OpenDup", "OpenPseudo"]);
/** An INSERT's conflict checks: the code between one and its jump target handles a conflicting row. */
const CONFLICT_CHECKS = new Set(["NotExists", "NoConflict"]);
/**
 * stmt_status slots a Next may count into: FULLSCAN_STEP, AUTOINDEX, RUN, FILTER_MISS, FILTER_HIT
 * (the last two only without bloom filters). OP_Init adds one to RUN as each run starts (see
 * RUN_SLOT); the others count only the Next steps that name them.
 */
const SPARE_SLOTS = [1, 3, 6, 7, 8];
/** SQLITE_STMTSTATUS_RUN: it holds one more than the steps counted there, once the run has started. */
const RUN_SLOT = 6;
const SORT_SLOT = 2;
/** OPFLAG_P2ISREG, in an Open's p5: its p2 is the register holding the root page. */
const ROOT_IN_REGISTER = 0x10;
/** OPFLAG_NCHANGE, in Delete's p2. */
const COUNTS_CHANGE = 1;
/** OPFLAG_SEEKEQ, in an Open's p5: the cursor only seeks equal keys, and a seek that finds none reads nothing. */
const SEEK_EQUAL = 2;

interface Loop {
  /** The stmt_status slot its Next steps count in (0 when shared). */
  slot: number;
  /** Index in `openers` of the instruction that enters it, or -1. */
  opener: number;
  /** The cursor it steps. */
  cursor: number;
  /** A virtual table's loop: its VNext steps are not counted by SQLite, only by workerd. */
  virtual: boolean;
  /**
   * A write statement's loop that closes with a Goto (a two-pass UPDATE or DELETE reading back
   * the rows it chose, an INSERT taking rows from a coroutine): it runs once per changed row.
   */
  perChange: boolean;
  /**
   * For a loop over a temporary b-tree (an IN or DISTINCT set, a sorter) whose every insert is
   * in a loop before it: the loops that yield those rows. If none of them ran a body, the b-tree
   * is empty, and the loop, though its opener read one row, ran none either; undefined otherwise.
   */
  fedBy: number[] | undefined;
  /**
   * For a loop over a temporary table filled only by Inserts keyed by one NewRowid of its own:
   * that NewRowid's output register, a witness (see `witness`) that some row went in.
   */
  filled: number;
  /**
   * A recursive CTE's rows read by the main query (a coroutine's Yield and a Goto back): the
   * opener index of the queue's Rewind, which polls the queue once per row and once more to
   * find it empty (its runs the SORT slot counts, see Opener.tallied); -1 for any other loop.
   */
  queue: number;
  /**
   * The register its body's first instruction writes from the row it landed on (a Column,
   * Rowid or IdxRowid of its cursor), or -1. Set to WITNESS_UNSET at each run: left so, the
   * body never ran, so the loop read no row though its opener read one (an empty table).
   */
  witness: number;
  /**
   * Whether the witness is a rowid (never NULL on a row a loop landed on) of a loop outside every
   * other, which no instruction after the loop names: then a NULL there also means its body never
   * ran, the program having set the register NULL at its start (a two-pass UPDATE's loop over
   * the rows it collected).
   */
  rowidWitness: boolean;
}

/**
 * What a loop's witness register holds until its body runs: a REAL NaN, which no row makes, as
 * SQLite keeps no NaN in a register (it reads a stored one, or computes one, as NULL). Any
 * integer would be a value a row may hold, and a loop that landed on it would read as not run.
 */
const WITNESS_UNSET = NaN;
/** A register's type bits. */
const VALUE_TYPES = MEM_NULL | MEM_STR | MEM_INT | MEM_REAL | MEM_BLOB;
/**
 * Where in an Instruction the output register of each instruction that can be a loop's witness is
 * (3: p2, 4: p3). SorterData heads a sorter's read-back loop (an index build, a sort's output),
 * and the record it copies is never NULL: an index built on an empty table writes no entry.
 */
const WITNESS_OUTPUTS: Readonly<Record<string, 3 | 4>> = { Column: 4, Rowid: 3, IdxRowid: 3, SorterData: 3 };
/** What runs between an equality seek and the code for the row it found: its own checks of the key, and the table row's lookup. */
const SEEK_FOLLOW_UPS = new Set(["IdxGT", "IdxLT", "IdxGE", "IdxLE", "DeferredSeek", "SeekHit"]);

/** A witness register and whether its NULL also says the code it heads never ran (see Loop). */
type Witness = Pick<Loop, "witness" | "rowidWitness">;
const NO_WITNESS: Witness = { witness: -1, rowidWitness: false };

const enum Runs {
  /** Once per iteration of the loop around it (once if none). */
  PerIteration,
  /** NotExists of an INSERT: once per row the statement tries to insert. */
  PerInsertedRow,
  /**
   * NotExists of an upsert whose conflict target is a unique index: the rowid check runs after
   * that index's, only for a row it did not send to DO UPDATE (or DO NOTHING): once per row inserted.
   */
  PerRowPastTarget,
  /**
   * NotExists in the code that replaces a row conflicting with a unique index (INSERT or UPDATE
   * OR REPLACE): it runs only on a conflict, which first leaves the conflicting rowid in its key
   * register (reset at each run). Checks of several indexes share that register, so a run that
   * replaced rows counts one such lookup: exact for one conflict per run.
   */
  IfConflict,
  /** A later check sharing an IfConflict lookup's key register: counted with that one. */
  SharedConflict,
  /** A seek for equal keys outside every loop: it reads only if it found its key. */
  IfFound,
  /**
   * Last on a LIMIT sort's b-tree: once per row offered after the b-tree is full. The last
   * sequence number OP_Sequence gave an offered row tells how many were (a filter in the loop
   * offers fewer rows than it iterates; a window's output subroutine, outside every loop, is
   * called once per row the window computes); without one, a loop's iterations.
   */
  PerEviction,
  /** In an upsert's DO UPDATE code: once per row it updated. */
  PerUpdatedRow,
  /**
   * The statement's only sort: as often as stmt_status's SORT slot says it ran. An `ORDER BY`
   * whose leading terms come in order sorts each group of rows equal in them on its own, in a
   * subroutine called once per group, outside every loop.
   */
  PerSort,
  /**
   * An UPDATE's second lookup of a row it found, right before rewriting it (no other lookup
   * between it and the writes): once per row changed (an OR IGNORE conflict jumps past it).
   */
  PerRewrittenRow,
  /**
   * A rowid lookup outside every loop: once if its key is an integer or a value numeric
   * affinity makes one (`id = '7'`, `id = 7.0`); a key that cannot be a rowid (`id = 'x'`,
   * `2.5`, NULL, a blob) jumps past the seek, which reads nothing.
   */
  IfRowidKey,
  /**
   * A rowid lookup in a loop, with no filter between the loop's start and it: once per
   * iteration, but the last one's key is in its register, so a last key that cannot be a rowid
   * takes one off (exact when the loop ran once: a join on a NULL key).
   */
  PerIterationButLastKey,
  /**
   * A rowid lookup, or an index's equality seek, in the loop over a literal IN list that holds
   * NULL (`id IN (5, NULL)`, `a IN (2, NULL)`): the list's b-tree keeps one NULL however many
   * the list names, and the IsNull guard before the lookup skips it, so once per iteration but one.
   */
  PerIterationButNullKey,
  /**
   * A rowid range's first seek (`id > ?`, `id >= ?`; `id < ?`, `id <= ?` read backwards) outside
   * every loop: once, unless its key is NULL, a blob or text that is no number, for which SQLite
   * finds no row without seeking (backwards from such a non-NULL key, every row is less: it moves
   * to the last row by a path that counts no read, and only the steps from there read).
   */
  IfRangeKey,
  /**
   * A lookup in a query's loop, after a check that skips rows and before the row is returned:
   * once per row that passed the check, counted as the rows returned (at most the iterations).
   */
  PerReturnedRow,
  /**
   * The same in a query whose rows go through a sort before they are returned (ORDER BY): once
   * per row the sort was given (at most the iterations), which its read-back loop's rows tell,
   * or for a LIMIT sort the last sequence number OP_Sequence gave one.
   */
  PerSortedRow,
  /**
   * SeekEnd, which moves its cursor to the b-tree's end only when it is not positioned there
   * already: at its first run, and at its second, as inserting into an empty b-tree leaves the
   * cursor unpositioned (later, only after an insert split a page, which durasim cannot see).
   */
  FirstTwice,
}

interface Opener {
  /** Index in `loops` of the innermost loop around it, or -1 (it runs once). */
  loop: number;
  /**
   * Outside every loop only by a Once block in a loop (a scalar subquery of an UPDATE or DELETE,
   * run at its first row): that loop, which must have iterated for it to run at all; else -1.
   */
  onceLoop: number;
  runs: Runs;
  /** Adds to rowsRead each time it runs (not VFilter; sorts come from the SORT slot). */
  reads: boolean;
  /** IfFound: the loop it opens (-1: none), and whether the code it guards returns rows or writes. */
  opens: number;
  guardsRows: boolean;
  guardsWrites: boolean;
  /** PerEviction: the loop that reads the sort's b-tree back. */
  readBack: number;
  /** PerEviction and PerSortedRow: the register OP_Sequence numbers the offered rows in, from 0 (-1: none). */
  offered: number;
  /** PerSortedRow: the loop that reads the sort back and returns its rows. */
  sortReader: number;
  /** IfRowidKey: the register holding the key. */
  key: number;
  /**
   * IfFound: the register the code after a found key first writes from the row (see
   * Loop.witness), or -1. Unset after the run, the key was not found; set, it was, even if a
   * filter then dropped the row (which returns and changes nothing, but was read).
   * PerInsertedRow: the key register, which the loop the check is in sets for each row it
   * tries: unset, the SELECT yielded no row (its filter dropped every one).
   */
  witness: number;
  /**
   * Whether the witness is a rowid that the program set NULL before the seek (a one-pass
   * UPDATE's register for the row's rowid, which its IsNull guard reads): NULL there also
   * means the key was not found, as a found row's rowid is never NULL.
   */
  rowidWitness: boolean;
  /** The jumps over it whose registers tell, after the run, that they were taken (see SkipGuard). */
  guards: SkipGuard[];
  /**
   * A Rewind outside every loop the patch made SorterSort, in a program whose own sorts each run
   * once: the SORT slot then counts those sorts and the runs of all such Rewinds (which may sit
   * in loops of a coroutine's Yield and a Goto back, or in subroutines, that no step counter
   * sees), and so the runs of this one when it is the only one.
   */
  tallied: boolean;
  /**
   * PerInsertedRow in an INSERT … SELECT: the loops that yield its rows (the loop it is in, or the
   * SELECT's own loops when that is the Goto loop over what a coroutine yields). None of them ran
   * a body: there was no row to try, nor to look up.
   */
  sources: number[];
}

/**
 * A jump over a lookup: `IsNull register` (a one-pass UPDATE whose row was not found skips all
 * its later lookups) or `Eq register other` (an UPDATE, or an upsert's DO UPDATE, whose new rowid
 * is the row's own, or whose unique index conflicts only with the row itself, looks neither up). Outside every loop each of
 * these registers is set once, so its value after the run tells whether the jump was taken; a
 * conflict's lookup in a loop is judged by the last row, like its key (see Runs.IfConflict).
 * `NotNull register` over a lookup in a loop, with the register set only outside every loop (a
 * `NOT IN` subquery's "the list holds a NULL" flag, set once as the list is built, guarding the
 * scan for that NULL), jumps alike at every iteration: its value after the run tells for all.
 * `If register` or `IfNot register` on a constant jumps alike at every run (ALWAYS when it does):
 * on what Destroy left there (a DROP's "the root page that moved", guarding the schema rewrite a
 * move needs: 0, as without auto-vacuum, durasim's and workerd's, no page moves), or on the
 * integer the prologue sets in a register nothing else sets (a WHERE term SQLite found
 * constant: `id IS NULL` on a rowid, an uncorrelated EXISTS' "not yet run" flag).
 */
interface SkipGuard {
  register: number;
  /** Eq's second register; IS_NULL, NOT_NULL or ALWAYS for those jumps. */
  other: number;
}
const IS_NULL = -1;
const NOT_NULL = -2;
const ALWAYS = -3;

export class ProgramCounter {
  readonly #layout: VdbeLayout;
  readonly #program: number;
  /**
   * A loop's Next whose p5 the patch changed: its offset in the program and the slot it was
   * given (undefined: none). A program SQLite re-prepared may be allocated where the old one
   * was, and only the patched operand tells the two apart.
   */
  readonly #mark: readonly [number, number] | undefined;
  /** The offset of a Rewind the patch made SorterSort (see Opener.tallied), telling alike; undefined: none. */
  readonly #rewindMark: number | undefined;
  /** Whether the running program is the one patched (set by count()). */
  #patched = false;
  /** How many Rewinds the SORT slot counts, and how many sorts, each run once, it counts besides. */
  readonly #rewindsTallied: number;
  readonly #fixedSorts: number;
  /** The runs of the tallied Rewinds in the current run (read by count()). */
  #rewindRuns = 0;
  readonly #loops: Loop[];
  readonly #openers: Opener[];
  /** The innermost loop around each counted write instruction (-1: none). */
  readonly #writes: number[];
  /**
   * For each counted write, the register a partial index's IsNull guard tests before it (-1:
   * unguarded): SQLite sets it NULL for a row outside the index's WHERE and skips the insert.
   */
  readonly #writeGuards: number[];
  /**
   * For each counted write, the register whose integer after the run is how many rows it wrote
   * (-1: none): the rowid NewRowid gave the last row a statement inserted into a table it created
   * (CREATE TABLE … AS SELECT, inserting in a coroutine's loop that no step counter sees).
   */
  readonly #writeTallies: number[];
  /** Which counted writes are in an upsert's DO UPDATE code. */
  readonly #updateWriteAt: boolean[];
  /**
   * Registers set NULL at each run, so that a value there afterwards is this run's: IfConflict
   * lookups' keys (a value means a conflict) and PerEviction's sequence numbers (none: no row offered).
   */
  readonly #cleared: number[];
  /** The loops' witness registers (see Loop.witness). */
  readonly #witnesses: number[];
  /** Registers OP_Count leaves its count in. */
  readonly #countRegisters: number[];
  /**
   * For each Count whose register a later instruction reuses (ANALYZE counts an index, then
   * scans it with the same registers): the loop that scans the same cursor next, whose
   * iterations are the entries counted (-1: the register tells).
   */
  readonly #countScans: number[];
  /**
   * For each counted write outside every loop but after one, before the point its opener jumps
   * to on an empty b-tree (ANALYZE's row for an index): that loop, which must have run a body
   * for the write to run (-1: none).
   */
  readonly #writesAfter: number[];
  /** The slots the loops' steps count in, 0 included, each once. */
  readonly #slots: number[];
  /**
   * Loops (index) and openers (~index) in the order their counts can be computed: by address,
   * since a loop's opener comes before it and an opener's enclosing loop starts before it.
   */
  readonly #order: number[];
  /** Per run: each loop's Next steps and iterations, and each opener's runs. */
  readonly #steps: number[];
  readonly #iterations: number[];
  /** The sorts the current run made (stmt_status's SORT slot), read by count(). */
  #sorts = 0;
  readonly #runs: number[];
  /** Whether an upsert's update and insert code may write different numbers of rows (so which ran matters). */
  readonly #pathsDiffer: boolean;
  /** Whether the counts need the rows an upsert updated: its two paths read or write differently. */
  readonly needsUpdates: boolean;
  /** Where the running statement's registers are, during `count()`. */
  #registers = 0;
  /** What the last `count()` found. */
  read = 0;
  written = 0;

  private constructor(
    layout: VdbeLayout, program: number, loops: Loop[], openers: Opener[], order: number[], writes: number[], writeGuards: number[],
    updateWriteAt: boolean[], writeTallies: number[], writesAfter: number[], countRegisters: number[], countScans: number[], mark: readonly [number, number] | undefined,
    rewindMark: number | undefined, openerNames: string[],
  ) {
    this.#layout = layout;
    this.#program = program;
    this.#mark = mark;
    this.#rewindMark = rewindMark;
    this.#rewindsTallied = openers.filter((opener) => opener.tallied).length;
    this.#fixedSorts = openers.filter((_, i) => SORTS.has(openerNames[i]!)).length;
    this.#loops = loops;
    this.#openers = openers;
    this.#writes = writes;
    this.#writeGuards = writeGuards;
    this.#writeTallies = writeTallies;
    this.#updateWriteAt = updateWriteAt;
    const updateWrites = updateWriteAt.filter(Boolean).length;
    this.#cleared = [
      ...openers.filter((opener) => opener.runs === Runs.IfConflict).map((opener) => opener.key),
      ...openers.filter((opener) => opener.offered !== -1).map((opener) => opener.offered),
    ];
    this.#witnesses = [...loops.flatMap((loop) => [loop.witness, loop.filled]), ...openers.map((opener) => opener.witness), ...writeTallies].filter((register) => register !== -1);
    this.#countRegisters = countRegisters;
    this.#countScans = countScans;
    this.#writesAfter = writesAfter;
    this.#slots = [0, ...new Set(loops.map((loop) => loop.slot).filter((slot) => slot !== 0))];
    this.#order = order;
    this.#steps = filledOwn(loops.length, 0);
    this.#iterations = filledOwn(loops.length, 0);
    this.#runs = filledOwn(openers.length, 0);
    // A partial index written on one path may be skipped on the other, whatever the counts.
    this.#pathsDiffer = updateWrites !== 0 && (2 * updateWrites !== writes.length || writeGuards.some((guard) => guard !== -1));
    this.needsUpdates = this.#pathsDiffer || openers.some((opener) => opener.runs === Runs.PerUpdatedRow);
  }

  /**
   * Reads the program of the statement at `vdbe` (prepared from `sql` on `database`; `explains`
   * when it is itself an EXPLAIN) and gives
   * its loops their counter slots; undefined if EXPLAIN does not describe the program in memory.
   */
  static of(database: Database, sql: string, explains: boolean, vdbe: number, layout: VdbeLayout, kind: StatementKind): ProgramCounter | undefined {
    let rows = programListing(database, sql, explains, vdbe, layout);
    if (rows === undefined) return undefined;
    const heap = layout.heap();
    const program = heap.getUint32(vdbe + layout.ops, true);
    rows = live(rows);
    const ephemeral = new Set(rows.filter((row) => EPHEMERAL.has(row[1])).map((row) => row[2]));
    const equalOnly = new Set(rows.filter((row) => OPENS.has(row[1]) && (row[6] & SEEK_EQUAL) !== 0).map((row) => row[2]));
    // A table's cursor (its rows keyed by rowid): an index's Open carries the index's KeyInfo, shown as "k(...)".
    const tableCursors = new Set(rows.filter((row) => OPENS.has(row[1]) && !String(row[5]).startsWith("k(")).map((row) => row[2]));
    const spare = rows.some((row) => row[1] === "Filter") ? SPARE_SLOTS.slice(0, 3) : SPARE_SLOTS;
    const openerRows = rows.filter((row) => OPENERS.has(row[1]));
    const loops: Loop[] = [];
    // Which loop an address is in, by address (rows may have gaps where dead code was).
    const ranges: { start: number; end: number }[] = [];
    const write = kind === "insert" || kind === "update" || kind === "delete";
    // The Goto after the prologue (Transaction and friends, where Init jumps) starts the program.
    const prologue = rows[0]?.[1] === "Init" ? rows[0][3] : Infinity;
    for (const [addr, name, p1, p2] of rows) {
      if (name === "Goto" && write && p2 <= addr && addr < prologue) {
        loops.push({ slot: 0, opener: -1, cursor: -1, virtual: false, perChange: true, fedBy: undefined, filled: -1, queue: -1, witness: -1, rowidWitness: false });
        ranges.push({ start: p2, end: addr });
        continue;
      }
      const virtual = name === "VNext";
      if (!(STEPS.has(name) || virtual) || p2 > addr) continue;
      const opener = openerRows.findLastIndex((row) => row[0] < p2 && row[2] === p1);
      const slot = virtual ? 0 : (spare[loops.length] ?? 0);
      if (slot !== 0) heap.setUint16(program + addr * layout.opSize + 2, slot, true);
      const openerAt = opener === -1 ? -1 : openerRows[opener]![0];
      let first = virtual || opener === -1 ? undefined : loopBodyStart(rows, p2, openerAt);
      let output = first !== undefined && first[2] === p1 && layout.registerFields !== undefined ? WITNESS_OUTPUTS[first[1]] : undefined;
      if (output === undefined && !virtual && opener !== -1 && layout.registerFields !== undefined) {
        first = firstRead(rows, openerAt, addr, p1);
        output = first === undefined ? undefined : WITNESS_OUTPUTS[first[1]];
      }
      const witness = output === undefined ? -1 : first![output];
      loops.push({ slot, opener, cursor: p1, virtual, perChange: false, fedBy: undefined, filled: -1, queue: -1, witness, rowidWitness: witness !== -1 && first![1] !== "Column" });
      ranges.push({ start: p2, end: addr });
    }
    // The block after a Once runs once per run, even inside a loop.
    const once = rows.filter((row) => row[1] === "Once").map((row) => ({ start: row[0], end: row[3] }));
    // throughOnce: the loop around a Once block the address is in counts too.
    const innermost = (addr: number, throughOnce = false): number => {
      let best = -1;
      ranges.forEach((range, i) => {
        if (range.start > addr || addr > range.end) return;
        if (!throughOnce && once.some((block) => block.start < addr && addr < block.end && !(block.start < range.start && range.end < block.end))) return;
        if (best === -1 || range.start > ranges[best]!.start) best = i;
      });
      return best;
    };
    // NULL tells only where nothing after the loop may set the register again (an operand naming
    // it, up to the prologue, which runs before everything else).
    loops.forEach((loop, i) => {
      const names = (row: Instruction) => row[0] > ranges[i]!.end && row[0] < prologue && (row[2] === loop.witness || row[3] === loop.witness || row[4] === loop.witness);
      if (loop.rowidWitness) loop.rowidWitness = innermost(openerRows[loop.opener]![0]) === -1 && !rows.some(names);
    });
    // The loops whose bodies yield the rows loop `j` goes through: itself, or for a write
    // statement's Goto loop (whose count is the rows changed, not those it was given) the
    // loops before it, which collect those rows or yield them from a coroutine.
    const yielding = (j: number) =>
      !loops[j]!.perChange ? [j] : loops.flatMap((candidate, k) => (!candidate.perChange && ranges[k]!.start < ranges[j]!.start ? [k] : []));
    // Temporary b-trees no other cursor shares (OpenDup opens a second cursor on one).
    const shared = new Set(rows.filter((row) => row[1] === "OpenDup").flatMap((row) => [row[2], row[3]]));
    loops.forEach((loop, i) => {
      if (!ephemeral.has(loop.cursor) || shared.has(loop.cursor) || rows.some((row) => row[1] === "OpenPseudo" && row[2] === loop.cursor)) return;
      const feeders = rows.filter((row) => TEMPORARY_INSERTS.has(row[1]) && row[2] === loop.cursor).map((row) => innermost(row[0]));
      const keys = rows.filter((row) => row[1] === "NewRowid" && row[2] === loop.cursor).map((row) => row[3]);
      const inserts = rows.filter((row) => TEMPORARY_INSERTS.has(row[1]) && row[2] === loop.cursor);
      if (keys.length === 1 && layout.registerFields !== undefined && inserts.every((row) => row[1] === "Insert" && row[4] === keys[0])) loop.filled = keys[0]!;
      if (feeders.includes(-1)) return;
      const sources = feeders.flatMap(yielding);
      // Each feeding loop's count must be known first: one that starts before this one, not it.
      if (sources.length > 0 && sources.every((j) => j !== i && ranges[j]!.start < ranges[i]!.start)) loop.fedBy = sources;
    });
    const isWrite = ([, name, p1, p2, p3]: Instruction) =>
      ((name === "Insert" || name === "IdxInsert") && !ephemeral.has(p1)) ||
      (name === "Delete" && !ephemeral.has(p1) && (p2 & COUNTS_CHANGE) !== 0) ||
      (name === "Clear" && p3 !== 0);
    const within = (from: number, to: number, test: (row: Instruction) => boolean) => rows.some((row) => row[0] >= from && row[0] < to && test(row));
    const conflictBlocks =
      kind === "insert" ? rows.filter((row) => CONFLICT_CHECKS.has(row[1]) && row[3] > row[0]).map((row) => ({ start: row[0], end: row[3] })) : [];
    const inConflictBlock = (addr: number) => conflictBlocks.some((block) => block.start < addr && addr < block.end);
    // The code after a unique index's NoConflict that an INSERT or UPDATE OR REPLACE runs on a conflict.
    const replaceBlocks = rows.filter((row) => row[1] === "NoConflict" && row[3] > row[0]).map((row) => ({ start: row[0], end: row[3] }));
    const inReplaceBlock = (addr: number) => replaceBlocks.some((block) => block.start < addr && addr < block.end);
    // An upsert's DO UPDATE code writes the row it updates; REPLACE and IGNORE code writes nothing counted.
    const doUpdate = rows.some((row) => isWrite(row) && inConflictBlock(row[0]));
    // A conditional jump in [from, to) that leaves that stretch skips some rows before `to`
    // (not the NULL and type guards on a lookup's key, which IN lists and joins always carry).
    const filtersBefore = (from: number, to: number) =>
      rows.some(([addr, name, , p2]) => addr >= from && addr < to && JUMPS.has(name) && !GUARDS.has(name) && (p2 < from || p2 > to));
    const conflictKeys = new Set<number>();
    // An upsert checks its target index first; where that check finds no conflict, a Goto leads
    // back to the rowid check (which SQLite emits earlier).
    const noConflictExits = new Set(rows.filter((row) => row[1] === "NoConflict").map((row) => row[3]));
    const checksPastTarget = new Set(kind === "insert" ? rows.filter((row) => row[1] === "Goto" && noConflictExits.has(row[0])).map((row) => row[3]) : []);
    // The register OP_Sequence numbers a b-tree's rows in (read after the run: needs the register
    // layout), if no other instruction may set it, so that it still holds the last number then.
    const sequenceOf = (cursor: number) => {
      const sequence = layout.registerFields === undefined ? undefined : rows.find((row) => row[1] === "Sequence" && row[2] === cursor);
      if (sequence === undefined || rows.some((row) => row !== sequence && maySet(row, sequence[3]))) return -1;
      return sequence[3];
    };
    const skips = layout.registerFields === undefined ? [] : rows.filter((row) => row[1] === "IsNull" || row[1] === "Eq" || constantJump(rows, row, prologue) === true);
    // NotNull jumps inside loops whose register only code that runs once per run sets (see SkipGuard).
    const steadyNotNulls = layout.registerFields === undefined ? [] : rows.filter(
      ([at, name, register]) => name === "NotNull" && innermost(at) !== -1 && rows.every((row) => row[0] === at || innermost(row[0]) === -1 || !maySet(row, register)),
    );
    // Rewinds the SORT slot can count, made SorterSort (see Opener.tallied), where every sort of
    // the program runs once: outside every loop, loop of a Goto back, and subroutine.
    const opcodes = layout.opcodes;
    const runsOnce = (addr: number) =>
      innermost(addr) === -1 &&
      !rows.some(([at, name, , p2]) => name === "Goto" && p2 <= addr && addr <= at && at < prologue) &&
      !rows.some(([, name, register, target]) => name === "Gosub" && target <= addr && rows.some(([at, other, p1]) => other === "Return" && p1 === register && addr <= at));
    const tallied = opcodes === undefined || !rows.every((row) => !SORTS.has(row[1]) || runsOnce(row[0]))
      ? []
      : openerRows.filter((row) => row[1] === "Rewind" && innermost(row[0]) === -1 && heap.getUint8(program + row[0] * layout.opSize) === opcodes.rewind).map((row) => row[0]);
    for (const addr of tallied) heap.setUint8(program + addr * layout.opSize, opcodes!.sorterSort);
    if (kind === "select" && tallied.length === 1) addQueueReaders(rows, tallied[0]!, openerRows, prologue, loops, ranges);
    // The sorts whose read-back loop returns the query's rows: each one's cursor, and that loop.
    const sortReaders = new Map<number, number>();
    loops.forEach((candidate, i) => {
      const opener = openerRows[candidate.opener];
      if (opener !== undefined && SORTS.has(opener[1]) && within(ranges[i]!.start, ranges[i]!.end, (row) => row[1] === "ResultRow")) sortReaders.set(candidate.cursor, i);
    });
    const openers = openerRows.map(([addr, name, p1, p2, p3], index): Opener => {
      const loop = innermost(addr);
      const opens = loops.findIndex((candidate) => candidate.opener === index);
      let runs = Runs.PerIteration;
      if (doUpdate && inConflictBlock(addr)) runs = Runs.PerUpdatedRow;
      else if (SORTS.has(name) && openerRows.filter((row) => SORTS.has(row[1])).length === 1) runs = Runs.PerSort;
      else if (name === "SeekEnd") runs = Runs.FirstTwice;
      else if ((kind === "insert" || kind === "update") && name === "NotExists" && inReplaceBlock(addr) && layout.registerFields !== undefined) {
        runs = conflictKeys.has(p3) ? Runs.SharedConflict : Runs.IfConflict;
        conflictKeys.add(p3);
      } else if (kind === "insert" && name === "NotExists") runs = checksPastTarget.has(addr) ? Runs.PerRowPastTarget : Runs.PerInsertedRow;
      else if (kind === "update" && name === "NotExists" && within(addr + 1, p2, isWrite) && !within(addr + 1, p2, (row) => OPENERS.has(row[1]))) {
        runs = Runs.PerRewrittenRow;
      } else if (name === "Last" && ephemeral.has(p1) && (loop !== -1 || sequenceOf(p1) !== -1)) runs = Runs.PerEviction;
      else if (loop === -1 && (name === "SeekGE" || name === "SeekLE") && equalOnly.has(p1)) runs = Runs.IfFound;
      else if (loop === -1 && (name === "SeekRowid" || name === "NotExists") && layout.registerFields !== undefined) runs = Runs.IfRowidKey;
      else if ((name === "SeekRowid" || (EQUAL_SEEKS.has(name) && equalOnly.has(p1))) && loop !== -1 && literalListWithNull(rows, addr, loops[loop]!.cursor, p3, name === "SeekRowid")) {
        runs = Runs.PerIterationButNullKey;
      } else if (kind === "select" && name === "SeekRowid" && layout.registerFields !== undefined && !filtersBefore(ranges[loop]!.start, addr)) runs = Runs.PerIterationButLastKey;
      else if (loop === -1 && RANGE_SEEKS.has(name) && tableCursors.has(p1) && layout.registerFields !== undefined) runs = Runs.IfRangeKey;
      else if (kind === "select" && loop !== -1 && filtersBefore(ranges[loop]!.start, addr) && within(addr, ranges[loop]!.end, (row) => row[1] === "ResultRow")) {
        runs = Runs.PerReturnedRow;
      }
      let sortCursor = -1;
      if (runs === Runs.PerIteration && kind === "select" && loop !== -1 && opens === -1 && filtersBefore(ranges[loop]!.start, addr)) {
        sortCursor = rows.find((row) => row[0] > addr && row[0] < ranges[loop]!.end && SORT_INSERTS.has(row[1]) && sortReaders.has(row[2]))?.[2] ?? -1;
        if (sortCursor !== -1) runs = Runs.PerSortedRow;
      }
      const around = innermost(addr, true);
      return {
        loop,
        onceLoop: loop === -1 ? around : -1,
        runs,
        reads: name !== "VFilter" && !SORTS.has(name),
        tallied: tallied.includes(addr),
        opens,
        guardsRows: within(addr + 1, p2, (row) => row[1] === "ResultRow"),
        guardsWrites: within(addr + 1, p2, isWrite),
        readBack: loops.findIndex((candidate) => candidate.cursor === p1 && ranges[loops.indexOf(candidate)]!.start > addr),
        offered: runs === Runs.PerEviction ? sequenceOf(p1) : runs === Runs.PerSortedRow ? sequenceOf(sortCursor) : -1,
        sortReader: sortReaders.get(sortCursor) ?? -1,
        sources: runs === Runs.PerInsertedRow && loop !== -1 ? yielding(loop) : [],
        key: p3,
        ...(runs === Runs.IfFound && opens === -1 && layout.registerFields !== undefined ? foundWitness(rows, addr, p2, prologue)
          : runs === Runs.PerInsertedRow && loop !== -1 && layout.registerFields !== undefined ? triedWitness(rows, addr, p3, ranges[loop]!)
          : NO_WITNESS),
        // In a loop the registers hold only the last row's values: a lookup there runs per row,
        // except a conflict's, which is already decided by the registers at the end, and an
        // UPDATE's lookup of a row's new rowid, whose Eq guard tells of the last row (see #runsOf).
        guards: loop === -1 || runs === Runs.IfConflict || (kind === "update" && runs === Runs.PerIteration)
          ? skips
              .filter((guard) => guard[0] < addr && guard[3] > addr && innermost(guard[0]) === loop)
              .filter(([, name]) => loop === -1 || runs === Runs.IfConflict || name === "Eq")
              .map(([, name, register, , other]) => ({ register, other: name === "Eq" ? other : name === "IsNull" ? IS_NULL : ALWAYS }))
          : steadyNotNulls.filter((guard) => guard[0] < addr && guard[3] > addr && innermost(guard[0]) === loop).map(([, , register]) => ({ register, other: NOT_NULL })),
      };
    });
    const writes: number[] = [];
    const writeGuards: number[] = [];
    const updateWriteAt: boolean[] = [];
    const writeTallies: number[] = [];
    const writesAfter: number[] = [];
    const countRegisters: number[] = [];
    const countScans: number[] = [];
    // Cursors on a b-tree this statement created: OpenWrite whose root page is a register's (OPFLAG_P2ISREG).
    const created = new Set(rows.filter((row) => row[1] === "OpenWrite" && (row[6] & ROOT_IN_REGISTER) !== 0).map((row) => row[2]));
    rows.forEach((row, i) => {
      const [addr, name, , p2] = row;
      if (isWrite(row)) {
        writes.push(innermost(addr));
        // A partial index's insert: `IsNull reg` right before it jumps just past it.
        const before = rows[i - 1];
        const guarded = before !== undefined && before[1] === "IsNull" && before[3] === addr + 1 && layout.registerFields !== undefined;
        writeGuards.push(guarded ? before[2] : -1);
        updateWriteAt.push(inConflictBlock(addr));
        const key = rows.filter((other) => other[1] === "NewRowid" && other[2] === row[2]);
        const tallied = name === "Insert" && created.has(row[2]) && key.length === 1 && key[0]![3] === row[4] && layout.registerFields !== undefined;
        writeTallies.push(tallied ? row[4] : -1);
        const skippedBy = innermost(addr) !== -1 ? undefined
          : openerRows.findLast((opener) => opener[1] === "Rewind" && opener[0] < addr && opener[3] > addr && loops.some((loop) => openerRows[loop.opener] === opener));
        writesAfter.push(skippedBy === undefined ? -1 : loops.findIndex((loop) => openerRows[loop.opener] === skippedBy));
      } else if (name === "Count") {
        countRegisters.push(p2);
        const reused = rows.some((other) => other[0] > addr && other[0] < prologue && maySet(other, p2));
        const scan = openerRows.find((opener) => opener[1] === "Rewind" && opener[0] > addr && opener[2] === row[2]);
        countScans.push(reused && scan !== undefined ? loops.findIndex((loop) => openerRows[loop.opener] === scan) : -1);
      }
    });
    const order = [
      ...ranges.map((range, i) => ({ at: range.start, item: i })),
      ...openerRows.map((row, i) => ({ at: row[0] + 0.5, item: ~i })),
    ].sort((a, b) => a.at - b.at).map(({ item }) => item);
    const marked = loops.findIndex((loop, i) => loop.slot !== 0 && rows.find((row) => row[0] === ranges[i]!.end)![6] !== loop.slot);
    const mark = marked === -1 ? undefined : ([ranges[marked]!.end * layout.opSize, loops[marked]!.slot] as const);
    const rewindMark = tallied.length === 0 ? undefined : tallied[0]! * layout.opSize;
    return new ProgramCounter(
      layout, program, loops, openers, order, writes, writeGuards, updateWriteAt, writeTallies, writesAfter, countRegisters, countScans, mark, rewindMark,
      openerRows.map((row) => row[1]),
    );
  }

  /** Rows the running statement at `vdbe` has changed so far (a RETURNING statement has made all its changes at its first step). */
  changes(vdbe: number): number {
    return this.#layout.heap().getInt32(vdbe + this.#layout.changes, true);
  }

  /** Zeroes the statement's counters: a new run starts (workerd resets them with the statement). */
  restart(vdbe: number): void {
    const layout = this.#layout;
    const heap = layout.heap();
    const base = vdbe + layout.counters;
    heap.setUint32(base + 4 * SORT_SLOT, 0, true);
    // Indexed loops here and below: this runs once per statement, often before V8 optimises
    // it, and unoptimised `for...of` makes an iterator and a result object per step.
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) heap.setUint32(base + 4 * slots[i]!, 0, true);
    const keys = this.#cleared;
    const witnesses = this.#witnesses;
    if (keys.length > 0 || witnesses.length > 0) {
      // After the last run's halt the register holds no memory of its own, so only its value and type are set.
      const registers = heap.getUint32(vdbe + layout.registers, true);
      const flags = layout.registerFields!.flags;
      for (let i = 0; i < keys.length; i++) heap.setUint16(registers + keys[i]! * layout.registerSize + flags, MEM_NULL, true);
      for (let i = 0; i < witnesses.length; i++) {
        const at = registers + witnesses[i]! * layout.registerSize;
        heap.setFloat64(at, WITNESS_UNSET, true);
        heap.setUint16(at + flags, MEM_REAL, true);
      }
    }
  }

  /**
   * Counts the rows read and written so far (into `read` and `written`) by the run of the
   * statement at `vdbe`, which has returned `returned` rows and changed `changes`, `updated`
   * of them by an INSERT's upsert rather than inserted (rowid tables; 0 when unknown).
   */
  count(vdbe: number, kind: StatementKind, returned: number, changes: number, updated: number): void {
    const layout = this.#layout;
    const heap = layout.heap();
    const base = vdbe + layout.counters;
    // A statement SQLite re-prepared (the schema changed under it, or a bound value its plan
    // depends on, as a LIMIT's, was bound) runs a new, unpatched program.
    const program = heap.getUint32(vdbe + layout.ops, true);
    const mark = this.#mark;
    const rewindMark = this.#rewindMark;
    const patched = program === this.#program && (mark === undefined || heap.getUint16(program + mark[0] + 2, true) === mark[1]) &&
      (rewindMark === undefined || heap.getUint8(program + rewindMark) === this.#layout.opcodes!.sorterSort);
    this.#patched = patched;
    const sortSlot = heap.getUint32(base + 4 * SORT_SLOT, true);
    let read = sortSlot;
    // With tallied Rewinds the program's sorts each run once: the rest of the slot is the Rewinds'.
    const fixedSorts = patched && this.#rewindsTallied > 0 ? Math.min(this.#fixedSorts, sortSlot) : sortSlot;
    this.#sorts = fixedSorts;
    this.#rewindRuns = sortSlot - fixedSorts;
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) read += slotSteps(heap, base, slots[i]!);
    const loops = this.#loops;
    const openers = this.#openers;
    const iterations = this.#iterations;
    const steps = this.#steps;
    const runs = this.#runs;
    const virtualRows = kind === "select" ? returned : changes;
    this.#registers = heap.getUint32(vdbe + layout.registers, true);
    for (let i = 0; i < loops.length; i++) {
      const loop = loops[i]!;
      steps[i] = loop.virtual ? virtualRows : loop.perChange ? changes - 1 : slotSteps(heap, base, patched ? loop.slot : 0);
      if (loop.virtual) read += virtualRows;
    }
    // Outer before inner (see #order); the evictions need the loop reading the sort back, later.
    const order = this.#order;
    for (let k = 0; k < order.length; k++) {
      const item = order[k]!;
      if (item >= 0) {
        // Entering a loop finds its first row (an empty table's opener reads one all the same,
        // but its body, as its witness shows, never ran).
        const loop = loops[item]!;
        if (loop.queue !== -1) {
          iterations[item] = Math.max(0, runs[loop.queue]! - 1);
          continue;
        }
        const entered = loop.opener === -1 ? 1 : runs[loop.opener]!;
        const empty = (loop.fedBy !== undefined && loop.fedBy.every((feeder) => iterations[feeder] === 0)) || (loop.filled !== -1 && this.#stillUnset(loop.filled));
        iterations[item] = steps[item]! + (steps[item] === 0 && (empty || this.#untouched(loop)) ? 0 : entered);
      } else {
        const opener = openers[~item]!;
        runs[~item] = opener.runs === Runs.PerEviction ? 0 : this.#runsOf(opener, kind, returned, changes, updated);
      }
    }
    for (let i = 0; i < openers.length; i++) {
      const opener = openers[i]!;
      if (opener.runs === Runs.PerEviction) {
        const offered = opener.offered !== -1 ? Number((this.#integer(opener.offered) ?? -1n) + 1n) : iterations[opener.loop]!;
        // Rows read back: a re-prepared program (a bound LIMIT makes SQLite re-prepare with its
        // value) counts every loop's steps in one slot, so there the rows returned tell instead.
        const kept = opener.readBack === -1 ? 0 : patched ? iterations[opener.readBack]! : Math.min(returned, iterations[opener.readBack]!);
        runs[i] = Math.max(0, offered - kept);
      }
      // A tallied Rewind's reads are in the SORT slot, read above (unless SQLite re-prepared the program).
      if (opener.reads && !(opener.tallied && patched)) read += runs[i]!;
    }
    const countRegisters = this.#countRegisters;
    if (countRegisters.length > 0) {
      const registers = this.#registers;
      const scans = this.#countScans;
      for (let i = 0; i < countRegisters.length; i++) {
        read += scans[i] !== -1 ? iterations[scans[i]!]! : heap.getInt32(registers + countRegisters[i]! * layout.registerSize, true);
      }
    }
    let written = 0;
    const writes = this.#writes;
    if (kind === "insert" || kind === "update" || kind === "delete") {
      // Each changed row went through the insert (or update, or delete) code once, which wrote
      // each partial index its values fall in. The index record's register is left NULL only
      // if no row of the run was admitted, so one run's rows are taken to agree.
      const upserted = this.#pathsDiffer ? Math.min(updated, changes) : 0;
      const guards = this.#writeGuards;
      const updateWriteAt = this.#updateWriteAt;
      for (let i = 0; i < writes.length; i++) {
        if (guards[i] !== -1 && this.#registerIsNull(guards[i]!)) continue;
        written += updateWriteAt[i] ? upserted : changes - upserted;
      }
    } else {
      const tallies = this.#writeTallies;
      for (let i = 0; i < writes.length; i++) {
        const tally = tallies[i]!;
        const after = this.#writesAfter[i]!;
        written += tally !== -1
          ? (this.#stillUnset(tally) ? 0 : Number(this.#integer(tally) ?? 1n))
          : writes[i] !== -1 ? iterations[writes[i]!]! : after !== -1 && iterations[after] === 0 ? 0 : 1;
      }
    }
    this.read = read;
    this.written = written;
  }

  #registerFlags(register: number): number {
    const layout = this.#layout;
    return layout.heap().getUint16(this.#registers + register * layout.registerSize + layout.registerFields!.flags, true);
  }

  /** Whether a register holds NULL (after the run's halt, a value with memory of its own reads as no type). */
  #registerIsNull(register: number): boolean {
    return (this.#registerFlags(register) & VALUE_TYPES) === MEM_NULL;
  }

  /**
   * Whether a witness register shows that the code it heads never ran: a loop's body, or what
   * a seek runs on a found key (see Loop.witness, Loop.rowidWitness and their Opener twins).
   */
  #untouched({ witness, rowidWitness }: Witness): boolean {
    if (witness === -1) return false;
    if (rowidWitness && this.#registerIsNull(witness)) return true;
    return this.#stillUnset(witness);
  }

  /** Whether a witness register still holds what restart() left there (WITNESS_UNSET). */
  #stillUnset(witness: number): boolean {
    if ((this.#registerFlags(witness) & VALUE_TYPES) !== MEM_REAL) return false;
    return Number.isNaN(this.#layout.heap().getFloat64(this.#registers + witness * this.#layout.registerSize, true));
  }

  /** Whether the guard jumped: always, its register is NULL (NotNull: holds a value), or (Eq) both registers hold the same integer. */
  #skipped(guard: SkipGuard): boolean {
    if (guard.other === IS_NULL) return this.#registerIsNull(guard.register);
    // A value released at the halt shows no type: not known to have jumped.
    if (guard.other === NOT_NULL) return (this.#registerFlags(guard.register) & VALUE_TYPES & ~MEM_NULL) !== 0;
    if (guard.other === ALWAYS) return true;
    const value = this.#integer(guard.register);
    return value !== undefined && value === this.#integer(guard.other);
  }

  /** The integer a register holds, or undefined. */
  #integer(register: number): bigint | undefined {
    return (this.#registerFlags(register) & MEM_INT) !== 0 ? this.#layout.heap().getBigInt64(this.#registers + register * this.#layout.registerSize, true) : undefined;
  }

  /**
   * The rows a PerSortedRow lookup's sort was given: its last sequence number's, or its read-back
   * loop's steps and first row (none if that loop's body never ran). The sort has run whole
   * before the first row is returned, and that loop's count is not yet computed (it comes later).
   */
  #sortedRows(opener: Opener): number {
    if (opener.offered !== -1) return Number((this.#integer(opener.offered) ?? -1n) + 1n);
    const steps = this.#steps[opener.sortReader]!;
    return steps > 0 || !this.#untouched(this.#loops[opener.sortReader]!) ? steps + 1 : 0;
  }

  #runsOf(opener: Opener, kind: StatementKind, returned: number, changes: number, updated: number): number {
    const guards = opener.guards;
    for (let i = 0; i < guards.length; i++) {
      if (!this.#skipped(guards[i]!)) continue;
      if (guards[i]!.other === NOT_NULL) return 0;
      // An UPDATE's lookup of the new rowid in a loop: the last row kept its rowid, and skipped
      // it; the rows before it are counted as looked up (exact when the loop ran once).
      return opener.loop !== -1 && opener.runs === Runs.PerIteration ? this.#iterations[opener.loop]! - 1 : 0;
    }
    if (opener.tallied && this.#patched && this.#rewindsTallied === 1) return this.#rewindRuns;
    switch (opener.runs) {
      case Runs.PerInsertedRow: {
        // A row that failed its constraints was tried all the same, if the SELECT yielded one.
        if (this.#untouched(opener)) return 0;
        const sources = opener.sources;
        return changes > 0 || sources.length === 0 || sources.some((source) => this.#iterations[source]! > 0) ? Math.max(changes, 1) : 0;
      }
      case Runs.PerRowPastTarget:
        return changes - Math.min(updated, changes);
      case Runs.PerUpdatedRow:
        return updated;
      case Runs.PerSort:
        return this.#sorts;
      case Runs.PerRewrittenRow:
        return changes;
      case Runs.IfConflict:
        return (this.#registerFlags(opener.key) & MEM_INT) !== 0 ? 1 : 0;
      case Runs.SharedConflict:
        return 0;
      case Runs.PerReturnedRow:
        return Math.min(returned, this.#iterations[opener.loop]!);
      case Runs.PerSortedRow:
        return Math.min(this.#sortedRows(opener), this.#iterations[opener.loop]!);
      case Runs.FirstTwice:
        return opener.loop === -1 ? 1 : Math.min(this.#iterations[opener.loop]!, 2);
      case Runs.IfRowidKey:
        return seeksRowid(this.#layout, this.#registers + opener.key * this.#layout.registerSize) ? 1 : 0;
      case Runs.PerIterationButLastKey: {
        const iterations = this.#iterations[opener.loop]!;
        return iterations > 0 && !seeksRowid(this.#layout, this.#registers + opener.key * this.#layout.registerSize) ? iterations - 1 : iterations;
      }
      case Runs.PerIterationButNullKey:
        return Math.max(this.#iterations[opener.loop]! - 1, 0);
      case Runs.IfRangeKey:
        return seeksRange(this.#layout, this.#registers + opener.key * this.#layout.registerSize) ? 1 : 0;
      case Runs.IfFound: {
        // A found key runs the code it guards: its loop steps, or it returns or writes a row.
        const found =
          (opener.witness !== -1 && !this.#untouched(opener)) ||
          (opener.opens !== -1 && this.#steps[opener.opens]! > 0) ||
          (opener.guardsRows && returned > 0) ||
          ((opener.guardsWrites || kind === "update" || kind === "delete") && changes > 0);
        return found ? 1 : 0;
      }
      default:
        if (opener.loop !== -1) return this.#iterations[opener.loop]!;
        return opener.onceLoop === -1 || this.#iterations[opener.onceLoop]! > 0 ? 1 : 0;
    }
  }
}

/** The Next steps a stmt_status slot counted (the statement's counters start at `base`). */
function slotSteps(heap: DataView, base: number, slot: number): number {
  const value = heap.getUint32(base + 4 * slot, true);
  return slot === RUN_SLOT ? Math.max(0, value - 1) : value;
}

/** Instructions that load a literal an IN list's b-tree can hold as an integer rowid or NULL. */
const INTEGER_OR_NULL = new Set(["Integer", "Int64", "Null"]);
/** Instructions that load any literal. */
const LITERALS = new Set([...INTEGER_OR_NULL, "Real", "String8", "Blob"]);
/** The seeks an index's equality lookup starts with (SeekLE in a descending index). */
const EQUAL_SEEKS = new Set(["SeekGE", "SeekLE"]);

/**
 * Whether the lookup at `at` (key register `key`) is guarded by `IsNull key` (an index's seek
 * also by the Affinity after it) and loops over `cursor`, an IN list's b-tree filled only with
 * literals and at least one NULL. For a rowid lookup (`rowid`), only integer literals: EXPLAIN
 * does not show the values of reals and text, which decide whether they are rowids.
 */
function literalListWithNull(rows: readonly Instruction[], at: number, cursor: number, key: number, rowid: boolean): boolean {
  const index = rows.findIndex((row) => row[0] === at);
  const affinity = !rowid && rows[index - 1]?.[1] === "Affinity" && rows[index - 1]![2] === key ? 1 : 0;
  const guard = rows[index - 1 - affinity];
  if (guard === undefined || guard[1] !== "IsNull" || guard[2] !== key) return false;
  let nulls = 0;
  for (let i = 0; i < rows.length; i++) {
    const [, name, p1, p2] = rows[i]!;
    if (name !== "IdxInsert" || p1 !== cursor) continue;
    const record = rows[i - 1];
    const literal = rows[i - 2];
    if (record?.[1] !== "MakeRecord" || record[3] !== 1 || record[4] !== p2) return false;
    if (literal === undefined || !(rowid ? INTEGER_OR_NULL : LITERALS).has(literal[1]) || literal[3] !== record[2]) return false;
    if (literal[1] === "Null") nulls++;
  }
  return nulls > 0;
}

/**
 * The witness of an equality seek at `addr` that jumps to `notFound` when the key is missing:
 * the output register of the first instruction reading the found row, if only the seek's own
 * follow-ups (SEEK_FOLLOW_UPS) come before it; otherwise none. A Null that runs before the
 * seek (from the prologue, which Init jumps to, or the start of the program) and covers that
 * register overwrites the mark restart() left: a rowid's NULL still tells (see
 * Opener.rowidWitness), a column's, which a row may hold, does not.
 */
function foundWitness(rows: readonly Instruction[], addr: number, notFound: number, prologue: number): Witness {
  const first = rows.find((row) => row[0] > addr && !SEEK_FOLLOW_UPS.has(row[1]));
  const output = first === undefined || first[0] >= notFound ? undefined : WITNESS_OUTPUTS[first[1]];
  if (output === undefined) return NO_WITNESS;
  const witness = first![output];
  const nulledFirst = rows.some(([at, name, , p2, p3]) => (at < addr || at >= prologue) && name === "Null" && p2 <= witness && witness <= Math.max(p2, p3));
  if (!nulledFirst) return { witness, rowidWitness: false };
  return first![1] === "Column" ? NO_WITNESS : { witness, rowidWitness: true };
}

/**
 * The key register of an INSERT's rowid check at `at`, as a witness that a row was tried (see
 * Opener.witness): the loop it is in (its body spans `range`) sets it, and names it first so,
 * before anything reads it; nothing outside that loop may set it.
 */
function triedWitness(rows: readonly Instruction[], at: number, key: number, range: { start: number; end: number }): Witness {
  const inside = (row: Instruction) => row[0] >= range.start && row[0] <= range.end;
  if (rows.some((row) => !inside(row) && maySet(row, key))) return NO_WITNESS;
  const first = rows.find((row) => inside(row) && row[0] < at && !SETS_NOTHING.has(row[1]) && (row[2] === key || row[3] === key || row[4] === key));
  return first !== undefined && first[2] !== key && !JUMPS.has(first[1]) && maySet(first, key) ? { witness: key, rowidWitness: false } : NO_WITNESS;
}

/**
 * The first instruction of a loop's body, whose output can witness that the body ran: the one its
 * step jumps back to, except in a unique index's build, where that one is the SorterCompare that
 * checks each entry against the previous one and the first entry is reached by the Goto right
 * after the opener (at `openerAt`), which skips it.
 */
function loopBodyStart(rows: readonly Instruction[], stepTarget: number, openerAt: number): Instruction | undefined {
  const first = rows.find((row) => row[0] === stepTarget);
  if (first?.[1] !== "SorterCompare") return first;
  const entry = rows.find((row) => row[0] === openerAt + 1);
  return entry?.[1] === "Goto" ? rows.find((row) => row[0] === entry[3]) : first;
}

/**
 * Whether an If or IfNot at `at` jumps at every run (undefined: not known, or no such test): its
 * register was last set by Destroy (the root page the drop moved, 0 without auto-vacuum), or is
 * set only by the prologue (at `prologue` on), to an integer constant.
 */
function constantJump(rows: readonly Instruction[], [at, name, register]: Instruction, prologue: number): boolean | undefined {
  if (name !== "If" && name !== "IfNot") return undefined;
  const setters = rows.filter((row) => row[0] !== at && maySet(row, register));
  const destroyed = rows.findLast((row) => row[0] < at && maySet(row, register))?.[1] === "Destroy";
  const constant = setters.length === 1 && setters[0]![1] === "Integer" && setters[0]![0] >= prologue;
  if (!destroyed && !constant) return undefined;
  const value = destroyed ? 0 : setters[0]![2];
  return (value !== 0) === (name === "If");
}

/**
 * Adds, as a loop, the main query's loop over a recursive CTE's rows: a Goto back to a Yield
 * whose coroutine yields at one place only, right after the Rewind (the only one the SORT slot
 * counts, at `queueAt`) that a Goto back makes poll the CTE's queue: once per row, so the loop
 * runs once per poll but the last, and lookups in it (a join with the CTE) run as often.
 */
function addQueueReaders(
  rows: readonly Instruction[], queueAt: number, openerRows: readonly Instruction[], prologue: number, loops: Loop[], ranges: { start: number; end: number }[],
): void {
  const polls = rows.some(([at, name, , p2]) => name === "Goto" && p2 === queueAt && at > queueAt);
  for (const [gotoAt, name, , head] of rows) {
    if (!polls || name !== "Goto" || head > gotoAt || gotoAt >= prologue) continue;
    const reader = rows.find((row) => row[0] === head);
    if (reader?.[1] !== "Yield" || reader[3] <= gotoAt) continue;
    const producers = rows.filter((row) => row[1] === "Yield" && row[2] === reader[2] && row[0] !== head);
    const producer = producers.length === 1 ? producers[0]![0] : -1;
    // Nothing between the poll and the yield may jump: each row polled is yielded.
    if (producer < queueAt || rows.some((row) => row[0] > queueAt && row[0] < producer && JUMPS.has(row[1]))) continue;
    loops.push({ slot: 0, opener: -1, cursor: -1, virtual: false, perChange: false, fedBy: undefined, filled: -1, witness: -1, rowidWitness: false,
      queue: openerRows.findIndex((row) => row[0] === queueAt) });
    // The body starts after the Yield, whose jump out on the last row is no filter of the rows.
    ranges.push({ start: head + 1, end: gotoAt });
  }
}

/**
 * The first instruction that reads a row of `cursor` on the path its loop's first iteration takes
 * from the opener at `openerAt` (the loop's step at `stepAt`): through instructions that do not
 * jump, and unconditional Gotos, up to the first that may branch. Undefined if none, or if an
 * instruction outside the loop may set its output, so that the register would not tell.
 */
function firstRead(rows: readonly Instruction[], openerAt: number, stepAt: number, cursor: number): Instruction | undefined {
  let at = openerAt + 1;
  for (let seen = 0; seen < rows.length; seen++) {
    const row = rows.find((candidate) => candidate[0] === at);
    if (row === undefined || row[0] >= stepAt) return undefined;
    const output = WITNESS_OUTPUTS[row[1]];
    if (output !== undefined && row[2] === cursor) {
      const outside = rows.some((other) => (other[0] < openerAt || other[0] > stepAt) && maySet(other, row[output]));
      return outside ? undefined : row;
    }
    if (row[1] === "Goto" || (row[1] === "Once" && fallsInto(rows, row[3]))) at = row[3];
    else if (JUMPS.has(row[1]) || BRANCHES.has(row[1])) return undefined;
    else at = row[0] + 1;
  }
  return undefined;
}

/**
 * Whether the instruction before `target` goes on to it: then a Once block ending there (a
 * subquery's set-up, run on the first pass only) rejoins the path that skips it, and every pass
 * reaches `target`.
 */
function fallsInto(rows: readonly Instruction[], target: number): boolean {
  const before = rows.find((row) => row[0] === target - 1);
  return before !== undefined && before[1] !== "Goto" && !BRANCHES.has(before[1]);
}

/** Instructions that leave the straight path without being jumps to their p2. */
const BRANCHES = new Set(["Return", "Halt", "EndCoroutine", "HaltIfNull"]);

/** Instructions that may change whether their p1 register is NULL in place. */
const SETS_P1 = new Set(["SoftNull", "AddImm", "Cast", "MustBeInt"]);
/**
 * Instructions that set no register, whose operands may carry any register's number: Jump's are
 * all addresses (a GROUP BY compares each row's terms with it), Transaction's p3 the schema's
 * cookie, which its number reaches as tables are created.
 */
const SETS_NOTHING = new Set(["Jump", "Transaction", "Goto", "Init", "Halt"]);
/** Jumps that write their p3 register; the others only read it (a comparison's operand) or take a flag there (If, IfNot). */
const JUMPS_SETTING_P3 = new Set(["RowSetRead", "IfNullRow", "Program"]);
/** Instructions whose p2 is no register: a count of registers, a column's number, a root page, a cursor's column count (jumps' p2 is an address). */
const P2_NO_REGISTER = new Set([
  "Affinity", "ResultRow", "MakeRecord", "Column", "OpenRead", "OpenWrite", "ReopenIdx", "OpenEphemeral", "OpenAutoindex", "SorterOpen", "OpenDup",
  "OpenPseudo", "Transaction",
]);

/**
 * Whether an instruction may set `register`: it names it as p2 or p3 (where most instructions
 * put their output; a jump's p2 is its target, and most jumps only read p3), or as the p1 of one
 * that rewrites that register. Conservative: a p3 that is no register (a cursor's, a flag) but
 * happens to carry the number counts too.
 */
function maySet([, name, p1, p2, p3]: Instruction, register: number): boolean {
  if (SETS_NOTHING.has(name)) return false;
  return (
    (p2 === register && !P2_NO_REGISTER.has(name) && !JUMPS.has(name)) ||
    (p3 === register && (!JUMPS.has(name) || JUMPS_SETTING_P3.has(name))) ||
    (p1 === register && SETS_P1.has(name))
  );
}

/** Jumps that are no filter: the unconditional one, and the guards on a key's NULL-ness and type. */
const GUARDS = new Set(["Goto", "IsNull", "NotNull", "MustBeInt"]);

/** Instructions whose p2 is an address they may jump to (SQLite's OPFLG_JUMP). */
const JUMPS = new Set([
  "Goto", "Gosub", "InitCoroutine", "Yield", "HaltIfNull", "Once", "If", "IfNot", "IsNull", "IsType", "NotNull", "IfNullRow",
  "SeekLT", "SeekLE", "SeekGE", "SeekGT", "SeekScan", "IfNotOpen", "IfNoHope", "NoConflict", "NotFound", "Found", "SeekRowid",
  "NotExists", "Last", "IfSizeBetween", "SorterSort", "Sort", "Rewind", "SorterNext", "Prev", "Next", "IdxLE", "IdxGT", "IdxLT",
  "IdxGE", "RowSetRead", "RowSetTest", "Program", "FkIfZero", "IfPos", "IfNotZero", "DecrJumpZero", "VFilter", "VNext", "Filter",
  "Eq", "Ne", "Lt", "Le", "Gt", "Ge", "ElseEq", "Jump", "MustBeInt", "Init", "IfEmpty", "SequenceTest", "IfNotNull",
]);

/**
 * The instructions that can run: one after an unconditional jump or a halt is dead unless a jump
 * names its address.
 */
function live(rows: Instruction[]): Instruction[] {
  const named = new Set(rows.filter((row) => JUMPS.has(row[1])).flatMap((row) => (row[1] === "Jump" ? [row[2], row[3], row[4]] : [row[3]])));
  let reachable = true;
  return rows.filter(([addr, name]) => {
    if (named.has(addr)) reachable = true;
    const keep = reachable;
    if (name === "Goto" || name === "Halt") reachable = false;
    return keep;
  });
}

/**
 * Whether SeekRowid (or MustBeInt before NotExists) finds the register at `at` usable as a rowid
 * (read once the statement has run: SeekRowid leaves its key as it was, MustBeInt converts it):
 * an integer; a real holding one exactly; text that numeric affinity turns into one (SQLite's
 * number syntax between optional spaces, integral, inside the 64-bit range).
 */
function seeksRowid(layout: VdbeLayout, at: number): boolean {
  const heap = layout.heap();
  const fields = layout.registerFields!;
  const flags = heap.getUint16(at + fields.flags, true);
  // No type: the statement has ended and SQLite released the register's memory (a computed
  // string's), so the key is unknown; counted as a seek, as most keys are.
  if ((flags & MEM_INT) !== 0 || flags === 0) return true;
  if ((flags & MEM_REAL) !== 0) return isRowidNumber(heap.getFloat64(at, true));
  const text = registerText(heap, at + fields.text, flags);
  if (text === undefined || !NUMBER_TEXT.test(text)) return false;
  const trimmed = text.replace(SPACES, "");
  if (/^[+-]?\d+$/.test(trimmed)) return BigInt(trimmed) >= INT64_MIN && BigInt(trimmed) <= INT64_MAX;
  return isRowidNumber(Number(trimmed));
}

/**
 * Whether a range seek on a table counts positioning its cursor for the key in the register at
 * `at`: any number, or text numeric affinity makes one. NULL, a blob or other text ends a
 * forward range before it starts (text sorts after every number, so nothing is greater), and
 * starts a backward one at the last row, unread (see Runs.IfRangeKey).
 */
function seeksRange(layout: VdbeLayout, at: number): boolean {
  const heap = layout.heap();
  const fields = layout.registerFields!;
  const flags = heap.getUint16(at + fields.flags, true);
  // No type: released at the statement's end (see seeksRowid), unknown, counted as a seek.
  if ((flags & (MEM_INT | MEM_REAL)) !== 0 || flags === 0) return true;
  const text = registerText(heap, at + fields.text, flags);
  return text !== undefined && NUMBER_TEXT.test(text);
}

/** The string a register holds (at most 64 bytes; undefined when it holds none or a longer one). */
function registerText(heap: DataView, at: number, flags: number): string | undefined {
  if ((flags & MEM_STR) === 0) return undefined;
  const length = heap.getInt32(at + 4, true);
  if (length < 0 || length > 64) return undefined;
  return String.fromCharCode(...new Uint8Array(heap.buffer, heap.getUint32(at, true), length));
}

/** SQLite's number syntax, between the spaces sqlite3AtoF skips. A text past 64 bytes is taken as none: a rowid has at most 20 digits, so only padding could make one that long. */
const NUMBER_TEXT = /^[ \t\n\v\f\r]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t\n\v\f\r]*$/;
const SPACES = /[ \t\n\v\f\r]/g;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A real that sqlite3VdbeIntegerAffinity makes an integer: integral, strictly inside the 64-bit range. */
function isRowidNumber(value: number): boolean {
  return Number.isInteger(value) && value > -(2 ** 63) && value < 2 ** 63;
}
