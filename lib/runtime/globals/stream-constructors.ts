import { withRuntimeConstructor } from "./constructors.js";
import { markCodeMadeStream } from "../code-made-streams.js";
import { isIdlObject, missingDictionary, notOfTypeInConstructor, toUnsigned64 } from "../../util/webidl.js";

/**
 * The stream constructors Worker modules see (worker-scope.ts): Node's classes behind a
 * constructor that converts the source, sink or transformer and the queuing strategies as the
 * runtime does, before Node reads them, with its words:
 * - a callback member (`start`, `pull`, `write`, `transform`, ...) that is no function:
 *   "Incorrect type for the 'start' field on 'UnderlyingSource': ...";
 * - a ReadableStream's `type`: "bytes", or "" read as none; anything else refused as "\"byte\" is
 *   not a valid type of ReadableStream."; a WritableStream's is ignored (Node refuses "bytes");
 * - a byte stream's `autoAllocateChunkSize`: truncated, and refused if none remains ("The
 *   autoAllocateChunkSize option cannot be zero."; Node failed an internal assertion on a fraction);
 * - a strategy's `highWaterMark`, an unsigned 64-bit integer (a negative, NaN or infinite one
 *   refused in the bigint words, where Node threw a RangeError), and its `size`, a function (one
 *   given to a byte stream is left unused, where Node refused it) whose answers convert as
 *   unsigned 64-bit integers too;
 * - a transformer's reserved `readableType` and `writableType`, the readable one first.
 * Where a member is read as other than given, Node gets a copy of the caller's object whose
 * callbacks call the caller's with it as `this`.
 */

const field = (member: string, dictionary: string) =>
  `Incorrect type for the '${member}' field on '${dictionary}': the provided value is not of type 'function'.`;
const NO_CHUNK_SIZE = "The autoAllocateChunkSize option cannot be zero.";
const SOURCE_CALLBACKS = ["start", "pull", "cancel"] as const;
const SINK_CALLBACKS = ["start", "write", "close", "abort"] as const;

/**
 * What Node is given for `dictionary` (a source, sink or transformer) whose `overrides` must read
 * otherwise: a copy of those members and its `callbacks`, each called with `dictionary` as `this`
 * (as the runtime calls them); `dictionary` itself where nothing is overridden.
 */
function derived<T>(dictionary: T, overrides: Record<string, unknown>, callbacks: readonly string[]): T {
  if (Object.keys(overrides).length === 0) return dictionary;
  const given = dictionary as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const member of callbacks) {
    const callback = given[member];
    if (typeof callback === "function") copy[member] = (...args: unknown[]) => Reflect.apply(callback, dictionary, args);
  }
  for (const member of ["type", "autoAllocateChunkSize"]) if (given[member] !== undefined) copy[member] = given[member];
  return Object.assign(copy, overrides) as T;
}

/** Refuses a callback member of `dictionary` (named `type` in the runtime's words) that is present and no function. */
function checkCallbacks(dictionary: Record<string, unknown>, members: readonly string[], type: string): void {
  for (const member of members) {
    const value = dictionary[member];
    if (value !== undefined && typeof value !== "function") throw new TypeError(field(member, type));
  }
}

/** A queuing strategy as the runtime converts it; `bytes`: for a byte stream, which uses no `size`. */
function strategy(value: unknown, { bytes = false } = {}): unknown {
  if (!isIdlObject(value)) return value;
  const { highWaterMark, size } = value as { highWaterMark?: unknown; size?: unknown };
  const converted = highWaterMark === undefined ? undefined : toUnsigned64(highWaterMark);
  if (size !== undefined && typeof size !== "function") throw new TypeError(field("size", "StreamQueuingStrategy"));
  return { highWaterMark: converted, size: bytes || size === undefined ? undefined : measuredAsUnsigned(size as Function) };
}

/** A strategy's `size` whose answers convert as the runtime's unsigned 64-bit sizes do (NaN or a negative size refused in its words, a fraction truncated). */
function measuredAsUnsigned(size: Function): (chunk: unknown) => number {
  return (chunk) => toUnsigned64(Reflect.apply(size, undefined, [chunk]));
}

/** `args` with the first replaced by `first` and those at `positions` converted as strategies. */
function withStrategies(args: unknown[], first: unknown, positions: readonly number[], options?: { bytes?: boolean }): unknown[] {
  return args.map((given, i) => (i === 0 ? first : positions.includes(i) ? strategy(given, options) : given));
}

function readableArguments(args: unknown[]): unknown[] {
  const [source] = args;
  if (!isIdlObject(source)) return withStrategies(args, source, [1]);
  const given = source as Record<string, unknown>;
  const overrides: Record<string, unknown> = {};
  const type = given.type === undefined ? undefined : String(given.type);
  if (type !== undefined && type !== "bytes" && type !== "") throw new TypeError(`"${type}" is not a valid type of ReadableStream.`);
  if (type === "") overrides.type = undefined;
  const bytes = type === "bytes";
  if (bytes && given.autoAllocateChunkSize !== undefined) {
    const chunkSize = Math.trunc(Number(given.autoAllocateChunkSize));
    if (!(chunkSize > 0)) throw new TypeError(NO_CHUNK_SIZE);
    if (chunkSize !== given.autoAllocateChunkSize) overrides.autoAllocateChunkSize = chunkSize;
  }
  checkCallbacks(given, SOURCE_CALLBACKS, "UnderlyingSource");
  return withStrategies(args, derived(source, overrides, SOURCE_CALLBACKS), [1], { bytes });
}

function writableArguments(args: unknown[]): unknown[] {
  const sink = args[0];
  const members = isIdlObject(sink) ? (sink as Record<string, unknown>) : undefined;
  if (members !== undefined) checkCallbacks(members, SINK_CALLBACKS, "UnderlyingSink");
  const given = members?.type !== undefined ? derived(sink, { type: undefined }, SINK_CALLBACKS) : sink;
  const converted = withStrategies(args, given, [1]);
  // Read after the strategy, as before: a getter on `write` runs once, at this point.
  return members?.write !== undefined ? converted : [converted[0], uncounted(converted[1])];
}

/**
 * The strategy of a WritableStream without a `write`: the runtime takes each write at once, so
 * its desiredSize stays at its highWaterMark, where Node counts each chunk queued until its
 * (empty) write completes. Its size() is still asked, converted as ever (see measuredAsUnsigned: an
 * answer that is NaN, negative or infinite fails the write with the runtime's TypeError, as
 * what it throws does), but the chunk counts for nothing.
 */
function uncounted(strategy: unknown): unknown {
  if (strategy !== undefined && !isIdlObject(strategy)) return strategy;
  const { highWaterMark, size } = (strategy ?? {}) as { highWaterMark?: unknown; size?: (chunk: unknown) => unknown };
  const measure = (chunk: unknown): number => {
    size?.(chunk);
    return 0;
  };
  return { highWaterMark, size: measure };
}

function transformArguments(args: unknown[]): unknown[] {
  const [transformer] = args;
  if (isIdlObject(transformer)) {
    const given = transformer as Record<string, unknown>;
    for (const key of ["readableType", "writableType"]) {
      if (given[key] !== undefined) throw new TypeError(`transformer.${key} must be undefined.`);
    }
    checkCallbacks(given, ["start", "transform", "flush", "cancel"], "Transformer");
  }
  return withStrategies(args, transformer, [1, 2]);
}

/**
 * A queuing strategy's init: a dictionary the runtime requires (none given, or any non-object
 * but an explicit undefined or null, refused in the constructor's words; those two as missing) whose `highWaterMark`, a double, is
 * NaN when not given (Node refuses it as required).
 */
function queuingInit(name: string): (args: unknown[]) => unknown[] {
  return (args) => {
    const [init, ...rest] = args;
    if (args.length > 0 && (init === undefined || init === null)) throw missingDictionary("QueuingStrategyInit");
    if (!isIdlObject(init)) throw notOfTypeInConstructor(name, 1, "QueuingStrategyInit");
    const { highWaterMark } = init as { highWaterMark?: unknown };
    // (A copy: Node reads the member again, which must not run a getter twice.)
    return [{ highWaterMark: highWaterMark === undefined ? NaN : highWaterMark }, ...rest];
  };
}

export const ReadableStream = withRuntimeConstructor(globalThis.ReadableStream, "ReadableStream", {
  convert: readableArguments,
  made: (stream) => markCodeMadeStream(stream as globalThis.ReadableStream),
});
export const WritableStream = withRuntimeConstructor(globalThis.WritableStream, "WritableStream", { convert: writableArguments });
export const TransformStream = withRuntimeConstructor(globalThis.TransformStream, "TransformStream", { convert: transformArguments });
export const CountQueuingStrategy = withRuntimeConstructor(globalThis.CountQueuingStrategy, "CountQueuingStrategy", { convert: queuingInit("CountQueuingStrategy") });
export const ByteLengthQueuingStrategy = withRuntimeConstructor(globalThis.ByteLengthQueuingStrategy, "ByteLengthQueuingStrategy", {
  convert: queuingInit("ByteLengthQueuingStrategy"),
});
