/**
 * Compatibility date and flags: checked as workerd checks them, and resolved into the
 * Durable Object behaviours they switch. Flags that do not concern Durable Objects are kept
 * as given and have no effect here (durasim runs on Node, not on workerd's API surface).
 *
 * Invariant: a feature is on when its enable flag is given, or the date is on or after the
 * feature's default date and its disable flag is not given; the same rule workerd applies.
 */
import { ConfigError, describeConfigValue } from "../util/config-error.js";

export interface CompatibilityFeature {
  /** Name in the resolved features. */
  readonly feature: keyof CompatibilityFeatures;
  readonly enableFlag: string;
  /** Experimental features have none. */
  readonly disableFlag?: string;
  /** The date from which the feature is on by default; undefined: only by flag. */
  readonly date?: string;
}

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
}

/** The flags that change what a Durable Object, its stubs or its storage do (workerd's compatibility-date.capnp). */
export const DURABLE_OBJECT_FEATURES: readonly CompatibilityFeature[] = [
  {
    feature: "durableObjectFetchRequiresFullUrl",
    enableFlag: "durable_object_fetch_requires_full_url",
    disableFlag: "durable_object_fetch_allows_relative_url",
    date: "2021-11-10",
  },
  { feature: "fetcherNoGetPutDelete", enableFlag: "fetcher_no_get_put_delete", disableFlag: "fetcher_has_get_put_delete", date: "2024-03-26" },
  { feature: "rpc", enableFlag: "rpc", disableFlag: "no_rpc", date: "2024-04-03" },
  { feature: "ctxExports", enableFlag: "enable_ctx_exports", disableFlag: "disable_ctx_exports", date: "2025-11-17" },
  { feature: "rpcParamsDupStubs", enableFlag: "rpc_params_dup_stubs", disableFlag: "rpc_params_transfer_stubs", date: "2026-01-20" },
  { feature: "deleteAllDeletesAlarm", enableFlag: "delete_all_deletes_alarm", disableFlag: "delete_all_preserves_alarm", date: "2026-02-24" },
  {
    feature: "webSocketAutoReplyToClose",
    enableFlag: "web_socket_auto_reply_to_close",
    disableFlag: "web_socket_manual_reply_to_close",
    date: "2026-04-07",
  },
  {
    feature: "specCompliantDispatchExceptions",
    enableFlag: "spec_compliant_dispatch_exceptions",
    disableFlag: "no_spec_compliant_dispatch_exceptions",
    date: "2026-09-15",
  },
  {
    feature: "standardWebSocketBinaryType",
    enableFlag: "websocket_standard_binary_type",
    disableFlag: "no_websocket_standard_binary_type",
    date: "2026-03-17",
  },
  { feature: "disallowImportableEnv", enableFlag: "disallow_importable_env", disableFlag: "allow_importable_env" },
  // Experimental (workerd needs --experimental); Cloudflare's test tooling has tests enable it.
  { feature: "serviceBindingExtraHandlers", enableFlag: "service_binding_extra_handlers" },
];

export interface Compatibility {
  /** As configured; undefined when none was given (durasim then behaves as the newest date). */
  readonly date: string | undefined;
  readonly flags: readonly string[];
  readonly features: CompatibilityFeatures;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks a compatibility date and flags as workerd does (format, not in the future, no
 * repeated flag, no contradictory pair, no flag that is already the default) and resolves the Durable Object
 * features they select. `where` names the option in errors (e.g. `compatibility_date`).
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
      throw new ConfigError(`durasim: Compatibility flag specified multiple times: ${flag} (in "${where.flags}"). Remove the repeat.`);
    }
    given.add(flag);
  }
  const features = {} as CompatibilityFeatures;
  for (const { feature, enableFlag, disableFlag, date: since } of DURABLE_OBJECT_FEATURES) {
    const enabled = given.has(enableFlag);
    const disabled = disableFlag !== undefined && given.has(disableFlag);
    if (enabled && disabled) {
      throw new ConfigError(
        `durasim: Compatibility flags are mutually contradictory: ${enableFlag} vs ${disableFlag} (in "${where.flags}"). Remove one of them.`,
      );
    }
    const byDate = since !== undefined && (date === undefined || (date as string) >= since);
    if (enabled && byDate && date !== undefined) {
      throw new ConfigError(
        `durasim: The compatibility flag ${enableFlag} became the default as of ${since} so does not need to be specified anymore. ` +
          `Remove it from "${where.flags}".`,
      );
    }
    features[feature] = enabled || (byDate && !disabled);
  }
  return { date: date as string | undefined, flags: [...given], features };
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
    throw new ConfigError(`durasim: Invalid compatibility date: ${date} (in "${option}"). Use the form "YYYY-MM-DD".`);
  }
  const todayUtc = today.toISOString().slice(0, 10);
  if (date > todayUtc) {
    throw new ConfigError(
      `durasim: Can't set compatibility date in the future: "${date}". Today's date (UTC) is "${todayUtc}". Fix "${option}".`,
    );
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Date) return `a date (${value.toISOString().slice(0, 10)}), not a string`;
  return describeConfigValue(value);
}
