import { type Site, toDictionary, toIdlString, toInt32 } from "../../util/webidl.js";
import type { ListOptions } from "../list-options.js";

/**
 * The storage API's Web IDL types, converted as the runtime converts them (see util/webidl):
 * keys are DOMStrings (`string or Array<string>` for batches; arrays are never entries), the
 * option dictionaries read their members with [[Get]] and convert flags with Boolean(), list
 * bounds with String() and `limit` as a 32-bit integer.
 */

/** `string or Array`: one key, or the keys of a batch. */
export function toKeys(value: unknown): string | string[] {
  return Array.isArray(value) ? value.map(toIdlString) : toIdlString(value);
}

/** The flags of GetOptions, PutOptions, SetAlarmOptions and GetAlarmOptions. */
export interface OperationFlags {
  allowConcurrency: boolean;
  allowUnconfirmed: boolean;
  noCache: boolean;
}

/** One of the option dictionaries that only carry flags; `type` is its name in the runtime's errors. */
export function toFlags(at: Site, value: unknown, position: number, type: string): OperationFlags {
  const options = toDictionary<Record<keyof OperationFlags, unknown>>(at, value, position, type);
  return {
    allowConcurrency: Boolean(options?.allowConcurrency),
    allowUnconfirmed: Boolean(options?.allowUnconfirmed),
    noCache: Boolean(options?.noCache),
  };
}

/** ListOptions: bounds as strings, `reverse` as a flag, `limit` as a 32-bit integer. */
export function toListOptions(at: Site, value: unknown, position: number): ListOptions {
  const options = toDictionary<Record<keyof ListOptions, unknown>>(at, value, position, "ListOptions");
  const out: ListOptions = {};
  if (options === undefined) return out;
  // Read and converted in the runtime's member order (alphabetical, as Web IDL dictionaries are).
  const { end, limit, prefix, reverse, start, startAfter } = options;
  if (end !== undefined) out.end = toIdlString(end);
  if (limit !== undefined) out.limit = toInt32(limit);
  if (prefix !== undefined) out.prefix = toIdlString(prefix);
  out.reverse = Boolean(reverse);
  if (start !== undefined) out.start = toIdlString(start);
  if (startAfter !== undefined) out.startAfter = toIdlString(startAfter);
  return out;
}
