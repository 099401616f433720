/**
 * Durable Object class migrations (wrangler's `migrations` list): checked as production checks
 * them, and planned against what a Worker's stored state has already had applied.
 *
 * Invariants:
 * - Migrations apply in order, each tag once per Worker script; the applied tags are always a
 *   prefix of the configured list (production refuses a list that rewrites its history).
 * - Every live class has one storage backend for life (a key-value class never becomes SQLite)
 *   and one namespace key, which storage and IDs derive from. A rename or a transfer hands the
 *   key to the new class, so objects, data and IDs follow it; a delete retires the key's data.
 * - The state is plain JSON, so persistence can keep it and a later emulator applies only
 *   the tags that are new.
 */
import { ConfigError } from "../util/config-error.js";

export interface Migration {
  tag: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: Array<{ from: string; to: string }>;
  deleted_classes?: string[];
  transferred_classes?: Array<{ from: string; from_script: string; to: string }>;
}

/** A live Durable Object class of one Worker script. */
export interface ClassState {
  sqlite: boolean;
  /** The namespace key its objects are stored and identified under. */
  key: string;
}

/** What one Worker script's stored state has had applied. */
export interface ScriptMigrationState {
  /** Applied migration tags, in order. */
  tags: string[];
  classes: Record<string, ClassState>;
}

/** Every Worker script's migration state, by script name. */
export type MigrationState = Record<string, ScriptMigrationState>;

/** A change to stored state, in the order it must be applied. */
export type MigrationStep =
  | { op: "create"; script: string; className: string; sqlite: boolean; key: string }
  | { op: "rename"; script: string; from: string; to: string; key: string }
  | { op: "delete"; script: string; className: string; key: string }
  | { op: "transfer"; script: string; fromScript: string; from: string; to: string; key: string; sqlite: boolean };

export interface MigrationPlan {
  steps: MigrationStep[];
  /** The tags this plan applies, in order. */
  applied: string[];
  /** The state once the steps are applied (the input state is left untouched). */
  state: MigrationState;
}

export interface MigrationContext {
  /** Classes this Worker's own bindings refer to (by class name, whatever their script_name). */
  boundClasses: readonly string[];
  /** Worker scripts present beside this one: a transfer from one of them moves its data. */
  knownScripts: readonly string[];
}

const MIGRATION_KEYS = ["tag", "new_classes", "new_sqlite_classes", "renamed_classes", "deleted_classes", "transferred_classes"];

/** The namespace key of a class a migration creates: `<script>-<Class>`, as wrangler dev and Miniflare name it. */
export function namespaceKey(script: string, className: string): string {
  return `${script}-${className}`;
}

/**
 * State maps are keyed by Worker and class names the user chooses, and "constructor",
 * "toString" or "__proto__" are valid names: maps without a prototype see only their own keys.
 */
function emptyMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function emptyScriptState(): ScriptMigrationState {
  return { tags: [], classes: emptyMap() };
}

/** Whether `value` (JSON read back from disk) has the shape of a MigrationState. */
export function isMigrationState(value: unknown): value is MigrationState {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const isClassState = (v: unknown) => isRecord(v) && typeof v.sqlite === "boolean" && typeof v.key === "string";
  return (
    isRecord(value) &&
    Object.values(value).every(
      (own) =>
        isRecord(own) &&
        Array.isArray(own.tags) &&
        own.tags.every((tag) => typeof tag === "string") &&
        isRecord(own.classes) &&
        Object.values(own.classes).every(isClassState),
    )
  );
}

/** A deep copy, in prototype-free maps, so planning never touches the state it is given. */
export function cloneState(state: MigrationState): MigrationState {
  const next = emptyMap<ScriptMigrationState>();
  for (const [script, own] of Object.entries(state)) {
    const classes = emptyMap<ClassState>();
    for (const [className, entry] of Object.entries(own.classes)) classes[className] = { ...entry };
    next[script] = { tags: [...own.tags], classes };
  }
  return next;
}

/** Checks the list's shape (wrangler's rules: tag required, arrays of names, {from,to} pairs) and returns it typed. */
export function checkMigrations(value: unknown, where: string): Migration[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`"${where}" must be an array of migrations, got ${JSON.stringify(value)}.`);
  const tags = new Set<string>();
  value.forEach((migration: unknown, index) => {
    const at = `${where}[${index}]`;
    if (typeof migration !== "object" || migration === null || Array.isArray(migration)) {
      fail(`"${at}" must be an object like { "tag": "v1", "new_sqlite_classes": ["MyClass"] }, got ${JSON.stringify(migration)}.`);
    }
    const record = migration as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!MIGRATION_KEYS.includes(key)) fail(`"${at}" has an unknown field "${key}". Migration fields are: ${MIGRATION_KEYS.join(", ")}.`);
    }
    if (typeof record.tag !== "string" || record.tag === "") fail(`"${at}.tag" is a required field: a unique name such as "v${index + 1}".`);
    if (tags.has(record.tag)) fail(`"${at}.tag" repeats the tag "${record.tag}". Each migration needs a unique tag.`);
    tags.add(record.tag);
    for (const key of ["new_classes", "new_sqlite_classes", "deleted_classes"]) {
      const names = record[key];
      if (names !== undefined && !(Array.isArray(names) && names.every((name) => typeof name === "string" && name !== ""))) {
        fail(`"${at}.${key}" must be an array of class names, got ${JSON.stringify(names)}.`);
      }
    }
    checkPairs(record.renamed_classes, `${at}.renamed_classes`, ["from", "to"]);
    checkPairs(record.transferred_classes, `${at}.transferred_classes`, ["from", "from_script", "to"]);
    checkNoClassTwice(record as unknown as Migration, at);
  });
  return value as Migration[];
}

function checkPairs(value: unknown, where: string, fields: string[]): void {
  if (value === undefined) return;
  const ok =
    Array.isArray(value) &&
    value.every(
      (entry) =>
        typeof entry === "object" &&
        entry !== null &&
        fields.every((field) => typeof entry[field] === "string" && entry[field] !== "") &&
        Object.keys(entry).every((key) => fields.includes(key)),
    );
  if (!ok) {
    const shape = `{${fields.map((field) => `${field}: string`).join(", ")}}`;
    fail(`Expected "${where}" to be an array of "${shape}" objects but got ${JSON.stringify(value)}.`);
  }
}

/** One migration names a class once: it cannot, say, create a class and rename another to it. */
function checkNoClassTwice(migration: Migration, where: string): void {
  const seen = new Map<string, string>();
  const mention = (className: string, role: string) => {
    const earlier = seen.get(className);
    if (earlier !== undefined) {
      fail(`"${where}" names class '${className}' twice (${earlier} and ${role}). Split the changes into separate migrations.`);
    }
    seen.set(className, role);
  };
  for (const name of migration.new_classes ?? []) mention(name, "new_classes");
  for (const name of migration.new_sqlite_classes ?? []) mention(name, "new_sqlite_classes");
  for (const { from, to } of migration.renamed_classes ?? []) {
    mention(from, "renamed_classes.from");
    mention(to, "renamed_classes.to");
  }
  for (const name of migration.deleted_classes ?? []) mention(name, "deleted_classes");
  for (const { to } of migration.transferred_classes ?? []) mention(to, "transferred_classes.to");
}

/**
 * Plans the migrations of `script` that `state` has not applied yet. Throws a ConfigError
 * (production's message where production has one) for a list production would refuse.
 */
export function planMigrations(
  state: MigrationState,
  script: string,
  migrations: readonly Migration[],
  context: MigrationContext,
): MigrationPlan {
  const next = cloneState(state);
  const own = (next[script] ??= emptyScriptState());
  const pending = pendingMigrations(own.tags, migrations, script);
  const steps: MigrationStep[] = [];
  pending.forEach((migration, index) => {
    const later = pending.slice(index + 1);
    const create = (className: string, sqlite: boolean) => {
      const existing = own.classes[className];
      if (existing !== undefined) {
        if (sqlite && !existing.sqlite) {
          fail(
            `Cannot apply new-sqlite-class migration (tag "${migration.tag}") to class '${className}': it already exists with the ` +
              `key-value storage backend, and an existing class cannot be converted to SQLite. Use a new class name for the SQLite-backed class.`,
          );
        }
        fail(`Cannot apply new-class migration (tag "${migration.tag}") to class '${className}': the class already exists in script '${script}'.`);
      }
      const key = namespaceKey(script, className);
      own.classes[className] = { sqlite, key };
      steps.push({ op: "create", script, className, sqlite, key });
    };
    for (const className of migration.new_classes ?? []) create(className, false);
    for (const className of migration.new_sqlite_classes ?? []) create(className, true);
    for (const { from, to } of migration.renamed_classes ?? []) {
      const source = own.classes[from];
      if (source === undefined) {
        fail(`Cannot apply rename migration (tag "${migration.tag}") from class '${from}': script '${script}' has no class '${from}'.`);
      }
      if (own.classes[to] !== undefined) {
        fail(`Cannot apply rename migration (tag "${migration.tag}") to class '${to}': the class already exists. Do not also create '${to}'.`);
      }
      delete own.classes[from];
      own.classes[to] = source;
      steps.push({ op: "rename", script, from, to, key: source.key });
    }
    for (const className of migration.deleted_classes ?? []) {
      const target = own.classes[className];
      if (target === undefined) {
        fail(`Cannot apply delete-class migration to class '${className}' which was not exported in the previous version of the script`);
      }
      const recreatedLater = later.some((m) => [...(m.new_classes ?? []), ...(m.new_sqlite_classes ?? [])].includes(className));
      if (context.boundClasses.includes(className) && !recreatedLater) {
        fail(`Cannot apply --delete-class migration to class '${className}' without also removing the binding that references it.`);
      }
      delete own.classes[className];
      steps.push({ op: "delete", script, className, key: target.key });
    }
    for (const { from, from_script: fromScript, to } of migration.transferred_classes ?? []) {
      if (fromScript === script) {
        fail(`Cannot apply transfer migration (tag "${migration.tag}") from script '${script}' to itself; use renamed_classes instead.`);
      }
      if (own.classes[to] !== undefined) {
        fail(`Cannot apply transfer migration (tag "${migration.tag}") to class '${to}': the class already exists in script '${script}'.`);
      }
      const sourceScript = next[fromScript];
      const source = sourceScript?.classes[from];
      if (source === undefined && context.knownScripts.includes(fromScript)) {
        fail(`Cannot apply transfer migration (tag "${migration.tag}"): script '${fromScript}' has no class '${from}'.`);
      }
      // A source script that is not part of this emulator left no data here: `to` starts empty.
      const moved = source ?? { sqlite: false, key: namespaceKey(script, to) };
      if (source !== undefined) delete sourceScript!.classes[from];
      own.classes[to] = moved;
      steps.push({ op: "transfer", script, fromScript, from, to, key: moved.key, sqlite: moved.sqlite });
    }
    own.tags.push(migration.tag);
  });
  return { steps, applied: pending.map((migration) => migration.tag), state: next };
}

/** The migrations after the applied ones, which must be the configured list's first tags. */
function pendingMigrations(applied: readonly string[], migrations: readonly Migration[], script: string): readonly Migration[] {
  applied.forEach((tag, index) => {
    if (migrations[index]?.tag !== tag) {
      fail(
        `The stored state of script '${script}' has migration tag "${tag}" applied ${index === 0 ? "first" : `after "${applied[index - 1]}"`}, ` +
          `but the configured migrations ${migrations.some((m) => m.tag === tag) ? "have it elsewhere" : "do not include it"}. ` +
          `Applied migrations cannot be removed or reordered: keep them and add new migrations after them.`,
      );
    }
  });
  return migrations.slice(applied.length);
}

/** Production refuses a binding to an own class that no migration created. */
export function checkBoundClassesExist(script: string, scriptState: ScriptMigrationState, ownBoundClasses: readonly string[]): void {
  for (const className of ownBoundClasses) {
    if (scriptState.classes[className] === undefined) {
      fail(
        `Cannot create binding for class '${className}' because it is not currently configured to implement Durable Objects. ` +
          `Ensure a --new-class migration has been applied to it. (Worker '${script}': add a migration with new_sqlite_classes: ["${className}"].)`,
      );
    }
  }
}

function fail(message: string): never {
  throw new ConfigError(`durasim: ${message}`);
}
