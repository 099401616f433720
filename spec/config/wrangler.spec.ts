import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { resolveCompatibility } from "../../lib/config/compatibility.js";
import { Emulator } from "../../lib/emulator.js";
import { SUPPORTED_COMPATIBILITY_DATE } from "../../lib/config/workerd-flags.js";
import { loadWranglerConfig } from "../../lib/config/wrangler/translate.js";
import { configError } from "./config-error.js";

const fixtures = resolve(import.meta.dirname, "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "durasim-wrangler-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let files = 0;
/** Writes a config file with the given text into its own directory and returns its path. */
function configFile(name: string, text: string, extra: Record<string, string> = {}): string {
  const dir = join(scratch, String(++files));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  for (const [file, content] of Object.entries(extra)) writeFileSync(join(dir, file), content);
  return join(dir, name);
}


describe("wrangler.jsonc", () => {
  const path = join(fixtures, "jsonc-chat", "wrangler.jsonc");

  it("reads comments and trailing commas, and translates the top level", () => {
    const config = loadWranglerConfig(path);
    expect(config.configPath).toBe(path);
    expect(config.main).toBe(join(fixtures, "jsonc-chat", "src", "index.ts"));
    expect(config.options).toEqual({
      name: "chat-app",
      compatibilityDate: "2025-04-01",
      compatibilityFlags: ["nodejs_compat"],
      durableObjects: { ROOMS: "ChatRoom", RATE_LIMITER: "RateLimiter" },
      migrations: [
        { tag: "v1", new_classes: ["ChatRoom"] },
        { tag: "v2", new_sqlite_classes: ["RateLimiter"] },
      ],
      bindings: { GREETING: "hello", LIMITS: { perMinute: 30 }, API_TOKEN: "dev-token" },
      kvNamespaces: { SESSIONS: "6f1b0a0c2d3e4f5a6b7c8d9e0f1a2b3c" },
    });
  });

  it("finds the file when given its directory", () => {
    expect(loadWranglerConfig(join(fixtures, "jsonc-chat")).configPath).toBe(path);
  });

  it("an environment repeats bindings and vars, inherits migrations, and is named <name>-<env>", () => {
    const { options } = loadWranglerConfig(path, { environment: "staging" });
    expect(options).toEqual({
      name: "chat-app-staging",
      compatibilityDate: "2025-04-01",
      compatibilityFlags: ["nodejs_compat"],
      durableObjects: { ROOMS: "ChatRoom", RATE_LIMITER: { className: "RateLimiter", scriptName: "chat-app" } },
      migrations: [
        { tag: "v1", new_classes: ["ChatRoom"] },
        { tag: "v2", new_sqlite_classes: ["RateLimiter"] },
      ],
      // .dev.vars.staging replaces .dev.vars for the environment
      bindings: { GREETING: "hello from staging", API_TOKEN: "staging-token" },
      kvNamespaces: { SESSIONS: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
    });
  });

  it("an environment without bindings or vars has none, and may set its own name and date", () => {
    const { options } = loadWranglerConfig(path, { environment: "production" });
    expect(options).toEqual({
      name: "chat-prod",
      compatibilityDate: "2025-06-01",
      compatibilityFlags: ["nodejs_compat"],
      migrations: [
        { tag: "v1", new_classes: ["ChatRoom"] },
        { tag: "v2", new_sqlite_classes: ["RateLimiter"] },
      ],
      bindings: { API_TOKEN: "dev-token" },
    });
  });

  it("refuses an environment the file does not define, listing the ones it does", () => {
    expect(configError(() => loadWranglerConfig(path, { environment: "qa" }))).toContain(
      'No environment found in configuration with name "qa"',
    );
    expect(configError(() => loadWranglerConfig(path, { environment: "qa" }))).toContain('["staging","production"]');
  });

  it("refuses an environment that is not a name, quoting it", () => {
    expect(configError(() => loadWranglerConfig(path, { environment: 5 as never }))).toBe(
      `durasim: option "environment" must name an environment of ${path} (a string, as in [env.<name>]), got 5.`,
    );
  });

  it("reports a syntax error with its line and column", () => {
    const bad = configFile("wrangler.jsonc", '{\n  "name": "x",\n  "main": \n}');
    expect(configError(() => loadWranglerConfig(bad))).toMatch(/wrangler\.jsonc:4:1: ValueExpected/);
  });
});

describe("wrangler.toml", () => {
  const path = join(fixtures, "toml-counter", "wrangler.toml");

  it("translates tables and arrays of tables; deployment keys are ignored", () => {
    const config = loadWranglerConfig(path);
    expect(config.main).toBe(join(fixtures, "toml-counter", "src", "worker.js"));
    expect(config.options).toEqual({
      name: "counter",
      compatibilityDate: "2024-09-23",
      durableObjects: { COUNTER: "CounterV2" },
      migrations: [
        { tag: "v1", new_sqlite_classes: ["Counter"] },
        { tag: "v2", renamed_classes: [{ from: "Counter", to: "CounterV2" }] },
      ],
      // the .env files merge: .env.local over .env
      bindings: { ENVIRONMENT: "dev", SHARED: "from-env", TOKEN: "local" },
      r2Buckets: { UPLOADS: "counter-uploads" },
      serviceBindings: { AUTH: { name: "auth-worker", entrypoint: "AuthRpc" } },
    });
  });

  it("environments: .env.<env> sits between .env.local and .env; r2_buckets and services are not inherited", () => {
    const { options } = loadWranglerConfig(path, { environment: "staging" });
    expect(options.name).toBe("counter-staging");
    expect(options.bindings).toEqual({ ENVIRONMENT: "staging", SHARED: "from-env", TOKEN: "local", STAGE_ONLY: "yes" });
    expect(options.r2Buckets).toBeUndefined();
    expect(options.serviceBindings).toBeUndefined();
    expect(options.migrations).toHaveLength(2);
  });

  it("an environment's main replaces the top level's, resolved from the config's directory", () => {
    const config = loadWranglerConfig(path, { environment: "production" });
    expect(config.main).toBe(join(fixtures, "toml-counter", "dist", "worker.js"));
    expect(config.options.name).toBe("counter-production");
    expect(config.options.r2Buckets).toEqual({ UPLOADS: "counter-uploads-prod" });
    expect(config.options.bindings).toEqual({ SHARED: "from-env", TOKEN: "local" });
  });

  it("a TOML table in vars reaches env as an ordinary object, as workerd parses a JSON binding for the Worker (the parser's tables have no prototype)", async () => {
    const path = configFile("wrangler.toml", 'name = "w"\n[vars]\nBRAND = { name = "Acme", footer = ["Archive", { label = "Unsubscribe" }] }\n');
    const module = { default: { fetch: (_request: Request, env: { BRAND: { hasOwnProperty(key: string): boolean } }) => new Response(String(env.BRAND.hasOwnProperty("name"))) } };
    const emu = await Emulator.fromWrangler(path, { module });
    try {
      expect(emu.env.BRAND).toStrictEqual({ name: "Acme", footer: ["Archive", { label: "Unsubscribe" }] });
      expect(await (await emu.dispatchFetch("https://w.test/")).text()).toBe("true");
    } finally {
      await emu.dispose();
    }
  });

  it("an unquoted TOML date is refused with the fix", () => {
    const bad = configFile("wrangler.toml", 'name = "x"\ncompatibility_date = 2025-01-01\n');
    const message = configError(() => loadWranglerConfig(bad));
    expect(message).toContain('"compatibility_date" must be a string');
    expect(message).toContain('compatibility_date = "2025-01-01"');
    const badVar = configFile("wrangler.toml", 'name = "x"\n[vars]\nWHEN = 2025-12-19\n');
    expect(configError(() => loadWranglerConfig(badVar))).toContain('"vars.WHEN" is a TOML date');
  });

  it("[version_metadata] binds what wrangler dev does: a random UUID, an empty tag, and when the binding was made", () => {
    const path = configFile("wrangler.toml", 'name = "x"\n[vars]\nSTAGE = "dev"\n[version_metadata]\nbinding = "VERSION"\n');
    const bindings = loadWranglerConfig(path).options.bindings as Record<string, Record<string, string>>;
    expect(Object.keys(bindings)).toEqual(["STAGE", "VERSION"]);
    expect(Object.keys(bindings.VERSION!)).toEqual(["id", "tag", "timestamp"]);
    expect(bindings.VERSION!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([bindings.VERSION!.tag, new Date(bindings.VERSION!.timestamp!).toISOString()]).toEqual(["", bindings.VERSION!.timestamp]);
    const clash = configFile("wrangler.toml", 'name = "x"\n[vars]\nVERSION = "1"\n[version_metadata]\nbinding = "VERSION"\n');
    expect(configError(() => loadWranglerConfig(clash))).toContain('binds "VERSION" twice (vars and version_metadata)');
    const bad = configFile("wrangler.toml", 'name = "x"\nversion_metadata = "VERSION"\n');
    expect(configError(() => loadWranglerConfig(bad))).toContain('The field "version_metadata" should be an object with a string "binding" field but got "VERSION".');
  });

  it("[version_metadata] with an empty binding name binds nothing, as Miniflare does for wrangler dev", () => {
    const withVars = configFile("wrangler.toml", 'name = "x"\n[vars]\nSTAGE = "dev"\n[version_metadata]\nbinding = ""\n');
    expect(loadWranglerConfig(withVars).options.bindings).toEqual({ STAGE: "dev" });
    const alone = configFile("wrangler.toml", 'name = "x"\n[version_metadata]\nbinding = ""\n');
    expect(loadWranglerConfig(alone).options.bindings).toBeUndefined();
  });

  it("reports a TOML syntax error with its line and column", () => {
    const bad = configFile("wrangler.toml", 'name = "x"\nmain = \n');
    expect(configError(() => loadWranglerConfig(bad))).toMatch(/wrangler\.toml:2:\d+:/);
  });
});

describe("wrangler.json", () => {
  const path = join(fixtures, "json-multi", "wrangler.json");
  const stand_ins = { DB: { fake: "d1" }, AI: { fake: "ai" } };

  it("bindings durasim does not emulate are refused unless the caller stands in for them", () => {
    const message = configError(() => loadWranglerConfig(path));
    expect(message).toContain('"d1_databases"');
    expect(message).toContain('"DB"');
    expect(message).toContain("bindings: { DB: fake }");
    expect(configError(() => loadWranglerConfig(path, { bindings: { DB: {} } }))).toContain('"ai" in');
  });

  it("with standIns (the test runners), bindings durasim does not emulate are listed with their keys instead of refused", () => {
    const config = loadWranglerConfig(path, { standIns: true, bindings: { AI: {} } });
    expect(config.unemulated).toEqual([{ name: "DB", key: "d1_databases" }]);
    expect(loadWranglerConfig(path, { bindings: stand_ins }).unemulated).toBeUndefined();
  });

  it("translates exports, cross-script bindings with their environment, service props, and required secrets only", () => {
    const { options } = loadWranglerConfig(path, { bindings: stand_ins });
    expect(options).toEqual({
      name: "gateway",
      compatibilityDate: "2026-03-01",
      durableObjects: {
        SESSIONS: "Session",
        USERS: { className: "UserStore", scriptName: "accounts", environment: "production" },
      },
      exports: {
        Session: { type: "durable-object", storage: "sqlite" },
        OldSession: { type: "durable-object", state: "deleted" },
        default: { type: "worker" },
      },
      serviceBindings: { ACCOUNTS: { name: "accounts", props: { tenant: "acme" } } },
      bindings: { SIGNING_KEY: "k1" },
    });
  });

  it(".dev.vars and .env files are read by the dotenv package's rules, as wrangler reads them, not by Node's parser", () => {
    const devVars = [
      "# secrets for local development",
      "API_TOKEN=abc123",
      "LEFTOVER",
      "DB_URL=postgres://localhost/app # the local database",
      "export REGION=eu",
      "MAILER: smtp://mail.test",
      'GREETING="Hello\\nWorld\\r!"',
      "LITERAL='keeps \\n and # as written'",
      "TEMPLATE=`a \"quoted\" word`",
      'PEM="-----BEGIN KEY-----',
      "abc",
      '-----END KEY-----"',
      'ESCAPED="say \\"hi\\"" # a comment',
      'TRAILING="x" y',
      "  SPACED  =   padded value   ",
      "EMPTY=",
      "API_TOKEN=replaced",
    ].join("\r\n");
    const { bindings } = loadWranglerConfig(configFile("wrangler.json", '{ "name": "w" }', { ".dev.vars": devVars })).options;
    expect(bindings).toStrictEqual({
      API_TOKEN: "replaced",
      DB_URL: "postgres://localhost/app",
      REGION: "eu",
      MAILER: "smtp://mail.test",
      GREETING: "Hello\nWorld\r!",
      LITERAL: "keeps \\n and # as written",
      TEMPLATE: 'a "quoted" word',
      PEM: "-----BEGIN KEY-----\nabc\n-----END KEY-----",
      ESCAPED: 'say \\"hi\\"',
      TRAILING: '"x" y',
      SPACED: "padded value",
      EMPTY: "",
    });
    // The .env files are parsed alike.
    const dotenv = loadWranglerConfig(configFile("wrangler.json", '{ "name": "w" }', { ".env": "FLAG\nKEY: value\n" })).options.bindings;
    expect(dotenv).toStrictEqual({ KEY: "value" });
  });

  it(".dev.vars lines end at U+2028 and U+2029 too, as dotenv's do, except within an unquoted value", () => {
    const devVars = ["JUNK\u2028AFTER_JUNK=1", "NOTED=2 # a note\u2028AFTER_NOTE=3", 'QUOTED="q" # note\u2029AFTER_QUOTE=4', "BROKEN=a\u2028'b'"].join("\n");
    const { bindings } = loadWranglerConfig(configFile("wrangler.json", '{ "name": "w" }', { ".dev.vars": devVars })).options;
    expect(bindings).toStrictEqual({ AFTER_JUNK: "1", NOTED: "2", AFTER_NOTE: "3", QUOTED: "q", AFTER_QUOTE: "4", BROKEN: "a\u2028b" });
  });

  it("a required secret that nothing defines is refused", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", secrets: { required: ["A", "B"] } }), { ".dev.vars": "A=1\n" });
    expect(configError(() => loadWranglerConfig(file))).toContain('secret "B" is listed in "secrets.required"');
    expect(loadWranglerConfig(file, { bindings: { B: "given" } }).options.bindings).toEqual({ A: "1" });
  });
});

describe("what durasim refuses, by key", () => {
  it.each([
    ["containers", { containers: [{ class_name: "Box", image: "./Dockerfile" }] }, "does not run containers"],
    ["define", { define: { DEBUG: "true" } }, "bundle time"],
    ["unsafe", { unsafe: { bindings: [{ name: "X", type: "x" }] } }, "unsafe bindings"],
    ["wasm_modules", { wasm_modules: { W: "a.wasm" } }, "service-worker format"],
    ["an unknown key", { durable_object: { bindings: [] } }, 'unknown key "durable_object"'],
    // Wrangler 4 refuses it too; the error says what replaces it, even where it is false.
    ["node_compat, gone in wrangler 4", { node_compat: true }, 'is no longer supported as of Wrangler v4'],
    ["node_compat: false", { node_compat: false }, 'use the nodejs_compat compatibility flag instead: compatibility_flags = ["nodejs_compat"]'],
  ])("%s", (_label, extra, text) => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", main: "i.js", ...extra }));
    expect(configError(() => loadWranglerConfig(file))).toContain(text);
  });

  it("module rules only a bundler applies (Text, Data, CompiledWasm) are refused, naming rules and the fix; ESModule and CommonJS rules, and bad shapes, are checked", () => {
    const load = (rules: unknown) => loadWranglerConfig(configFile("wrangler.json", JSON.stringify({ name: "w", main: "i.js", rules })));
    const refused = configError(() => load([{ type: "ESModule", globs: ["**/*.js"] }, { type: "Text", globs: ["**/*.tmpl"] }]));
    expect(refused).toContain('"rules[1]"');
    expect(refused).toContain('"rules" cannot be honoured');
    expect(refused).toContain("cloudflareTest()");
    expect(load([{ type: "ESModule", globs: ["**/*.js"] }, { type: "CommonJS", globs: ["**/*.cjs"], fallthrough: true }]).options).toEqual({ name: "w" });
    expect(configError(() => load([{ type: "PythonModule", globs: ["**/*.py"] }]))).toContain("Python modules are not emulated");
    expect(configError(() => load([{ type: "Text", glob: "*.txt" }]))).toContain('unknown field "glob"');
    expect(configError(() => load({ type: "Text" }))).toContain('"rules" in');
  });

  it("a module rule that only restates wrangler's defaults, which durasim's module hooks apply, is taken; one that ends a default is refused", () => {
    const load = (rules: unknown) => loadWranglerConfig(configFile("wrangler.json", JSON.stringify({ name: "w", main: "i.js", rules })));
    const drizzle = { type: "Text", globs: ["**/*.sql"], fallthrough: true };
    expect(load([drizzle, { type: "Data", globs: ["**/*.bin"] }, { type: "CompiledWasm", globs: ["**/*.wasm"], fallthrough: true }]).rules).toHaveLength(3);
    expect(load([{ type: "Text", globs: ["**/*.html", "**/*.sql", "**/*.txt"] }]).rules).toHaveLength(1);
    // Without fallthrough, a rule for *.sql alone would end *.txt and *.html; *.sql as Data is not the default.
    expect(configError(() => load([{ type: "Text", globs: ["**/*.sql"] }]))).toContain('"rules[0]"');
    expect(configError(() => load([{ type: "Data", globs: ["**/*.sql"], fallthrough: true }]))).toContain("beyond wrangler's defaults");
  });

  it("empty refused keys are harmless", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", define: {}, unsafe: {}, alias: {} }));
    expect(loadWranglerConfig(file).options).toEqual({ name: "w" });
  });

  it("an unknown key inside an environment, or a top-level-only key there, is named", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", env: { dev: { site: { bucket: "x" }, varz: {} } } }));
    expect(configError(() => loadWranglerConfig(file, { environment: "dev" }))).toContain('"env.dev.site" is not allowed');
  });

  it("migrations and exports together are refused with wrangler's message", () => {
    const file = configFile(
      "wrangler.json",
      JSON.stringify({ name: "w", migrations: [{ tag: "v1", new_sqlite_classes: ["A"] }], exports: { A: { type: "durable-object", storage: "sqlite" } } }),
    );
    expect(configError(() => loadWranglerConfig(file))).toContain("`migrations` and `exports` are mutually exclusive");
  });

  it("a Durable Object binding with environment but no script_name is refused as wrangler refuses it", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", durable_objects: { bindings: [{ name: "A", class_name: "A", environment: "x" }] } }));
    expect(configError(() => loadWranglerConfig(file))).toContain('binding should have a "script_name" field if "environment" is present');
  });

  it("a script_name naming the Worker itself binds the local class", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", durable_objects: { bindings: [{ name: "A", class_name: "A", script_name: "w" }] } }));
    expect(loadWranglerConfig(file).options.durableObjects).toEqual({ A: "A" });
  });

  it("one name bound twice is refused", () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", vars: { X: "1" }, kv_namespaces: [{ binding: "X", id: "n" }] }));
    expect(configError(() => loadWranglerConfig(file))).toContain('binds "X" twice (vars and kv_namespaces)');
  });

  it("legacy_env false (service environments) is refused", () => {
    const file = configFile("wrangler.toml", 'name = "w"\nlegacy_env = false\n');
    expect(configError(() => loadWranglerConfig(file))).toContain('"legacy_env": false');
  });

  it("a missing file, and a file of another kind, are named", () => {
    expect(configError(() => loadWranglerConfig(join(scratch, "nope.toml")))).toContain("no wrangler config at");
    expect(configError(() => loadWranglerConfig(configFile("wrangler.yaml", "name: x")))).toContain("is not a wrangler config");
  });
});

/** The day after a "YYYY-MM-DD" date, or before it. */
const dayFrom = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

describe("compatibility settings are checked as workerd checks them", () => {
  it.each([
    [{ compatibility_date: "2099-01-01" }, `This Worker requires compatibility date "2099-01-01", but the newest date supported by this durasim`],
    [{ compatibility_date: dayFrom(SUPPORTED_COMPATIBILITY_DATE, 1) }, `is "${SUPPORTED_COMPATIBILITY_DATE}". Fix "compatibility_date": that date or an earlier one.`],
    [{ compatibility_date: "2024-1-1" }, "Invalid compatibility date: 2024-1-1"],
    [{ compatibility_date: "2024-06-01", compatibility_flags: ["rpc"] }, "The compatibility flag rpc became the default as of 2024-04-03"],
    [{ compatibility_date: "2024-01-01", compatibility_flags: ["rpc", "no_rpc"] }, "mutually contradictory: rpc vs no_rpc"],
    [{ compatibility_date: "2024-01-01", compatibility_flags: ["nodejs_compat", "rpc", "nodejs_compat"] }, "Compatibility flag specified multiple times: nodejs_compat"],
  ])("%j", (settings, text) => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", ...settings }));
    expect(configError(() => loadWranglerConfig(file))).toContain(text);
  });

  it("takes the newest date the workerd release supports, unless that is still in the future (as workerd checks it, after its own date)", () => {
    const where = { date: "compatibility_date", flags: "compatibility_flags" };
    expect(resolveCompatibility(SUPPORTED_COMPATIBILITY_DATE, undefined, where, new Date(SUPPORTED_COMPATIBILITY_DATE)).date).toBe(SUPPORTED_COMPATIBILITY_DATE);
    const dayBefore = new Date(dayFrom(SUPPORTED_COMPATIBILITY_DATE, -1));
    expect(configError(() => resolveCompatibility(SUPPORTED_COMPATIBILITY_DATE, undefined, where, dayBefore))).toContain(
      `Can't set compatibility date in the future: "${SUPPORTED_COMPATIBILITY_DATE}". Today's date (UTC) is "${dayFrom(SUPPORTED_COMPATIBILITY_DATE, -1)}".`,
    );
  });

  it("resolves which Durable Object behaviours the date and flags select", () => {
    const old = configFile("wrangler.json", JSON.stringify({ name: "w", compatibility_date: "2025-06-01", compatibility_flags: ["delete_all_deletes_alarm"] }));
    const { features } = loadWranglerConfig(old).compatibility;
    expect(features).toMatchObject({ rpc: true, ctxExports: false, deleteAllDeletesAlarm: true, rpcParamsDupStubs: false });
    const optOut = configFile("wrangler.json", JSON.stringify({ name: "w", compatibility_date: "2026-06-01", compatibility_flags: ["delete_all_preserves_alarm"] }));
    expect(loadWranglerConfig(optOut).compatibility.features).toMatchObject({ deleteAllDeletesAlarm: false, webSocketAutoReplyToClose: true });
  });
});

describe("keys named like Object.prototype's members are ordinary keys", () => {
  it('a "__proto__" key in JSON, TOML or .dev.vars never becomes a prototype', () => {
    const json = configFile(
      "wrangler.jsonc",
      '{ "name": "w", "vars": { "__proto__": { "polluted": true }, "A": "1" }, "kv_namespaces": [{ "binding": "__proto__", "id": "k" }] }',
    );
    // A binding name used twice is refused, so the JSON parser kept "__proto__" as a vars key.
    expect(configError(() => loadWranglerConfig(json))).toContain('binds "__proto__" twice (vars and kv_namespaces)');
    const jsonVars = loadWranglerConfig(configFile("wrangler.json", '{ "name": "w", "vars": { "__proto__": { "polluted": true }, "A": "1" } }')).options.bindings!;
    expect(Object.getPrototypeOf(jsonVars)).toBe(Object.prototype);
    expect(Object.keys(jsonVars)).toEqual(["__proto__", "A"]);
    expect(Object.getOwnPropertyDescriptor(jsonVars, "__proto__")?.value).toEqual({ polluted: true });

    const toml = configFile("wrangler.toml", 'name = "w"\n[vars]\n"__proto__" = "v"\n\n[[r2_buckets]]\nbinding = "constructor"\nbucket_name = "b"\n');
    const { options } = loadWranglerConfig(toml);
    expect(Object.getOwnPropertyDescriptor(options.bindings, "__proto__")?.value).toBe("v");
    expect(options.r2Buckets).toEqual({ constructor: "b" });

    // A "__proto__" line is dropped, as wrangler's dotenv drops it; nothing else is disturbed.
    const secrets = loadWranglerConfig(configFile("wrangler.json", '{ "name": "w" }', { ".env": "__proto__=x\nconstructor=c\n", ".env.local": "B=2\n" })).options.bindings!;
    expect(Object.getPrototypeOf(secrets)).toBe(Object.prototype);
    expect(Object.keys(secrets).sort()).toEqual(["B", "constructor"]);
  });

  it('a top-level "__proto__" table is an unknown key, not a fallback for the real keys', () => {
    const toml = configFile("wrangler.toml", 'name = "w"\n\n["__proto__"]\nmain = "./elsewhere.js"\n');
    expect(configError(() => loadWranglerConfig(toml))).toContain('unknown key "__proto__"');
    expect(configError(() => loadWranglerConfig(toml, { environment: "staging" }))).toContain('unknown key "__proto__"');
  });

  it("warns in wrangler's words, once, of what an environment leaves out that it does not inherit", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const toml = configFile(
        "wrangler.toml",
        [
          'name = "board"',
          "[vars]",
          'PREFIX = "Ideas"',
          "LIMIT = 3",
          "[[kv_namespaces]]",
          'binding = "VOTES"',
          'id = "a"',
          "[[durable_objects.bindings]]",
          'name = "BOARDS"',
          'class_name = "Board"',
          "[env.staging]",
          'vars = { PREFIX = "Staging" }',
          "[env.qa]",
          'vars = { PREFIX = "QA", LIMIT = 1 }',
          'kv_namespaces = [{ binding = "VOTES", id = "b" }]',
          'durable_objects.bindings = [{ name = "BOARDS", class_name = "Board" }]',
        ].join("\n"),
      );
      expect(loadWranglerConfig(toml, { environment: "staging" }).options.bindings).toEqual({ PREFIX: "Staging" });
      expect(warn.mock.calls).toEqual([
        [
          `Processing ${toml} configuration:\n` +
            '  - "env.staging" environment configuration\n' +
            '    - "durable_objects" exists at the top level, but not on "env.staging".\n' +
            '      This is not what you probably want, since "durable_objects" is not inherited by environments.\n' +
            '      Please add "durable_objects" to "env.staging".\n' +
            '    - "kv_namespaces" exists at the top level, but not on "env.staging".\n' +
            '      This is not what you probably want, since "kv_namespaces" is not inherited by environments.\n' +
            '      Please add "kv_namespaces" to "env.staging".\n' +
            '    - "vars.LIMIT" exists at the top level, but not on "env.staging.vars".\n' +
            '      This is not what you probably want, since "vars" configuration is not inherited by environments.\n' +
            '      Please add "vars.LIMIT" to "env.staging".',
        ],
      ]);
      // Read again in the same process (each test file's emulator), it says nothing new.
      loadWranglerConfig(toml, { environment: "staging" });
      // An environment that repeats everything, and the top level itself, draw none.
      loadWranglerConfig(toml, { environment: "qa" });
      loadWranglerConfig(toml);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('an environment named "toString" is one the file must define', () => {
    const file = configFile("wrangler.json", JSON.stringify({ name: "w", env: { staging: {} } }));
    expect(configError(() => loadWranglerConfig(file, { environment: "toString" }))).toContain('No environment found in configuration with name "toString"');
  });
});
