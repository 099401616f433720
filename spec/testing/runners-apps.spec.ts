/**
 * Apps whose suites are written once and run under Vitest and under Jest (CommonJS and ESM
 * modes), each runner run as a user runs it (see nested-runs.ts): shops, a status page, a
 * checkout, a reading list, a notes API, an auction house, a link shortener, a live poll, a
 * render-job queue, a newsletter, a feature-flag service, a room-booking app.
 */
import { describe } from "vitest";
import { SuiteBatches } from "./nested-runs.js";

const suites = new SuiteBatches();

describe("app suites under each runner", () => {
  for (const runner of ["Vitest", "Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a shop's suite (KV and SQLite objects, a KV namespace, errors thrown across RPC and caught by the Worker, Maps, Dates, SQL rows and stored values compared with toStrictEqual, callbacks, a fetch mock reaching an alarm, an alarm set under fake timers with a past date that runs after useRealTimers, afterEach reading the test's writes, a spy on a prototype method over RPC, exports' Durable Object namespaces, SELF.fetch following a redirect) passes; under Jest, what durasim hands Worker code and tests is of the test file's realm`, "user-suite", runner, 23);
  }

  for (const [runner, passed] of [["Vitest", 29], ["Jest (CommonJS)", 28], ["Jest (ESM)", 28]] as const) {
    suites.it(`${runner}: a status page's suite (wrangler.toml with an environment, its .dev.vars file, a renamed KV-backed class, number and object vars; defineWorkersConfig; the importable env read as a module loads; hibernatable WebSockets through SELF, binary frames as a 2025 Worker delivers them; a rate limiter's alarm under fake timers; R2 uploads with ranged and conditional reads, KV, a named entrypoint through a service binding, exports and ctx.exports; queue and cron handlers as units and events, retryAll() and noRetry()) passes; under Jest, ctx's WebSocket getters hand back the test file's realm's arrays and Dates`, "status-page", runner, passed);
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a checkout's suite whose wrangler file declares bindings durasim does not emulate (a queue producer, D1, Workers AI, Vectorize) runs: they are stand-ins, a spy on one is what the Worker calls, a call to one fails there naming it, each test file gets its own, and miniflare.bindings gives a value instead`, "checkout", runner, 7, { jestConfig: "jest.config.cjs" });
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    // Its Jest config, an ES module, imports durasim's preset module while the batch's other
    // configs name the preset Jest require()s: a project of the batch like the others since the
    // preset Jest requires is a CommonJS build of its own.
    suites.it(`${runner}: a reading list's suite whose config reads its D1 migrations with readD1Migrations() into a binding, applied by a setup file: the config loads, applyD1Migrations() warns that D1 is not emulated instead of failing every file, the Durable Object tests pass and a request that uses D1 fails naming the binding`, "reading-list", runner, 4, { jestConfig: "jest.config.mjs" });
  }

  for (const runner of ["Vitest", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a JavaScript notes API's suite (an auxiliary Worker from miniflare.workers whose Durable Objects the main Worker binds by script_name and whose entrypoint it reaches by a service binding; an RpcTarget grant, its getter and its disposal; errors across the binding; callbacks and byte streams over RPC; a JSON module and a dynamic import in the Worker) passes`, "notes-gateway", runner, 15, { jestConfig: "jest.config.cjs" });
  }

  for (const [runner, passed] of [["Vitest", 8], ["Jest (CommonJS)", 6], ["Jest (ESM)", 6]] as const) {
    suites.it(`${runner}: a write the Worker's ctx.waitUntil() makes after SELF.fetch() returned lands in its own test and is undone with it, not in the next test; an alarm handler running at a test's end writes nothing there either; setup files seed storage and set globals Worker code sees; a global a test stubs reaches objects and the fetch handler; an entrypoint exported under another name is in exports`, "suite-lifecycle", runner, passed);
  }

  for (const [runner, passed] of [["Vitest", 20], ["Jest (CommonJS)", 19], ["Jest (ESM)", 19]] as const) {
    suites.it(`${runner}: an auction house's suite (wrangler.jsonc with deleted_classes; a SQLite object migrating in blockConcurrencyWhile, its synchronous KV, a CHECK constraint's error, a CSV streamed from a cursor; newUniqueId, jurisdiction and idFromString's error; a custom error across RPC read by name; settlement in an alarm retried with retryCount and isRetry under fake timers, calling a payments API signed with crypto.subtle from the importable env; getAlarm and deleteAlarm; auto-response ping over hibernated sockets; point-in-time restore with ctx.abort() breaking the stub; abortAllDurableObjects; a KV-backed ledger's transaction, reverse list and beforeAll writes kept per describe; a cron as a unit and through SELF; exports) passes; under Vitest, cloudflareTest's options as a function read what globalSetup provided (a payments server the alarm reaches)`, "auction-house", runner, passed);
  }

  for (const runner of ["Vitest", "Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a link shortener's suite (a WorkerEntrypoint default export called over RPC on SELF and over HTTP, its handler as a unit with createExecutionContext; a named entrypoint bound as a service of the same Worker; vars with JSON types, a required secret from .dev.vars, cloudflare:workers' env; nodejs_compat's node:crypto; a RangeError and SQLite's constraint error across RPC; expiry alarms re-armed under fake timers, runDurableObjectAlarm; ctx.waitUntil's click count; beforeAll's writes per describe, and nothing of one file's objects or KV in the next) passes`, "link-shortener", runner, 18);
  }

  for (const [runner, passed] of [["Vitest", 18], ["Jest (CommonJS)", 6], ["Jest (ESM)", 6], ["Jest (CommonJS, VM modules on)", 6]] as const) {
    // The smoke's one run of Jest in CommonJS mode with VM modules on (see nested-runs.ts). The
    // Vitest config defines projects, which a project of a batch cannot: it runs alone.
    suites.it(`${runner}: a live-poll app's suite (wrangler.jsonc's "test" environment with migrations; a SQLite-backed poll queried through a tagged template, streaming its tally over hibernatable WebSockets reached with an Upgrade through SELF.fetch, tags, attachments and the auto-response across eviction; its closing alarm under fake timers writing to R2 and calling a mocked webhook, retried after a failure; a KV-backed rate limiter listed with listDurableObjectIds and run with runDurableObjectAlarm; KV seeded by a setup file or beforeAll; the cron as a unit reporting through ctx.exports; RPC on SELF with errors by name and SQLite's constraint error; idFromString's TypeError caught by the Worker as its realm's) passes; under Vitest, beside it an older defineWorkersProject project with no wrangler file whose main is its own test file`, "live-poll", runner, passed, { smoke: runner === "Jest (CommonJS, VM modules on)", alone: runner === "Vitest" });
  }

  for (const runner of ["Vitest", "Jest (CommonJS)"] as const) {
    suites.it(`${runner}: a newsletter's suite written as Cloudflare's docs show (wrangler.jsonc with number and object vars, secrets from .dev.vars, a SQLite object per mailing list, KV, R2, a queue consumer and a cron; runInDurableObject with instanceof on the instance; listDurableObjectIds after requests, unnamed and undone with their test; a custom error's message across RPC; the main module imported as a unit with createExecutionContext and waitOnExecutionContext, createScheduledController, createMessageBatch and getQueueResult, and the same handlers through SELF.fetch, SELF.scheduled, SELF.queue and exports.default; isolated storage describe by describe with nested beforeAll hooks, a beforeEach's write and a ctx.waitUntil write undone; the digest alarm under fake timers with the system time set, its retry, runDurableObjectAlarm true then false; the mailer module mocked for the Worker, with vi.mock and importOriginal under Vitest, jest.mock and requireActual under Jest with jest.useFakeTimers) passes`, "newsletter", runner, 28);
  }

  for (const [runner, passed] of [["Vitest", 26], ["Jest (CommonJS)", 24], ["Jest (ESM)", 24]] as const) {
    suites.it(`${runner}: a feature-flag service's suite (wrangler.toml with vars, KV, R2, a SQLite class's migration, a queue consumer and a cron; the importable env read at a Worker module's top level; flags in SQL read inside runInDurableObject with one(), columnNames, iteration, databaseSize and sqlite_master; a describe's beforeAll writes through a stub seen by its tests and not the next describe's; listDurableObjectIds of named and unique ids, empty again in the next test; a CHECK constraint's error and a custom error by name; test.concurrent.each; an inline snapshot of a Response's headers; the config API mocked with fetchMock.activate(), disableNetConnect(), header matching, times() and assertNoPendingInterceptors; queue() and scheduled() as units with createMessageBatch, createScheduledController and waitOnExecutionContext, and through SELF.queue and SELF.scheduled; a flush alarm under fake timers awaited with vi.waitFor, and runDurableObjectAlarm; under Vitest, a module the Worker imports mocked with vi.mock) passes`, "flag-service", runner, passed);
  }

  for (const runner of ["Vitest", "Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a JavaScript room-booking suite under isolation "file" (wrangler.jsonc with a number var, KV and a key-value-backed class's new_classes migration; a day built test by test: holds in one test read in the next through runInDurableObject's storage.list() Map and getAlarm(), listDurableObjectIds counting the first describe's object; a redirect through SELF with redirect: "manual"; a custom error by name; inline snapshots of a response's headers and body; holds released by the alarm under fake timers started in beforeAll, the calendar reached through vi.spyOn(globalThis, "fetch"); setSystemTime then runDurableObjectAlarm; evictDurableObject keeping storage; a second file starting empty) passes`, "room-booking", runner, 14);
  }

  for (const [runner, passed] of [["Vitest", 48], ["Jest (CommonJS)", 41], ["Jest (ESM)", 41]] as const) {
    suites.it(`${runner}: a render-job queue's suite (a plain router; a SQLite object migrating its own schema table in the constructor under blockConcurrencyWhile, re-migrated after ctx.abort(); a renamed class; jobs run by the alarm through an auxiliary Worker's service binding, retried with backoff under fake timers and expect.poll, cached in KV with metadata; a failure webhook mocked with fetchMock, an unmatched request refused with MockNotMatchedError, a URL without a scheme refused by the object's fetch() in the runtime's words under Jest too; a secret from .dev.vars; test.each; exports of cloudflare:workers; it.concurrent tests sharing their state and undone after them; under Vitest, describe.concurrent with a sequential describe inside, and snapshots) passes`, "render-jobs", runner, passed);
  }
});
