import { Buffer } from "node:buffer";
import { untilOutputGateOpens } from "../../runtime/gates/output-gate.js";
import { defineInterface, missingDictionary, notOfType, site, toDictionary, toInt32 } from "../../util/webidl.js";
import { concat } from "../../util/concat-bytes.js";
import { asIo, type BindingContext, throwIfEnded } from "../shared/io.js";
import { elementTypeError, isDictionary } from "../shared/webidl.js";
import { bodyBytes, checkBodyType } from "./body.js";
import { digest } from "./checksums.js";
import { r2Error } from "./errors.js";
import { objectKey } from "./keys.js";
import { HeadResult, readOnly, type StoredObject } from "./object.js";
import { checkSsecKey } from "./ssec.js";
import { newOpaqueId, newVersion, type R2BucketStore, type StoredUpload } from "./store.js";

/**
 * Multipart uploads. Parts are numbered 1..10000; uploading a number again replaces that
 * part. complete() takes the parts to keep (any order; each must match an uploaded part's
 * number and etag), joins them in part-number order and makes them the object at the key in
 * one step. Every part but the last as given must be at least 5 MiB, and, in part-number
 * order, all of them the same size with the last no larger. The object's etag is the MD5 of the parts' MD5s followed by "-"
 * and the part count; it has no checksums. An upload id this bucket never issued is an
 * internal error for complete() and abort() (as in Miniflare), and so is one resumed under
 * another key; a finished upload no longer exists for uploadPart() and complete(), while
 * abort() of it succeeds.
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10000;

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

export class R2MultipartUpload {
  declare readonly uploadId: string;
  declare readonly key: string;
  readonly #store: R2BucketStore;
  readonly #context: BindingContext;

  /** @internal */
  constructor(store: R2BucketStore, key: string, uploadId: string, context: BindingContext) {
    this.#store = store;
    this.#context = context;
    readOnly(this, "uploadId", uploadId);
    readOnly(this, "key", key);
  }

  uploadPart(...args: unknown[]): Promise<UploadedPart> {
    return asIo(this.#context, () => this.#uploadPart(args));
  }

  abort(): Promise<void> {
    return asIo(this.#context, () => this.#abort());
  }

  complete(...args: unknown[]): Promise<HeadResult> {
    return asIo(this.#context, () => this.#complete(args));
  }

  static {
    defineInterface(this, "R2MultipartUpload", (value) => typeof value === "object" && value !== null && #store in value);
  }

  async #uploadPart(args: unknown[]): Promise<UploadedPart> {
    if (args.length < 1) throw notOfType(site("R2MultipartUpload", "uploadPart"), 1, "integer");
    const partNumber = toInt32(args[0]);
    checkBodyType(args[1], "R2MultipartUpload", "uploadPart", false);
    checkPartNumber(partNumber);
    checkSsecKey(toDictionary<{ ssecKey: unknown }>(site("R2MultipartUpload", "uploadPart"), args[2], 3, "UploadPartOptions")?.ssecKey);
    await untilOutputGateOpens();
    const key = objectKey(this.key, "uploadPart");
    const body = await bodyBytes(args[1], this.#context.ended);
    throwIfEnded(this.#context.ended);
    const upload = this.#pending(key, "uploadPart");
    const etag = newOpaqueId();
    const parts = new Map(upload.parts).set(partNumber, { etag, body });
    this.#store.uploads.set(this.uploadId, { ...upload, parts });
    return { partNumber, etag };
  }

  async #abort(): Promise<void> {
    await untilOutputGateOpens();
    throwIfEnded(this.#context.ended);
    const upload = this.#stored(objectKey(this.key, "abortMultipartUpload"));
    if (upload === undefined) throw r2Error("abortMultipartUpload", "internal");
    if (upload.state === "pending") this.#store.uploads.set(this.uploadId, { ...upload, state: "aborted", parts: new Map() });
  }

  async #complete(args: unknown[]): Promise<HeadResult> {
    const [chosen] = args;
    if (!Array.isArray(chosen)) throw notOfType(site("R2MultipartUpload", "complete"), 1, "Array");
    const parts = Array.from(chosen as unknown[], asUploadedPart);
    for (const { number } of parts) checkPartNumber(number);
    await untilOutputGateOpens();
    throwIfEnded(this.#context.ended);
    const key = objectKey(this.key, "completeMultipartUpload");
    if (this.#stored(key) === undefined) throw r2Error("completeMultipartUpload", "internal");
    const upload = this.#pending(key, "completeMultipartUpload");
    if (new Set(parts.map(({ number }) => number)).size !== parts.length) throw r2Error("completeMultipartUpload", "internal");
    const given = parts.map(({ number, etag }) => {
      const stored = upload.parts.get(number);
      if (stored === undefined || stored.etag !== etag) throw r2Error("completeMultipartUpload", "invalidPart");
      return { number, body: stored.body };
    });
    const bodies = checkPartSizes(given);
    const body = concat(bodies);
    const object: StoredObject = {
      key,
      version: newVersion(),
      size: body.byteLength,
      etag: `${Buffer.from(digest("md5", concat(bodies.map((b) => digest("md5", b))))).toString("hex")}-${bodies.length}`,
      uploaded: this.#store.now(),
      httpMetadata: upload.httpMetadata,
      customMetadata: upload.customMetadata,
      checksums: {},
      storageClass: upload.storageClass,
      body,
    };
    this.#store.objects.set(key, object);
    this.#store.uploads.set(this.uploadId, { ...upload, state: "completed", parts: new Map() });
    return new HeadResult(object);
  }

  /**
   * The upload this object names. The service finds an upload by its id and key together (the
   * key checked first by each call: a resumed upload's key is not checked when resumed), so
   * an upload resumed under another key is as unknown as an id never issued.
   */
  #stored(key: string): StoredUpload | undefined {
    const upload = this.#store.uploads.get(this.uploadId);
    return upload?.key === key ? upload : undefined;
  }

  /** The upload, if it is still open. */
  #pending(key: string, operation: "uploadPart" | "completeMultipartUpload"): StoredUpload {
    const upload = this.#stored(key);
    if (upload?.state !== "pending") throw r2Error(operation, "noSuchUpload");
    return upload;
  }
}

function checkPartNumber(partNumber: number): void {
  if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new TypeError(`Part number must be between 1 and ${MAX_PART_NUMBER} (inclusive). Actual value was: ${partNumber}`);
  }
}

/**
 * One element of complete()'s parts, converted as the runtime converts an UploadedPart
 * dictionary: undefined or null (a hole too) cannot fill its required members, a primitive is
 * not a dictionary, and a missing partNumber reads as 0.
 */
function asUploadedPart(part: unknown, index: number): { number: number; etag: unknown } {
  if (part === undefined || part === null) {
    throw missingDictionary("public_beta", "R2MultipartUpload", "UploadedPart");
  }
  if (!isDictionary(part)) throw elementTypeError(index, "UploadedPart");
  return { number: toInt32(part.partNumber), etag: part.etag };
}

/**
 * The parts' bodies in part-number order, once their sizes pass. The minimum size is checked
 * on the parts as complete() was given them (every one but the one given last, as Miniflare's
 * service checks, so a small part given in the middle fails even when its number is the
 * highest); equal sizes are checked in part-number order.
 */
function checkPartSizes(given: readonly { number: number; body: Uint8Array }[]): Uint8Array[] {
  if (given.slice(0, -1).some(({ body }) => body.byteLength < MIN_PART_BYTES)) throw r2Error("completeMultipartUpload", "entityTooSmall");
  const bodies = [...given].sort((a, b) => a.number - b.number).map(({ body }) => body);
  const leading = bodies.slice(0, -1);
  const size = leading[0]?.byteLength;
  if (size === undefined) return bodies;
  // (A small part here, given last, is caught as one of unequal size or the last one larger.)
  if (leading.some((b) => b.byteLength !== size) || bodies.at(-1)!.byteLength > size) {
    throw r2Error("completeMultipartUpload", "invalidMultipart");
  }
  return bodies;
}

/** A new upload's record, stored under a fresh id. */
export function startUpload(
  store: R2BucketStore,
  context: BindingContext,
  key: string,
  fields: Omit<StoredUpload, "key" | "state" | "parts">,
): R2MultipartUpload {
  const uploadId = newOpaqueId();
  store.uploads.set(uploadId, { key, state: "pending", parts: new Map(), ...fields });
  return new R2MultipartUpload(store, key, uploadId, context);
}
