/**
 * Declarative Durable Object lifecycle (wrangler's `exports` map, the successor of
 * `migrations`): each class is declared live (`created`, `expecting-transfer`) or a tombstone
 * (`deleted`, `renamed`, `transferred`), and the stored state is reconciled to the declaration.
 *
 * Invariant: reconciling is idempotent. Planning the same declaration against the state it
 * produced yields no steps, so re-opening persisted state with an unchanged config is a no-op.
 */
import {
  type ClassState,
  cloneState,
  emptyScriptState,
  type MigrationContext,
  type MigrationPlan,
  type MigrationState,
  type MigrationStep,
  type Migration,
  namespaceKey,
} from "./migrations.js";
import { ConfigError } from "../util/config-error.js";

export type DurableObjectStorageKind = "sqlite" | "legacy-kv";

export type DurableObjectExport =
  | { type: "durable-object"; state?: "created"; storage: DurableObjectStorageKind }
  | { type: "durable-object"; state: "deleted" }
  | { type: "durable-object"; state: "renamed"; renamed_to: string }
  | { type: "durable-object"; state: "transferred"; transferred_to: string }
  | { type: "durable-object"; state: "expecting-transfer"; storage: DurableObjectStorageKind; transfer_from: string };

/** Keyed by class (or entrypoint) name; entries of other types (`worker`, `workflow`) do not concern Durable Objects. */
export type DurableObjectExports = Record<string, DurableObjectExport | { type: string; [key: string]: unknown }>;

const ALLOWED: Record<string, string[]> = {
  created: ["type", "state", "storage"],
  deleted: ["type", "state"],
  renamed: ["type", "state", "renamed_to"],
  transferred: ["type", "state", "transferred_to"],
  "expecting-transfer": ["type", "state", "storage", "transfer_from"],
};
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Checks the map as wrangler does and returns it typed. */
export function checkExports(value: unknown, where: string): DurableObjectExports {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(`The optional "${where}" field should be an object keyed by class name, but got ${JSON.stringify(value)}`);
  }
  for (const [name, entry] of Object.entries(value)) {
    const at = `${where}.${name}`;
    if (typeof entry !== "object" || entry === null) fail(`"${at}" should be an object but got ${JSON.stringify(entry)}.`);
    if (entry.type !== "durable-object") {
      if (entry.type === "worker" || entry.type === "workflow") continue;
      fail(`"${at}.type" must be "durable-object" or "worker", but got ${JSON.stringify(entry.type)}.`);
    }
    if (name === "") fail(`"${where}" keys cannot be the empty string.`);
    checkDurableObjectExport(entry as Record<string, unknown>, name, at);
  }
  const live = liveExports(value as DurableObjectExports);
  for (const [name, entry] of durableObjectEntries(value as DurableObjectExports)) {
    if (entry.state === "renamed" && !live.has(entry.renamed_to)) {
      fail(`"${where}.${name}" renames the class to '${entry.renamed_to}', but "${where}" has no live entry for '${entry.renamed_to}'. Add "${entry.renamed_to}": { "type": "durable-object", "storage": ... }.`);
    }
  }
  return value as DurableObjectExports;
}

function checkDurableObjectExport(entry: Record<string, unknown>, name: string, at: string): void {
  const state = (entry.state ?? "created") as string;
  const allowed = ALLOWED[state];
  if (allowed === undefined) {
    fail(`"${at}.state" must be one of "created", "deleted", "renamed", "transferred", or "expecting-transfer" but got ${JSON.stringify(entry.state)}.`);
  }
  if (entry.container !== undefined) {
    fail(`"${at}.container" attaches a container to the class; durasim does not run containers. Remove it to test the class without one.`);
  }
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) fail(`"${at}.${key}" is forbidden on state "${state}". Allowed properties are: ${allowed.join(", ")}.`);
  }
  if ((state === "created" || state === "expecting-transfer") && entry.storage !== "sqlite" && entry.storage !== "legacy-kv") {
    fail(`"${at}.storage" is required for state "${state}" and must be one of sqlite and legacy-kv, but got ${JSON.stringify(entry.storage)}`);
  }
  const field = { renamed: "renamed_to", transferred: "transferred_to", "expecting-transfer": "transfer_from" }[state];
  if (field !== undefined && (typeof entry[field] !== "string" || entry[field] === "")) {
    fail(`"${at}.${field}" is required for state "${state}" and must be a non-empty string.`);
  }
  if (state === "renamed") {
    const target = entry.renamed_to as string;
    if (!IDENTIFIER.test(target)) fail(`"${at}.renamed_to" must be a valid JavaScript identifier (got "${target}").`);
    if (target === name) fail(`"${at}.renamed_to" cannot equal the source class name "${name}".`);
  }
}

/** wrangler refuses a config that declares both. */
export function checkNotBothLifecycles(migrations: readonly Migration[], exports: DurableObjectExports, where: string): void {
  if (migrations.length > 0 && Object.values(exports).some((entry) => entry.type === "durable-object")) {
    fail(
      `\`migrations\` and \`exports\` are mutually exclusive (in ${where}). Choose one or the other to declare your Durable Object lifecycle, but not both.`,
    );
  }
}

/** The live classes an `exports` map declares, with their storage. */
export function liveExports(exports: DurableObjectExports): Map<string, boolean> {
  const live = new Map<string, boolean>();
  for (const [name, entry] of durableObjectEntries(exports)) {
    if (entry.state === undefined || entry.state === "created" || entry.state === "expecting-transfer") {
      live.set(name, entry.storage === "sqlite");
    }
  }
  return live;
}

/**
 * Reconciles `script`'s stored state with its `exports`: renames and transfers move a class's
 * key (and so its objects and data); deletes retire it; new live classes are created.
 */
export function planExports(state: MigrationState, script: string, exports: DurableObjectExports, context: MigrationContext): MigrationPlan {
  const next = cloneState(state);
  const own = (next[script] ??= emptyScriptState());
  const entries = durableObjectEntries(exports);
  const steps: MigrationStep[] = [];
  for (const [from, entry] of entries) {
    if (entry.state !== "renamed") continue;
    const source = own.classes[from];
    if (source === undefined) continue;
    if (own.classes[entry.renamed_to] !== undefined) {
      fail(`exports.${from} renames '${from}' to '${entry.renamed_to}', but script '${script}' already has a class '${entry.renamed_to}'.`);
    }
    delete own.classes[from];
    own.classes[entry.renamed_to] = source;
    steps.push({ op: "rename", script, from, to: entry.renamed_to, key: source.key });
  }
  for (const [className, entry] of entries) {
    if (entry.state !== "transferred") continue;
    const source = own.classes[className];
    if (source === undefined) continue;
    delete own.classes[className];
    if (context.knownScripts.includes(entry.transferred_to)) {
      const target = (next[entry.transferred_to] ??= emptyScriptState());
      if (target.classes[className] !== undefined) {
        fail(`exports.${className} transfers '${className}' to script '${entry.transferred_to}', which already has a live class '${className}'.`);
      }
      target.classes[className] = source;
      steps.push({ op: "transfer", script: entry.transferred_to, fromScript: script, from: className, to: className, key: source.key, sqlite: source.sqlite });
    } else {
      // The receiving Worker is not part of this emulator: the objects leave with the class.
      steps.push({ op: "delete", script, className, key: source.key });
    }
  }
  for (const [className, entry] of entries) {
    if (entry.state !== undefined && entry.state !== "created" && entry.state !== "expecting-transfer") continue;
    const sqlite = entry.storage === "sqlite";
    const existing: ClassState | undefined = own.classes[className];
    if (existing !== undefined) {
      if (existing.sqlite !== sqlite) {
        fail(
          `exports.${className} declares storage "${entry.storage}", but class '${className}' of script '${script}' already exists with ` +
            `${existing.sqlite ? "sqlite" : "legacy-kv"} storage. A class's storage backend cannot change; declare a new class instead.`,
        );
      }
      continue;
    }
    const pendingFrom = entry.state === "expecting-transfer" ? next[entry.transfer_from]?.classes[className] : undefined;
    // The source still holds the class: its own exports hand it over (a "transferred" tombstone).
    if (pendingFrom !== undefined) continue;
    const key = namespaceKey(script, className);
    own.classes[className] = { sqlite, key };
    steps.push({ op: "create", script, className, sqlite, key });
  }
  for (const [className, entry] of entries) {
    if (entry.state !== "deleted") continue;
    const target = own.classes[className];
    if (target === undefined) continue;
    if (context.boundClasses.includes(className)) {
      fail(`Cannot apply --delete-class migration to class '${className}' without also removing the binding that references it.`);
    }
    delete own.classes[className];
    steps.push({ op: "delete", script, className, key: target.key });
  }
  const declared = new Set(entries.map(([name]) => name));
  for (const className of Object.keys(own.classes)) {
    if (!declared.has(className)) {
      fail(
        `Class '${className}' of script '${script}' exists in stored state but is missing from "exports". ` +
          `Declare it live, or as a "deleted", "renamed" or "transferred" tombstone.`,
      );
    }
  }
  return { steps, applied: [], state: next };
}

function durableObjectEntries(exports: DurableObjectExports): Array<[string, DurableObjectExport]> {
  return Object.entries(exports).filter((entry): entry is [string, DurableObjectExport] => entry[1].type === "durable-object");
}

function fail(message: string): never {
  throw new ConfigError(`durasim: ${message}`);
}
