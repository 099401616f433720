import type { Database, SqlJsStatic } from "sql.js";

/**
 * Observes the bytes SQLite writes into a database's file. sql.js keeps each database as a file
 * in Emscripten's in-memory file system and SQLite writes whole pages into it when a
 * transaction commits (with a rollback journal in memory, never before, except when the page
 * cache spills, and a spilled page is written again if the transaction goes on to change it or
 * roll it back). Watching those writes gives exactly the pages a commit changed, which is what
 * lets persistence append O(change) bytes per commit instead of exporting the whole database.
 *
 * sql.js exposes no file-system API, so the tap sits one level lower: it wraps the system-call
 * imports of the WebAssembly module (open, seek, write) when the module is instantiated.
 * Their names are minified and differ between builds, so which import is which is learnt by
 * watching a scratch database being created and written (`calibrate`); if that ever fails,
 * persistence reports it instead of silently losing writes.
 */

/** Receives each write: its byte offset in the file and a copy of the bytes. */
export type WriteSink = (offset: number, bytes: Uint8Array) => void;

interface Call {
  name: string;
  args: unknown[];
  result: unknown;
  /** Read during the call, while the memory its pointer arguments point to is still valid. */
  names: (string | undefined)[];
  writesHeader: boolean;
}

interface Roles {
  open: string;
  /** Which argument of `open` is the path. */
  pathArgument: number;
  seek: string;
  write: string;
}

type Imports = Record<string, Record<string, unknown>>;
/** The little of the WebAssembly JS API used here (the project's type libraries omit it). */
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmMemory {
  buffer: ArrayBuffer;
}
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Imports): Promise<{ instance: WasmInstance }>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
type Receive = (instance: WasmInstance) => void;

export class FileWriteTap {
  readonly #wasmBinary: Uint8Array;
  #memory: WasmMemory | undefined;
  #roles: Roles | undefined;
  #calibrationError: Error | undefined;
  /** Every import call, only while calibrating. */
  #recording: Call[] | undefined;
  #paths = new Map<number, string>();
  #positions = new Map<number, number>();
  #sinks = new Map<string, WriteSink>();

  constructor(wasmBinary: Uint8Array) {
    this.#wasmBinary = wasmBinary;
  }

  /** Emscripten's `instantiateWasm` hook for `initSqlJs()`: instantiates with wrapped imports. */
  readonly instantiateWasm = (imports: Imports, receive: Receive): object => {
    for (const table of Object.values(imports)) {
      for (const [name, original] of Object.entries(table)) {
        if (typeof original !== "function") continue;
        table[name] = (...args: unknown[]) => {
          const result = (original as (...a: unknown[]) => unknown)(...args);
          this.#observe(name, args, result);
          return result;
        };
      }
    }
    void wasmApi.instantiate(this.#wasmBinary, imports).then(({ instance }) => {
      this.#memory = Object.values(instance.exports).find((value): value is WasmMemory => value instanceof wasmApi.Memory);
      receive(instance);
    });
    // Emscripten's contract: return the exports now, or an empty object when they come later.
    return {};
  };

  /** The module's linear memory (SQLite's heap), once instantiated. */
  get memory(): { buffer: ArrayBuffer } | undefined {
    return this.#memory;
  }

  /** Learns which imports open, seek and write, by watching a scratch database. */
  calibrate(sqlJs: SqlJsStatic): void {
    this.#recording = [];
    let database: Database | undefined;
    try {
      database = new sqlJs.Database();
      const opened = this.#recording;
      this.#recording = [];
      database.exec("PRAGMA journal_mode = MEMORY; PRAGMA user_version = 7");
      this.#roles = this.#identify(database, opened, this.#recording);
    } catch (error) {
      this.#calibrationError = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#recording = undefined;
      database?.close();
    }
  }

  /** Sends every later write to `database`'s file to `sink` (replacing an earlier sink). */
  watch(database: Database, sink: WriteSink): void {
    if (this.#roles === undefined) {
      throw new Error(
        "durasim cannot observe SQLite's file writes in this sql.js build, so it cannot persist SQLite " +
          `databases (pin sql.js 1.16): ${this.#calibrationError?.message ?? "not calibrated"}`,
      );
    }
    this.#sinks.set(filenameOf(database), sink);
  }

  /** Stops watching `database`'s file (before it closes). */
  unwatch(database: Database): void {
    this.#sinks.delete(filenameOf(database));
  }

  #observe(name: string, args: unknown[], result: unknown): void {
    if (this.#recording !== undefined) this.#record(name, args, result);
    const roles = this.#roles;
    if (roles === undefined) return;
    if (name === roles.write) {
      this.#wrote(args);
    } else if (name === roles.seek) {
      // The new offset is stored as an int64 at the last argument.
      if (result === 0) this.#positions.set(args[0] as number, Number(this.#view().getBigInt64(args[3] as number, true)));
    } else if (name === roles.open) {
      if (typeof result === "number" && result >= 0) {
        this.#paths.set(result, basename(this.#string(args[roles.pathArgument] as number)));
        this.#positions.set(result, 0);
      }
    }
  }

  /** fd_write(fd, iovs, iovCount, written): copies each buffer to the file's sink. */
  #wrote(args: unknown[]): void {
    const fd = args[0] as number;
    const path = this.#paths.get(fd);
    const position = this.#positions.get(fd) ?? 0;
    const view = this.#view();
    const written = view.getUint32(args[3] as number, true);
    this.#positions.set(fd, position + written);
    const sink = path === undefined ? undefined : this.#sinks.get(path);
    if (sink === undefined) return;
    const heap = new Uint8Array(this.#memory!.buffer);
    let offset = position;
    let remaining = written;
    for (let i = 0; i < (args[2] as number) && remaining > 0; i++) {
      const pointer = view.getUint32((args[1] as number) + i * 8, true);
      const length = Math.min(view.getUint32((args[1] as number) + i * 8 + 4, true), remaining);
      sink(offset, heap.slice(pointer, pointer + length));
      offset += length;
      remaining -= length;
    }
  }

  #record(name: string, args: unknown[], result: unknown): void {
    const names = args.map((arg) => (this.#isPointer(arg) ? basename(this.#string(arg)) : undefined));
    const iovs = args[1];
    const writesHeader =
      args.length === 4 && this.#isPointer(iovs) && this.#string(this.#view().getUint32(iovs, true)).startsWith("SQLite format 3");
    this.#recording!.push({ name, args, result, names, writesHeader });
  }

  #identify(database: Database, opened: Call[], writes: Call[]): Roles {
    const filename = filenameOf(database);
    let open: { name: string; pathArgument: number; fd: number } | undefined;
    for (const call of opened) {
      if (typeof call.result !== "number" || call.result < 3) continue;
      const pathArgument = call.names.indexOf(filename);
      if (pathArgument >= 0) open = { name: call.name, pathArgument, fd: call.result };
    }
    if (open === undefined) throw new Error("no import opened the database file");
    const fd = open.fd;
    const seek = writes.find((c) => c.args[0] === fd && c.args.length === 4 && typeof c.args[1] === "bigint");
    const write = writes.find((c) => c.args[0] === fd && c.name !== seek?.name && c.writesHeader);
    if (seek === undefined) throw new Error("no import seeks in the database file");
    if (write === undefined) throw new Error("no import writes the database header");
    return { open: open.name, pathArgument: open.pathArgument, seek: seek.name, write: write.name };
  }

  #isPointer(value: unknown): value is number {
    return typeof value === "number" && value > 0 && value + 4 <= this.#memory!.buffer.byteLength;
  }

  /** The NUL-terminated string at `pointer` (ASCII is all SQLite's file names hold here). */
  #string(pointer: number): string {
    const heap = new Uint8Array(this.#memory!.buffer);
    let end = pointer;
    while (end < heap.length && heap[end] !== 0 && end - pointer < 4096) end++;
    return String.fromCharCode(...heap.subarray(pointer, end));
  }

  #view(): DataView {
    return new DataView(this.#memory!.buffer);
  }
}

/** sql.js names each database's file `dbfile_<random>`; SQLite may open it by a longer path. */
function filenameOf(database: Database): string {
  const filename = (database as unknown as { filename?: unknown }).filename;
  if (typeof filename !== "string") throw new Error("durasim internal: sql.js Database has no filename");
  return filename;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
