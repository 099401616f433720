import { Buffer } from "node:buffer";
import { untilOutputGateOpens } from "../../runtime/gates/output-gate.js";
import { defineInterface, notOfType, site, toDictionary, toIdlString } from "../../util/webidl.js";
import { asIo, type BindingContext, DETACHED, throwIfEnded } from "../shared/io.js";
import { bodyBytes, checkBodyType, missingBody } from "./body.js";
import { checksumsFor, convertChecksumOption } from "./checksums.js";
import { conditionHolds, convertConditional } from "./conditional.js";
import { checkCustomMetadataSize, convertCustomMetadata } from "./custom-metadata.js";
import { convertHttpMetadata } from "./http-metadata.js";
import { asCarried, objectKey } from "./keys.js";
import { listObjects, type R2Objects } from "./list.js";
import { R2MultipartUpload, startUpload } from "./multipart.js";
import { GetResult, HeadResult, type StoredObject } from "./object.js";
import { convertRange, resolveRange } from "./range.js";
import { checkSsecKey } from "./ssec.js";
import { newVersion, type R2BucketStore } from "./store.js";

/**
 * `env.MY_BUCKET`: the R2 bucket binding, over the bucket's store. Every failure is a
 * rejected promise (resumeMultipartUpload(), which does no I/O, throws). A write takes
 * effect once its body has been read, in one step: a reader sees the old object or the new
 * one, never a mix. Called from a Durable Object, every write (put, delete, the multipart
 * calls) waits, after the binding's own checks, for the object's output gate: it reaches the
 * bucket only once the object's earlier writes are committed, and never if that commit fails
 * (reference §5.3). Reads leave at once.
 */
export const DEFAULT_STORAGE_CLASS = "Standard";

export class R2Bucket {
  readonly #store: R2BucketStore;
  readonly #context: BindingContext;

  /** @internal Created by the emulator, one per binding. */
  constructor(store: R2BucketStore, context: BindingContext = DETACHED) {
    this.#store = store;
    this.#context = context;
  }

  head(...args: unknown[]): Promise<HeadResult | null> {
    return asIo(this.#context, () => this.#head(args));
  }

  get(...args: unknown[]): Promise<GetResult | HeadResult | null> {
    return asIo(this.#context, () => this.#get(args));
  }

  put(...args: unknown[]): Promise<HeadResult | null> {
    return asIo(this.#context, () => this.#put(args));
  }

  createMultipartUpload(...args: unknown[]): Promise<R2MultipartUpload> {
    return asIo(this.#context, () => this.#createMultipartUpload(args));
  }

  resumeMultipartUpload(...args: unknown[]): R2MultipartUpload {
    if (args.length < 1) throw notOfType(site("R2Bucket", "resumeMultipartUpload"), 1, "string");
    if (args.length < 2) throw notOfType(site("R2Bucket", "resumeMultipartUpload"), 2, "string");
    return new R2MultipartUpload(this.#store, asCarried(args[0]), asCarried(args[1]), this.#context);
  }

  delete(...args: unknown[]): Promise<void> {
    return asIo(this.#context, () => this.#delete(args));
  }

  list(options?: unknown): Promise<R2Objects> {
    return asIo(this.#context, () => this.#list(options));
  }

  static {
    defineInterface(this, "R2Bucket", (value) => typeof value === "object" && value !== null && #store in value);
  }

  async #head(args: unknown[]): Promise<HeadResult | null> {
    if (args.length < 1) throw notOfType(site("R2Bucket", "head"), 1, "string");
    const stored = this.#store.objects.get(objectKey(args[0], "head"));
    return stored === undefined ? null : new HeadResult(stored, { range: { offset: 0, length: stored.size } });
  }

  async #get(args: unknown[]): Promise<GetResult | HeadResult | null> {
    if (args.length < 1) throw notOfType(site("R2Bucket", "get"), 1, "string");
    const options = dictionaryArgument(args[1], "get", 2, "GetOptions");
    const condition = convertConditional(options.onlyIf, "GetOptions");
    const range = convertRange(options.range);
    checkSsecKey(options.ssecKey);
    const stored = this.#store.objects.get(objectKey(args[0], "get"));
    if (stored === undefined) return null;
    if (condition !== undefined && !conditionHolds(condition, stored)) {
      return new HeadResult(stored, { range: { offset: 0, length: stored.size } });
    }
    return new GetResult(stored, resolveRange(range, stored.size));
  }

  async #put(args: unknown[]): Promise<HeadResult | null> {
    if (args.length < 1) throw notOfType(site("R2Bucket", "put"), 1, "string");
    if (args.length < 2) throw missingBody("R2Bucket", "put");
    const [rawKey, value] = args;
    const keyText = toIdlString(rawKey);
    checkBodyType(value, "R2Bucket", "put", true);
    const options = dictionaryArgument(args[2], "put", 3, "PutOptions");
    const condition = convertConditional(options.onlyIf, "PutOptions");
    const httpMetadata = convertHttpMetadata(options.httpMetadata, "PutOptions");
    const customMetadata = convertCustomMetadata(options.customMetadata, "PutOptions");
    const expected = convertChecksumOption(options);
    checkSsecKey(options.ssecKey);
    await untilOutputGateOpens();
    const body = await bodyBytes(value, this.#context.ended);
    throwIfEnded(this.#context.ended);
    const key = objectKey(keyText, "put");
    checkCustomMetadataSize(customMetadata, "put");
    // The service verifies the digest before the condition: a wrong one fails even a put whose condition fails.
    const checksums = checksumsFor(body, expected);
    if (condition !== undefined && !conditionHolds(condition, this.#store.objects.get(key))) return null;
    const object: StoredObject = {
      key,
      version: newVersion(),
      size: body.byteLength,
      etag: Buffer.from(checksums.md5!).toString("hex"),
      uploaded: this.#store.now(),
      httpMetadata,
      customMetadata,
      checksums,
      storageClass: storageClassOf(options.storageClass),
      body,
    };
    this.#store.objects.set(key, object);
    return new HeadResult(object);
  }

  async #delete(args: unknown[]): Promise<void> {
    if (args.length < 1) throw notOfType(site("R2Bucket", "delete"), 1, "string or Array");
    // Array.from, not map(): a hole in a sparse array is read as undefined, the key "undefined".
    const keys = Array.from(Array.isArray(args[0]) ? args[0] : [args[0]], (key) => objectKey(key, "delete"));
    await untilOutputGateOpens();
    throwIfEnded(this.#context.ended);
    for (const key of keys) this.#store.objects.delete(key);
  }

  async #list(options: unknown): Promise<R2Objects> {
    return listObjects(this.#store, options);
  }

  async #createMultipartUpload(args: unknown[]): Promise<R2MultipartUpload> {
    if (args.length < 1) throw notOfType(site("R2Bucket", "createMultipartUpload"), 1, "string");
    const options = dictionaryArgument(args[1], "createMultipartUpload", 2, "MultipartOptions");
    const httpMetadata = convertHttpMetadata(options.httpMetadata, "MultipartOptions");
    const customMetadata = convertCustomMetadata(options.customMetadata, "MultipartOptions");
    checkSsecKey(options.ssecKey);
    const key = objectKey(args[0], "createMultipartUpload");
    await untilOutputGateOpens();
    throwIfEnded(this.#context.ended);
    return startUpload(this.#store, this.#context, key, { httpMetadata, customMetadata, storageClass: storageClassOf(options.storageClass) });
  }
}

function dictionaryArgument(value: unknown, method: string, index: number, typeName: string): Record<string, unknown> {
  return toDictionary<Record<string, unknown>>(site("R2Bucket", method), value, index, typeName) ?? {};
}

/**
 * Production reports "Standard" unless the object was written as "InfrequentAccess" (Miniflare
 * reports ""); other names are kept as given, since production's answer to them is not known.
 */
function storageClassOf(value: unknown): string {
  return value === undefined ? DEFAULT_STORAGE_CLASS : String(value);
}

