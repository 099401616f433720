import { keyAsListed } from "../../storage/keys.js";
import { utf8Length } from "../../util/utf8.js";
import { type KvEntry, parseMetadata } from "./entry.js";
import { kvServiceError } from "./errors.js";
import { batchValueType, checkCacheTtl, type GetOptions } from "./get-options.js";
import { MAX_KEY_BYTES } from "./keys.js";
import type { KvNamespaceStore } from "./store.js";

/**
 * get([keys]) and getWithMetadata([keys]): one request for 1..100 keys, answered with a Map in
 * request order (repeated keys once), null for a missing key. The keys travel as JSON, so a
 * lone surrogate arrives as three U+FFFD, and the service checks each key itself (with texts
 * of its own). The binding builds the Map from the service's JSON object, whose integer-like
 * property names ("0", "5", but not "01" or "-1") it skips: those keys are absent from the
 * Map, found or not. The service decodes the values, dropping a leading byte order mark, and
 * answers at most 25 MiB of text in all (every key the request carries, repeats included).
 */
export const MAX_BATCH_KEYS = 100;
/** The most text (UTF-16 code units of the decoded values, repeats counted) one batch answers. */
export const MAX_BATCH_TEXT = 25 * 1024 * 1024;

export function getBatch(store: KvNamespaceStore, requested: readonly string[], options: GetOptions, withMetadata: boolean): Map<string, unknown> {
  const type = batchValueType(options);
  if (requested.length > MAX_BATCH_KEYS) throw kvServiceError("GET_BULK", 400, `You can request a maximum of ${MAX_BATCH_KEYS} keys`);
  if (requested.length < 1) throw kvServiceError("GET_BULK", 400, "You must request a minimum of 1 key");
  const carried = requested.map(keyAsListed);

  // The service answers every key the request carries (repeats and array indices included),
  // in order, checking each key and its value as it comes to it, and the cache TTL after the
  // first key (so a bad first key is what it reports, else a bad TTL): a value that is not
  // JSON before a bad key is what it reports. Each distinct key is read, decoded and rendered
  // once, and each repeat counts its text again.
  const answers = new Map<string, Answer>();
  let total = 0;
  for (let i = 0; i < carried.length; i++) {
    const key = carried[i]!;
    checkBatchKey(key);
    if (i === 0) checkCacheTtl(options, "GET_BULK");
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = answerFor(store, key, type, withMetadata);
      answers.set(key, answer);
    }
    total += answer.size;
  }
  if (total > MAX_BATCH_TEXT) throw kvServiceError("GET_BULK", 413, `Total size of request exceeds the limit of ${MAX_BATCH_TEXT / 1024 / 1024}MB`);

  const out = new Map<string, unknown>();
  for (const [key, answer] of answers) if (!isArrayIndex(key)) out.set(key, answer.value);
  return out;
}

/** A key's answer in the batch: its rendered value (null when missing) and the length of its text. */
interface Answer {
  value: unknown;
  size: number;
}

/** Decodes as the service does: UTF-8, a leading byte order mark dropped. */
const serviceDecoder = new TextDecoder();

function answerFor(store: KvNamespaceStore, key: string, type: "text" | "json", withMetadata: boolean): Answer {
  const entry = store.get(key);
  if (entry === undefined) return { value: null, size: 0 };
  const text = serviceDecoder.decode(entry.value);
  return { value: render(entry, text, type, withMetadata), size: text.length };
}

function checkBatchKey(key: string): void {
  if (key === "") throw kvServiceError("GET_BULK", 400, "Key names must not be empty");
  if (key === "." || key === "..") throw kvServiceError("GET_BULK", 400, `Illegal key name "${key}". Please use a different name.`);
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw kvServiceError("GET_BULK", 414, `UTF-8 encoded length of ${bytes} exceeds key length limit of ${MAX_KEY_BYTES}.`);
  }
}

function render(entry: KvEntry, text: string, type: "text" | "json", withMetadata: boolean): unknown {
  let value: unknown = text;
  if (type === "json") {
    try {
      value = JSON.parse(text);
    } catch {
      throw kvServiceError("GET_BULK", 400, "At least one of the requested keys corresponds to a non-json value");
    }
  }
  return withMetadata ? { value, metadata: parseMetadata(entry) } : value;
}

/** An ECMAScript array index: a canonical decimal integer below 2^32 - 1. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}
