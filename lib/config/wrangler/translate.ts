/**
 * Translates a wrangler configuration (one environment selected) into Emulator options.
 * Every key is either honoured, ignored because nothing durasim emulates depends on it, or
 * refused with the key's name and a fix (keys.ts says which is which, and why).
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { localAnalyticsEngineDataset } from "../analytics-engine.js";
import { type Compatibility, resolveCompatibility } from "../compatibility.js";
import { checkExports, checkNotBothLifecycles } from "../exports.js";
import { checkMigrations } from "../migrations.js";
import { ConfigError } from "../../util/config-error.js";
import { setOwn } from "../../util/own-property.js";
import type { TranslatedDesignator, TranslatedOptions, TranslatedService } from "../translated.js";
import { localVersionMetadata } from "../version-metadata.js";
import { environmentWarnings, printEnvironmentWarnings } from "./environment-warnings.js";
import { selectEnvironment } from "./environments.js";
import { HONOURED_KEYS, IGNORED_KEYS, REFUSED_KEYS, UNEMULATED_BINDING_KEYS } from "./keys.js";
import { translateRatelimits, unsafeBeyondRatelimits } from "./ratelimits.js";
import { readLocalSecrets, readWranglerFile, type WranglerFile } from "./read.js";
import { checkModuleRules, type WranglerModuleRule } from "./rules.js";

export interface WranglerConfig {
  /** Emulator options for the Worker the file describes; `main` is not loaded here (see `main`). */
  options: TranslatedOptions;
  /** Absolute path of the Worker's main module, resolved from the config file's directory. */
  main: string | undefined;
  /** The file read. */
  configPath: string;
  environment: string | undefined;
  compatibility: Compatibility;
  /** The file's module `rules`, checked (Text, Data and CompiledWasm ones only where the caller applies them). */
  rules: WranglerModuleRule[];
  /** With `bundler`, the file's `define` and `alias` (alias targets that are paths resolved from its directory). */
  bundling?: { define: Record<string, string>; alias: Record<string, string> };
  /** With `standIns`, the bindings of products durasim does not emulate, each with the key that declares it, for the caller to stand in for. */
  unemulated?: UnemulatedBinding[];
}

/** A binding the file declares of a product durasim does not emulate. */
export interface UnemulatedBinding {
  name: string;
  /** The wrangler key that declares it (`d1_databases`, `queues`, `ai`, ...). */
  key: string;
}

export interface WranglerLoadOptions {
  /** `env.<name>` to select, as `wrangler --env <name>` does. */
  environment?: string;
  /** Values the caller supplies for bindings: they stand in for bindings durasim does not emulate. */
  bindings?: Record<string, unknown>;
  /** The caller bundles the Worker's modules (the Vitest plugin, through Vite): `define`, `alias` and `rules` are its to apply, not refused. */
  bundler?: boolean;
  /** The caller applies the module `rules` without bundling (the Jest preset's transform); default: `bundler`. */
  moduleRules?: boolean;
  /**
   * The caller stands in for bindings durasim does not emulate that `bindings` leaves out (the
   * test runners: a suite runs, and only a test that uses one fails): they are listed in
   * `unemulated` instead of refused.
   */
  standIns?: boolean;
  /**
   * Print wrangler's warnings about the selected environment (default). false where another
   * process printed them for this run already: the Vitest plugin's test workers, whose main
   * process read the file first.
   */
  warn?: boolean;
}

/** Keys a bundler applies, which durasim refuses when nothing bundles the Worker. */
const BUNDLER_KEYS = ["define", "alias"];

/** Reads and translates a wrangler file (or the one in a directory), with its local secrets. */
export function loadWranglerConfig(path: string, options: WranglerLoadOptions = {}): WranglerConfig {
  const file = readWranglerFile(path);
  return translateWrangler(file, { ...options, secrets: readLocalSecrets(file.path, options.environment) });
}

const KNOWN_KEYS: readonly string[] = [...HONOURED_KEYS, ...IGNORED_KEYS, ...UNEMULATED_BINDING_KEYS, ...Object.keys(REFUSED_KEYS), "legacy_env"];

/** Translates an already-read file. `secrets` are the local secrets (.dev.vars or .env), if any. */
export function translateWrangler(
  file: WranglerFile,
  { environment, bindings: supplied = {}, secrets, bundler = false, moduleRules = bundler, standIns = false, warn = true }: WranglerLoadOptions & { secrets?: Record<string, string> },
): WranglerConfig {
  const config = selectEnvironment(file.raw, environment, file.path);
  if (environment !== undefined && warn) printEnvironmentWarnings(file.path, environment, environmentWarnings(file.raw, environment));
  const where = (key: string) => (environment === undefined ? key : `${key} (environment "${environment}")`);
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new ConfigError(`durasim: unknown key "${key}" in ${file.path}. durasim refuses keys it does not know rather than ignore what might change behaviour; remove it or fix its spelling.`);
    }
    const reason = REFUSED_KEYS[key];
    // An `unsafe` table of rate limiting bindings only is what wrangler dev emulates (ratelimits.ts).
    const refused = key === "unsafe" ? unsafeBeyondRatelimits(config[key]) && !isEmpty(config[key]) : !isEmpty(config[key]);
    if (reason !== undefined && refused && !(bundler && BUNDLER_KEYS.includes(key))) {
      throw new ConfigError(`durasim: "${key}" in ${file.path} ${reason}. Remove "${key}" to run the Worker in durasim.`);
    }
  }
  const unemulated = unemulatedBindings(config, supplied);
  if (unemulated.length > 0 && !standIns) refuseUnemulated(unemulated, file.path);

  const name = optionalString(config.name, where("name"));
  const main = optionalString(config.main, where("main"));
  const compatibility = resolveCompatibility(config.compatibility_date, config.compatibility_flags, {
    date: where("compatibility_date"),
    flags: where("compatibility_flags"),
  });
  const migrations = checkMigrations(config.migrations, where("migrations"));
  const exports = checkExports(config.exports, where("exports"));
  checkNotBothLifecycles(migrations, exports, file.path);
  const rules = checkModuleRules(config.rules, where("rules"), file.path, moduleRules);

  const options: TranslatedOptions = {};
  if (name !== undefined) options.name = name;
  if (compatibility.date !== undefined) options.compatibilityDate = compatibility.date;
  if (compatibility.flags.length > 0) options.compatibilityFlags = [...compatibility.flags];
  const durableObjects = translateDurableObjects(config.durable_objects, name, where("durable_objects"));
  if (durableObjects !== undefined) options.durableObjects = durableObjects;
  if (migrations.length > 0) options.migrations = migrations;
  if (Object.keys(exports).length > 0) options.exports = exports;
  const vars = translateVars(config.vars, config.secrets, secrets, supplied, where);
  const versionMetadata = versionMetadataName(config.version_metadata, where("version_metadata"));
  const datasets = Object.keys(translateBindingList(config.analytics_engine_datasets, where("analytics_engine_datasets"), "dataset") ?? {});
  if (Object.keys(vars).length > 0 || versionMetadata !== undefined || datasets.length > 0) options.bindings = vars;
  const kv = translateBindingList(config.kv_namespaces, where("kv_namespaces"), "id");
  if (kv !== undefined) options.kvNamespaces = kv;
  const r2 = translateBindingList(config.r2_buckets, where("r2_buckets"), "bucket_name");
  if (r2 !== undefined) options.r2Buckets = r2;
  const ratelimits = translateRatelimits(config.ratelimits, config.unsafe, where);
  if (ratelimits !== undefined) options.ratelimits = ratelimits;
  const services = translateServices(config.services, where("services"));
  if (services !== undefined) options.serviceBindings = services;
  checkUniqueBindingNames(options, file.path, versionMetadata, datasets);
  if (versionMetadata !== undefined) setOwn(options.bindings!, versionMetadata, localVersionMetadata());
  for (const dataset of datasets) setOwn(options.bindings!, dataset, localAnalyticsEngineDataset());
  const translated: WranglerConfig = {
    options,
    main: main === undefined ? undefined : resolve(dirname(file.path), main),
    configPath: file.path,
    environment,
    compatibility,
    rules,
  };
  if (unemulated.length > 0) translated.unemulated = unemulated;
  if (bundler) {
    const alias = stringRecord(config.alias, where("alias"));
    for (const [name, target] of Object.entries(alias)) if (target.startsWith(".")) alias[name] = resolve(dirname(file.path), target);
    translated.bundling = { define: stringRecord(config.define, where("define")), alias };
  }
  return translated;
}

/** An object of strings (`define`'s code, `alias`'s targets), or nothing. */
function stringRecord(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  const entries = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  const bad = entries?.find(([, item]) => typeof item !== "string");
  if (entries === undefined || bad !== undefined) {
    throw new ConfigError(`durasim: "${where}" must be an object of strings${bad === undefined ? "" : `; "${bad[0]}" is not a string`}.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function translateDurableObjects(value: unknown, workerName: string | undefined, where: string): Record<string, string | TranslatedDesignator> | undefined {
  if (value === undefined) return undefined;
  const list = (value as { bindings?: unknown } | null)?.bindings;
  if (typeof value !== "object" || value === null || !Array.isArray(list)) {
    throw new ConfigError(`durasim: "${where}" must be { "bindings": [{ "name": "MY_DO", "class_name": "MyDurableObject" }] }, got ${JSON.stringify(value)}.`);
  }
  const result: Record<string, string | TranslatedDesignator> = {};
  list.forEach((binding: unknown, index) => {
    const at = `${where}.bindings[${index}]`;
    const entry = binding as Record<string, unknown> | null;
    if (typeof entry !== "object" || entry === null) throw new ConfigError(`durasim: Expected "${at}" to be an object but got ${JSON.stringify(binding)}`);
    for (const key of Object.keys(entry)) {
      if (!["name", "class_name", "script_name", "environment"].includes(key)) {
        throw new ConfigError(`durasim: "${at}" has an unknown field "${key}". Durable Object bindings have name, class_name, script_name and environment.`);
      }
    }
    if (typeof entry.name !== "string" || entry.name === "") throw new ConfigError(`durasim: "${at}": binding should have a string "name" field.`);
    if (typeof entry.class_name !== "string" || entry.class_name === "") throw new ConfigError(`durasim: "${at}": binding should have a string "class_name" field.`);
    const scriptName = optionalString(entry.script_name, `${at}.script_name`);
    const environment = optionalString(entry.environment, `${at}.environment`);
    if (environment !== undefined && scriptName === undefined) {
      throw new ConfigError(`durasim: "${at}": binding should have a "script_name" field if "environment" is present.`);
    }
    // A script_name naming this Worker is the same as none: the class is local.
    const local = scriptName === undefined || scriptName === workerName;
    setOwn(result, entry.name, local ? entry.class_name : { className: entry.class_name, scriptName, ...(environment === undefined ? {} : { environment }) });
  });
  return result;
}

/** vars, then the local secrets over them (as wrangler dev does), filtered by `secrets.required` when it is set. */
function translateVars(
  vars: unknown,
  secretsConfig: unknown,
  localSecrets: Record<string, string> | undefined,
  supplied: Record<string, unknown>,
  where: (key: string) => string,
): Record<string, unknown> {
  if (vars !== undefined && (typeof vars !== "object" || vars === null || Array.isArray(vars))) {
    throw new ConfigError(`durasim: The field "${where("vars")}" should be an object but got ${JSON.stringify(vars)}.`);
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((vars ?? {}) as Record<string, unknown>)) {
    if (value instanceof Date) {
      throw new ConfigError(`durasim: The field "${where("vars")}.${key}" is a TOML date, which is not supported. Please use a string instead, e.g. ${key} = "2025-12-19".`);
    }
    setOwn(result, key, value);
  }
  const required = requiredSecrets(secretsConfig, where("secrets"));
  for (const [key, value] of Object.entries(localSecrets ?? {})) {
    if (required === undefined || required.includes(key)) setOwn(result, key, value);
  }
  for (const secret of required ?? []) {
    if (!Object.hasOwn(result, secret) && !Object.hasOwn(supplied, secret)) {
      throw new ConfigError(
        `durasim: secret "${secret}" is listed in "${where("secrets")}.required" but no .dev.vars or .env file beside the config defines it. ` +
          `Add ${secret}=... to .dev.vars, or pass it in the overrides' bindings.`,
      );
    }
  }
  return result;
}

function requiredSecrets(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const required = (value as { required?: unknown } | null)?.required;
  const keys = typeof value === "object" && value !== null ? Object.keys(value) : [];
  if (keys.some((key) => key !== "required") || (required !== undefined && !(Array.isArray(required) && required.every((s) => typeof s === "string")))) {
    throw new ConfigError(`durasim: "${where}" must be { "required": ["SECRET_NAME", ...] }, got ${JSON.stringify(value)}.`);
  }
  return required as string[] | undefined;
}

/** kv_namespaces and r2_buckets: binding name to the namespace id or bucket name (the binding name when left out, as wrangler dev does). */
function translateBindingList(value: unknown, where: string, idField: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ConfigError(`durasim: The field "${where}" should be an array but got ${JSON.stringify(value)}.`);
  const result: Record<string, string> = {};
  value.forEach((entry: unknown, index) => {
    const record = entry as Record<string, unknown> | null;
    if (typeof record !== "object" || record === null || typeof record.binding !== "string" || record.binding === "") {
      throw new ConfigError(`durasim: "${where}[${index}]" should have a string "binding" field, got ${JSON.stringify(entry)}.`);
    }
    const id = optionalString(record[idField], `${where}[${index}].${idField}`);
    setOwn(result, record.binding, id ?? record.binding);
  });
  return result;
}

function translateServices(value: unknown, where: string): Record<string, TranslatedService> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ConfigError(`durasim: The field "${where}" should be an array but got ${JSON.stringify(value)}.`);
  const result: Record<string, TranslatedService> = {};
  value.forEach((entry: unknown, index) => {
    const at = `${where}[${index}]`;
    const record = entry as Record<string, unknown> | null;
    if (typeof record !== "object" || record === null || typeof record.binding !== "string" || typeof record.service !== "string") {
      throw new ConfigError(`durasim: "${at}" should have string "binding" and "service" fields, got ${JSON.stringify(entry)}.`);
    }
    const entrypoint = optionalString(record.entrypoint, `${at}.entrypoint`);
    const props = record.props;
    if (props !== undefined && (typeof props !== "object" || props === null || Array.isArray(props))) {
      throw new ConfigError(`durasim: "${at}.props" should be an object but got ${JSON.stringify(props)}.`);
    }
    setOwn(
      result,
      record.binding,
      entrypoint === undefined && props === undefined
        ? record.service
        : { name: record.service, ...(entrypoint === undefined ? {} : { entrypoint }), ...(props === undefined ? {} : { props: props as Record<string, unknown> }) },
    );
  });
  return result;
}

/** The bindings of products durasim does not emulate for which the caller supplies no value. */
function unemulatedBindings(config: Record<string, unknown>, supplied: Record<string, unknown>): UnemulatedBinding[] {
  return UNEMULATED_BINDING_KEYS.flatMap((key) => bindingNames(config[key]).filter((name) => !Object.hasOwn(supplied, name)).map((name) => ({ name, key })));
}

/** Without stand-ins from the caller, such bindings are refused, naming those of the first key. */
function refuseUnemulated(unemulated: UnemulatedBinding[], file: string): never {
  const { key } = unemulated[0]!;
  const missing = unemulated.filter((binding) => binding.key === key).map((binding) => binding.name);
  throw new ConfigError(
    `durasim: "${key}" in ${file} declares ${missing.map((name) => `"${name}"`).join(", ")}, a kind of binding durasim does not emulate. ` +
      `Pass a stand-in for ${missing.length === 1 ? "it" : "each"} in the overrides' bindings (e.g. bindings: { ${missing[0]}: fake }), or remove it from the config.`,
  );
}

/** Binding names in any of wrangler's binding shapes: lists of { binding | name }, { binding }, queues' producers. */
function bindingNames(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((entry) => nameOf(entry));
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.producers)) return bindingNames(record.producers);
    if (Array.isArray(record.bindings)) return bindingNames(record.bindings);
    return nameOf(record);
  }
  return [];
}

function nameOf(entry: unknown): string[] {
  const record = entry as Record<string, unknown> | null;
  const name = record?.binding ?? record?.name;
  return typeof name === "string" ? [name] : [];
}

/** `version_metadata`'s binding name (`{ binding }`), or undefined without one. */
function versionMetadataName(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  const binding = (value as { binding?: unknown } | null)?.binding;
  if (typeof value !== "object" || value === null || Array.isArray(value) || typeof binding !== "string") {
    throw new ConfigError(`durasim: The field "${where}" should be an object with a string "binding" field but got ${JSON.stringify(value)}.`);
  }
  // wrangler dev hands the name to Miniflare, which binds nothing for an empty one.
  return binding === "" ? undefined : binding;
}

function checkUniqueBindingNames(options: TranslatedOptions, file: string, versionMetadata: string | undefined, datasets: string[]): void {
  const kinds = new Map<string, string>();
  const add = (names: string[], kind: string) => {
    for (const name of names) {
      const earlier = kinds.get(name);
      if (earlier !== undefined) throw new ConfigError(`durasim: ${file} binds "${name}" twice (${earlier} and ${kind}). Give each binding a unique name.`);
      kinds.set(name, kind);
    }
  };
  add(Object.keys(options.bindings ?? {}), "vars");
  add(Object.keys(options.durableObjects ?? {}), "durable_objects");
  add(Object.keys(options.kvNamespaces ?? {}), "kv_namespaces");
  add(Object.keys(options.r2Buckets ?? {}), "r2_buckets");
  add(Object.keys(options.ratelimits ?? {}), "ratelimits");
  add(Object.keys(options.serviceBindings ?? {}), "services");
  add(versionMetadata === undefined ? [] : [versionMetadata], "version_metadata");
  add(datasets, "analytics_engine_datasets");
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ConfigError(`durasim: Expected "${where}" to be of type string but got ${JSON.stringify(value)}.`);
  return value;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/**
 * The file's `main`, refused when nothing is there, as wrangler refuses it: Node's or Vite's
 * own refusal would name durasim's loader as the importer, not the setting. `otherwise` says
 * what else the caller accepts in its place.
 */
export function existingMain(main: string, configPath: string, otherwise: string): string {
  if (existsSync(main)) return main;
  throw new ConfigError(`durasim: "main" of ${configPath} is ${main}, which does not exist. Fix the path (relative to the wrangler file), or ${otherwise}.`);
}
