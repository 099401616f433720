/**
 * Every key of a wrangler configuration, sorted by what durasim does with it. The lists follow
 * wrangler's own validation (packages/workers-utils config/validation.ts): which keys an
 * `env.<name>` section inherits from the top level, which it must repeat, and which exist only
 * at the top level. A key in no list is refused, so a typo or a key newer than durasim cannot
 * silently change behaviour.
 */

/** Keys an environment inherits from the top level when it does not set them. */
export const INHERITABLE_KEYS = [
  "account_id",
  "compatibility_date",
  "compatibility_flags",
  "jsx_factory",
  "jsx_fragment",
  "tsconfig",
  "rules",
  "name",
  "main",
  "find_additional_modules",
  "preserve_file_names",
  "base_dir",
  "route",
  "routes",
  "triggers",
  "assets",
  "limits",
  "placement",
  "build",
  "workers_dev",
  "preview_urls",
  "migrations",
  "exports",
  "logfwdr",
  "no_bundle",
  "minify",
  "keep_names",
  "first_party_worker",
  "logpush",
  "upload_source_maps",
  "observability",
  "access",
  "cache",
  "compliance_region",
  "python_modules",
  "previews",
  "usage_model",
] as const;

/** Keys an environment does not inherit: an environment without them has none. */
export const NON_INHERITABLE_KEYS = [
  "vars",
  "secrets",
  "define",
  "durable_objects",
  "workflows",
  "kv_namespaces",
  "cloudchamber",
  "containers",
  "send_email",
  "queues",
  "connect",
  "r2_buckets",
  "d1_databases",
  "vectorize",
  "ai_search_namespaces",
  "ai_search",
  "websearch",
  "agent_memory",
  "hyperdrive",
  "services",
  "analytics_engine_datasets",
  "dispatch_namespaces",
  "mtls_certificates",
  "tail_consumers",
  "streaming_tail_consumers",
  "unsafe",
  "browser",
  "ai",
  "images",
  "stream",
  "media",
  "pipelines",
  "secrets_store_secrets",
  "artifacts",
  "unsafe_hello_world",
  "flagship",
  "worker_loaders",
  "ratelimits",
  "vpc_services",
  "vpc_networks",
  "version_metadata",
] as const;

/** Keys that exist only at the top level of the file. */
export const TOP_LEVEL_ONLY_KEYS = [
  "$schema",
  "env",
  "legacy_env",
  "send_metrics",
  "keep_vars",
  "pages_build_output_dir",
  "dev",
  "site",
  "alias",
  "wasm_modules",
  "text_blobs",
  "data_blobs",
] as const;

/** Keys durasim reads. */
export const HONOURED_KEYS = [
  "name",
  "rules",
  "main",
  "compatibility_date",
  "compatibility_flags",
  "durable_objects",
  "migrations",
  "exports",
  "vars",
  "secrets",
  "kv_namespaces",
  "r2_buckets",
  "ratelimits",
  "services",
  "version_metadata",
  "analytics_engine_datasets",
] as const;

/**
 * Keys about deployment, bundling, routing and observability: nothing durasim emulates
 * depends on them, so they are accepted and ignored. That is every inheritable key durasim
 * does not read (`triggers` too: durasim runs no crons on a schedule; tests call the
 * scheduled handler themselves), consumers of the Worker's logs, and the tooling keys.
 */
export const IGNORED_KEYS: readonly string[] = [
  ...INHERITABLE_KEYS.filter((key) => !(HONOURED_KEYS as readonly string[]).includes(key) && key !== "assets"),
  "tail_consumers",
  "streaming_tail_consumers",
  "cloudchamber",
  "connect",
  "$schema",
  "env",
  "send_metrics",
  "keep_vars",
  "dev",
  "site",
];

/**
 * Bindings of services durasim does not emulate: every binding kind an environment must
 * repeat, except the ones durasim emulates or refuses or that bind nothing, plus `assets`.
 * Each binding must be given a value through the overrides' `bindings` (a fake or a real
 * client); otherwise the config is refused, because Worker code would find `env.NAME` undefined.
 * The test runners bind stand-ins instead (../../testing/unemulated-binding.ts).
 */
export const UNEMULATED_BINDING_KEYS: readonly string[] = [
  ...NON_INHERITABLE_KEYS.filter(
    (key) =>
      !(HONOURED_KEYS as readonly string[]).includes(key) &&
      !IGNORED_KEYS.includes(key) &&
      !["define", "containers", "unsafe"].includes(key),
  ),
  "assets",
];

/** Keys that change how the Worker or its Durable Objects behave in ways durasim cannot reproduce. */
export const REFUSED_KEYS: Record<string, string> = {
  containers: "attaches containers to Durable Object classes; durasim does not run containers",
  unsafe: 'declares unsafe bindings and metadata that only workerd understands (durasim emulates only bindings of type "ratelimit" there)',
  define: "substitutes identifiers at bundle time; durasim loads `main` through Node without bundling. Load the bundled module with the `module` override instead",
  alias: "rewrites imports at bundle time; durasim loads `main` through Node without bundling. Load the bundled module with the `module` override instead",
  wasm_modules: "binds globals of the service-worker format, which durasim does not run",
  text_blobs: "binds globals of the service-worker format, which durasim does not run",
  data_blobs: "binds globals of the service-worker format, which durasim does not run",
  pages_build_output_dir: "configures a Pages project, not a Worker",
  // Wrangler 4 refuses it as well, whatever its value.
  node_compat: 'is no longer supported as of Wrangler v4; use the nodejs_compat compatibility flag instead: compatibility_flags = ["nodejs_compat"]',
};
