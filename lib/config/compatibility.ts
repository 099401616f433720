/**
 * Compatibility date and flags: checked as workerd checks them, and resolved into the
 * Durable Object behaviours they switch. Flags that do not concern Durable Objects are kept
 * as given and have no effect here (durasim runs on Node, not on workerd's API surface).
 *
 * Invariant: a feature is on when its enable flag is given, or the date is on or after the
 * feature's default date and its disable flag is not given, or a flag that is on implies it from
 * a date on or before the Worker's and its disable flag is not given; the same rule workerd applies.
 */
import { ConfigError, describeConfigValue, StartupRefusal } from "../util/config-error.js";
import { ALL_DATES, SUPPORTED_COMPATIBILITY_DATE, WORKERD_FLAGS, WORKERD_IMPLIED_FLAGS, type WorkerdFlag } from "./workerd-flags.js";
import { noteCompatibilityFlags } from "../runtime/rpc/rpc-flag.js";

export interface CompatibilityFeatures {
  /** `stub.fetch()` needs an absolute URL. */
  durableObjectFetchRequiresFullUrl: boolean;
  /** Stubs lose the HTTP shortcuts get/put/delete, which frees the names for RPC. */
  fetcherNoGetPutDelete: boolean;
  /** Stubs and service bindings support JavaScript RPC. */
  rpc: boolean;
  /** `ctx.exports` exists. */
  ctxExports: boolean;
  /** Stubs passed in RPC parameters are duplicated rather than transferred. */
  rpcParamsDupStubs: boolean;
  /** `storage.deleteAll()` also deletes the alarm. */
  deleteAllDeletesAlarm: boolean;
  /** The runtime answers a Close frame on a hibernatable WebSocket itself. */
  webSocketAutoReplyToClose: boolean;
  /** `import { env } from "cloudflare:workers"` is disabled. */
  disallowImportableEnv: boolean;
  /** Fetchers (service bindings, `exports`, `SELF`) get `scheduled()`, which sends a scheduled event. */
  serviceBindingExtraHandlers: boolean;
  /**
   * An event listener that throws is reported and the next listeners run, and `dispatchEvent()`
   * does not throw; off, the first listener that throws ends the dispatch and its exception is thrown.
   */
  specCompliantDispatchExceptions: boolean;
  /** A WebSocket's `binaryType` starts as "blob" (binary messages arrive as Blobs), else "arraybuffer". */
  standardWebSocketBinaryType: boolean;
  /**
   * Errors cross RPC and storage with their own properties, custom names and AggregateErrors, and
   * a thrown one carries `durableObjectId`; else in V8's format (standard type, message, stack,
   * cause) and a thrown value arrives as its type and message alone.
   */
  enhancedErrorSerialization: boolean;
  /**
   * Every flag of workerd's table that turns a feature on, in its order, true where the date and
   * flags turn it on: the runtime's `Cloudflare.compatibilityFlags` (frozen, null prototype).
   */
  compatibilityFlags: Readonly<Record<string, boolean>>;
}

/** The flag that turns on each feature that changes what a Durable Object, its stubs or its storage do. */
const FEATURE_FLAGS: { readonly [F in Exclude<keyof CompatibilityFeatures, "compatibilityFlags">]: string } = {
  durableObjectFetchRequiresFullUrl: "durable_object_fetch_requires_full_url",
  fetcherNoGetPutDelete: "fetcher_no_get_put_delete",
  rpc: "rpc",
  ctxExports: "enable_ctx_exports",
  rpcParamsDupStubs: "rpc_params_dup_stubs",
  deleteAllDeletesAlarm: "delete_all_deletes_alarm",
  webSocketAutoReplyToClose: "web_socket_auto_reply_to_close",
  specCompliantDispatchExceptions: "spec_compliant_dispatch_exceptions",
  standardWebSocketBinaryType: "websocket_standard_binary_type",
  enhancedErrorSerialization: "enhanced_error_serialization",
  disallowImportableEnv: "disallow_importable_env",
  // Experimental (workerd needs --experimental, which Miniflare passes); Cloudflare's test tooling has tests enable it.
  serviceBindingExtraHandlers: "service_binding_extra_handlers",
};

export interface Compatibility {
  /** As configured; undefined when none was given (durasim then behaves as the newest date). */
  readonly date: string | undefined;
  readonly flags: readonly string[];
  readonly features: CompatibilityFeatures;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks a compatibility date and flags as workerd does (format, not past the newest date the
 * workerd durasim follows supports, not in the future, no repeated flag, no contradictory pair, no unknown flag, no flag that is already the default:
 * the first of workerd's refusals, in its order) and resolves the Durable Object features they
 * select. `where` names the option in errors (e.g. `compatibility_date`).
 */
export function resolveCompatibility(
  date: unknown,
  flags: unknown,
  where: { date: string; flags: string },
  today: Date = new Date(),
): Compatibility {
  if (date !== undefined) checkDate(date, where.date, today);
  if (flags !== undefined && !(Array.isArray(flags) && flags.every((flag) => typeof flag === "string"))) {
    throw new ConfigError(`durasim: "${where.flags}" must be an array of flag names (strings), got ${JSON.stringify(flags)}.`);
  }
  const given = new Set<string>();
  for (const flag of (flags as string[] | undefined) ?? []) {
    // workerd refuses to start on a repeated flag rather than read it once.
    if (given.has(flag)) {
      throw new StartupRefusal(`durasim: Compatibility flag specified multiple times: ${flag} (in "${where.flags}"). Remove the repeat.`);
    }
    given.add(flag);
  }
  if (given.size > 0) checkFlags(given, date as string | undefined, where.flags);
  const compatibilityFlags = flagValues(date as string | undefined, given);
  const features = { compatibilityFlags } as CompatibilityFeatures;
  for (const [feature, flag] of Object.entries(FEATURE_FLAGS) as [keyof typeof FEATURE_FLAGS, string][]) {
    features[feature] = compatibilityFlags[flag]!;
  }
  return { date: date as string | undefined, flags: [...given], features };
}

/**
 * The flag tables made so far, by date and flags: one table (frozen, some 12 KB) per
 * configuration rather than per Worker of each emulator, which a handle user code keeps past
 * dispose() would keep too, one per test of a suite.
 */
const tables = new Map<string, Readonly<Record<string, boolean>>>();

/**
 * Each flag of workerd's table, on or off for that date and those flags: on by itself (isOn), or
 * implied by a flag that is on, from the implication's date, unless its opposite is given.
 */
function flagValues(date: string | undefined, given: ReadonlySet<string>): Readonly<Record<string, boolean>> {
  const key = `${date ?? ""} ${[...given].sort().join(" ")}`;
  let table = tables.get(key);
  if (table === undefined) {
    tables.set(key, (table = computeFlagValues(date, given)));
    noteCompatibilityFlags(table);
  }
  return table;
}

function computeFlagValues(date: string | undefined, given: ReadonlySet<string>): Readonly<Record<string, boolean>> {
  const values = Object.create(null) as Record<string, boolean>;
  for (const row of WORKERD_FLAGS) values[row[0]] = isOn(row, date, given);
  const effective = date ?? SUPPORTED_COMPATIBILITY_DATE;
  // An implied flag may imply another in turn: until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [flag, implications] of Object.entries(WORKERD_IMPLIED_FLAGS)) {
      const opposite = flagsByName().get(flag)![2];
      if (values[flag] === true || (opposite !== undefined && given.has(opposite))) continue;
      if (implications.some(([by, after]) => values[by] === true && effective >= after)) values[flag] = changed = true;
    }
  }
  return Object.freeze(values);
}

/**
 * Whether workerd's row turns its feature on for that date and those flags (the invariant above).
 * No date is the newest workerd takes: a flag that becomes the default later is still off.
 */
function isOn([flag, since, opposite]: WorkerdFlag, date: string | undefined, given: ReadonlySet<string>): boolean {
  const byDate = since === ALL_DATES || (typeof since === "string" && (date ?? SUPPORTED_COMPATIBILITY_DATE) >= since);
  return given.has(flag) || (byDate && !(opposite !== undefined && given.has(opposite)));
}

/** workerd's refusals of a set of flags, each kind over all flags before the next kind. */
function checkFlags(given: ReadonlySet<string>, date: string | undefined, option: string): void {
  for (const [flag, , opposite] of WORKERD_FLAGS) {
    if (opposite !== undefined && given.has(flag) && given.has(opposite)) {
      throw new StartupRefusal(
        `durasim: Compatibility flags are mutually contradictory: ${flag} vs ${opposite} (in "${option}"). Remove one of them.`,
      );
    }
  }
  for (const flag of given) {
    if (!flagsByName().has(flag)) {
      throw new StartupRefusal(`durasim: No such compatibility flag: ${flag} (in "${option}"). Check its spelling, or remove it.`);
    }
  }
  // Without a date durasim runs as at the newest, which needs every flag it is given.
  if (date === undefined) return;
  for (const [flag, since] of WORKERD_FLAGS) {
    if (!given.has(flag) || typeof since !== "string") continue;
    if (since === ALL_DATES) {
      throw new StartupRefusal(
        `durasim: The compatibility flag ${flag} is the default, so does not need to be specified anymore. Remove it from "${option}".`,
      );
    }
    if (date >= since) {
      throw new StartupRefusal(
        `durasim: The compatibility flag ${flag} became the default as of ${since} so does not need to be specified anymore. ` +
          `Remove it from "${option}".`,
      );
    }
  }
}

let byName: Map<string, WorkerdFlag> | undefined;

/** workerd's row of each flag it knows, by either of the row's flags (built on first use). */
function flagsByName(): Map<string, WorkerdFlag> {
  if (byName === undefined) {
    byName = new Map();
    for (const row of WORKERD_FLAGS) {
      byName.set(row[0], row);
      if (row[2] !== undefined) byName.set(row[2], row);
    }
  }
  return byName;
}

function checkDate(date: unknown, option: string, today: Date): void {
  if (typeof date !== "string") {
    throw new ConfigError(
      `durasim: "${option}" must be a string "YYYY-MM-DD", got ${describeValue(date)}. ` +
        // A TOML date left unquoted parses as a date; any other value is simply of the wrong type.
        (date instanceof Date ? `In wrangler.toml, quote it: ${option} = "2025-01-01".` : `Give it as a string, as "2025-01-01".`),
    );
  }
  const match = DATE.exec(date);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (match === null || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new StartupRefusal(`durasim: Invalid compatibility date: ${date} (in "${option}"). Use the form "YYYY-MM-DD".`);
  }
  // durasim behaves as the workerd its flag table comes from, which refuses a later date (before
  // it checks the date against today), so a date newer than that release is not run as if known.
  const todayUtc = today.toISOString().slice(0, 10);
  if (date > SUPPORTED_COMPATIBILITY_DATE) {
    const message =
      `durasim: This Worker requires compatibility date "${date}", but the newest date supported by this durasim (that of the workerd ` +
      `release it follows) is "${SUPPORTED_COMPATIBILITY_DATE}". Fix "${option}": that date or an earlier one.`;
    // Miniflare checks the date against today before its workerd starts and refuses one it does not know.
    throw date > todayUtc ? new FutureCompatibilityDateError(message) : new StartupRefusal(message);
  }
  if (date > todayUtc) {
    throw new FutureCompatibilityDateError(`durasim: Can't set compatibility date in the future: "${date}". Today's date (UTC) is "${todayUtc}". Fix "${option}".`);
  }
}

/**
 * A compatibility date after today: its own class, because Miniflare's front door reports it
 * with Miniflare's own code for it (ERR_FUTURE_COMPATIBILITY_DATE).
 */
export class FutureCompatibilityDateError extends ConfigError {}

function describeValue(value: unknown): string {
  if (value instanceof Date) return `a date (${value.toISOString().slice(0, 10)}), not a string`;
  return describeConfigValue(value);
}
