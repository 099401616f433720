import { type Site, toDictionary, toIdlString, toInt32 } from "../../util/webidl.js";
import type { ListOptions } from "../list-options.js";
import { setOwn } from "../../util/own-arrays.js";

/**
 * The storage API's Web IDL types, converted as the runtime converts them (see util/webidl):
 * keys are DOMStrings (`string or Array<string>` for batches; arrays are never entries), the
 * option dictionaries read their members with [[Get]] and convert flags with Boolean(), list
 * bounds with String() and `limit` as a 32-bit integer. The runtime's dictionaries are structs
 * whose members it reads in declaration order, converting each before reading the next (so a
 * getter and a conversion that throws are met in that order): not Web IDL's alphabetical order.
 */

/** `string or Array`: one key, or the keys of a batch. A hole in the array reads as `undefined` (key "undefined"), as the runtime reads each index. */
export function toKeys(value: unknown): string | string[] {
  if (!Array.isArray(value)) return toIdlString(value);
  const keys = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) setOwn(keys, i, toIdlString(value[i]));
  return keys;
}

/** The flags of GetOptions, PutOptions, SetAlarmOptions and GetAlarmOptions. */
export interface OperationFlags {
  allowConcurrency: boolean;
  allowUnconfirmed: boolean;
  noCache: boolean;
}

/** The members each flags dictionary has, in the order the runtime reads them. */
const FLAG_MEMBERS = {
  GetOptions: ["allowConcurrency", "noCache"],
  PutOptions: ["allowConcurrency", "allowUnconfirmed", "noCache"],
  GetAlarmOptions: ["allowConcurrency"],
  SetAlarmOptions: ["allowConcurrency", "allowUnconfirmed"],
} as const satisfies Record<string, readonly (keyof OperationFlags)[]>;

/** The flags of an absent dictionary (most calls pass none): one object, which callers only read. */
const NO_FLAGS: Readonly<OperationFlags> = Object.freeze({ allowConcurrency: false, allowUnconfirmed: false, noCache: false });

/** One of the option dictionaries that only carry flags; `type` is its name in the runtime's errors. */
export function toFlags(at: Site, value: unknown, position: number, type: keyof typeof FLAG_MEMBERS): Readonly<OperationFlags> {
  const options = toDictionary<Record<keyof OperationFlags, unknown>>(at, value, position, type);
  if (options === undefined) return NO_FLAGS;
  const flags: OperationFlags = { allowConcurrency: false, allowUnconfirmed: false, noCache: false };
  for (const member of FLAG_MEMBERS[type]) flags[member] = Boolean(options[member]);
  return flags;
}

/** ListOptions: bounds as strings, `reverse` as a flag, `limit` as a 32-bit integer. */
export function toListOptions(at: Site, value: unknown, position: number): ListOptions {
  return convertListOptions(at, value, position)[0];
}

/** The async API's ListOptions, which also carry `allowConcurrency` and `noCache`. */
export function toListOptionsWithFlags(at: Site, value: unknown, position: number): [ListOptions, Pick<OperationFlags, "allowConcurrency" | "noCache">] {
  const [out, options] = convertListOptions(at, value, position);
  return [out, { allowConcurrency: Boolean(options?.allowConcurrency), noCache: Boolean(options?.noCache) }];
}

/** The bounds, order and limit, each read and converted in turn; and the dictionary itself. */
function convertListOptions(at: Site, value: unknown, position: number): [ListOptions, Partial<Record<string, unknown>> | undefined] {
  const options = toDictionary<Record<string, unknown>>(at, value, position, "ListOptions");
  const out: ListOptions = {};
  if (options === undefined) return [out, options];
  const start = options.start;
  if (start !== undefined) out.start = toIdlString(start);
  const startAfter = options.startAfter;
  if (startAfter !== undefined) out.startAfter = toIdlString(startAfter);
  const end = options.end;
  if (end !== undefined) out.end = toIdlString(end);
  const prefix = options.prefix;
  if (prefix !== undefined) out.prefix = toIdlString(prefix);
  out.reverse = Boolean(options.reverse);
  const limit = options.limit;
  if (limit !== undefined) out.limit = toInt32(limit);
  return [out, options];
}
