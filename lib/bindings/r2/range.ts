import { fieldTypeError, isDictionary } from "../shared/webidl.js";
import { r2Error } from "./errors.js";
import { isOf } from "../../util/host-kind.js";

/**
 * Ranged reads. The object form `{ offset, length }` or `{ suffix }` is checked by the binding
 * (whole, non-negative numbers; suffix alone) and then by the service against the object's
 * size: a range starting at or past the end, or of length zero, is not satisfiable (10039); a
 * length running past the end is cut short. A `Range` header is best effort: one
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` range is served, anything else (several ranges, a
 * start past the end, malformed text) serves the whole object (see fromHeader).
 */
export type RangeRequest =
  | { kind: "whole" }
  | { kind: "span"; offset: number; length?: number }
  | { kind: "suffix"; suffix: number }
  | { kind: "header"; header: string };

export interface ResolvedRange {
  offset: number;
  length: number;
}

export function convertRange(value: unknown): RangeRequest {
  if (value === undefined || value === null) return { kind: "whole" };
  if (typeof value === "object" && isOf(value, Headers)) {
    const header = value.get("range");
    return header === null ? { kind: "whole" } : { kind: "header", header };
  }
  if (!isDictionary(value)) throw fieldTypeError("range", "GetOptions", "Range or Headers");
  const offset = value.offset === undefined ? undefined : checked(value.offset, "Starting offset", "range");
  const length = value.length === undefined ? undefined : checked(value.length, "Length", "range");
  if (value.suffix !== undefined) {
    const suffix = checked(value.suffix, "Suffix", "suffix");
    if (offset !== undefined) throw new TypeError("Suffix is incompatible with offset.");
    if (length !== undefined) throw new TypeError("Suffix is incompatible with length.");
    return { kind: "suffix", suffix };
  }
  if (offset === undefined && length === undefined) return { kind: "whole" };
  return length === undefined ? { kind: "span", offset: offset ?? 0 } : { kind: "span", offset: offset ?? 0, length };
}

/** A whole, non-negative number; NaN reads "nan" in the message as the runtime prints it. */
function checked(value: unknown, what: string, noun: "range" | "suffix"): number {
  const n = +(value as number);
  const shown = Number.isNaN(n) ? "nan" : n === Infinity ? "inf" : n === -Infinity ? "-inf" : String(n);
  if (!(n >= 0)) throw new RangeError(`Invalid ${noun}. ${what} (${shown}) must be greater than or equal to 0.`);
  if (!Number.isInteger(n) && n !== Infinity) throw new RangeError(`Invalid range. ${what} (${shown}) must be an integer, not floating point.`);
  return n;
}

/** The bytes served for an object of `size` bytes. */
export function resolveRange(request: RangeRequest, size: number): ResolvedRange {
  switch (request.kind) {
    case "whole":
      return { offset: 0, length: size };
    case "span": {
      const length = request.length ?? size - request.offset;
      if (request.offset >= size || length === 0) throw r2Error("get", "invalidRange");
      return { offset: request.offset, length: Math.min(length, size - request.offset) };
    }
    case "suffix":
      if (request.suffix === 0 || size === 0) throw r2Error("get", "invalidRange");
      return { offset: Math.max(0, size - request.suffix), length: Math.min(request.suffix, size) };
    case "header":
      return fromHeader(request.header, size) ?? { offset: 0, length: size };
  }
}

/**
 * A `Range` header as the service reads it: the unit "bytes" in any letter case, spaces allowed
 * around "=", "-" and each comma-separated range. A suffix of zero asks for nothing and is
 * skipped; a suffix reaching the object's start asks for all of it. Exactly one range left is
 * served; none, several, or any malformed or unsatisfiable one (a start past the end or after
 * its end) serves the whole object.
 */
function fromHeader(header: string, size: number): ResolvedRange | undefined {
  const unit = /^ *bytes *=/i.exec(header);
  const list = unit === null ? "" : header.slice(unit[0].length);
  if (list.trim() === "") return undefined;
  const ranges: ResolvedRange[] = [];
  for (const item of list.split(",")) {
    const match = /^ *(\d+)? *- *(\d+)? *$/.exec(item);
    if (match === null) return undefined;
    const [, start, end] = match;
    if (start !== undefined) {
      const first = Number(start);
      const last = end === undefined ? size - 1 : Number(end);
      if (first > last || first >= size) return undefined;
      ranges.push({ offset: first, length: Math.min(last, size - 1) - first + 1 });
    } else if (end !== undefined) {
      const suffix = Number(end);
      if (suffix >= size) return undefined;
      if (suffix > 0) ranges.push({ offset: size - suffix, length: suffix });
    } else {
      return undefined;
    }
  }
  return ranges.length === 1 ? ranges[0] : undefined;
}
