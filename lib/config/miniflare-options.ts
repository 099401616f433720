/**
 * Miniflare 4's options translated into Emulator options, for what durasim emulates: Workers
 * (modules format), Durable Objects, vars, KV, R2 and service bindings. An option Miniflare
 * has and durasim does not emulate is refused by name; options that only concern Miniflare's
 * HTTP server, inspector or logging have no meaning in-process and are ignored.
 *
 * Invariants: the first Worker is the entry point (as in Miniflare); an unnamed Worker is
 * named "" as in Miniflare, so Durable Object IDs and storage keys match Miniflare's
 * (`<worker name>-<ClassName>`, or `unsafeUniqueKey`).
 */
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AnalyticsEngineDataset } from "../bindings/analytics-engine.js";
import { localAnalyticsEngineDataset } from "./analytics-engine.js";
import { resolveCompatibility } from "./compatibility.js";
import { ConfigError, describeConfigValue as describe } from "../util/config-error.js";
import { withinDefaults } from "../modules/module-rules.js";
import { isCurrentWorker } from "./current-worker.js";
import { miniflare2Replacement } from "./miniflare2-options.js";
import { isNodeService } from "../bindings/services/node-service.js";
import { type FunctionService, miniflareFunctionService } from "./miniflare-function-service.js";
import type { PersistOptions } from "./persist-options.js";
import type { RatelimitOption } from "./ratelimits.js";
import { localVersionMetadata, type VersionMetadata } from "./version-metadata.js";
import type { WranglerModuleRule } from "./wrangler/rules.js";
import type { TranslatedDesignator, TranslatedModule, TranslatedOptions, TranslatedService, TranslatedWorker } from "./translated.js";

/** Options of one Worker that durasim honours. */
const WORKER_OPTIONS = [
  "name",
  "rootPath",
  "script",
  "scriptPath",
  "modules",
  "modulesRoot",
  "modulesRules",
  "compatibilityDate",
  "compatibilityFlags",
  "bindings",
  "durableObjects",
  "additionalUnboundDurableObjects",
  "kvNamespaces",
  "r2Buckets",
  "ratelimits",
  "serviceBindings",
  "cache",
  "cacheWarnUsage",
  "textBlobBindings",
  "dataBlobBindings",
  "wasmBindings",
  "versionMetadata",
  "analyticsEngineDatasets",
  "unsafeEphemeralDurableObjects",
];
/**
 * Per-Worker options with no meaning in-process: an inspector proxy, sockets exposing
 * entrypoints over HTTP, a container engine for containers durasim refuses anyway, and how a
 * queue's batches reach the Worker (`queueConsumers`: it binds nothing, and durasim delivers no
 * batches by itself, as wrangler's `queues.consumers` is ignored; `SELF.queue()` still works).
 */
const IGNORED_WORKER_OPTIONS = ["unsafeInspectorProxy", "unsafeDirectSockets", "containerEngine", "stripCfConnectingIp", "hasAssetsAndIsVitest", "queueConsumers"];
/** Options shared by all Workers that durasim honours. */
const SHARED_OPTIONS = ["rootPath", "defaultPersistRoot", "durableObjectsPersist", "kvPersist", "r2Persist", "workers"];
/**
 * Shared options `new Miniflare()` reads itself (lib/miniflare.ts: the request.cf it gives, and
 * whether unsafeGetDurableObjectStorage() may inspect objects), not in an overlay.
 */
const FRONT_DOOR_OPTIONS = ["cf", "unsafeInspectDurableObjects"];
/**
 * Shared options with no meaning in-process (Miniflare's server, inspector, logs, dev registry
 * and workerd process), and the persistence of services durasim does not emulate.
 */
const IGNORED_SHARED_OPTIONS = [
  "host",
  "port",
  "https",
  "httpsKey",
  "httpsKeyPath",
  "httpsCert",
  "httpsCertPath",
  "httpsPfx",
  "httpsPfxPath",
  "httpsPassphrase",
  "inspectorPort",
  "inspectorHost",
  "verbose",
  "log",
  "logRequests",
  "handleRuntimeStdio",
  "handleStructuredLogs",
  "structuredWorkerdLogs",
  "stripDisablePrettyError",
  "liveReload",
  "telemetry",
  "publicUrl",
  "defaultProjectTmpPath",
  "unsafeHandleRuntimeRestart",
  "unsafeRuntimeEnv",
  "unsafeProxySharedSecret",
  "unsafeDevRegistryPath",
  "unsafeHandleDevRegistryUpdate",
  "unsafeDevRegistryDurableObjectProxy",
  "unsafeLocalExplorer",
  "unsafeStickyBlobs",
  "cachePersist",
  "d1Persist",
  "workflowsPersist",
  "secretsStorePersist",
  "analyticsEngineDatasetsPersist",
  "imagesPersist",
  "streamPersist",
  "helloWorldPersist",
];
/** Miniflare 4's bindings of services durasim does not emulate: a test binds a stand-in value instead. */
const UNEMULATED_BINDING_OPTIONS = [
  "d1Databases",
  "queueProducers",
  "hyperdrives",
  "workflows",
  "pipelines",
  "secretsStoreSecrets",
  "email",
  "ai",
  "agentMemory",
  "aiSearchNamespaces",
  "aiSearchInstances",
  "websearch",
  "browserRendering",
  "dispatchNamespaces",
  "images",
  "stream",
  "vectorize",
  "vpcNetworks",
  "vpcServices",
  "mtlsCertificates",
  "helloWorld",
  "flagship",
  "artifacts",
  "workerLoaders",
  "media",
  "wrappedBindings",
  "unsafeBindings",
  "unsafeEvalBinding",
];
/** Other Miniflare 4 options, each with what to do instead; an option in no list is not Miniflare 4's. */
const UNEMULATED_OPTIONS: Record<string, string> = {
  container: "durasim does not run containers. Remove it",
  remoteProxyConnectionString: "durasim emulates bindings locally. Remove it to test against local data",
  routes: "durasim has no router: dispatchFetch always reaches the entry Worker (the first), and getWorker(name) any other",
  zone: "durasim has no router. Remove it",
  outboundService:
    "durasim does not intercept a Worker's outbound fetch() here (the Vitest plugin routes the tests' and the main Worker's to the top-level miniflare.outboundService, and an auxiliary Worker's to its own). Mock globalThis.fetch in the test instead",
  fetchMock: "durasim does not intercept outbound fetch(). Mock globalThis.fetch in the test instead (as Cloudflare's Vitest integration now advises)",
  upstream: "durasim has no HTTP server to proxy from. Remove it",
  cf: "here durasim does not make up request.cf (new Miniflare() does). Pass the cf object in fetch()'s init if the Worker reads it",
  tails: "durasim does not run tail Workers. Remove it",
  streamingTails: "durasim does not run tail Workers. Remove it",
  assets: "durasim does not serve static assets. Bind a stand-in Fetcher in bindings",
  sitePath: "durasim does not serve Workers Sites. Remove it",
  siteInclude: "durasim does not serve Workers Sites. Remove it",
  siteExclude: "durasim does not serve Workers Sites. Remove it",
  handleUncaughtError: "durasim reports a Worker's uncaught exception as a 500 response. Remove it",
  unsafeInspectDurableObjects: "here there is no Miniflare instance to call unsafeGetDurableObjectStorage() on: use runInDurableObject from cloudflare:test",
  unsafeTriggerHandlers: "durasim has no HTTP server for trigger routes. Call the handler through getWorker() instead",
  unsafeObservability: "durasim does not collect workerd's traces. Remove it",
  unsafeModuleFallbackService: "durasim resolves modules through Node. Remove it",
  unsafeUseModuleFallbackService: "durasim resolves modules through Node. Remove it",
  unsafeOverrideFetchWorker: "durasim does not intercept outbound fetch(). Remove it",
};
/** The date Miniflare 4 gives a Worker whose options have none. */
const MINIFLARE_FALLBACK_COMPATIBILITY_DATE = "2000-01-01";
const DESIGNATOR_OPTIONS = ["className", "scriptName", "useSQLite", "unsafeUniqueKey", "unsafePreventEviction"];
/** Module types Node itself can load. Text, Data and WebAssembly modules need a bundler's rules. */
const LOADABLE_MODULE_TYPES = ["ESModule", "CommonJS"];
const BUNDLED_MODULE_TYPES = ["Text", "Data", "CompiledWasm"];

export type MiniflareOptions = Record<string, unknown>;

/** Translates `new Miniflare(options)`'s options (Miniflare 4) into Emulator options. */
export function translateMiniflareOptions(options: MiniflareOptions, { instance }: { instance?: unknown } = {}): TranslatedOptions {
  return translate(options, false, { moduleRules: false, instance });
}

/**
 * Translates Miniflare options laid over another configuration, as the `miniflare` option of
 * Cloudflare's Vitest integration is laid over the wrangler file: the top level adjusts the
 * main Worker (it need not give the code) and `workers` adds auxiliary Workers. Combine the
 * result with `mergeOptions(base, overlay)`. With `moduleRules` (the Vitest plugin, where Vite loads
 * the Worker's imports by the module rules, or the Jest preset, whose transform applies them),
 * `modulesRules` of type Text, Data and CompiledWasm are taken: the runner applies them
 * (miniflareModuleRules).
 */
export function translateMiniflareOverlay(options: MiniflareOptions, { moduleRules = false, instance }: TranslateHow = {}): TranslatedOptions {
  return translate(options, true, { moduleRules, instance });
}

/**
 * How options are translated: `moduleRules` as above; `instance` is what a service written as a
 * function receives second (Miniflare passes its own instance).
 */
interface TranslateHow {
  moduleRules?: boolean;
  instance?: unknown;
}

function translate(options: MiniflareOptions, overlay: boolean, how: TranslateHow): TranslatedOptions {
  if (overlay) {
    if (typeof options !== "object" || options === null) fail(`the "miniflare" options must be an object, got ${describe(options)}.`);
    const { workers: extra, ...main } = options;
    const shared = Object.fromEntries(Object.entries(main).filter(([key]) => SHARED_OPTIONS.includes(key)));
    const rootPath = optionalString(shared.rootPath, "rootPath") ?? process.cwd();
    const top = translateWorker(main, "miniflare options", rootPath, true, how);
    if (options.name === undefined) delete top.name;
    const result: TranslatedOptions = { ...top };
    if (extra !== undefined) {
      if (!Array.isArray(extra)) fail(`option "miniflare.workers" must be an array of Worker options, got ${describe(extra)}.`);
      result.workers = extra.map((worker, index) => translateWorker(worker, `miniflare.workers[${index}]`, rootPath, false, how));
    }
    const persist = persistence(shared, rootPath);
    if (persist !== undefined) result.persist = persist;
    return result;
  }
  if (typeof options !== "object" || options === null) fail("new Miniflare(options) needs an options object.");
  const workersOption = options.workers;
  const workers = workersOption === undefined ? [options] : workersOption;
  if (!Array.isArray(workers)) fail(`option "workers" must be a non-empty array of Worker options, got ${describe(workersOption)}.`);
  if (workers.length === 0) fail(`No workers defined: option "workers" is []. Give it at least one Worker's options.`, "ERR_NO_WORKERS");
  const rootPath = optionalString(options.rootPath, "rootPath") ?? process.cwd();
  for (const key of Object.keys(options)) {
    if (SHARED_OPTIONS.includes(key) || IGNORED_SHARED_OPTIONS.includes(key) || FRONT_DOOR_OPTIONS.includes(key)) continue;
    if (workersOption === undefined && (WORKER_OPTIONS.includes(key) || IGNORED_WORKER_OPTIONS.includes(key))) continue;
    if (workersOption !== undefined && WORKER_OPTIONS.includes(key)) {
      fail(`option "${key}" is a Worker option, but "workers" is given: Miniflare would ignore it at the top level. Set it on a Worker in "workers".`);
    }
    refuseOption(key, "Miniflare options");
  }
  const translated = workers.map((worker, index) => translateWorker(worker, workersOption === undefined ? "Miniflare options" : `workers[${index}]`, rootPath, false, how));
  const names = new Set<string>();
  for (const worker of translated) {
    if (names.has(worker.name!)) {
      const message = worker.name === "" ? "Multiple workers defined without a `name`. Give each Worker in \"workers\" a name." : `Multiple workers defined with the same \`name\`: "${worker.name}". Give each Worker its own name.`;
      fail(message, "ERR_DUPLICATE_NAME");
    }
    names.add(worker.name!);
  }
  const [main, ...rest] = translated as [TranslatedWorker, ...TranslatedWorker[]];
  const result: TranslatedOptions = { ...main };
  if (rest.length > 0) result.workers = rest;
  const persist = persistence(options, rootPath);
  if (persist !== undefined) {
    checkNotEphemeral(workers, persist);
    result.persist = persist;
  }
  return result;
}

/**
 * `unsafeEphemeralDurableObjects` keeps one Worker's objects in memory, but durasim persists
 * every Worker's objects or none: a Worker asking for memory beside persisted objects is refused.
 */
function checkNotEphemeral(workers: unknown[], persist: PersistOptions): void {
  if (typeof persist.durableObjects !== "string") return;
  const index = workers.findIndex((worker) => (worker as Record<string, unknown>).unsafeEphemeralDurableObjects === true);
  if (index === -1) return;
  const name = (workers[index] as Record<string, unknown>).name;
  fail(
    `Worker ${JSON.stringify(name ?? "")} sets "unsafeEphemeralDurableObjects" (its Durable Objects in memory) while Durable Objects persist to ${persist.durableObjects}; ` +
      `durasim persists every Worker's objects or none. Remove one of the two.`,
  );
}

/** One Worker's options; `partial` allows leaving the code out (an overlay on a configuration that has it). */
function translateWorker(worker: unknown, where: string, sharedRoot: string, partial: boolean, how: TranslateHow): TranslatedWorker {
  if (typeof worker !== "object" || worker === null) fail(`${where} must be an object of Worker options, got ${describe(worker)}.`);
  const options = worker as Record<string, unknown>;
  const allowed =
    where === "Miniflare options" ? [...SHARED_OPTIONS, ...IGNORED_SHARED_OPTIONS, ...FRONT_DOOR_OPTIONS] : where === "miniflare options" ? [...SHARED_OPTIONS, ...IGNORED_SHARED_OPTIONS] : [];
  for (const key of Object.keys(options)) {
    if (!WORKER_OPTIONS.includes(key) && !IGNORED_WORKER_OPTIONS.includes(key) && !allowed.includes(key)) refuseOption(key, where);
  }
  const rootPath = resolve(sharedRoot, optionalString(options.rootPath, `${where}.rootPath`) ?? ".");
  const givesCode = options.modules !== undefined || options.script !== undefined || options.scriptPath !== undefined;
  const result: TranslatedWorker = { name: optionalString(options.name, `${where}.name`) ?? "", ...(!partial || givesCode ? source(options, where, rootPath) : {}) };
  miniflareModuleRules(options.modulesRules, `${where}.modulesRules`, how.moduleRules);
  // In-memory Durable Object storage for this Worker: what durasim gives every Worker not persisted.
  if (options.unsafeEphemeralDurableObjects !== undefined) boolean(options.unsafeEphemeralDurableObjects, `${where}.unsafeEphemeralDurableObjects`);
  // A Worker Miniflare makes without a date runs on its fallback date, where every dated feature
  // is off; an overlay's main Worker without one keeps the wrangler file's.
  const date = options.compatibilityDate ?? (partial ? undefined : MINIFLARE_FALLBACK_COMPATIBILITY_DATE);
  const compatibility = resolveCompatibility(date, options.compatibilityFlags, {
    date: `${where}.compatibilityDate`,
    flags: `${where}.compatibilityFlags`,
  });
  if (compatibility.date !== undefined) result.compatibilityDate = compatibility.date;
  if (compatibility.flags.length > 0) result.compatibilityFlags = [...compatibility.flags];
  const bindings = { ...record(options.bindings, `${where}.bindings`), ...blobBindings(options, where, rootPath), ...versionMetadataBinding(options, where), ...analyticsEngineBindings(options, where) };
  if (options.bindings !== undefined || Object.keys(bindings).length > 0) result.bindings = bindings;
  const durableObjects = record(options.durableObjects, `${where}.durableObjects`);
  if (durableObjects !== undefined) {
    result.durableObjects = Object.fromEntries(Object.entries(durableObjects).map(([binding, value]) => [binding, designator(value, `${where}.durableObjects.${binding}`)]));
  }
  const unbound = options.additionalUnboundDurableObjects;
  if (unbound !== undefined) {
    if (!Array.isArray(unbound)) fail(`option "${where}.additionalUnboundDurableObjects" must be an array of { className, scriptName?, useSQLite? }, got ${describe(unbound)}.`);
    result.unboundDurableObjects = unbound.map((value, index) => designator(value, `${where}.additionalUnboundDurableObjects[${index}]`));
  }
  const kv = resources(options.kvNamespaces, `${where}.kvNamespaces`);
  if (kv !== undefined) result.kvNamespaces = kv;
  const r2 = resources(options.r2Buckets, `${where}.r2Buckets`);
  if (r2 !== undefined) result.r2Buckets = r2;
  // Checked with the emulator's options, where the wrangler file's land too.
  if (options.ratelimits !== undefined) result.ratelimits = options.ratelimits as Record<string, RatelimitOption>;
  if (options.cache !== undefined) result.cache = boolean(options.cache, `${where}.cache`);
  if (options.cacheWarnUsage !== undefined) result.cacheWarnUsage = boolean(options.cacheWarnUsage, `${where}.cacheWarnUsage`);
  const services = record(options.serviceBindings, `${where}.serviceBindings`);
  if (services !== undefined) {
    result.serviceBindings = Object.fromEntries(
      Object.entries(services).map(([binding, value]) => [binding, service(value, result.name!, `${where}.serviceBindings.${binding}`, how.instance)]),
    );
  }
  return result;
}

/** The Worker's code: an inline module, a module file, or Miniflare's list of modules (the first is the entry point). */
function source(options: Record<string, unknown>, where: string, rootPath: string): Pick<TranslatedWorker, "script" | "modulePath" | "modules"> {
  const { modules, script, scriptPath } = options;
  if (Array.isArray(modules)) {
    if (script !== undefined || scriptPath !== undefined) fail(`${where} gives both a "modules" list and "${script !== undefined ? "script" : "scriptPath"}". Give one of them.`);
    return moduleList(modules, where, rootPath);
  }
  if (modules !== true) {
    if (modules !== undefined && modules !== false) fail(`option "${where}.modules" must be true or an array of modules, got ${describe(modules)}.`);
    fail(
      `${where} has no "modules: true": Miniflare would run ${script === undefined && scriptPath === undefined ? "nothing" : "the script as a service worker"}, a format durasim does not run. ` +
        `Write the Worker as an ES module and set modules: true.`,
    );
  }
  if ((script === undefined) === (scriptPath === undefined)) {
    fail(`${where} needs exactly one of "script" (inline module source) or "scriptPath" (the module's file) with modules: true.`);
  }
  if (script !== undefined) return { script: requiredString(script, `${where}.script`) };
  return { modulePath: readFile(scriptPath, `${where}.scriptPath`, rootPath).file };
}

function moduleList(modules: unknown[], where: string, rootPath: string): Pick<TranslatedWorker, "script" | "modulePath" | "modules"> {
  if (modules.length === 0) fail(`"${where}.modules" is empty: the first module is the Worker's entry point.`);
  const list: TranslatedModule[] = modules.map((module, index) => {
    const at = `${where}.modules[${index}]`;
    const entry = module as Record<string, unknown> | null;
    if (typeof entry !== "object" || entry === null) fail(`"${at}" must be { type, path, contents? }, got ${describe(module)}.`);
    const type = requiredString(entry.type, `${at}.type`);
    checkLoadable(type, `${at}.type`);
    const contents = entry.contents;
    // A module without contents is read from its path, as Miniflare reads every module of the list.
    const path = contents === undefined ? readFile(entry.path, `${at}.path`, rootPath).file : resolve(rootPath, requiredString(entry.path, `${at}.path`));
    if (contents === undefined) return { type: type as TranslatedModule["type"], path };
    if (typeof contents === "string") return { type: type as TranslatedModule["type"], path, contents };
    if (contents instanceof Uint8Array) return { type: type as TranslatedModule["type"], path, contents: new TextDecoder().decode(contents) };
    fail(`"${at}.contents" must be a string or a Uint8Array, got ${describe(contents)}.`);
  });
  if (list.every((module) => module.contents === undefined)) return { modulePath: list[0]!.path };
  if (list.length === 1 && list[0]!.type === "ESModule") return { script: list[0]!.contents! };
  return { modules: list };
}

/**
 * Miniflare's `modulesRules` ({ type, include, fallthrough? }) checked, in wrangler's rule shape.
 * Where Node loads the Worker's imports (by its own rules for ES modules and CommonJS, and by
 * wrangler's default rules through durasim's module hooks), ESModule and CommonJS rules change
 * nothing, a rule naming only files the defaults give its type is taken (Miniflare has no
 * such defaults for it to end, so it changes nothing either), and any other cannot be
 * honoured: it is refused. With `applied` (the Vitest plugin's Vite, the
 * Jest preset's transform), Text, Data and CompiledWasm rules apply.
 */
export function miniflareModuleRules(rules: unknown, where: string, applied = false): WranglerModuleRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) fail(`option "${where}" must be an array of { type, include, fallthrough? }, got ${describe(rules)}.`);
  return rules.map((rule: unknown, index) => {
    const at = `${where}[${index}]`;
    const { type, include, fallthrough } = (typeof rule === "object" && rule !== null ? rule : {}) as Record<string, unknown>;
    if (typeof type !== "string") fail(`option "${at}" must be { type, include, fallthrough? }, got ${describe(rule)}.`);
    const globs = Array.isArray(include) && include.every((glob) => typeof glob === "string") ? (include as string[]) : undefined;
    if (![...LOADABLE_MODULE_TYPES, ...BUNDLED_MODULE_TYPES].includes(type)) {
      fail(`"${at}.type" is "${type}": durasim loads ESModule, CommonJS, Text, Data and CompiledWasm modules (Python modules are not emulated).`);
    }
    const defaulted = globs !== undefined && withinDefaults({ type: type as WranglerModuleRule["type"], globs });
    if (!applied && !LOADABLE_MODULE_TYPES.includes(type) && !defaulted) {
      fail(
        `"${at}.type" is "${type}": a ${type} module rule only a bundler applies, and here durasim loads the Worker through Node without bundling, so modulesRules cannot be honoured beyond wrangler's defaults (*.txt, *.html and *.sql as text, *.bin as data, *.wasm as WebAssembly), which durasim's module hooks apply. Import such data another way or bundle it.`,
      );
    }
    if (globs === undefined) fail(`option "${at}.include" must be an array of globs, got ${describe(include)}.`);
    if (fallthrough !== undefined) boolean(fallthrough, `${at}.fallthrough`);
    return { type, globs: [...globs], ...(fallthrough === true && { fallthrough }) } as WranglerModuleRule;
  });
}

function checkLoadable(type: string, where: string): void {
  if (!LOADABLE_MODULE_TYPES.includes(type)) {
    fail(`"${where}" is "${type}": durasim loads Workers through Node, which imports only ESModule and CommonJS modules. Import such data another way or bundle it.`);
  }
}

function designator(value: unknown, where: string): string | TranslatedDesignator {
  if (typeof value === "string") {
    if (value === "") fail(`"${where}" is an empty class name.`);
    return value;
  }
  if (typeof value !== "object" || value === null) fail(`"${where}" must be a class name or { className, scriptName?, useSQLite? }, got ${describe(value)}.`);
  const options = value as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!DESIGNATOR_OPTIONS.includes(key)) refuse(key, where);
  }
  const result: TranslatedDesignator = { className: requiredString(options.className, `${where}.className`) };
  const scriptName = optionalString(options.scriptName, `${where}.scriptName`);
  if (scriptName !== undefined) result.scriptName = scriptName;
  if (options.useSQLite !== undefined) result.sqlite = boolean(options.useSQLite, `${where}.useSQLite`);
  if (options.unsafePreventEviction !== undefined) result.preventEviction = boolean(options.unsafePreventEviction, `${where}.unsafePreventEviction`);
  if (options.unsafeUniqueKey !== undefined) {
    if (typeof options.unsafeUniqueKey !== "string") {
      fail(`"${where}.unsafeUniqueKey" is ${describe(options.unsafeUniqueKey)}: ephemeral (in-memory, colo-local) namespaces are not emulated. Use a string key.`);
    }
    result.uniqueKey = options.unsafeUniqueKey;
  }
  return result;
}

/** How each kind of Miniflare's blob bindings reads its file into the value env holds. */
const BLOB_BINDINGS: Record<string, (bytes: Buffer) => unknown> = {
  textBlobBindings: (bytes) => bytes.toString("utf8"),
  dataBlobBindings: (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
};

/**
 * `textBlobBindings` and `dataBlobBindings` ({ NAME: path }, relative to the Worker's rootPath;
 * a data blob may also be given as its bytes, a Uint8Array): each file read once, when the
 * options are, as a string or an ArrayBuffer, as Miniflare binds them. A `wasmBindings` entry is
 * refused, as workerd refuses to start a modules-format Worker with one (an empty record binds nothing).
 */
function blobBindings(options: Record<string, unknown>, where: string, rootPath: string): Record<string, unknown> {
  if (Object.keys(record(options.wasmBindings, `${where}.wasmBindings`) ?? {}).length > 0) {
    fail(
      `option "${where}.wasmBindings": Wasm bindings are not allowed in modules-based scripts (workerd refuses to start the Worker). Import the .wasm file as a module instead (durasim's module hooks compile it).`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [kind, read] of Object.entries(BLOB_BINDINGS)) {
    for (const [binding, path] of Object.entries(record(options[kind], `${where}.${kind}`) ?? {})) {
      if (kind === "dataBlobBindings" && path instanceof Uint8Array) {
        values[binding] = read(Buffer.from(path));
        continue;
      }
      values[binding] = read(readFile(path, `${where}.${kind}.${binding}`, rootPath).bytes);
    }
  }
  return values;
}

/** `versionMetadata` (the binding's name): the binding as Miniflare makes it (version-metadata.ts). */
function versionMetadataBinding(options: Record<string, unknown>, where: string): Record<string, VersionMetadata> {
  const name = optionalString(options.versionMetadata, `${where}.versionMetadata`);
  // Miniflare binds nothing for an empty name.
  return name === undefined || name === "" ? {} : { [name]: localVersionMetadata() };
}

/** `analyticsEngineDatasets` (binding name to `{ dataset }`): datasets as Miniflare binds them (analytics-engine.ts). */
function analyticsEngineBindings(options: Record<string, unknown>, where: string): Record<string, AnalyticsEngineDataset> {
  const datasets = record(options.analyticsEngineDatasets, `${where}.analyticsEngineDatasets`) ?? {};
  return Object.fromEntries(
    Object.entries(datasets).map(([binding, value]) => {
      requiredString(record(value, `${where}.analyticsEngineDatasets.${binding}`)?.dataset, `${where}.analyticsEngineDatasets.${binding}.dataset`);
      return [binding, localAnalyticsEngineDataset()];
    }),
  );
}

/** kvNamespaces and r2Buckets: a list of names (binding = id), or binding to id / { id }. */
function resources(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((name, index) => [requiredString(name, `${where}[${index}]`), name as string]));
  }
  const entries = record(value, where)!;
  return Object.fromEntries(
    Object.entries(entries).map(([binding, target]) => {
      if (typeof target === "string") return [binding, target];
      const options = target as Record<string, unknown> | null;
      if (typeof options === "object" && options !== null && Object.keys(options).every((key) => key === "id")) {
        return [binding, requiredString(options.id, `${where}.${binding}.id`)];
      }
      if (typeof options === "object" && options !== null && "remoteProxyConnectionString" in options) refuse("remoteProxyConnectionString", `${where}.${binding}`);
      fail(`"${where}.${binding}" must be an id or { id }, got ${describe(target)}.`);
    }),
  );
}

function service(value: unknown, self: string, where: string, instance: unknown): TranslatedService {
  if (typeof value === "string") return value;
  if (isCurrentWorker(value)) return self;
  // Called as Miniflare calls it: what it throws reaches the Worker as a 500 response.
  if (typeof value === "function") return miniflareFunctionService(value as FunctionService, instance);
  if (isNodeService(value)) return miniflareFunctionService(value, instance);
  if (typeof value === "object" && value !== null && "name" in value) {
    const options = value as Record<string, unknown>;
    for (const key of Object.keys(options)) {
      if (!["name", "entrypoint", "props"].includes(key)) refuse(key, where);
    }
    const name = isCurrentWorker(options.name) ? self : requiredString(options.name, `${where}.name`);
    const entrypoint = optionalString(options.entrypoint, `${where}.entrypoint`);
    const props = record(options.props, `${where}.props`);
    return { name, ...(entrypoint === undefined ? {} : { entrypoint }), ...(props === undefined ? {} : { props }) };
  }
  const kind = typeof value === "object" && value !== null ? Object.keys(value)[0] : undefined;
  fail(
    `"${where}" ${kind === undefined ? `is ${describe(value)}` : `is a "${kind}" service`}: durasim binds services to Workers of this emulator (a name, ` +
      `{ name, entrypoint?, props? }), to a function handling the request, or to { node: (req, res) => ... }.`,
  );
}

/**
 * durableObjectsPersist, kvPersist, r2Persist (and defaultPersistRoot) as durasim's `persist`,
 * by Miniflare's rules: false or "memory:" keeps that kind in memory; true means
 * `<defaultPersistRoot or .mf>/<do|kv|r2>`; left out, the same under defaultPersistRoot if
 * given, else memory; a path or file: URL is that kind's own directory.
 */
function persistence(options: Record<string, unknown>, rootPath: string): PersistOptions | undefined {
  const defaultRoot = optionalString(options.defaultPersistRoot, "defaultPersistRoot");
  const directory = (key: string, kind: string): string | false => {
    const value = options[key];
    if (value === false || value === "memory:" || (value === undefined && defaultRoot === undefined)) return false;
    if (value === true || value === undefined) return resolve(rootPath, defaultRoot ?? ".mf", kind);
    if (typeof value !== "string" || value === "") fail(`option "${key}" must be true, false, "memory:" or a directory, got ${describe(value)}.`);
    if (value.startsWith("file:")) return fileURLToPath(value);
    // A URL scheme (two letters or more, so a Windows drive letter is a path).
    if (/^[a-z][a-z0-9+.-]+:/i.test(value)) {
      fail(`option "${key}" is ${describe(value)}: Miniflare persists to a directory, a file: URL or "memory:" only.`);
    }
    return resolve(rootPath, value);
  };
  const durableObjects = directory("durableObjectsPersist", "do");
  const kv = directory("kvPersist", "kv");
  const r2 = directory("r2Persist", "r2");
  if (durableObjects === false) {
    const persisted = kv !== false ? "kvPersist" : r2 !== false ? "r2Persist" : undefined;
    if (persisted === undefined) return undefined;
    fail(
      `option "${persisted}" persists to disk while Durable Objects stay in memory; durasim persists KV and R2 only beside ` +
        `Durable Objects. Set "durableObjectsPersist" too (or "defaultPersistRoot" for all three).`,
    );
  }
  return { durableObjects, kv, r2 };
}

/** Whether durasim ignores a Miniflare option (it has no meaning in-process). */
export function ignoredOption(option: string): boolean {
  return IGNORED_SHARED_OPTIONS.includes(option) || IGNORED_WORKER_OPTIONS.includes(option);
}

/** Why durasim refuses a Miniflare option it does not emulate, or undefined for any other name. */
export function unemulatedOption(option: string): string | undefined {
  return Object.hasOwn(UNEMULATED_OPTIONS, option) ? UNEMULATED_OPTIONS[option] : undefined;
}

/** Refuses an option of the options or of a Worker, naming a Miniflare 2 option's replacement. */
function refuseOption(option: string, where: string): never {
  const replacement = miniflare2Replacement(option);
  if (replacement !== undefined) {
    fail(`option "${option}" in ${where} is Miniflare 2's, which Miniflare 3 dropped (Miniflare 4 would ignore it): ${replacement}.`);
  }
  refuse(option, where);
}

function refuse(option: string, where: string): never {
  if (UNEMULATED_BINDING_OPTIONS.includes(option)) {
    fail(`option "${option}" in ${where} declares bindings of a service durasim does not emulate. Remove it and put a stand-in value for each binding in "bindings".`);
  }
  const instead = unemulatedOption(option);
  if (instead !== undefined) fail(`option "${option}" in ${where} is a Miniflare option durasim does not emulate: ${instead}.`);
  fail(`option "${option}" in ${where} is not an option of Miniflare 4 that durasim knows (Miniflare would ignore it). Remove it or fix its spelling.`);
}

function record(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`option "${where}" must be an object, got ${describe(value)}.`);
  return value as Record<string, unknown>;
}

/**
 * The file an option names (resolved from rootPath, as Miniflare resolves it) and its bytes, read
 * when the options are: one that cannot be read is refused naming the option the user wrote
 * (Miniflare's own refusal, a bare ENOENT from `ready`, names neither it nor the fix).
 */
function readFile(given: unknown, where: string, rootPath: string): { file: string; bytes: Buffer } {
  const path = requiredString(given, where);
  const file = resolve(rootPath, path);
  try {
    return { file, bytes: readFileSync(file) };
  } catch (error) {
    const relative = isAbsolute(path) ? "" : " (it is relative to rootPath)";
    fail(`"${where}" names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Fix the path${relative}.`);
  }
}

function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : requiredString(value, where);
}

function requiredString(value: unknown, where: string): string {
  if (typeof value !== "string") fail(`option "${where}" must be a string, got ${describe(value)}.`);
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") fail(`option "${where}" must be true or false, got ${describe(value)}.`);
  return value;
}

/**
 * Bad Miniflare options: a ConfigError that also carries the code of Miniflare's refusal of
 * them, which `durasim/miniflare` raises as Miniflare's own error class (lib/miniflare.ts).
 */
export class MiniflareOptionsError extends ConfigError {
  readonly miniflareCode: MiniflareRefusalCode;

  constructor(message: string, miniflareCode: MiniflareRefusalCode) {
    super(message);
    this.miniflareCode = miniflareCode;
  }
}

/**
 * Miniflare's codes for options it refuses: a failed check (the default), no Workers, two
 * Workers of one name, and bindings of one class that disagree (miniflare-class-settings.ts).
 */
export type MiniflareRefusalCode =
  | "ERR_VALIDATION"
  | "ERR_NO_WORKERS"
  | "ERR_DUPLICATE_NAME"
  | "ERR_DIFFERENT_STORAGE_BACKEND"
  | "ERR_DIFFERENT_UNIQUE_KEYS"
  | "ERR_DIFFERENT_PREVENT_EVICTION";

function fail(message: string, code: MiniflareRefusalCode = "ERR_VALIDATION"): never {
  throw new MiniflareOptionsError(`durasim: ${message}`, code);
}
