/**
 * Alchemy's binding shapes (alchemy v1 `Worker({ bindings })`): one record mixing plain values
 * and resource objects tagged by `type`. This sorts such a record into Emulator options:
 * Durable Object namespaces, KV namespaces, R2 buckets, rate limits and services become
 * their own options; secrets, JSON, version metadata and Analytics Engine datasets (as wrangler dev makes them) and plain values land in
 * env as values. A resource durasim does not
 * emulate is refused by its type.
 */
import { ConfigError } from "../util/config-error.js";
import { setOwn } from "../util/own-property.js";
import type { RatelimitOption } from "./ratelimits.js";
import { localAnalyticsEngineDataset } from "./analytics-engine.js";
import { localVersionMetadata } from "./version-metadata.js";
import type { TranslatedService, TranslatedWorker } from "./translated.js";

/** Alchemy resource types of bindings durasim does not emulate. */
const UNEMULATED_TYPES = [
  "d1",
  "queue",
  "pipeline",
  "vectorize",
  "ai_gateway",
  "hyperdrive",
  "browser",
  "ai",
  "images",
  "dispatch_namespace",
  "secret_key",
  "container",
  "workflow",
  "assets",
  "secrets_store_secret",
];

type Sorted = Pick<TranslatedWorker, "bindings" | "durableObjects" | "kvNamespaces" | "r2Buckets" | "ratelimits" | "serviceBindings">;

/** Whether a binding value is an Alchemy resource (an object tagged with a known binding type). */
export function isAlchemyResource(value: unknown): value is { type: string } & Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return (
    typeof type === "string" &&
    (["durable_object_namespace", "kv_namespace", "r2_bucket", "ratelimit", "secret", "json", "service", "version_metadata", "analytics_engine"].includes(type) || UNEMULATED_TYPES.includes(type))
  );
}

/** Sorts a Worker's `bindings` record holding Alchemy resources into the options each kind belongs to. */
export function sortAlchemyBindings(bindings: Record<string, unknown>, worker: string): Sorted {
  const sorted: Required<Sorted> = { bindings: {}, durableObjects: {}, kvNamespaces: {}, r2Buckets: {}, ratelimits: {}, serviceBindings: {} };
  for (const key of Reflect.ownKeys(bindings)) {
    if (!Object.prototype.propertyIsEnumerable.call(bindings, key)) continue;
    const value = (bindings as Record<PropertyKey, unknown>)[key];
    // Own data properties, so a binding named __proto__ stays a binding.
    if (!isAlchemyResource(value) || typeof key === "symbol") {
      setOwn(sorted.bindings, key, value);
      continue;
    }
    const name = key;
    const where = `bindings.${name} of Worker "${worker}"`;
    switch (value.type) {
      case "durable_object_namespace":
        setOwn(sorted.durableObjects, name, value);
        break;
      case "kv_namespace":
        setOwn(sorted.kvNamespaces, name, localId(value, ["namespaceId", "id"], where));
        break;
      case "r2_bucket":
        setOwn(sorted.r2Buckets, name, localId(value, ["name"], where));
        break;
      case "ratelimit":
        setOwn(sorted.ratelimits, name, ratelimitOf(value));
        break;
      case "secret":
        setOwn(sorted.bindings, name, text(value.unencrypted, `${where}.unencrypted`));
        break;
      case "json":
        setOwn(sorted.bindings, name, value.json);
        break;
      case "service":
        setOwn(sorted.serviceBindings, name, serviceOf(value, where));
        break;
      case "version_metadata":
        setOwn(sorted.bindings, name, localVersionMetadata());
        break;
      case "analytics_engine":
        setOwn(sorted.bindings, name, localAnalyticsEngineDataset());
        break;
      default:
        throw new ConfigError(
          `durasim: ${where} is an Alchemy "${value.type}" binding, which durasim does not emulate. Bind a stand-in value instead (any object you build for the test).`,
        );
    }
  }
  const result: Sorted = {};
  for (const key of Object.keys(sorted) as Array<keyof Sorted>) {
    if (Reflect.ownKeys(sorted[key]).length > 0) (result as Record<string, unknown>)[key] = sorted[key];
  }
  return result;
}

/** The id a resource is stored under locally: Alchemy's `dev.id` when it has one, else its deployed id. */
function localId(resource: Record<string, unknown>, fields: string[], where: string): string {
  const dev = resource.dev as { id?: unknown; remote?: unknown } | undefined;
  if (dev?.remote === true) {
    throw new ConfigError(`durasim: ${where} is a remote binding (dev.remote: true); durasim emulates bindings locally. Drop "remote" to test against local data.`);
  }
  const id = [dev?.id, ...fields.map((field) => resource[field])].find((candidate) => typeof candidate === "string" && candidate !== "");
  if (id === undefined) throw new ConfigError(`durasim: ${where} has no id (expected ${["dev.id", ...fields].join(" or ")}).`);
  return id as string;
}

/** A Worker resource (`{ type: "service", name }`) or a WorkerRef (`{ type: "service", service }`). */
function serviceOf(resource: Record<string, unknown>, where: string): TranslatedService {
  const name = resource.service ?? resource.name;
  const entrypoint = resource.entrypoint;
  if (typeof name !== "string" || name === "") throw new ConfigError(`durasim: ${where} names no Worker (expected "service" or "name").`);
  if (entrypoint !== undefined && typeof entrypoint !== "string") throw new ConfigError(`durasim: ${where}.entrypoint must be a string.`);
  return entrypoint === undefined ? name : { name, entrypoint };
}

/**
 * `RateLimit({ namespace_id, simple })`: Alchemy's namespace_id is a number, which it deploys as
 * its decimal text (the option's string). The option's own checks judge the rest.
 */
function ratelimitOf(resource: Record<string, unknown>): RatelimitOption {
  const id = resource.namespace_id;
  return { namespace_id: (typeof id === "number" ? String(id) : id) as string, simple: resource.simple as RatelimitOption["simple"] };
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string") throw new ConfigError(`durasim: ${where} must be a string, got ${typeof value}.`);
  return value;
}
