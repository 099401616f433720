import { untilOutputGateOpens } from "../../runtime/gates/output-gate.js";
import { defineInterface, notOfType, site, toIdlString } from "../../util/webidl.js";
import { arrayBufferOf, streamOf } from "../shared/bytes.js";
import { asIo, type BindingContext, DETACHED, throwIfEnded } from "../shared/io.js";
import { parseJson } from "../../util/json-positions.js";
import { getBatch } from "./batch.js";
import { type KvEntry, parseMetadata } from "./entry.js";
import { checkCacheTtl, convertGetOptions, type GetOptions, singleValueType, type ValueType } from "./get-options.js";
import { checkKeyForService, checkKeyName } from "./keys.js";
import { type KvListResult, listKeys } from "./list.js";
import { checkExpiration, checkMetadata, convertPutOptions, serializeMetadata } from "./put-options.js";
import type { KvNamespaceStore } from "./store.js";
import { checkValueType, valueBytes } from "./values.js";

/**
 * `env.MY_KV`: the KV namespace binding, over the namespace's store. Every failure is a
 * rejected promise except get()'s and getWithMetadata()'s argument conversions (a missing or
 * unconvertible key, an unconvertible type or option), which the runtime reports
 * synchronously. Reads and writes act on the store when called (a stream value once it has
 * been read), so a put() followed by a get() sees the value: the store is strongly consistent
 * here, where production is eventually consistent across locations.
 * Called from a Durable Object, put(), delete() and a batch get() wait, after the binding's own
 * checks, for the object's output gate: they reach the store only once the object's earlier
 * writes are committed, and never if that commit fails (reference §5.3).
 */
export class KvNamespace {
  readonly #store: KvNamespaceStore;
  readonly #context: BindingContext;

  /** @internal Created by the emulator, one per binding. */
  constructor(store: KvNamespaceStore, context: BindingContext = DETACHED) {
    this.#store = store;
    this.#context = context;
  }

  get(...args: unknown[]): Promise<unknown> {
    if (args.length === 0) throw notOfType(site("KvNamespace", "get"), 1, "string or Array");
    const keys = convertKeys(args[0]);
    const options = convertGetOptions(args[1]);
    return asIo(this.#context, () => this.#read(keys, options, false));
  }

  list(options?: unknown): Promise<KvListResult> {
    return asIo(this.#context, () => this.#list(options));
  }

  put(...args: unknown[]): Promise<void> {
    return asIo(this.#context, () => this.#put(args));
  }

  getWithMetadata(...args: unknown[]): Promise<unknown> {
    if (args.length === 0) throw notOfType(site("KvNamespace", "getWithMetadata"), 1, "Array or string");
    const keys = convertKeys(args[0]);
    const options = convertGetOptions(args[1]);
    return asIo(this.#context, () => this.#read(keys, options, true));
  }

  delete(...args: unknown[]): Promise<void> {
    return asIo(this.#context, () => this.#delete(args));
  }

  static {
    defineInterface(this, "KvNamespace", (value) => typeof value === "object" && value !== null && #store in value);
  }

  async #put(args: unknown[]): Promise<void> {
    if (args.length < 1) throw notOfType(site("KvNamespace", "put"), 1, "string");
    if (args.length < 2) throw notOfType(site("KvNamespace", "put"), 2, "string or JsObject");
    const [rawKey, value, options] = args;
    const key = toIdlString(rawKey);
    const converted = convertPutOptions(options);
    checkKeyName(key);
    checkValueType(value);
    const json = serializeMetadata(converted);
    checkKeyForService(key, "PUT");
    const expiration = checkExpiration(converted, this.#store.now());
    const metadata = checkMetadata(json);
    await untilOutputGateOpens();
    const bytes = await valueBytes(value, this.#context.ended);
    throwIfEnded(this.#context.ended);
    const entry: KvEntry = { value: bytes };
    if (expiration !== undefined) Object.assign(entry, { expiration });
    if (metadata !== undefined) Object.assign(entry, { metadata });
    this.#store.put(key, entry);
  }

  async #delete(args: unknown[]): Promise<void> {
    if (args.length < 1) throw notOfType(site("KvNamespace", "delete"), 1, "string");
    const key = toIdlString(args[0]);
    checkKeyName(key);
    checkKeyForService(key, "DELETE");
    await untilOutputGateOpens();
    throwIfEnded(this.#context.ended);
    this.#store.delete(key);
  }

  async #list(options: unknown): Promise<KvListResult> {
    return listKeys(this.#store, options);
  }

  async #read(keyOrKeys: string | string[], options: GetOptions, withMetadata: boolean): Promise<unknown> {
    if (Array.isArray(keyOrKeys)) {
      // A batch read is a POST the runtime holds like a write; a single read leaves at once.
      await untilOutputGateOpens();
      throwIfEnded(this.#context.ended);
      return getBatch(this.#store, keyOrKeys, options, withMetadata);
    }
    checkKeyName(keyOrKeys);
    checkKeyForService(keyOrKeys, "GET");
    checkCacheTtl(options, "GET");
    const entry = this.#store.get(keyOrKeys);
    // The binding checks the type when it decodes a value: a missing key is null whatever the type.
    const value = entry === undefined ? null : decode(entry.value, singleValueType(options));
    if (!withMetadata) return value;
    return { value, metadata: entry === undefined ? null : parseMetadata(entry), cacheStatus: null };
  }
}

/** get()'s first argument: a key, or an Array of keys (a hole reads as undefined, the key "undefined"). */
function convertKeys(keyOrKeys: unknown): string | string[] {
  return Array.isArray(keyOrKeys) ? Array.from(keyOrKeys as unknown[], toIdlString) : toIdlString(keyOrKeys);
}

/** A single get decodes text as it is, a leading byte order mark included. */
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

function decode(bytes: Uint8Array, type: ValueType): unknown {
  switch (type) {
    case "text":
      return textDecoder.decode(bytes);
    case "json":
      return parseJson(textDecoder.decode(bytes));
    case "arrayBuffer":
      return arrayBufferOf(bytes);
    case "stream":
      return streamOf(bytes);
  }
}
