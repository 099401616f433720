import { fieldTypeError, isDictionary } from "../shared/webidl.js";
import { r2Error } from "./errors.js";

/**
 * Ranged reads. The object form `{ offset, length }` or `{ suffix }` is checked by the binding
 * (whole, non-negative numbers; suffix alone) and then by the service against the object's
 * size: a range starting at or past the end, or of length zero, is not satisfiable (10039); a
 * length running past the end is cut short. A `Range` header is best effort: one
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` range is served, anything else (several ranges, a
 * start past the end, malformed text) serves the whole object.
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
  if (value instanceof Headers) {
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

function fromHeader(header: string, size: number): ResolvedRange | undefined {
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header);
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, start, end] = match;
  if (start === "") {
    const suffix = Number(end);
    if (suffix === 0 || size === 0) return undefined;
    return { offset: Math.max(0, size - suffix), length: Math.min(suffix, size) };
  }
  const offset = Number(start);
  const last = end === "" ? size - 1 : Math.min(Number(end), size - 1);
  if (offset >= size || last < offset) return undefined;
  return { offset, length: last - offset + 1 };
}
