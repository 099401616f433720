/**
 * Emulator options: their types, and validation that names the option, the value and the fix.
 * Validation that needs the Worker's code (is the class exported?) happens when it is loaded.
 */
import { ConfigError } from "../util/config-error.js";
import { type ResolvedStorageBinding, resolveStorageBindings, type StorageBindingsOption } from "./storage-bindings.js";

/** A stable namespace declaration in the shape of Alchemy's `DurableObjectNamespace(id, props)`. */
export interface DurableObjectNamespaceDeclaration {
  readonly type: "durable_object_namespace";
  /** Stable identifier: storage and IDs are keyed by it, so renaming the class keeps the data. */
  readonly id: string;
  readonly className: string;
  readonly scriptName?: string;
  readonly sqlite?: boolean;
  readonly environment?: string;
}

export interface DurableObjectDesignator {
  className: string;
  /** SQLite-backed (SQL API, storage.kv, transactionSync); default false unless migrations say so. */
  sqlite?: boolean;
  /** The Worker that exports the class, when it is not this one. */
  scriptName?: string;
  /** Never evict this class's objects for idleness or by `maxLiveObjects` (workerd's `preventEviction`). */
  preventEviction?: boolean;
}

export type DurableObjectBinding = string | DurableObjectDesignator | DurableObjectNamespaceDeclaration;

export interface Migration {
  tag?: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: Array<{ from: string; to: string }>;
  deleted_classes?: string[];
}

export interface WorkerOptions {
  /** The Worker's script name (default "worker"). */
  name?: string;
  /** The Worker's module exports. */
  module?: Record<string, unknown>;
  /** Path of the Worker's main module, resolved from the current directory. */
  modulePath?: string;
  /** Inline ES module source; it may import from "cloudflare:workers". */
  script?: string;
  durableObjects?: Record<string, DurableObjectBinding>;
  /** Plain values placed in env as they are. */
  bindings?: Record<string, unknown>;
  migrations?: Migration[];
  /** KV namespace bindings: binding names (each its own namespace), or binding name to namespace id. */
  kvNamespaces?: StorageBindingsOption;
  /** R2 bucket bindings: binding names (each its own bucket), or binding name to bucket name. */
  r2Buckets?: StorageBindingsOption;
}

export interface EmulatorOptions extends WorkerOptions {
  /** false (default): storage lives in memory. */
  persist?: false;
  /**
   * "real" (default): time is the machine's, and timers go through the global setTimeout, so
   * test-runner fake timers drive alarms. "manual": virtual time, moved by `advanceTime(ms)`.
   */
  clock?: "real" | "manual";
  /** Milliseconds of the clock's time an object may stay idle before it is evicted (default 10,000; Infinity: never). */
  idleTimeout?: number;
  /** The most live instances at once, across namespaces; least recently used idle objects are evicted first. */
  maxLiveObjects?: number;
  /** More Workers, for classes bound across scripts with `scriptName`. */
  workers?: WorkerOptions[];
}

const WORKER_KEYS = ["name", "module", "modulePath", "script", "durableObjects", "bindings", "migrations", "kvNamespaces", "r2Buckets"] as const;
const EMULATOR_KEYS = [...WORKER_KEYS, "persist", "clock", "idleTimeout", "maxLiveObjects", "workers"] as const;
const DESIGNATOR_KEYS = ["className", "sqlite", "scriptName", "preventEviction"] as const;

function fail(message: string): never {
  throw new ConfigError(`durasim: ${message}`);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function checkKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      fail(`unknown option "${key}" in ${where}. Known options: ${known.join(", ")}. Remove it or fix its spelling.`);
    }
  }
}

/** A binding's resolved shape. */
export interface ResolvedBinding {
  binding: string;
  className: string;
  scriptName: string;
  sqlite: boolean | undefined;
  /** Stable identifier of an Alchemy-style declaration. */
  stableId: string | undefined;
  preventEviction: boolean;
}

export interface ResolvedWorker {
  name: string;
  options: WorkerOptions;
  durableObjects: ResolvedBinding[];
  kvNamespaces: ResolvedStorageBinding[];
  r2Buckets: ResolvedStorageBinding[];
}

export function resolveOptions(options: EmulatorOptions): ResolvedWorker[] {
  if (typeof options !== "object" || options === null) fail("new Emulator(options) needs an options object.");
  checkKeys(options, EMULATOR_KEYS, "Emulator options");
  if (options.persist !== undefined && options.persist !== false) {
    fail(`option "persist" is ${describe(options.persist)}, but only false (in-memory storage) is supported. Remove the option.`);
  }
  if (options.clock !== undefined && options.clock !== "real" && options.clock !== "manual") {
    fail(`option "clock" is ${describe(options.clock)}; use "real" (the default) or "manual".`);
  }
  const { idleTimeout, maxLiveObjects } = options;
  if (idleTimeout !== undefined && !(typeof idleTimeout === "number" && idleTimeout > 0)) {
    fail(`option "idleTimeout" is ${describe(idleTimeout)}; use a number of milliseconds above 0, or Infinity to never evict idle objects.`);
  }
  if (maxLiveObjects !== undefined && !(Number.isInteger(maxLiveObjects) && maxLiveObjects > 0)) {
    fail(`option "maxLiveObjects" is ${describe(maxLiveObjects)}; use a whole number above 0, or remove it for no cap.`);
  }
  const extra = options.workers ?? [];
  if (!Array.isArray(extra)) fail(`option "workers" must be an array of Worker options, got ${describe(extra)}.`);
  const { workers: _workers, persist: _persist, clock: _clock, idleTimeout: _idle, maxLiveObjects: _max, ...main } = options;
  const all = [main, ...extra].map((worker, index) => resolveWorker(worker, index === 0 ? "Emulator options" : `workers[${index - 1}]`));
  const names = new Set<string>();
  for (const worker of all) {
    if (names.has(worker.name)) fail(`two Workers are named ${describe(worker.name)}. Give each Worker in "workers" a unique "name".`);
    names.add(worker.name);
  }
  for (const worker of all) {
    for (const binding of worker.durableObjects) {
      if (!names.has(binding.scriptName)) {
        fail(
          `durableObjects.${binding.binding} of Worker ${describe(worker.name)} has scriptName ${describe(binding.scriptName)}, ` +
            `but no Worker has that name (Workers: ${[...names].map(describe).join(", ")}). Add the Worker to "workers" or fix scriptName.`,
        );
      }
    }
  }
  return all;
}

function resolveWorker(worker: WorkerOptions, where: string): ResolvedWorker {
  if (typeof worker !== "object" || worker === null) fail(`${where} must be an object, got ${describe(worker)}.`);
  checkKeys(worker, where === "Emulator options" ? EMULATOR_KEYS : WORKER_KEYS, where);
  const name = worker.name ?? "worker";
  if (typeof name !== "string" || name === "") fail(`option "name" in ${where} must be a non-empty string, got ${describe(name)}.`);
  const sources = (["module", "modulePath", "script"] as const).filter((key) => worker[key] !== undefined);
  if (sources.length !== 1) {
    fail(
      `Worker ${describe(name)} needs exactly one of "module" (its exports), "modulePath" (a file) or "script" (inline source); ` +
        (sources.length === 0 ? "none was given." : `got ${sources.join(" and ")}.`),
    );
  }
  if (worker.module !== undefined && (typeof worker.module !== "object" || worker.module === null)) {
    fail(`option "module" of Worker ${describe(name)} must be the module's exports object (e.g. await import("./src/index.js")), got ${describe(worker.module)}.`);
  }
  for (const key of ["modulePath", "script"] as const) {
    if (worker[key] !== undefined && typeof worker[key] !== "string") {
      fail(`option "${key}" of Worker ${describe(name)} must be a string, got ${describe(worker[key])}.`);
    }
  }
  const bindings = worker.bindings ?? {};
  if (typeof bindings !== "object" || bindings === null) fail(`option "bindings" of Worker ${describe(name)} must be an object.`);
  const declared = worker.durableObjects ?? {};
  if (typeof declared !== "object" || declared === null) fail(`option "durableObjects" of Worker ${describe(name)} must be an object of bindings.`);
  const durableObjects = Object.entries(declared).map(([binding, value]) => resolveBinding(name, binding, value));
  const kvNamespaces = resolveStorageBindings(worker.kvNamespaces, "kvNamespaces", name);
  const r2Buckets = resolveStorageBindings(worker.r2Buckets, "r2Buckets", name);
  const declaredIn = new Map<string, string>();
  const names = (list: ReadonlyArray<{ binding: string }>) => list.map(({ binding }) => binding);
  const lists = [["durableObjects", names(durableObjects)], ["kvNamespaces", names(kvNamespaces)], ["r2Buckets", names(r2Buckets)], ["bindings", Object.keys(bindings)]] as const;
  for (const [option, list] of lists) {
    for (const binding of list) {
      const earlier = declaredIn.get(binding);
      if (earlier !== undefined) {
        fail(`Worker ${describe(name)} declares ${describe(binding)} both in "${earlier}" and in "${option}". Rename one of them.`);
      }
      declaredIn.set(binding, option);
    }
  }
  return { name, options: worker, durableObjects, kvNamespaces, r2Buckets };
}

function resolveBinding(worker: string, binding: string, value: DurableObjectBinding): ResolvedBinding {
  const where = `durableObjects.${binding} of Worker ${describe(worker)}`;
  if (typeof value === "string") {
    if (value === "") fail(`${where} is an empty class name. Give the exported class's name.`);
    return { binding, className: value, scriptName: worker, sqlite: undefined, stableId: undefined, preventEviction: false };
  }
  if (typeof value !== "object" || value === null) {
    fail(`${where} is ${describe(value)}; use a class name, { className, sqlite?, scriptName? }, or DurableObjectNamespace(id, { className }).`);
  }
  const isDeclaration = (value as DurableObjectNamespaceDeclaration).type === "durable_object_namespace";
  if (!isDeclaration) checkKeys(value, DESIGNATOR_KEYS, where);
  const { className, scriptName, sqlite, preventEviction = false } = value as DurableObjectDesignator;
  if (typeof className !== "string" || className === "") fail(`${where} needs "className": the name of the exported class.`);
  if (sqlite !== undefined && typeof sqlite !== "boolean") fail(`${where} has "sqlite": ${describe(sqlite)}; use true or false.`);
  if (scriptName !== undefined && (typeof scriptName !== "string" || scriptName === "")) {
    fail(`${where} has "scriptName": ${describe(scriptName)}; use the name of a Worker in "workers".`);
  }
  if (typeof preventEviction !== "boolean") fail(`${where} has "preventEviction": ${describe(preventEviction)}; use true or false.`);
  return {
    binding,
    className,
    scriptName: scriptName ?? worker,
    sqlite,
    stableId: isDeclaration ? (value as DurableObjectNamespaceDeclaration).id : undefined,
    preventEviction,
  };
}

/** Alchemy-style namespace declaration: a stable id that survives class renames. */
export function DurableObjectNamespace(
  id: string,
  props: { className: string; scriptName?: string; sqlite?: boolean; environment?: string },
): DurableObjectNamespaceDeclaration {
  if (typeof id !== "string" || id === "") fail(`DurableObjectNamespace(id, props) needs a non-empty string id, got ${describe(id)}.`);
  return { type: "durable_object_namespace", id, ...props };
}

/** Whether migrations declare the class SQLite-backed (`new_sqlite_classes`). */
export function sqliteByMigrations(migrations: Migration[] | undefined, className: string): boolean {
  return (migrations ?? []).some((migration) => migration.new_sqlite_classes?.includes(className) ?? false);
}
