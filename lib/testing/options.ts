/**
 * The options of durasim's test-runner integrations: Cloudflare's `cloudflareTest(options)`
 * (and the older `test.poolOptions.workers`), plus durasim's own `isolation` and `clock`. They
 * cross from the runner's main process to its workers, so they must be plain data (a function
 * service binding travels as a marker when the integration hosts it); anything else is a
 * ConfigError that names the option.
 */
import { isNodeService } from "../bindings/services/node-service.js";
import { type FunctionService, miniflareFunctionService } from "../config/miniflare-function-service.js";
import { ignoredOption, unemulatedOption } from "../config/miniflare-options.js";
import { ConfigError } from "../util/config-error.js";
import { isCurrentWorker } from "../config/current-worker.js";
import { NO_MINIFLARE_INSTANCE } from "./no-miniflare-instance.js";

export type Isolation = "test" | "file";

/** Keeps a function where the options were written and gives the data that travels in its place. */
export type HostFunction = (service: FunctionService) => unknown;

export interface WorkersTestOptions {
  /** The Worker module run beside the tests (TypeScript is fine: the runner loads it). Default: wrangler's `main`. */
  main?: string;
  /** The wrangler file to read, and the environment (`env.<name>`) to select. */
  wrangler?: { configPath?: string; environment?: string };
  /** Miniflare options laid over the wrangler file's (bindings merge, `workers` adds Workers). */
  miniflare?: Record<string, unknown>;
  /** "test" (default): storage, alarms, instances and KV/R2 data are restored after every test; "file": shared by a file's tests. */
  isolation?: Isolation;
  /** "real" (default; fake timers drive alarms) or "manual" (virtual time). */
  clock?: "real" | "manual";
  /** Vitest: print each test's usage (requests, rows, KV units, commits) in a table after the run. */
  reportUsage?: boolean;
  /** Cloudflare-only: there is nothing remote here. Accepted and ignored. */
  remoteBindings?: boolean;
  /** Cloudflare-only: workerd's logging. Accepted and ignored. */
  verbose?: boolean;
  /** Cloudflare-only: `ctx.exports` here are read from the module itself. Accepted and ignored. */
  additionalExports?: Record<string, string>;
}

/** The options of the older API (`defineWorkersConfig`, `test.poolOptions.workers`). */
export interface LegacyWorkersTestOptions extends Omit<WorkersTestOptions, "isolation"> {
  /** Per-test storage isolation (default true): isolation "test", or "file" when false. */
  isolatedStorage?: boolean;
  /** Cloudflare-only: durasim reuses its workers across files anyway. Accepted and ignored. */
  singleWorker?: boolean;
  isolation?: Isolation;
}

/** Options as they travel to the test workers: checked, with the project root. */
export interface ResolvedTestOptions {
  root: string;
  main?: string;
  wrangler?: { configPath?: string; environment?: string };
  miniflare?: Record<string, unknown>;
  isolation: Isolation;
  clock: "real" | "manual";
  /** Each test's usage goes to the reporter (task meta `durasimUsage`). */
  reportUsage: boolean;
  /** The Vitest plugin applies the wrangler file's `define` (the runner's globals) and `alias` (Vite's). */
  bundled?: true;
  /**
   * The wrangler file's warnings were printed for this run (by the Vitest plugin, reading it in
   * the main process): the test workers that read it again stay quiet, as wrangler prints once.
   */
  warned?: true;
  /** The runner applies the module rules (Text, Data, CompiledWasm): Vite under the Vitest plugin, the preset's transform under Jest. */
  moduleRules?: true;
  /** Miniflare's `outboundService` of the main Worker: a hosted function's marker, or a Worker's name. */
  outboundService?: unknown;
  /** The `outboundService` of auxiliary Workers (as above), by Worker name. */
  workerOutboundServices?: Record<string, unknown>;
  /** The wrangler file's `define`, for the runner to set as globals before each test file. */
  defines?: Record<string, string>;
}

const KNOWN = ["main", "wrangler", "miniflare", "isolation", "clock", "reportUsage", "remoteBindings", "verbose", "additionalExports"];
const LEGACY_ONLY = ["isolatedStorage", "singleWorker"];

function fail(where: string, message: string): never {
  throw new ConfigError(`durasim: ${where}: ${message}`);
}

/** Refuses a key that is no option of the API (`legacy`: the older one), naming the known ones. */
export function refuseUnknownOptions(given: object, where: string, legacy = false): void {
  const known = legacy ? [...KNOWN, ...LEGACY_ONLY] : KNOWN;
  for (const key of Object.keys(given)) {
    if (key === "experimental") fail(where, '"experimental" (cloudflare.config.ts) is not supported; configure the Worker with "wrangler" or "miniflare".');
    if (!known.includes(key)) fail(where, `unknown option "${key}". Known options: ${known.join(", ")}.`);
  }
}

/**
 * Checks `options` and resolves them for the workers. Isolation is per test by default, in every
 * API; the older API's `isolatedStorage: false` asks for "file" as `isolation: "file"` does.
 */
export function resolveTestOptions(
  options: unknown,
  root: string,
  where: string,
  { legacy = false, hostFunction }: { legacy?: boolean; hostFunction?: HostFunction } = {},
): ResolvedTestOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    fail(where, `the options must be an object, got ${typeof options === "object" ? JSON.stringify(options) : typeof options}.`);
  }
  const given = options as LegacyWorkersTestOptions & Record<string, unknown>;
  refuseUnknownOptions(given, where, legacy);
  const resolved: ResolvedTestOptions = {
    root,
    isolation: isolationOf(given, where, legacy),
    clock: given.clock ?? "real",
    reportUsage: given.reportUsage ?? false,
  };
  if (typeof resolved.reportUsage !== "boolean") fail(where, `"reportUsage" must be true or false, got ${JSON.stringify(given.reportUsage)}.`);
  if (resolved.clock !== "real" && resolved.clock !== "manual") fail(where, `"clock" must be "real" or "manual", got ${JSON.stringify(given.clock)}.`);
  if (given.main !== undefined) {
    if (typeof given.main !== "string" || given.main === "") fail(where, '"main" must be the path of the Worker\'s module.');
    resolved.main = given.main;
  }
  if (given.wrangler !== undefined) {
    if (typeof given.wrangler !== "object" || given.wrangler === null || Array.isArray(given.wrangler)) {
      const got = JSON.stringify(given.wrangler);
      fail(where, `"wrangler" must be an object { configPath, environment }, got ${got}${typeof given.wrangler === "string" ? `: write wrangler: { configPath: ${got} }` : ""}.`);
    }
    const { configPath, environment, ...rest } = given.wrangler as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) fail(where, `unknown option "wrangler.${extra[0]}". Known: wrangler.configPath, wrangler.environment.`);
    if (configPath !== undefined && typeof configPath !== "string") fail(where, '"wrangler.configPath" must be a path.');
    if (environment !== undefined && typeof environment !== "string") fail(where, '"wrangler.environment" must be a string.');
    resolved.wrangler = { configPath: configPath as string | undefined, environment: environment as string | undefined };
  }
  if (given.miniflare !== undefined) {
    if (typeof given.miniflare !== "object" || given.miniflare === null) fail(where, '"miniflare" must be an object of Miniflare options.');
    // Where functions are hosted (the Vitest plugin), the runner routes the tests' and the main
    // Worker's fetch() to the outbound service; elsewhere the translator refuses it, naming it.
    const { outboundService, ...miniflare } = given.miniflare as Record<string, unknown>;
    const routed = hostFunction !== undefined && outboundService !== undefined;
    if (routed) resolved.outboundService = outboundServiceOf(outboundService, "miniflare.outboundService", hostFunction, where);
    if (hostFunction !== undefined && Array.isArray(miniflare.workers)) {
      const { workers, services } = auxiliaryOutboundServices(miniflare.workers, hostFunction, where);
      miniflare.workers = workers;
      if (Object.keys(services).length > 0) resolved.workerOutboundServices = services;
    }
    resolved.miniflare = crossable(hostFunction !== undefined ? miniflare : given.miniflare, "miniflare", where, hostFunction) as Record<string, unknown>;
  }
  return resolved;
}

/**
 * Takes each auxiliary Worker's `outboundService` out of its options (the runner routes that
 * Worker's fetch() to it): the Workers without it, and the services by Worker name.
 */
function auxiliaryOutboundServices(workers: unknown[], host: HostFunction, where: string): { workers: unknown[]; services: Record<string, unknown> } {
  const services: Record<string, unknown> = {};
  const stripped = workers.map((worker, index) => {
    if (typeof worker !== "object" || worker === null || !("outboundService" in worker)) return worker;
    const { outboundService, ...rest } = worker as Record<string, unknown>;
    if (outboundService === undefined) return rest;
    const path = `miniflare.workers.${index}.outboundService`;
    if (typeof rest.name !== "string" || rest.name === "") fail(where, `"${path}" belongs to a Worker without a name: give "miniflare.workers.${index}.name".`);
    services[rest.name] = outboundServiceOf(outboundService, path, host, where);
    return rest;
  });
  return { workers: stripped, services };
}

/** A Worker's outbound service (at `path`): a function (hosted: its marker) or the name of a Worker of the emulator. */
function outboundServiceOf(value: unknown, path: string, host: HostFunction, where: string): unknown {
  if (typeof value === "function") return host(value as FunctionService);
  if (typeof value === "string") return value;
  if (isCurrentWorker(value)) {
    fail(where, `"${path}" is kCurrentWorker: the Worker's fetch() would call itself. Give a function or another Worker's name.`);
  }
  fail(where, `"${path}" must be a function or the name of a Worker in miniflare.workers, got ${JSON.stringify(value) ?? String(value)}.`);
}

function isolationOf(given: LegacyWorkersTestOptions, where: string, legacy: boolean): Isolation {
  if (given.isolation !== undefined) {
    if (given.isolation !== "test" && given.isolation !== "file") {
      fail(where, `"isolation" must be "test" or "file", got ${JSON.stringify(given.isolation)}.`);
    }
    return given.isolation;
  }
  if (!legacy) return "test";
  if (given.isolatedStorage !== undefined && typeof given.isolatedStorage !== "boolean") fail(where, '"isolatedStorage" must be true or false.');
  return given.isolatedStorage === false ? "file" : "test";
}

/**
 * Options cross to the runner's workers by structured clone, which a function cannot. A service
 * binding written as a function stays in the main process when the integration can host it
 * (`host` gives the marker that travels in its place: the Vitest plugin, host-functions.ts); a
 * function given to an option durasim ignores (Miniflare's log and runtime hooks) is dropped with
 * the option. Any other function is named: one given to an option durasim refuses
 * (`outboundService`, `fetchMock`) gets that refusal, which says what to do instead.
 */
/** Where a service binding's value sits in the options (the main Worker's or an auxiliary one's). */
const SERVICE_BINDING = /^miniflare(?:\.workers\.\d+)?\.serviceBindings\.[^.]+$/;

function crossable(value: unknown, path: string, where: string, host: HostFunction | undefined): unknown {
  if (typeof value === "function") {
    if (host !== undefined && SERVICE_BINDING.test(path)) return host(value as FunctionService);
    const option = /^miniflare(?:\.workers\.\d+)?\.([^.]+)$/.exec(path)?.[1];
    const instead = option === undefined ? undefined : unemulatedOption(option);
    if (instead !== undefined) fail(where, `"${path}" is a Miniflare option durasim does not emulate: ${instead}.`);
    fail(
      where,
      `"${path}" is a function. The options are sent to the test runner's worker processes and must be plain data` +
        (host === undefined ? "; write the function as a Worker instead (a service binding to a Worker in miniflare.workers)." : " (only a service binding may be a function here)."),
    );
  }
  if (typeof value !== "object" || value === null) return value;
  // A service written for Node stays where it was made too, called through Node's request and response.
  if (host !== undefined && SERVICE_BINDING.test(path) && isNodeService(value)) return host(miniflareFunctionService(value, NO_MINIFLARE_INSTANCE));
  // Bytes (a module's contents) cross as they are; other objects as their own properties, as structured clone takes them.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
  for (const [key, inner] of Object.entries(value)) {
    const option = /^miniflare(?:\.workers\.\d+)?$/.test(path) ? key : undefined;
    if (option !== undefined && typeof inner === "function" && ignoredOption(option)) continue;
    copy[key] = crossable(inner, `${path}.${key}`, where, host);
  }
  return copy;
}
