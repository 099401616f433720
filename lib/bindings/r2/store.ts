import { randomBytes } from "node:crypto";
import { MemoryStore, type OrderedStore, type StoreSnapshot } from "../shared/ordered-store.js";
import type { HttpMetadata } from "./http-metadata.js";
import type { StoredObject } from "./object.js";

/**
 * One R2 bucket's data, shared by every binding that names the bucket: the objects by key,
 * and every multipart upload ever created by id (finished ones are remembered, because
 * aborting a finished upload is not an error while an unknown id is). Upload times come from
 * the emulator's clock.
 */
export interface StoredPart {
  readonly etag: string;
  readonly body: Uint8Array;
}

export interface StoredUpload {
  readonly key: string;
  readonly state: "pending" | "completed" | "aborted";
  readonly httpMetadata: HttpMetadata;
  readonly customMetadata: Readonly<Record<string, string>>;
  readonly storageClass: string;
  readonly parts: ReadonlyMap<number, StoredPart>;
}

export interface R2BucketSnapshot {
  readonly objects: StoreSnapshot<StoredObject>;
  readonly uploads: StoreSnapshot<StoredUpload>;
}

export class R2BucketStore {
  readonly objects: OrderedStore<StoredObject>;
  readonly uploads: OrderedStore<StoredUpload>;
  readonly #now: () => number;

  constructor(
    now: () => number,
    objects: OrderedStore<StoredObject> = new MemoryStore<StoredObject>(),
    uploads: OrderedStore<StoredUpload> = new MemoryStore<StoredUpload>(),
  ) {
    this.#now = now;
    this.objects = objects;
    this.uploads = uploads;
  }

  now(): number {
    return this.#now();
  }

  snapshot(): R2BucketSnapshot {
    return { objects: this.objects.snapshot(), uploads: this.uploads.snapshot() };
  }

  restore(snapshot: R2BucketSnapshot): void {
    this.objects.restore(snapshot.objects);
    this.uploads.restore(snapshot.uploads);
  }
}

/** A new object version: 32 hex digits, as R2 writes them. */
export function newVersion(): string {
  return randomBytes(16).toString("hex");
}

/** Upload ids and part etags are opaque: 171 URL-safe characters, as Miniflare's are. */
export function newOpaqueId(): string {
  return randomBytes(128).toString("base64url");
}
