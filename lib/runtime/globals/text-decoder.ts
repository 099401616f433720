import { isBufferSource } from "../../util/buffer-source.js";
import { constructOnly } from "../../util/construct-only.js";
import { readsNativeMembers } from "../../util/native-names.js";
import { arrangeMembers, enumerateMembers, illegalInvocation, isIdlObject, missingDictionary, notOfType, notSerializable, refuseInStorage, site, tagInterface, toIdlString } from "../../util/webidl.js";

/**
 * The `TextDecoder` Worker code finds: Node's decoders behind the runtime's conversions and
 * words. An unknown label is `"x" is not a valid encoding.` (Node: `The "x" encoding is not
 * supported`), a fatal decode "Failed to decode input." (Node names the encoding and adds a
 * code), input that is no buffer or view the runtime's TypeError (Node's ERR_INVALID_ARG_TYPE);
 * `x-user-defined`, which Node lacks, and windows-1252 (also "latin1", "ascii", "iso-8859-1"),
 * whose 0x80-0x9F Node 20 decodes as Latin-1's control characters, decode as the Encoding
 * Standard says. Members are
 * enumerable prototype members in the runtime's order and check their receiver; a decoder
 * Node or a package made is an `instanceof` this one too (not of a subclass of it), while one
 * made here is no `instanceof` Node's. Storage refuses it, as the runtime's serialiser does.
 */

const NodeTextDecoder = globalThis.TextDecoder;

const AT_DECODE = site("TextDecoder", "decode");
/** The Encoding Standard strips ASCII whitespace only from a label. */
const ASCII_EDGE_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
const DECODE_FAILED = "Failed to decode input.";

/** What decode() needs of a decoder: Node's, or the one for x-user-defined. */
interface Decoder {
  readonly encoding: string;
  decode(input: ArrayBufferView | ArrayBuffer | undefined, options: { stream: boolean }): string;
}

/** x-user-defined: ASCII bytes as they are, 0x80-0xFF at U+F780-U+F7FF; no state, nothing fails. */
const USER_DEFINED: Decoder = {
  encoding: "x-user-defined",
  decode(input) {
    if (input === undefined) return "";
    const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
    let text = "";
    for (const byte of bytes) text += String.fromCharCode(byte < 0x80 ? byte : 0xf700 + byte);
    return text;
  },
};

/** windows-1252's characters for bytes 0x80-0x9F (the five it leaves undefined map to themselves). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1_CONTROLS = /[\x80-\x9f]/g;

/**
 * Node's windows-1252 decoder with 0x80-0x9F mapped as windows-1252 maps them: Node 20 reads
 * them as Latin-1 (U+0080-U+009F); a newer Node already maps them, which this leaves as it is
 * (a single-byte decoder keeps no state between calls, and never fails).
 */
function windows1252(decoder: Decoder): Decoder {
  return {
    encoding: decoder.encoding,
    decode(input, options) {
      return decoder.decode(input, options).replace(C1_CONTROLS, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!));
    },
  };
}

/** Boolean members of an options dictionary, read in the order Web IDL reads them. */
function flags<K extends string>(value: unknown, keys: readonly K[], refusal: () => TypeError): Record<K, boolean> {
  const out = {} as Record<K, boolean>;
  if (value !== undefined && value !== null && !isIdlObject(value)) throw refusal();
  for (const key of keys) out[key] = value == null ? false : Boolean((value as Record<K, unknown>)[key]);
  return out;
}

class TextDecoder {
  readonly #decoder: Decoder;
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;

  constructor(...args: unknown[]) {
    const label = args[0] === undefined ? "utf-8" : toIdlString(args[0]);
    if (args[1] === null) throw missingDictionary("TextDecoder", "ConstructorOptions");
    const { fatal, ignoreBOM } = flags(args[1], ["fatal", "ignoreBOM"], () => new TypeError("Failed to construct 'TextDecoder': constructor parameter 2 is not of type 'ConstructorOptions'."));
    this.#fatal = fatal;
    this.#ignoreBOM = ignoreBOM;
    if (label.replace(ASCII_EDGE_WHITESPACE, "").toLowerCase() === "x-user-defined") {
      this.#decoder = USER_DEFINED;
      return;
    }
    let decoder: Decoder;
    try {
      decoder = new NodeTextDecoder(label, { fatal, ignoreBOM }) as Decoder;
    } catch (error) {
      throw error instanceof RangeError ? new RangeError(`"${label}" is not a valid encoding.`) : error;
    }
    this.#decoder = decoder.encoding === "windows-1252" ? windows1252(decoder) : decoder;
  }

  decode(...args: unknown[]): string {
    const decoder = TextDecoder.#of(this).#decoder;
    const input = args[0];
    if (input !== undefined && !isBufferSource(input, { shared: true })) throw notOfType(AT_DECODE, 1, "Array");
    if (args[1] === null) throw missingDictionary("TextDecoder", "DecodeOptions");
    const { stream } = flags(args[1], ["stream"], () => notOfType(AT_DECODE, 2, "DecodeOptions"));
    try {
      // Node's decoders read a SharedArrayBuffer too, though typed for ArrayBuffer only.
      return decoder.decode(input as ArrayBuffer | ArrayBufferView | undefined, { stream });
    } catch (error) {
      throw error instanceof TypeError ? new TypeError(DECODE_FAILED) : error;
    }
  }

  get encoding(): string {
    return TextDecoder.#of(this).#decoder.encoding;
  }

  get fatal(): boolean {
    return TextDecoder.#of(this).#fatal;
  }

  get ignoreBOM(): boolean {
    return TextDecoder.#of(this).#ignoreBOM;
  }

  /** Node's decoders, whoever made them, are TextDecoders to Worker code too; a subclass is itself. */
  static [Symbol.hasInstance](this: unknown, value: unknown): boolean {
    if (this !== TextDecoder && this !== WorkerTextDecoder) return Function.prototype[Symbol.hasInstance].call(this, value);
    return TextDecoder.#owns(value) || value instanceof NodeTextDecoder;
  }

  static #owns(value: unknown): value is TextDecoder {
    return typeof value === "object" && value !== null && #decoder in value;
  }

  /** The receiver of a member, or the runtime's Illegal invocation. */
  static #of(self: unknown): TextDecoder {
    if (!TextDecoder.#owns(self)) throw illegalInvocation();
    return self;
  }

  static {
    tagInterface(this.prototype, "TextDecoder");
  }
}

const proto = TextDecoder.prototype as unknown as Record<string, unknown>;
enumerateMembers(proto, ["decode", "encoding", "fatal", "ignoreBOM"]);
readsNativeMembers(proto);
arrangeMembers(proto, ["decode", "encoding", "fatal", "ignoreBOM"]);
refuseInStorage(proto, notSerializable("TextDecoder"));

const WorkerTextDecoder = constructOnly(TextDecoder, "TextDecoder");
export { WorkerTextDecoder as TextDecoder };
