import { Buffer } from "node:buffer";
import type { Database, SqlValue } from "sql.js";
import type { Durability } from "../../storage/persist/durability.js";
import type { BlobFiles } from "../shared/blob-files.js";
import { concat } from "../../util/concat-bytes.js";
import { MemoryStore, type OrderedStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { PersistedDatabase, type Row } from "../shared/persisted-database.js";
import { ALGORITHMS, digest, type StoredChecksums } from "./checksums.js";
import type { HttpMetadata } from "./http-metadata.js";
import type { StoredObject } from "./object.js";
import type { StoredPart, StoredUpload } from "./store.js";

/**
 * An R2 bucket on disk, in wrangler dev's format (Miniflare 4's): `_mf_objects` (one row per
 * object: blob id, version, size, etag, upload time in milliseconds, and JSON for checksums,
 * HTTP and custom metadata), `_mf_multipart_uploads` (state 0 pending, 1 completed, 2
 * aborted) and `_mf_multipart_parts`, with every body in a blob file. durasim writes each
 * object as one blob; it reads Miniflare's multipart objects too (no blob of their own: their
 * parts, in part order). Rows are mirrored in memory, bodies read from their blobs on demand,
 * and every write is on disk before it returns. The storage class is not kept (Miniflare's
 * tables have no column for it): objects read back as "Standard".
 */
const SCHEMA = `CREATE TABLE IF NOT EXISTS _mf_objects (
    key TEXT PRIMARY KEY,
    blob_id TEXT,
    version TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    uploaded INTEGER NOT NULL,
    checksums TEXT NOT NULL,
    http_metadata TEXT NOT NULL,
    custom_metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _mf_multipart_uploads (
    upload_id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    http_metadata TEXT NOT NULL,
    custom_metadata TEXT NOT NULL,
    state TINYINT DEFAULT 0 NOT NULL
);
CREATE TABLE IF NOT EXISTS _mf_multipart_parts (
    upload_id TEXT NOT NULL REFERENCES _mf_multipart_uploads(upload_id),
    part_number INTEGER NOT NULL,
    blob_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksum_md5 TEXT NOT NULL,
    object_key TEXT REFERENCES _mf_objects(key) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (upload_id, part_number)
);`;

const STATES = ["pending", "completed", "aborted"] as const;
const STORAGE_CLASS = "Standard";

interface PersistedObject extends StoredObject {
  /** The object's own blob, or undefined for a Miniflare multipart object (its parts hold it). */
  readonly blobId: string | undefined;
}

interface PersistedPart extends StoredPart {
  readonly blobId: string;
}

/**
 * `fields` (an object's or a part's) with the blob that holds its bytes, read from it when asked
 * for. Made here, where no bytes are in scope: V8 gives the closures of one function one shared
 * context, so a getter made beside the code that wrote the bytes (`write(object.body)`) kept
 * them alive as long as the record, and every body a persisted bucket stored stayed in memory.
 */
function readingBlob<T extends object>(fields: T, blobs: BlobFiles, blobId: string): Omit<T, "body"> & { readonly blobId: string; readonly body: Uint8Array } {
  return { ...fields, blobId, get body() { return blobs.read(blobId); } };
}

/** What both tables share: the database and the blobs (which keep what a snapshot may name). */
class BucketFiles {
  constructor(
    readonly database: PersistedDatabase,
    readonly blobs: BlobFiles,
    readonly now: () => number,
  ) {}
}

export function openPersistedBucket(
  databasePath: string,
  blobs: BlobFiles,
  durability: Durability,
  now: () => number,
): { objects: OrderedStore<StoredObject>; uploads: OrderedStore<StoredUpload> } {
  const files = new BucketFiles(new PersistedDatabase(databasePath, durability, SCHEMA), blobs, now);
  return { objects: new PersistedObjects(files), uploads: new PersistedUploads(files) };
}

class PersistedObjects implements OrderedStore<StoredObject> {
  readonly #memory = new MemoryStore<PersistedObject>();
  readonly #files: BucketFiles;

  constructor(files: BucketFiles) {
    this.#files = files;
    const { database, blobs } = files;
    for (const row of database.query("SELECT * FROM _mf_objects")) {
      const blobId = row.blob_id === null ? undefined : String(row.blob_id);
      const parts = blobId === undefined ? database.query("SELECT blob_id FROM _mf_multipart_parts WHERE object_key = ? ORDER BY part_number", [row.key]) : [];
      const partBlobs = parts.map((part) => String(part.blob_id));
      this.#memory.set(String(row.key), objectOf(row, blobId, () => (blobId !== undefined ? blobs.read(blobId) : concat(partBlobs.map((id) => blobs.read(id))))));
    }
  }

  get(key: string): StoredObject | undefined {
    return this.#memory.get(key);
  }

  set(key: string, object: StoredObject): void {
    const released = this.#blobsHeldBy(key);
    const blobId = this.#files.blobs.writing(this.#files.now(), (write) => {
      const id = write(object.body);
      this.#files.database.transaction((db) => {
        db.run("DELETE FROM _mf_multipart_parts WHERE object_key = ?", [key]);
        insertObject(db, key, id, object);
      });
      return id;
    });
    const blobs = this.#files.blobs;
    this.#memory.set(key, readingBlob(object, blobs, blobId));
    this.#files.blobs.release(released);
  }

  delete(key: string): boolean {
    const previous = this.#memory.get(key);
    if (previous === undefined) return false;
    const released = this.#blobsHeldBy(key);
    this.#files.database.transaction((db) => {
      db.run("DELETE FROM _mf_multipart_parts WHERE object_key = ?", [key]);
      db.run("DELETE FROM _mf_objects WHERE key = ?", [key]);
    });
    this.#memory.delete(key);
    this.#files.blobs.release(released);
    return true;
  }

  /** The blobs the object at `key` holds (its own, or its multipart parts'), which replacing or deleting it frees. */
  #blobsHeldBy(key: string): string[] {
    const parts = this.#files.database.query("SELECT blob_id FROM _mf_multipart_parts WHERE object_key = ?", [key]).map((r) => String(r.blob_id));
    const own = this.#memory.get(key)?.blobId;
    return own === undefined ? parts : [...parts, own];
  }

  entries(from?: { after?: string; start?: string }): IterableIterator<[string, StoredObject]> {
    return this.#memory.entries(from);
  }

  snapshot(): StoreSnapshot<StoredObject> {
    this.#files.blobs.snapshotTaken();
    return this.#memory.snapshot() as StoreSnapshot<StoredObject>;
  }

  restore(snapshot: StoreSnapshot<StoredObject>): void {
    const before = new Set([...this.#memory.entries()].flatMap(([, object]) => (object.blobId === undefined ? [] : [object.blobId])));
    const partBlobs = this.#files.database.query("SELECT blob_id FROM _mf_multipart_parts WHERE object_key IS NOT NULL").map((r) => String(r.blob_id));
    const blobs = this.#files.blobs;
    const rows = this.#memory.restoreAndPersist(snapshot as StoreSnapshot<PersistedObject>, () =>
      blobs.writing(this.#files.now(), (write) => {
        // A Miniflare multipart object comes back as one blob of its own: its parts go.
        const restored = [...this.#memory.entries()].map(([key, object]) => {
          if (object.blobId !== undefined) return [key, object.blobId, object] as const;
          const blobId = write(object.body);
          this.#memory.set(key, readingBlob(object, blobs, blobId));
          return [key, blobId, object] as const;
        });
        this.#files.database.transaction((db) => {
          db.run("DELETE FROM _mf_multipart_parts WHERE object_key IS NOT NULL");
          db.run("DELETE FROM _mf_objects");
          for (const [key, blobId, object] of restored) insertObject(db, key, blobId, object);
        });
        return restored;
      }),
    );
    for (const [, blobId] of rows) before.delete(blobId);
    this.#files.blobs.release([...before, ...partBlobs]);
  }
}

class PersistedUploads implements OrderedStore<StoredUpload> {
  readonly #memory = new MemoryStore<StoredUpload>();
  readonly #files: BucketFiles;

  constructor(files: BucketFiles) {
    this.#files = files;
    const { database, blobs } = files;
    const parts = new Map<string, Map<number, PersistedPart>>();
    for (const row of database.query("SELECT upload_id, part_number, blob_id, etag FROM _mf_multipart_parts WHERE object_key IS NULL")) {
      const blobId = String(row.blob_id);
      const byNumber = parts.get(String(row.upload_id)) ?? new Map<number, PersistedPart>();
      byNumber.set(Number(row.part_number), readingBlob({ etag: String(row.etag) }, blobs, blobId));
      parts.set(String(row.upload_id), byNumber);
    }
    for (const row of database.query("SELECT * FROM _mf_multipart_uploads")) {
      const id = String(row.upload_id);
      this.#memory.set(id, {
        key: String(row.key),
        state: STATES[Number(row.state)] ?? "aborted",
        httpMetadata: JSON.parse(String(row.http_metadata)) as HttpMetadata,
        customMetadata: JSON.parse(String(row.custom_metadata)) as Record<string, string>,
        storageClass: STORAGE_CLASS,
        parts: parts.get(id) ?? new Map(),
      });
    }
  }

  get(id: string): StoredUpload | undefined {
    return this.#memory.get(id);
  }

  set(id: string, upload: StoredUpload): void {
    const previous = this.#memory.get(id)?.parts ?? new Map<number, StoredPart>();
    const parts = new Map<number, PersistedPart>();
    const blobs = this.#files.blobs;
    const dropped = blobs.writing(this.#files.now(), (write) => {
      const written: Array<[number, PersistedPart, Uint8Array]> = [];
      for (const [number, part] of upload.parts) {
        const known = part as Partial<PersistedPart>;
        if (previous.get(number) === part && known.blobId !== undefined) {
          parts.set(number, part as PersistedPart);
          continue;
        }
        const body = part.body;
        const blobId = write(body);
        const stored: PersistedPart = readingBlob({ etag: part.etag }, blobs, blobId);
        parts.set(number, stored);
        written.push([number, stored, body]);
      }
      const replaced = [...previous].filter(([number, part]) => parts.get(number) !== part);
      this.#files.database.transaction((db) => {
        upsertUpload(db, id, upload);
        for (const [number] of replaced) if (!parts.has(number)) db.run("DELETE FROM _mf_multipart_parts WHERE upload_id = ? AND part_number = ?", [id, number]);
        for (const [number, part, body] of written) insertPart(db, id, number, part, body);
      });
      return replaced;
    });
    this.#memory.set(id, { ...upload, parts });
    this.#files.blobs.release(dropped.map(([, part]) => (part as PersistedPart).blobId));
  }

  delete(id: string): boolean {
    const previous = this.#memory.get(id);
    if (previous === undefined) return false;
    this.#files.database.transaction((db) => {
      db.run("DELETE FROM _mf_multipart_parts WHERE upload_id = ? AND object_key IS NULL", [id]);
      db.run("DELETE FROM _mf_multipart_uploads WHERE upload_id = ?", [id]);
    });
    this.#memory.delete(id);
    this.#files.blobs.release([...previous.parts.values()].map((part) => (part as PersistedPart).blobId));
    return true;
  }

  entries(from?: { after?: string; start?: string }): IterableIterator<[string, StoredUpload]> {
    return this.#memory.entries(from);
  }

  snapshot(): StoreSnapshot<StoredUpload> {
    this.#files.blobs.snapshotTaken();
    return this.#memory.snapshot();
  }

  restore(snapshot: StoreSnapshot<StoredUpload>): void {
    const before = new Set([...this.#memory.entries()].flatMap(([, upload]) => [...upload.parts.values()].map((part) => (part as PersistedPart).blobId)));
    this.#memory.restoreAndPersist(snapshot, () => {
      for (const [, upload] of this.#memory.entries()) for (const part of upload.parts.values()) before.delete((part as PersistedPart).blobId);
      this.#files.database.transaction((db) => {
        db.run("DELETE FROM _mf_multipart_parts WHERE object_key IS NULL");
        db.run("DELETE FROM _mf_multipart_uploads");
        for (const [id, upload] of this.#memory.entries()) {
          upsertUpload(db, id, upload);
          for (const [number, part] of upload.parts) insertPart(db, id, number, part as PersistedPart, part.body);
        }
      });
    });
    this.#files.blobs.release(before);
  }
}

function objectOf(row: Row, blobId: string | undefined, readBody: () => Uint8Array): PersistedObject {
  const etag = String(row.etag);
  const checksums = checksumsOf(JSON.parse(String(row.checksums)) as Record<string, string>);
  // A single-part object's etag is its MD5, which Miniflare stores only when it was given.
  if (blobId !== undefined && checksums.md5 === undefined && /^[0-9a-f]{32}$/.test(etag)) checksums.md5 = new Uint8Array(Buffer.from(etag, "hex"));
  return {
    key: String(row.key),
    version: String(row.version),
    size: Number(row.size),
    etag,
    uploaded: Number(row.uploaded),
    httpMetadata: JSON.parse(String(row.http_metadata)) as HttpMetadata,
    customMetadata: JSON.parse(String(row.custom_metadata)) as Record<string, string>,
    checksums,
    storageClass: STORAGE_CLASS,
    blobId,
    get body() {
      return readBody();
    },
  };
}

function checksumsOf(json: Record<string, string>): StoredChecksums {
  const out: StoredChecksums = {};
  for (const { field } of ALGORITHMS) if (typeof json[field] === "string") out[field] = new Uint8Array(Buffer.from(json[field], "hex"));
  return out;
}

function insertObject(db: Database, key: string, blobId: string, object: StoredObject): void {
  const checksums: Record<string, string> = {};
  for (const { field } of ALGORITHMS) {
    const value = object.checksums[field];
    if (value !== undefined) checksums[field] = Buffer.from(value).toString("hex");
  }
  const values: SqlValue[] = [key, blobId, object.version, object.size, object.etag, object.uploaded, JSON.stringify(checksums), JSON.stringify(object.httpMetadata), JSON.stringify(object.customMetadata)];
  db.run(
    "INSERT INTO _mf_objects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET blob_id = excluded.blob_id, version = excluded.version, " +
      "size = excluded.size, etag = excluded.etag, uploaded = excluded.uploaded, checksums = excluded.checksums, " +
      "http_metadata = excluded.http_metadata, custom_metadata = excluded.custom_metadata",
    values,
  );
}

function upsertUpload(db: Database, id: string, upload: StoredUpload): void {
  db.run(
    "INSERT INTO _mf_multipart_uploads VALUES (?, ?, ?, ?, ?) ON CONFLICT(upload_id) DO UPDATE SET key = excluded.key, " +
      "http_metadata = excluded.http_metadata, custom_metadata = excluded.custom_metadata, state = excluded.state",
    [id, upload.key, JSON.stringify(upload.httpMetadata), JSON.stringify(upload.customMetadata), STATES.indexOf(upload.state)],
  );
}

function insertPart(db: Database, id: string, number: number, part: PersistedPart, body: Uint8Array): void {
  db.run("INSERT OR REPLACE INTO _mf_multipart_parts VALUES (?, ?, ?, ?, ?, ?, NULL)", [
    id,
    number,
    part.blobId,
    body.byteLength,
    part.etag,
    Buffer.from(digest("md5", body)).toString("hex"),
  ]);
}
