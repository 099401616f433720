/**
 * Emulator options: their types, and their resolution into one description of the Workers and
 * the Durable Object namespaces between them. Validation names the option, the value and the
 * fix; what needs the Worker's code (is the class exported?) is checked when it is loaded.
 */
import type { ModuleExports } from "../runtime/worker.js";
import { join, resolve } from "node:path";
import { ConfigError, describeConfigValue as describe, StartupRefusal } from "../util/config-error.js";
import type { PersistOptions } from "./persist-options.js";
import { sortAlchemyBindings } from "./alchemy.js";
import type { DurableObjectNamespaceDeclaration } from "./declarations.js";
import { type Compatibility, resolveCompatibility } from "./compatibility.js";
import { checkExports, checkNotBothLifecycles, type DurableObjectExports } from "./exports.js";
import { checkServiceTargets, type ResolvedServiceBinding, resolveServiceBindings, type ServiceBindingOption } from "./service-bindings.js";
import { planLifecycles } from "./lifecycle.js";
import { checkMigrations, type Migration, type MigrationState, type MigrationStep } from "./migrations.js";
import { type BoundNamespace, type NamespacePlan, resolveNamespaces } from "./namespaces.js";
import { type RatelimitOption, resolveRatelimits, type ResolvedRatelimit } from "./ratelimits.js";
import { type ResolvedStorageBinding, resolveStorageBindings, type StorageBindingsOption } from "./storage-bindings.js";

export interface DurableObjectDesignator {
  className: string;
  /** SQLite-backed (SQL API, storage.kv, transactionSync); left out, the host's migrations (or its own binding) decide. */
  sqlite?: boolean;
  /** The Worker that exports the class, when it is not this one. */
  scriptName?: string;
  /** Never evict this class's objects for idleness or by `maxLiveObjects` (workerd's `preventEviction`). */
  preventEviction?: boolean;
  /** The key IDs and storage derive from, instead of `<host Worker>-<className>` (Miniflare's `unsafeUniqueKey`). */
  uniqueKey?: string;
  /** The environment of `scriptName`; recorded (there is one local copy of each Worker). */
  environment?: string;
}

export type DurableObjectBinding = string | DurableObjectDesignator | DurableObjectNamespaceDeclaration;

export type { Migration } from "./migrations.js";
export { DurableObjectNamespace, type DurableObjectNamespaceDeclaration } from "./declarations.js";
export type { DurableObjectExports } from "./exports.js";

/** One module of a Worker given as a list; the first is the entry point. */
export interface WorkerModule {
  type: "ESModule" | "CommonJS";
  /** Where the module lives: relative imports between the modules resolve from these paths. */
  path: string;
  /** The source; left out, the module is read from `path`. */
  contents?: string;
}

export interface WorkerOptions {
  /** The Worker's script name (default "worker"). */
  name?: string;
  /** The Worker's module exports. */
  module?: ModuleExports;
  /** Path of the Worker's main module, resolved from the current directory. */
  modulePath?: string;
  /** Inline ES module source; it may import from "cloudflare:workers". */
  script?: string;
  /** Several modules with their sources; the first is the entry point. */
  modules?: WorkerModule[];
  /** Recorded and checked as workerd checks them; see the README for the behaviours they select. */
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  durableObjects?: Record<string, DurableObjectBinding>;
  /**
   * Classes with a namespace but no binding (Miniflare's `additionalUnboundDurableObjects`): the
   * Worker reaches each through `ctx.exports.<Class>`, as the classes its migrations declare.
   */
  unboundDurableObjects?: DurableObjectBinding[];
  /** Values placed in env as they are; Alchemy resources (declarations, secrets, JSON) are sorted into their kind. */
  bindings?: Record<string, unknown>;
  /** wrangler's `migrations`: applied in order to stored state, each tag once. */
  migrations?: Migration[];
  /** wrangler's declarative `exports` (mutually exclusive with `migrations`). */
  exports?: DurableObjectExports;
  /** KV namespace bindings: binding names (each its own namespace), or binding name to namespace id. */
  kvNamespaces?: StorageBindingsOption;
  /** R2 bucket bindings: binding names (each its own bucket), or binding name to bucket name. */
  r2Buckets?: StorageBindingsOption;
  /**
   * Rate limiting bindings (Miniflare's `ratelimits`): binding name to `{ namespace_id, simple:
   * { limit, period? } }`; bindings naming one namespace_id share its counters.
   */
  ratelimits?: Record<string, RatelimitOption>;
  /** Service bindings: a Worker's name, { name, entrypoint?, props? }, or a function answering fetch(). */
  serviceBindings?: Record<string, ServiceBindingOption>;
  /**
   * Miniflare's `cache`: true (default): `caches.default` and `caches.open()` keep what the
   * Worker puts, in the emulator's memory. false: they store nothing, as on a workers.dev deployment.
   */
  cache?: boolean;
  /** Miniflare's `cacheWarnUsage`: true warns, once per cache, that cache operations have no effect on a workers.dev deployment (default false). */
  cacheWarnUsage?: boolean;
}


/** The `persist` option resolved: absolute directories and the fsync policy. */
export interface ResolvedPersistence {
  durableObjects: string;
  /** false: that kind of binding keeps its stores in memory. */
  kv: string | false;
  r2: string | false;
  fsync: boolean;
}

export type { PersistOptions } from "./persist-options.js";

export const DEFAULT_PERSIST_PATH = ".durasim";

export interface EmulatorOptions extends WorkerOptions {
  /**
   * false (default): storage lives in memory. true: on disk in `./.durasim`, as wrangler dev
   * lays it out; a string: that state directory (a project's `.wrangler/state` shares state with
   * wrangler dev); or a PersistOptions object.
   */
  persist?: boolean | string | PersistOptions;
  /**
   * "real" (default): time is the machine's, and timers go through the global setTimeout, so
   * test-runner fake timers drive alarms. "manual": virtual time, moved by `advanceTime(ms)`.
   */
  clock?: "real" | "manual";
  /** Milliseconds of the clock's time an object may stay idle before it is evicted (default 10,000; Infinity: never). */
  idleTimeout?: number;
  /** The most live instances at once, across namespaces; least recently used idle objects are evicted first. */
  maxLiveObjects?: number;
  /** More Workers, for classes bound across scripts with `scriptName`. Without a top-level Worker, the first is the entry point. */
  workers?: WorkerOptions[];
}

/** Where a Worker's code comes from: exactly one of these. */
export type ResolvedSource = Pick<WorkerOptions, "module" | "modulePath" | "script" | "modules">;

export interface ResolvedWorker {
  name: string;
  source: ResolvedSource;
  /** Plain values for env. */
  bindings: Record<string, unknown>;
  durableObjects: BoundNamespace[];
  kvNamespaces: ResolvedStorageBinding[];
  r2Buckets: ResolvedStorageBinding[];
  ratelimits: ResolvedRatelimit[];
  serviceBindings: ResolvedServiceBinding[];
  compatibility: Compatibility;
  migrations: Migration[];
  exports: DurableObjectExports;
  cache: ResolvedCacheOptions;
}

/** What a Worker's `caches` do: keep entries or store nothing, and whether their use warns. */
export interface ResolvedCacheOptions {
  enabled: boolean;
  warnUsage: boolean;
}

/** The one description the emulator is built from. */
export interface ResolvedConfig {
  /** The entry-point Worker first. */
  workers: ResolvedWorker[];
  namespaces: NamespacePlan[];
  /** Which migrations every Worker's stored state has had applied, once these options are. */
  migrationState: MigrationState;
  /** What applying them does to stored state (a delete retires its key's objects, data and alarms). */
  migrationSteps: MigrationStep[];
}

const SOURCE_KEYS = ["module", "modulePath", "script", "modules"] as const;
const WORKER_KEYS = [
  "name",
  ...SOURCE_KEYS,
  "compatibilityDate",
  "compatibilityFlags",
  "durableObjects",
  "unboundDurableObjects",
  "bindings",
  "migrations",
  "exports",
  "kvNamespaces",
  "r2Buckets",
  "ratelimits",
  "serviceBindings",
  "cache",
  "cacheWarnUsage",
] as const;
const EMULATOR_KEYS = [...WORKER_KEYS, "persist", "clock", "idleTimeout", "maxLiveObjects", "workers"] as const;
const DESIGNATOR_KEYS = ["className", "sqlite", "scriptName", "preventEviction", "uniqueKey", "environment"] as const;

function fail(message: string, Refusal: typeof ConfigError = ConfigError): never {
  throw new Refusal(`durasim: ${message}`);
}

function checkKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      fail(`unknown option "${key}" in ${where}. Known options: ${known.join(", ")}. Remove it or fix its spelling.`);
    }
  }
}

const PERSIST_KEYS = ["path", "durableObjects", "kv", "r2", "fsync"] as const;

/** The `persist` option as directories (relative ones resolve from the current directory), or undefined for memory. */
export function resolvePersist(persist: EmulatorOptions["persist"]): ResolvedPersistence | undefined {
  if (persist === undefined || persist === false) return undefined;
  const object: PersistOptions =
    persist === true ? {} : typeof persist === "string" ? { path: persist } : typeof persist === "object" && persist !== null ? persist : fail(
      `option "persist" is ${describe(persist)}; use false (memory), true (./${DEFAULT_PERSIST_PATH}), a directory, or { path, durableObjects, kv, r2, fsync }.`,
    );
  checkKeys(object, PERSIST_KEYS, 'option "persist"');
  for (const key of ["path", "durableObjects", "kv", "r2"] as const) {
    const value = object[key];
    const memory = value === false && (key === "kv" || key === "r2");
    if (value !== undefined && !memory && (typeof value !== "string" || value === "")) {
      fail(`option "persist.${key}" is ${describe(value)}; use a directory path${key === "kv" || key === "r2" ? " (or false: in memory)" : ""}.`);
    }
  }
  if (object.fsync !== undefined && typeof object.fsync !== "boolean") {
    fail(`option "persist.fsync" is ${describe(object.fsync)}; use true (the default: commits wait for the disk) or false.`);
  }
  const root = resolve(object.path ?? DEFAULT_PERSIST_PATH, "v3");
  return {
    durableObjects: resolve(object.durableObjects ?? join(root, "do")),
    kv: object.kv === false ? false : resolve(object.kv ?? join(root, "kv")),
    r2: object.r2 === false ? false : resolve(object.r2 ?? join(root, "r2")),
    fsync: object.fsync ?? true,
  };
}

/**
 * Checks the options and resolves them: Workers (the entry point first), their bindings, and
 * the namespaces with their keys and backends once the migrations not yet in `applied` are.
 */
export function resolveOptions(options: EmulatorOptions, applied: MigrationState = {}): ResolvedConfig {
  if (typeof options !== "object" || options === null) fail("new Emulator(options) needs an options object.");
  checkKeys(options, EMULATOR_KEYS, "Emulator options");
  resolvePersist(options.persist);
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
  // Without any Worker option at the top level, the first of `workers` is the entry point.
  const topLevel = Object.keys(main).length > 0 || extra.length === 0 ? [main] : [];
  const workers = [...topLevel, ...extra].map((worker, index) =>
    resolveWorker(worker, topLevel.length > 0 && index === 0 ? "Emulator options" : `workers[${index - topLevel.length}]`),
  );
  const names = new Set<string>();
  for (const worker of workers) {
    if (names.has(worker.name)) fail(`two Workers are named ${describe(worker.name)}. Give each Worker in "workers" a unique "name".`);
    names.add(worker.name);
  }
  for (const worker of workers) {
    for (const binding of worker.durableObjects) {
      if (binding.scriptName !== undefined && !names.has(binding.scriptName)) {
        // workerd refuses to start with a binding to a Worker it does not have.
        fail(
          `${binding.unbound === true ? "" : "durableObjects."}${binding.binding} of Worker ${describe(worker.name)} has scriptName ${describe(binding.scriptName)}, ` +
            `but no Worker has that name (Workers: ${[...names].map(describe).join(", ")}). Add the Worker to "workers" or fix scriptName.`,
          StartupRefusal,
        );
      }
    }
  }
  checkServiceTargets(workers);
  const { state: migrationState, steps: migrationSteps } = planLifecycles(workers, applied);
  const namespaces = resolveNamespaces(
    workers.flatMap((worker) => worker.durableObjects),
    migrationState,
    workers.map((worker) => worker.name),
  );
  return { workers, namespaces, migrationState, migrationSteps };
}

function resolveWorker(worker: WorkerOptions, where: string): ResolvedWorker {
  if (typeof worker !== "object" || worker === null) fail(`${where} must be an object, got ${describe(worker)}.`);
  checkKeys(worker, where === "Emulator options" ? EMULATOR_KEYS : WORKER_KEYS, where);
  const name = worker.name ?? "worker";
  if (typeof name !== "string") fail(`option "name" in ${where} must be a string, got ${describe(name)}.`);
  const source = resolveSource(worker, name);
  const compatibility = resolveCompatibility(worker.compatibilityDate, worker.compatibilityFlags, {
    date: `${where}.compatibilityDate`,
    flags: `${where}.compatibilityFlags`,
  });
  const given = worker.bindings ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    fail(`option "bindings" of Worker ${describe(name)} must be an object of binding name to value, e.g. { API_KEY: "secret" }, got ${describe(given)}.`);
  }
  const sorted = sortAlchemyBindings(given, name);
  const bindings = sorted.bindings ?? {};
  const declared = worker.durableObjects ?? {};
  if (typeof declared !== "object" || declared === null || Array.isArray(declared)) {
    fail(`option "durableObjects" of Worker ${describe(name)} must be an object of binding name to class, e.g. { COUNTER: "Counter" }, got ${describe(declared)}.`);
  }
  const durableObjects = Object.entries({ ...declared, ...sorted.durableObjects }).map(([binding, value]) => resolveBinding(name, binding, value));
  const unbound = worker.unboundDurableObjects ?? [];
  if (!Array.isArray(unbound)) fail(`option "unboundDurableObjects" of Worker ${describe(name)} must be a list of class names or { className, sqlite?, scriptName? }, got ${describe(unbound)}.`);
  unbound.forEach((value, index) => {
    const entry = `unboundDurableObjects[${index}]`;
    durableObjects.push({ ...resolveBinding(name, entry, value, `${entry} of Worker ${describe(name)}`), unbound: true });
  });
  const ownKv = resolveStorageBindings(worker.kvNamespaces, "kvNamespaces", name);
  const ownR2 = resolveStorageBindings(worker.r2Buckets, "r2Buckets", name);
  const ownRatelimits = resolveRatelimits(worker.ratelimits, name);
  const resources = [sorted.durableObjects, sorted.kvNamespaces, sorted.r2Buckets, sorted.ratelimits].flatMap((record) => Object.keys(record ?? {}));
  const serviceBindings = [
    ...resolveServiceBindings(worker.serviceBindings, name),
    ...resolveServiceBindings(sorted.serviceBindings, name),
  ];
  checkUniqueBindings(name, [
    ["durableObjects", Object.keys(declared)],
    ["kvNamespaces", ownKv.map(({ binding }) => binding)],
    ["r2Buckets", ownR2.map(({ binding }) => binding)],
    ["ratelimits", ownRatelimits.map(({ binding }) => binding)],
    ["serviceBindings", serviceBindings.map(({ binding }) => binding)],
    ["bindings", [...Object.keys(bindings), ...resources]],
  ]);
  const kvNamespaces = [...ownKv, ...resolveStorageBindings(sorted.kvNamespaces, "kvNamespaces", name)];
  const r2Buckets = [...ownR2, ...resolveStorageBindings(sorted.r2Buckets, "r2Buckets", name)];
  const ratelimits = [...ownRatelimits, ...resolveRatelimits(sorted.ratelimits, name)];
  const migrations = checkMigrations(worker.migrations, `migrations of Worker ${describe(name)}`);
  const exports = checkExports(worker.exports, `exports of Worker ${describe(name)}`);
  checkNotBothLifecycles(migrations, exports, `Worker ${describe(name)}`);
  const cache = { enabled: flag(worker.cache, "cache", name) ?? true, warnUsage: flag(worker.cacheWarnUsage, "cacheWarnUsage", name) ?? false };
  return { name, source, bindings, durableObjects, kvNamespaces, r2Buckets, ratelimits, serviceBindings, compatibility, migrations, exports, cache };
}

/** An optional true/false option of a Worker. */
function flag(value: unknown, option: string, worker: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") fail(`option "${option}" of Worker ${describe(worker)} must be true or false, got ${describe(value)}.`);
  return value;
}

/** One name, one binding: a name declared in two options (or twice in `bindings`) is refused. */
function checkUniqueBindings(worker: string, lists: ReadonlyArray<readonly [option: string, names: string[]]>): void {
  const declaredIn = new Map<string, string>();
  for (const [option, names] of lists) {
    for (const binding of names) {
      const earlier = declaredIn.get(binding);
      if (earlier !== undefined) fail(`Worker ${describe(worker)} declares ${describe(binding)} both in "${earlier}" and in "${option}". Rename one of them.`);
      declaredIn.set(binding, option);
    }
  }
}

function resolveSource(worker: WorkerOptions, name: string): ResolvedSource {
  const sources = SOURCE_KEYS.filter((key) => worker[key] !== undefined);
  if (sources.length !== 1) {
    fail(
      `Worker ${describe(name)} needs exactly one of "module" (its exports), "modulePath" (a file), "script" (inline source) or "modules" (a list); ` +
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
  if (worker.modules !== undefined) checkModules(worker.modules, name);
  return Object.fromEntries(sources.map((key) => [key, worker[key]])) as ResolvedSource;
}

function checkModules(modules: unknown, worker: string): void {
  const ok =
    Array.isArray(modules) &&
    modules.length > 0 &&
    modules.every(
      (module) =>
        typeof module === "object" &&
        module !== null &&
        (module.type === "ESModule" || module.type === "CommonJS") &&
        typeof module.path === "string" &&
        (module.contents === undefined || typeof module.contents === "string"),
    );
  if (!ok) {
    fail(`option "modules" of Worker ${describe(worker)} must be a non-empty list of { type: "ESModule" | "CommonJS", path, contents? }, got ${describe(modules)}.`);
  }
}

function resolveBinding(worker: string, binding: string, value: DurableObjectBinding, where = `durableObjects.${binding} of Worker ${describe(worker)}`): BoundNamespace {
  if (typeof value === "string") {
    if (value === "") fail(`${where} is an empty class name. Give the exported class's name.`);
    return { worker, binding, className: value };
  }
  if (typeof value !== "object" || value === null) {
    fail(`${where} is ${describe(value)}; use a class name, { className, sqlite?, scriptName? }, or DurableObjectNamespace(id, { className }).`);
  }
  const isDeclaration = (value as DurableObjectNamespaceDeclaration).type === "durable_object_namespace";
  if (!isDeclaration) checkKeys(value, DESIGNATOR_KEYS, where);
  const { className, scriptName, sqlite, preventEviction, uniqueKey } = value as DurableObjectDesignator;
  if (typeof className !== "string" || className === "") fail(`${where} needs "className": the name of the exported class.`);
  if (sqlite !== undefined && typeof sqlite !== "boolean") fail(`${where} has "sqlite": ${describe(sqlite)}; use true or false.`);
  if (scriptName !== undefined && (typeof scriptName !== "string" || scriptName === "")) {
    fail(`${where} has "scriptName": ${describe(scriptName)}; use the name of a Worker in "workers".`);
  }
  if (preventEviction !== undefined && typeof preventEviction !== "boolean") fail(`${where} has "preventEviction": ${describe(preventEviction)}; use true or false.`);
  if (uniqueKey !== undefined && (typeof uniqueKey !== "string" || uniqueKey === "")) fail(`${where} has "uniqueKey": ${describe(uniqueKey)}; use a non-empty string.`);
  const bound: BoundNamespace = { worker, binding, className };
  // A scriptName naming the binding's own Worker is the same as none.
  if (scriptName !== undefined && scriptName !== worker) bound.scriptName = scriptName;
  if (sqlite !== undefined) bound.sqlite = sqlite;
  if (preventEviction !== undefined) bound.preventEviction = preventEviction;
  if (uniqueKey !== undefined) bound.uniqueKey = uniqueKey;
  if (isDeclaration) bound.declaration = (value as DurableObjectNamespaceDeclaration).id;
  return bound;
}
