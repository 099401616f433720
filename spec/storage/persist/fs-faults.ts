/**
 * Fault injection at the file system, for tests that must make a write fail where no
 * permission can (tests may run as root, whom chmod does not stop). A spec file replaces
 * node:fs with a wrapper that consults the armed faults before each call:
 *
 *   vi.mock("node:fs", async (real) => (await import("./fs-faults.js")).faultyFs(await real()));
 *
 * then arms `fsFaults.fail({ calls: ["renameSync"], path: (p) => ... })`: the matching calls
 * throw an error shaped as Node's own (code, syscall, path). Writes through a file descriptor
 * match on the path it was opened with. Faults stay armed until `fsFaults.clear()`, or for
 * `times` calls.
 */
import type * as fs from "node:fs";

type Fs = typeof fs;

export interface Fault {
  /** The node:fs functions that fail (e.g. "renameSync", "writeSync"). */
  calls: readonly string[];
  /** Which paths fail (every path when omitted). */
  path?: (path: string) => boolean;
  /** The error code (default EIO). */
  code?: string;
  /** How many matching calls fail (default: all, until cleared). */
  times?: number;
  /** Matching calls to let through before the first failure (default 0). */
  after?: number;
  /**
   * A failing writeSync first writes the first half of what it was given, as a disk that fills
   * up in the middle of a write leaves it (a torn write); other calls ignore it.
   */
  torn?: boolean;
}

interface Armed extends Fault {
  seen: number;
  failed: number;
}

const armed: Armed[] = [];
/** Paths of the file descriptors open now, so writes through them match by path. */
const descriptors = new Map<number, string>();
/** Every call that failed, as `syscall path`. */
const injected: string[] = [];

export const fsFaults = {
  fail(fault: Fault): void {
    armed.push({ ...fault, seen: 0, failed: 0 });
  },
  clear(): void {
    armed.length = 0;
    injected.length = 0;
  },
  /** The paths of file descriptors opened (through node:fs) and not closed yet. */
  openPaths(): string[] {
    return [...descriptors.values()];
  },
  /** The calls that failed since the last clear(), as "renameSync /path". */
  get injected(): readonly string[] {
    return injected;
  },
};

const ERRNO: Record<string, number> = { EIO: -5, ENOSPC: -28, EACCES: -13, EROFS: -30, EBUSY: -16 };

/** Checks the armed faults for a call: throws the first matching fault's error, with the fault it came from. */
function check(call: string, path: string | undefined): void {
  for (const fault of armed) {
    if (!fault.calls.includes(call)) continue;
    if (fault.path !== undefined && (path === undefined || !fault.path(path))) continue;
    if (fault.times !== undefined && fault.failed >= fault.times) continue;
    fault.seen++;
    if (fault.seen <= (fault.after ?? 0)) continue;
    fault.failed++;
    const code = fault.code ?? "EIO";
    injected.push(`${call} ${path}`);
    const error = Object.assign(new Error(`${code}: injected fault, ${call.replace(/Sync$/, "")} '${path}'`), {
      code,
      errno: ERRNO[code] ?? -5,
      syscall: call.replace(/Sync$/, ""),
      path,
    });
    faultOf.set(error, fault);
    throw error;
  }
}

/** The fault each injected error came from (a torn write acts on it before it is thrown). */
const faultOf = new WeakMap<Error, Fault>();

const asPath = (value: unknown): string | undefined => (typeof value === "string" ? value : value instanceof URL ? value.pathname : undefined);

/** node:fs with the armed faults in front of its synchronous calls. */
export function faultyFs(real: Fs): Fs {
  const wrapped: Record<string, unknown> = { ...real };
  const byPath = ["renameSync", "rmSync", "mkdirSync", "writeFileSync", "unlinkSync", "readFileSync", "readdirSync", "truncateSync", "linkSync", "copyFileSync"] as const;
  const twoPaths = new Set<string>(["renameSync", "linkSync", "copyFileSync"]);
  for (const name of byPath) {
    const original = real[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      check(name, asPath(args[0]));
      // A call that names two paths fails on either end.
      if (twoPaths.has(name)) check(name, asPath(args[1]));
      return original(...args);
    };
  }
  wrapped.openSync = (...args: unknown[]) => {
    const path = asPath(args[0]);
    check("openSync", path);
    const fd = (real.openSync as (...a: unknown[]) => number)(...args);
    if (path !== undefined) descriptors.set(fd, path);
    return fd;
  };
  wrapped.closeSync = (fd: number) => {
    descriptors.delete(fd);
    return real.closeSync(fd);
  };
  for (const name of ["fsyncSync", "fdatasyncSync", "ftruncateSync"] as const) {
    const original = real[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      check(name, descriptors.get(args[0] as number));
      return original(...args);
    };
  }
  wrapped.writeSync = (...args: unknown[]) => {
    const [fd, data] = args as [number, unknown];
    try {
      check("writeSync", descriptors.get(fd));
    } catch (error) {
      // (A string's write is never torn: the lock's only.)
      if (faultOf.get(error as Error)?.torn === true && ArrayBuffer.isView(data)) {
        const [, bytes, offset = 0, length = data.byteLength - offset, position] = args as [number, NodeJS.ArrayBufferView, number?, number?, number?];
        real.writeSync(fd, bytes, offset, Math.floor(length / 2), position);
      }
      throw error;
    }
    return (real.writeSync as (...a: unknown[]) => number)(...args);
  };
  return { ...wrapped, default: wrapped } as unknown as Fs;
}
