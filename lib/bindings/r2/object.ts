import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { inCodeRealm } from "../../util/code-realm.js";
import { defineInterface, notOfType, site } from "../../util/webidl.js";
import { arrayBufferOf, readStream, streamOf } from "../shared/bytes.js";
import { parseJson } from "../../util/json-positions.js";
import { ALGORITHMS, type StoredChecksums } from "./checksums.js";
import { type HttpMetadata, httpMetadataObject, writeHttpMetadataTo } from "./http-metadata.js";
import type { ResolvedRange } from "./range.js";
import { isOf } from "../../util/host-kind.js";

/**
 * R2 objects as stored, and as Worker code sees them: `R2Object` (the runtime's class name is
 * HeadResult) for head(), put(), list() and a get() whose condition failed, `R2ObjectBody`
 * (GetResult) with the body for get(). Their fields are read-only own properties, created in
 * the runtime's order, so `Object.keys()` and `JSON.stringify()` read the same.
 */
export interface StoredObject {
  readonly key: string;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  /** Epoch milliseconds. */
  readonly uploaded: number;
  readonly httpMetadata: HttpMetadata;
  readonly customMetadata: Readonly<Record<string, string>>;
  readonly checksums: StoredChecksums;
  readonly storageClass: string;
  readonly body: Uint8Array;
}

export interface ObjectView {
  /** Present for head() and get(); put() and list() results have no range. */
  range?: ResolvedRange;
  /** list() leaves metadata out unless `include` asks for it. */
  httpMetadata?: boolean;
  customMetadata?: boolean;
}

/** A field as the runtime defines it on its objects: own, enumerable, read-only. */
export function readOnly(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: false, enumerable: true, configurable: true });
}

export class HeadResult {
  declare readonly key: string;
  declare readonly version: string;
  declare readonly size: number;
  declare readonly etag: string;
  declare readonly httpEtag: string;
  declare readonly checksums: Checksums;
  declare readonly uploaded: Date;
  declare readonly httpMetadata: Record<string, string | Date | undefined>;
  declare readonly customMetadata: Record<string, string>;
  declare readonly range: { offset: number; length: number; suffix: undefined } | undefined;
  declare readonly storageClass: string;
  declare readonly ssecKeyMd5: string | undefined;
  readonly #httpMetadata: HttpMetadata;

  /** @internal */
  constructor(stored: StoredObject, view: ObjectView = {}) {
    const http = view.httpMetadata === false ? {} : stored.httpMetadata;
    this.#httpMetadata = http;
    readOnly(this, "ssecKeyMd5", undefined);
    readOnly(this, "storageClass", stored.storageClass);
    // Its fields are made for Worker code: of its realm (util/code-realm.ts), as binding results are.
    readOnly(this, "range", inCodeRealm(view.range && { offset: view.range.offset, length: view.range.length, suffix: undefined }));
    readOnly(this, "customMetadata", inCodeRealm(view.customMetadata === false ? {} : { ...stored.customMetadata }));
    readOnly(this, "httpMetadata", inCodeRealm(httpMetadataObject(http)));
    readOnly(this, "uploaded", inCodeRealm(new Date(stored.uploaded)));
    readOnly(this, "checksums", new Checksums(stored.checksums));
    readOnly(this, "httpEtag", `"${stored.etag}"`);
    readOnly(this, "etag", stored.etag);
    readOnly(this, "size", stored.size);
    readOnly(this, "version", stored.version);
    readOnly(this, "key", stored.key);
  }

  writeHttpMetadata(headers: Headers): void {
    if (typeof headers !== "object" || headers === null || !isOf(headers, Headers)) throw notOfType(site("HeadResult", "writeHttpMetadata"), 1, "Headers");
    writeHttpMetadataTo(this.#httpMetadata, headers);
  }

  static {
    defineInterface(this, "HeadResult", (value) => typeof value === "object" && value !== null && #httpMetadata in value);
  }

}

const BODY_USED = "Body has already been used. It can only be used once. Use tee() first if you need to read it twice.";

export class GetResult extends HeadResult {
  readonly #bytes: Uint8Array;
  readonly #contentType: string | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;

  /** @internal */
  constructor(stored: StoredObject, range: ResolvedRange) {
    super(stored, { range });
    this.#bytes = stored.body.subarray(range.offset, range.offset + range.length);
    this.#contentType = stored.httpMetadata.contentType;
  }

  get body(): ReadableStream<Uint8Array> {
    this.#stream ??= streamOf(this.#bytes);
    return this.#stream;
  }

  get bodyUsed(): boolean {
    // Reading from `body` uses the body too (Node's types only admit its own streams here).
    return this.#used || (this.#stream !== undefined && Readable.isDisturbed(this.#stream as never));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return inCodeRealm(arrayBufferOf(await this.#consume()));
  }

  async bytes(): Promise<Uint8Array> {
    return inCodeRealm((await this.#consume()).slice());
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.#consume());
  }

  async json(): Promise<unknown> {
    return inCodeRealm(parseJson(await this.text()));
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.#consume()], { type: this.#contentType ?? "" });
  }

  static {
    defineInterface(this, "GetResult", (value) => typeof value === "object" && value !== null && #bytes in value);
  }


  async #consume(): Promise<Uint8Array> {
    if (this.bodyUsed) throw new TypeError(BODY_USED);
    if (this.#stream?.locked) throw new TypeError("This ReadableStream is currently locked to a reader.");
    this.#used = true;
    return this.#stream === undefined ? this.#bytes : readStream(this.#stream);
  }
}

/** `checksums`: ArrayBuffers for the digests the object has; toJSON() gives hex. */
export class Checksums {
  declare readonly md5: ArrayBuffer | undefined;
  declare readonly sha1: ArrayBuffer | undefined;
  declare readonly sha256: ArrayBuffer | undefined;
  declare readonly sha384: ArrayBuffer | undefined;
  declare readonly sha512: ArrayBuffer | undefined;

  /** @internal */
  constructor(stored: StoredChecksums) {
    for (const { field } of [...ALGORITHMS].reverse()) {
      const digest = stored[field];
      readOnly(this, field, digest === undefined ? undefined : arrayBufferOf(digest));
    }
  }

  /** Only instances have it (interface members check their receiver). */
  readonly #brand = true;

  toJSON(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const { field } of ALGORITHMS) {
      const digest = this[field];
      out[field] = digest === undefined ? undefined : Buffer.from(digest).toString("hex");
    }
    return out;
  }

  static {
    defineInterface(this, "Checksums", (value) => typeof value === "object" && value !== null && #brand in value);
  }

}
