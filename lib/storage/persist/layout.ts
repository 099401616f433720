import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";

/**
 * The on-disk layout, wrangler dev's own (Miniflare 3 and 4, workerd's `localDisk` storage):
 *
 *   <state>/v3/do/<uniqueKey>/<64-hex id>.sqlite (+ -wal, -shm)   one Durable Object
 *   <state>/v3/do/<uniqueKey>/<64-hex id>.facets                   its facets' numbers (facet-index.ts)
 *   <state>/v3/do/<uniqueKey>/<64-hex id>.<n>.sqlite (+ ...)       its facet number n
 *   <state>/v3/do/<uniqueKey>/metadata.sqlite                      the namespace's alarm index
 *   <state>/v3/kv/..., <state>/v3/r2/...                           the bindings' stores
 *   <state>/v3/do/.durasim/                                        durasim's own files (lock,
 *                                                                  applied migrations, deleted
 *                                                                  namespaces' trash-<uuid>/<uniqueKey>)
 *
 * where `uniqueKey` is `<script name>-<class name>`. This module is the only code that turns
 * names into paths. Invariant: every path it returns lies inside the directory it was given,
 * whatever the names: an id must be 64 hex digits, and a name that could escape, collide with
 * a special file or fail on some file system (`..`, separators, NUL and other control
 * characters, Windows' reserved names, a leading dot, a trailing dot or space, more than 200
 * bytes) is replaced by a readable, collision-resistant encoding. Ordinary names (every name
 * wrangler accepts) are used as they are, so the directories match wrangler's.
 */

export type BindingKind = "kv" | "r2";

export interface LayoutDirectories {
  /** Durable Objects' directory (`<state>/v3/do`; Miniflare's `durableObjectsPersist`). */
  durableObjects: string;
  /** Per binding kind, the directory of its stores (default `<durableObjects>/../<kind>`); false: in memory. */
  bindings?: Partial<Record<BindingKind, string | false>>;
}

const OBJECT_ID = /^[0-9a-f]{64}$/;
const OBJECT_FILE = /^([0-9a-f]{64})\.sqlite(?:-wal)?$/;
/** A database's own files: itself, its `-wal` and `-shm`, and writeFileAtomically()'s files for either. */
const DATABASE_FILE = /^(.+?\.sqlite)(?:-wal|-shm)?(?:\.[0-9]+\.(?:tmp|previous))?$/;
const ALARM_INDEX = "metadata.sqlite";
const RETURNED_ALARMS = /^metadata\.sqlite\.returned-[0-9a-f-]+$/;
const MAX_NAME_BYTES = 200;
const TRASH_PREFIX = "trash-";
const UNCOMMITTED_MARKER = ".uncommitted";
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f/\\:*?"<>|]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

export class PersistLayout {
  readonly durableObjectsDirectory: string;
  readonly #bindings: Record<BindingKind, string | false>;

  constructor(directories: LayoutDirectories) {
    this.durableObjectsDirectory = resolve(directories.durableObjects);
    const parent = resolve(this.durableObjectsDirectory, "..");
    const directory = (kind: BindingKind) => {
      const given = directories.bindings?.[kind];
      return given === false ? false : resolve(given ?? join(parent, kind));
    };
    this.#bindings = { kv: directory("kv"), r2: directory("r2") };
  }

  /** wrangler dev's layout under a state directory (`.wrangler/state`, or `persist: "<dir>"`). */
  static inStateDirectory(stateDirectory: string): PersistLayout {
    return new PersistLayout({ durableObjects: join(resolve(stateDirectory), "v3", "do") });
  }

  /** The directory of one Durable Object namespace. */
  namespaceDirectory(uniqueKey: string): string {
    return inside(this.durableObjectsDirectory, safePathComponent(uniqueKey));
  }

  /** One object's database file. */
  objectPath(uniqueKey: string, objectId: string): string {
    return this.#objectFile(uniqueKey, objectId, ".sqlite");
  }

  /** The database of facet number `facet` (1 or more) of an object. */
  facetPath(uniqueKey: string, objectId: string, facet: number): string {
    if (!Number.isInteger(facet) || facet < 1) throw new Error(`durasim internal: ${facet} is not a facet number`);
    return this.#objectFile(uniqueKey, objectId, `.${facet}.sqlite`);
  }

  /** An object's facet index (see FacetIndex). */
  facetIndexPath(uniqueKey: string, objectId: string): string {
    return this.#objectFile(uniqueKey, objectId, ".facets");
  }

  /** `<id><suffix>` in the namespace's directory. */
  #objectFile(uniqueKey: string, objectId: string, suffix: string): string {
    if (!OBJECT_ID.test(objectId)) throw new Error(`durasim internal: ${JSON.stringify(objectId)} is not an object id`);
    return inside(this.namespaceDirectory(uniqueKey), `${objectId}${suffix}`);
  }

  /** The namespace's alarm index, which workerd's alarm scheduler reads (`_cf_ALARM`). */
  alarmIndexPath(uniqueKey: string): string {
    return inside(this.namespaceDirectory(uniqueKey), ALARM_INDEX);
  }

  /** Whether an entry of a namespace's directory is its alarm index's own file (its database). */
  isAlarmIndex(name: string): boolean {
    return name === ALARM_INDEX;
  }

  /**
   * Where, in the namespace directory `directory`, an alarm index put back from the trash
   * waits for its rows to join the namespace's own (`name` unique, made of safe characters).
   * Not a `.sqlite` name: no tool takes it for an object.
   */
  returnedAlarmIndexPath(directory: string, name: string): string {
    return inside(directory, `${ALARM_INDEX}.returned-${name}`);
  }

  /** The alarm indexes put back into a namespace's directory whose rows have not joined its own yet. */
  returnedAlarmIndexPaths(uniqueKey: string): string[] {
    const directory = this.namespaceDirectory(uniqueKey);
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      return [];
    }
    return names.filter((name) => RETURNED_ALARMS.test(name)).map((name) => inside(directory, name));
  }

  /**
   * The database file an entry of a namespace's directory belongs to (`<id>.sqlite` for its
   * `-wal`, say); an entry that is no database's file stands alone: its own name.
   */
  databaseOf(name: string): string {
    return DATABASE_FILE.exec(name)?.[1] ?? name;
  }

  /** Ids of the objects that have storage on disk in a namespace, sorted. */
  objectIds(uniqueKey: string): string[] {
    let names: string[];
    try {
      names = readdirSync(this.namespaceDirectory(uniqueKey));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const ids = new Set<string>();
    for (const name of names) {
      const match = OBJECT_FILE.exec(name);
      if (match !== null) ids.add(match[1]!);
    }
    return [...ids].sort();
  }

  /** durasim's own files (lock, applied migrations): hidden from workerd, next to its data. */
  get durasimDirectory(): string {
    return inside(this.durableObjectsDirectory, ".durasim");
  }

  /** Where a deleted namespace's directory waits to be removed (`name` unique, made of safe characters). */
  trashPath(name: string): string {
    return inside(this.durasimDirectory, `${TRASH_PREFIX}${name}`);
  }

  /** Whether an entry of durasimDirectory is such a directory. */
  isTrash(name: string): boolean {
    return name.startsWith(TRASH_PREFIX);
  }

  /** Where a namespace's directory waits inside the trash directory `trash`, under its own name. */
  detachedNamespacePath(trash: string, uniqueKey: string): string {
    return inside(trash, basename(this.namespaceDirectory(uniqueKey)));
  }

  /** Where an entry of a trash directory (a namespace's directory, under its own name) goes back to. */
  reattachedNamespacePath(entry: string): string {
    return inside(this.durableObjectsDirectory, entry);
  }

  /**
   * The file that says a trash directory's deletion is not committed yet (a leading dot: no
   * namespace's directory can have its name).
   */
  uncommittedMarkerPath(trash: string): string {
    return inside(trash, UNCOMMITTED_MARKER);
  }

  /** Whether an entry of a trash directory is that file. */
  isUncommittedMarker(name: string): boolean {
    return name === UNCOMMITTED_MARKER;
  }

  /** Whether a kind of binding keeps its stores on disk (Miniflare can persist some kinds only). */
  persists(kind: BindingKind): boolean {
    return this.#bindings[kind] !== false;
  }

  /** Where a binding keeps a store: `<kv or r2 directory>/<name>/<more names...>`, names made safe. */
  bindingPath(kind: BindingKind, ...names: string[]): string {
    let path = this.#bindings[kind];
    if (path === false) throw new Error(`durasim internal: ${kind} stores are kept in memory`);
    for (const name of names) path = inside(path, safePathComponent(name));
    return path;
  }
}

/**
 * `name` as one path component: unchanged when it is safe everywhere, otherwise its safe
 * characters (at most 64) followed by `~` and 16 hex digits of its SHA-256, so different
 * names stay different.
 */
export function safePathComponent(name: string): string {
  if (isSafe(name)) return name;
  const readable = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  const digest = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 16);
  return `${readable}~${digest}`;
}

function isSafe(name: string): boolean {
  return (
    name.length > 0 &&
    !FORBIDDEN_CHARACTERS.test(name) &&
    !name.startsWith(".") &&
    !name.startsWith(" ") &&
    !name.endsWith(".") &&
    !name.endsWith(" ") &&
    !WINDOWS_RESERVED.test(name) &&
    name.isWellFormed() &&
    Buffer.byteLength(name, "utf8") <= MAX_NAME_BYTES
  );
}

/** `directory/name`, after checking that it cannot lie outside `directory`. */
function inside(directory: string, name: string): string {
  const path = join(directory, name);
  const rel = relative(directory, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel !== name) {
    throw new Error(`durasim internal: ${JSON.stringify(name)} would leave ${directory}`);
  }
  return path;
}
