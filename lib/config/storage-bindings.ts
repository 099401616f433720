/**
 * The `kvNamespaces` and `r2Buckets` options, in Miniflare's shapes: a list of binding names
 * (each binding's namespace or bucket is named like the binding) or a record from binding
 * name to a namespace id / bucket name (a string or `{ id }`). Bindings that name the same
 * id share its data, across Workers too.
 */
import { ConfigError, describeConfigValue as describe } from "../util/config-error.js";

export type StorageBindingsOption = string[] | Record<string, string | { id: string }>;

/** A binding resolved to the store it names. */
export interface ResolvedStorageBinding {
  binding: string;
  id: string;
}

export function resolveStorageBindings(value: unknown, option: "kvNamespaces" | "r2Buckets", worker: string): ResolvedStorageBinding[] {
  if (value === undefined) return [];
  const where = `option "${option}" of Worker ${JSON.stringify(worker)}`;
  const what = option === "kvNamespaces" ? "namespace id" : "bucket name";
  const fail = (message: string): never => {
    throw new ConfigError(`durasim: ${where} ${message}`);
  };
  if (Array.isArray(value)) {
    return value.map((binding, index) => {
      if (typeof binding !== "string" || binding === "") fail(`has ${JSON.stringify(binding)} at index ${index}; list binding names as non-empty strings.`);
      return { binding, id: binding };
    });
  }
  if (typeof value !== "object" || value === null) {
    fail(`must be a list of binding names or a record of binding name to ${what}, e.g. { MY_BINDING: "my-id" }.`);
  }
  return Object.entries(value as Record<string, unknown>).map(([binding, target]) => {
    const id = typeof target === "object" && target !== null && !Array.isArray(target) ? storeId(target, `${binding}`, fail) : target;
    if (typeof id !== "string" || id === "") fail(`maps ${JSON.stringify(binding)} to ${describe(target)}; give the ${what} as a non-empty string or { id: "..." }.`);
    return { binding, id: id as string };
  });
}

function storeId(target: object, binding: string, fail: (message: string) => never): unknown {
  const extra = Object.keys(target).filter((key) => key !== "id");
  if (extra.length > 0) {
    fail(`maps ${JSON.stringify(binding)} to an object with ${extra.map((k) => JSON.stringify(k)).join(", ")}: durasim emulates bindings locally and reads only "id". Remove the other keys.`);
  }
  return (target as { id?: unknown }).id;
}

