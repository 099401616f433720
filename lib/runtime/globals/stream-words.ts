import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { callerPastOwnFrames } from "../../util/call-sites.js";
import { acceptedBy, isIdlObject, missingDictionary, notOfType, site } from "../../util/webidl.js";
import { isWritableStream } from "./pipe-options.js";
import { writableOfTransformController, writableStateOf } from "./writable-state.js";
import { READER_RELEASED, releasedLock } from "./released-locks.js";

/**
 * Refusals of Node's web streams (ReadableStream, WritableStream, their readers, writers and
 * controllers) in the runtime's words, for Worker and object code only (test code keeps Node's):
 * a stream locked to a reader or writer, a reader or writer whose lock was released, a
 * controller used after close, a BYOB reader of a stream that is no byte stream (Node says
 * "Invalid state: ..." of them all, the same on Node 20 and 24), a pipeThrough() transform that
 * is no object. Another receiver is stream-receivers.ts's.
 *
 * A refusal thrown at once is reworded as it leaves Node's method. One that Node returns as a
 * rejected promise is decided here first, from what is public (`locked`, a released lock), and
 * rejected in the runtime's words without calling Node: a promise passed through a rewording
 * `then` would settle a microtask later than Node's, and every read would pay for it.
 */

export const LOCKED_TO_READER = "This ReadableStream is currently locked to a reader.";
const LOCKED_TO_WRITER = "This WritableStream is currently locked to a writer.";
const STREAM_CLOSED = "This ReadableStream is closed.";
const TERMINATED = "The transform stream has been terminated";
const NODE_TERMINATED = "Invalid state: TransformStream has been terminated";

/** Node's words (the whole message, or its start where the rest names the value) → the runtime's. */
type Words = ReadonlyArray<readonly [string, string]>;

/** A pipe's arguments, refused as the runtime converts them (the words of each field). */
const PIPE_DESTINATION = "Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'.";
const pipeOptions = (method: string) => `Failed to execute '${method}' on 'ReadableStream': parameter 2 is not of type 'PipeToOptions'.`;
const SIGNAL_FIELD = "Incorrect type for the 'signal' field on 'PipeToOptions': the provided value is not of type 'AbortSignal'.";
const transformField = (field: string, type: string) => `Incorrect type for the '${field}' field on 'Transform': the provided value is not of type '${type}'.`;

const READABLE_LOCKED: Words = [
  ["Invalid state: ReadableStream is locked", LOCKED_TO_READER],
  ["Invalid state: The ReadableStream is locked", LOCKED_TO_READER],
];

/** A BYOB reader of a stream that is no byte stream (getReader({ mode: "byob" }), or its constructor). */
const BYOB_ONLY: Words = [["The argument 'stream' must be a byte stream.", "This ReadableStream does not support BYOB reads."]];

/** Node's refusal of a BYOB reader's stream, in the runtime's words. */
export function inByobReaderWords(error: unknown): unknown {
  return reworded(error, BYOB_ONLY);
}

/** Methods whose refusals Node throws at once, and the words of each. */
const THROWN: ReadonlyArray<readonly [object, string, Words]> = [
  [ReadableStream.prototype, "getReader", [
    ...READABLE_LOCKED,
    ...BYOB_ONLY,
    ["The property 'options.mode' is invalid.", "mode must be undefined or 'byob' in call to getReader()."],
  ]],
  [ReadableStream.prototype, "pipeThrough", [
    ...READABLE_LOCKED,
    ['The "transform.readable" property must be', transformField("readable", "ReadableStream")],
    ['The "transform.writable" property must be', transformField("writable", "WritableStream")],
    ['The "options" argument must be of type object', pipeOptions("pipeThrough")],
    ['The "options.signal" property must be', SIGNAL_FIELD],
    ["Invalid state: The WritableStream is locked", LOCKED_TO_WRITER],
  ]],
  [ReadableStream.prototype, "values", READABLE_LOCKED],
  [ReadableStream.prototype, Symbol.asyncIterator as unknown as string, READABLE_LOCKED],
  // The runtime's words for tee() end in a comma.
  [ReadableStream.prototype, "tee", [["Invalid state: ReadableStream is locked", "This ReadableStream is currently locked to a reader,"]]],
  [WritableStream.prototype, "getWriter", [["Invalid state: WritableStream is locked", LOCKED_TO_WRITER]]],
  [ReadableStreamDefaultController.prototype, "enqueue", [["Invalid state: Controller is already closed", "Unable to enqueue"]]],
  [ReadableStreamDefaultController.prototype, "close", [["Invalid state: Controller is already closed", STREAM_CLOSED]]],
  [TransformStreamDefaultController.prototype, "enqueue", [["Invalid state: Unable to enqueue", "The readable side of this TransformStream is no longer readable."]]],
  [ReadableByteStreamController.prototype, "enqueue", [["Invalid state: ReadableStream is already closed", "This ReadableByteStreamController is closed."]]],
  [ReadableByteStreamController.prototype, "close", [["Invalid state: ReadableStream is already closed", STREAM_CLOSED]]],
];


export function installStreamWords(): void {
  for (const [prototype, name, words] of THROWN) {
    replaceMethod(prototype as Record<string, unknown>, name, function refusedInWords(original, self, args) {
      try {
        return Reflect.apply(original, self, args);
      } catch (error) {
        throw runsEmulatedCode() && !calledByNode(refusedInWords) ? reworded(error, words) : error;
      }
    });
  }
  // The transform converts as a dictionary first: what is no object never reaches Node's field checks.
  replaceMethod(ReadableStream.prototype as unknown as Record<string, unknown>, "pipeThrough", (original, self, args) => {
    if (runsEmulatedCode()) checkTransformArgument(args);
    return Reflect.apply(original, self, args);
  });
  // Refusals Node returns as rejections, decided here first (see the essay above).
  rejectFirst(ReadableStream.prototype, ["cancel"], (stream) => ((stream as ReadableStream).locked ? LOCKED_TO_READER : undefined));
  rejectFirst(ReadableStream.prototype, ["pipeTo"], pipeToRefusal);
  rejectFirst(WritableStream.prototype, ["abort", "close"], (stream) => ((stream as WritableStream).locked ? LOCKED_TO_WRITER : undefined));
  rejectFirst(ReadableStreamDefaultReader.prototype, ["read", "cancel"], (reader) => (releasedLock(reader) !== undefined ? READER_RELEASED : undefined));
  rejectFirst(ReadableStreamBYOBReader.prototype, ["read", "cancel"], (reader) => (releasedLock(reader) !== undefined ? READER_RELEASED : undefined));
  replaceMethod(TransformStreamDefaultController.prototype as unknown as Record<string, unknown>, "terminate", (original, self, args) => {
    const result = Reflect.apply(original, self, args);
    if (runsEmulatedCode()) rewordTermination(self);
    return result;
  });
}

/**
 * Whether the method `wrapper` stands in for was called by Node's own code (its first frame
 * past durasim's wrappers, replaceMethod's and the receiver guards' (stream-receivers.ts), is a
 * `node:` module). Node's fetch closes a body's controller that may be closed already and tells
 * that refusal by Node's words, so it must get them even while Worker code's context is current:
 * reworded, the refusal escaped it and ended the process (as it did once the guards added a
 * layer between Node's call and this wrapper).
 */
function calledByNode(wrapper: Function): boolean {
  return callerPastOwnFrames(wrapper, 8)?.getFileName()?.startsWith("node:") === true;
}

/**
 * terminate() errors the writable side with an error of Node's words that every later write,
 * close and `closed` rejects with (some already have), so that one error object is reworded in
 * place rather than replaced; its `code` goes too, as the runtime's error has none.
 */
function rewordTermination(controller: unknown): void {
  const error = writableStateOf(writableOfTransformController(controller))?.storedError;
  if (!(error instanceof TypeError) || error.message !== NODE_TERMINATED) return;
  Object.defineProperty(error, "message", { value: TERMINATED, writable: true, configurable: true });
  delete (error as { code?: unknown }).code;
}

/** `error`, a TypeError of Node's with one of `words`' messages, in the runtime's words; else as it is. */
function reworded(error: unknown, words: Words): unknown {
  if (!(error instanceof TypeError)) return error;
  const known = words.find(([node]) => error.message.startsWith(node));
  return known === undefined ? error : new TypeError(known[1]);
}

/** Each of `names` on `prototype` rejects in the runtime's words when `refusal(this, args)` names some. */
function rejectFirst(prototype: object, names: readonly string[], refusal: (self: unknown, args: unknown[]) => string | undefined): void {
  for (const name of names) {
    replaceMethod(prototype as Record<string, unknown>, name, (original, self, args) => {
      const words = runsEmulatedCode() ? refusal(self, args) : undefined;
      return words === undefined ? Reflect.apply(original, self, args) : Promise.reject(new TypeError(words));
    });
  }
}

/** pipeThrough()'s refusal of a transform that is missing, undefined or null, or no object, in the runtime's words. */
function checkTransformArgument(args: unknown[]): void {
  const [transform] = args;
  if (args.length > 0 && (transform === undefined || transform === null)) throw missingDictionary("ReadableStream", "Transform");
  if (!isIdlObject(transform)) throw notOfType(site("ReadableStream", "pipeThrough"), 1, "Transform");
}

/**
 * pipeTo()'s refusals in the runtime's order: its arguments convert first (the destination, the
 * options, their signal), then either stream's lock is checked, the source's first. The
 * destination and the signal are told by their brands (a getter of the class), as Node does.
 */
function pipeToRefusal(source: unknown, [destination, options]: unknown[]): string | undefined {
  if (!isWritableStream(destination)) return PIPE_DESTINATION;
  if (options !== undefined && options !== null && !isIdlObject(options)) return pipeOptions("pipeTo");
  const signal = (options as { signal?: unknown } | null | undefined)?.signal;
  if (signal !== undefined && !isAbortSignal(signal)) return SIGNAL_FIELD;
  if ((source as ReadableStream).locked) return LOCKED_TO_READER;
  // The runtime's words for a locked destination alone end without a full stop.
  if ((destination as WritableStream).locked) return LOCKED_TO_WRITER.slice(0, -1);
  return undefined;
}

/** An AbortSignal, by its brand: what its `aborted` getter accepts. */
const isAbortSignal = acceptedBy(Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")!.get!);
