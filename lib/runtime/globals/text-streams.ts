import { isBufferSource } from "../../util/buffer-source.js";
import { constructOnly } from "../../util/construct-only.js";
import { readsNativeMembers } from "../../util/native-names.js";
import { arrangeMembers, enumerateMembers, illegalInvocation, isIdlObject, notOfTypeInConstructor, tagInterface, toIdlString } from "../../util/webidl.js";
import { TextDecoder } from "./text-decoder.js";

/**
 * The `TextDecoderStream` and `TextEncoderStream` Worker code finds. As the runtime's, each is a
 * TransformStream (`instanceof`, its readable and writable getters), unlike Node's. The decoder
 * stream decodes with the runtime's TextDecoder (text-decoder.ts), so it has its labels
 * (x-user-defined too) and words ("Failed to decode input."); a chunk that is no buffer or view
 * errors it with the runtime's words for a byte stream. One runtime quirk is kept: given an
 * options dictionary (even `{}` or null), `fatal` defaults to true; without one, to false.
 */

const NOT_BUFFER_SOURCE = "This TransformStream is being used as a byte stream, but received a value that is not a BufferSource.";
const REPLACEMENT_CHARACTER = new Uint8Array([0xef, 0xbf, 0xbd]);

/** The options dictionary's flags, with the runtime's defaults (see the essay above). */
function decoderOptions(options: unknown): { fatal: boolean; ignoreBOM: boolean } {
  if (options === undefined) return { fatal: false, ignoreBOM: false };
  if (options !== null && !isIdlObject(options)) {
    throw notOfTypeInConstructor("TextDecoderStream", 2, "TextDecoderStreamInit");
  }
  const read = (key: "fatal" | "ignoreBOM", fallback: boolean) => {
    const value = options === null ? undefined : (options as Record<string, unknown>)[key];
    return value === undefined ? fallback : Boolean(value);
  };
  return { fatal: read("fatal", true), ignoreBOM: read("ignoreBOM", false) };
}

class TextDecoderStream extends TransformStream<ArrayBufferView | ArrayBuffer, string> {
  readonly #decoder: InstanceType<typeof TextDecoder>;

  constructor(...args: unknown[]) {
    const label = args[0] === undefined ? "utf-8" : toIdlString(args[0]);
    const decoder = new TextDecoder(label, decoderOptions(args[1]));
    super({
      transform(chunk, controller) {
        if (!isBufferSource(chunk, { shared: true })) throw new TypeError(NOT_BUFFER_SOURCE);
        const text = decoder.decode(chunk, { stream: true });
        if (text !== "") controller.enqueue(text);
      },
      flush(controller) {
        const text = decoder.decode();
        if (text !== "") controller.enqueue(text);
      },
    });
    this.#decoder = decoder;
  }

  get encoding(): string {
    return TextDecoderStream.#of(this).#decoder.encoding;
  }

  get fatal(): boolean {
    return TextDecoderStream.#of(this).#decoder.fatal;
  }

  get ignoreBOM(): boolean {
    return TextDecoderStream.#of(this).#decoder.ignoreBOM;
  }

  static #of(self: unknown): TextDecoderStream {
    if (typeof self !== "object" || self === null || !(#decoder in self)) throw illegalInvocation();
    return self as TextDecoderStream;
  }
}

class TextEncoderStream extends TransformStream<unknown, Uint8Array> {
  constructor() {
    const encoder = new TextEncoder();
    // A high surrogate that ended the last chunk waits for the low one the next may start with.
    let pending = "";
    super({
      transform(chunk, controller) {
        let text = pending + toIdlString(chunk);
        pending = "";
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text.slice(-1);
          text = text.slice(0, -1);
        }
        if (text !== "") controller.enqueue(encoder.encode(text));
      },
      flush(controller) {
        if (pending !== "") controller.enqueue(REPLACEMENT_CHARACTER.slice());
      },
    });
  }

  get encoding(): string {
    if (!(this instanceof TextEncoderStream)) throw illegalInvocation();
    return "utf-8";
  }
}

// As the runtime's interfaces: a writable tag, and enumerable accessors that are unnamed and read
// as native code, laid out in its order.
for (const [Class, name, members] of [
  [TextDecoderStream, "TextDecoderStream", ["encoding", "fatal", "ignoreBOM"]],
  [TextEncoderStream, "TextEncoderStream", ["encoding"]],
] as const) {
  const proto = Class.prototype;
  tagInterface(proto, name);
  enumerateMembers(proto, members);
  readsNativeMembers(proto);
  arrangeMembers(proto, members);
}

const WorkerTextDecoderStream = constructOnly(TextDecoderStream, "TextDecoderStream");
const WorkerTextEncoderStream = constructOnly(TextEncoderStream, "TextEncoderStream");
export { WorkerTextDecoderStream as TextDecoderStream, WorkerTextEncoderStream as TextEncoderStream };
