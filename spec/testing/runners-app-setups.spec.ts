/**
 * Apps set up their own ways: async or JavaScript configs, without the plugin or the preset,
 * with @jest/globals, with their own package.json and dependencies, and under node:test (see
 * nested-runs.ts for how each runner is run).
 */
import { describe, expect, it } from "vitest";
import { itBeyondSmoke } from "../smoke.js";
import { INSTALL_TIMEOUT, SuiteBatches, TIMEOUT, installOwnDependencies, run, suiteCounts, typeErrors } from "./nested-runs.js";

/** The apps' suites, one nested run per runner and mode (see SuiteBatches). */
const suites = new SuiteBatches();

describe("app suites set up their own ways", () => {
  suites.it("Vitest: an API gateway's suite (wrangler.toml; API keys in KV seeded by beforeAll, describe.each over refusals; a SQLite-backed token bucket keeping its state in the synchronous KV API, reached by getByName and named in ctx.id; its idle alarm re-armed and run under fake timers, runDurableObjectAlarm; vi.spyOn on the class's prototype seeing the Worker's RPC calls; a RangeError across RPC with remote and durableObjectId; listDurableObjectIds' unnamed ids; R2 uploads with HTTP and custom metadata; ctx.waitUntil metering after createExecutionContext and after SELF.fetch; it.concurrent requests never granted past the capacity; an operator token compared with crypto.subtle.timingSafeEqual; the Workers globals in a test file the constructors of what they make) passes", "api-quota", "Vitest", 16);

  suites.it("Vitest: a presence hub's suite (defineWorkersProject given an async function, its pool options a function too, running wrangler.jsonc's staging environment: $schema, observability, placement, a renamed SQLite class after a deleted one, its assets binding served by a function in miniflare.serviceBindings instead of the stand-in; a WorkerEntrypoint default export called over RPC on SELF, typed by ProvidedWorker, and its ctx.waitUntil; runInDurableObject with type parameters; transactionSync trimming history and a failed one leaving nothing; hibernatable WebSockets through SELF.fetch tagged by user and role, getWebSockets(tag), getTags, a kick closing every tab, the event timeout, the ping auto-response across hibernation; vi.spyOn on the instance inside runInDurableObject seeing its socket handlers; a pruning alarm under fake timers and runDurableObjectAlarm; it.fails writing, undone before the next test) passes", "presence-hub", "Vitest", 15);

  // In the smoke (see nested-runs.ts): the one run of Vitest on durasim's own API.
  suites.it("Vitest without the plugin: a build feed's suite on durasim's own API (Emulator.fromWrangler with the module Vite compiled, cloudflare:workers aliased to durasim/workers, durasim/register as a setup file; server-sent events streamed from a SQLite object through the Worker, resumed by Last-Event-ID, a viewer that cancelled or whose request's signal aborted dropped; a pipeline object calling the log object with a locationHint, one step per alarm under fake timers, emu.runAlarm, a prototype spy failing the alarm and its retry's AlarmInvocationInfo; using on an RPC result; durasim/test's runInDurableObject bound by useEmulator; listIds compared with a workers-types id; snapshot and restore) passes", "build-feed", "Vitest", 11, { smoke: true });

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    // The smoke runs it in ESM mode (see nested-runs.ts).
    suites.it(`${runner} without the preset: a wallet's suite on durasim's own API (two Workers in one Emulator, cloudflare:workers mapped to durasim/workers by moduleNameMapper; a KV-backed object's transaction and batched writes; a named WorkerEntrypoint reached through a service binding with props, spied on its prototype, its TypeError crossing two hops; a custom error read by name in the Worker; hold expiry alarms under Jest's fake timers, durasim/test's helpers bound by useEmulator; failNextCommit applying nothing of the batch; a Worker durasim imports itself, from modulePath, scriptPath or script, loaded through Jest's import() in ESM mode and refused in CommonJS mode naming the option and the preset) passes`, "wallet", runner, 9, { smoke: runner === "Jest (ESM)" });
  }

  suites.it("Jest (CommonJS): a warehouse's suite written for Miniflare 4's API, its import changed to durasim/miniflare, under the preset with no wrangler file (two Workers from scriptPath loaded through Jest, a SQLite object's RPC and fetch, a RangeError across RPC, a Date returned, an alarm on real time, KV from getKVNamespace and getBindings, R2 from getR2Bucket, a named entrypoint of the other Worker and its Durable Object bound by scriptName, getWorker, setOptions keeping data and poisoning old stubs, a function service whose throw is a 500 with its stack, dispose's ERR_DISPOSED, a missing scriptName refused through ready; a plain unit test in Node's environment by the jest-environment pragma of its docblock) passes", "warehouse", "Jest (CommonJS)", 18);

  suites.it("Jest (ESM): a parcel tracker's suite with a TypeScript jest.config.ts (wrangler.toml's \"test\" environment with its own vars, an object var, KV and R2, ignored routes, workers_dev and observability; a class renamed and another deleted before a SQLite class's migration; a Durable Object bound by script_name to a depot Worker given in testEnvironmentOptions.miniflare.workers; main pointing at TypeScript; a setup file's beforeEach seeding KV; a custom error read by name in the Worker; each test starting empty; R2 custom metadata; the lateness alarm under jest.useFakeTimers() with a set date, texting through a module mocked with jest.unstable_mockModule; runDurableObjectAlarm) passes", "parcel-tracker", "Jest (ESM)", 8, { jestConfig: "jest.config.ts" });

  // CommonJS mode only: its run with VM modules on passes too, but would be a nested run of its own.
  for (const runner of ["Jest (CommonJS)"] as const) {
    suites.it(`${runner}: a shopping cart's suite with an ES module jest.config.js naming the preset by import.meta.resolve() (wrangler.jsonc's "staging" environment with its own vars and KV, a $schema, a SQLite class's migration; a setupFiles module setting a global; the tax client the Worker imports mocked by a hoisted jest.mock and jest.mocked(), its rejection failing SELF.fetch(); a RangeError caught by the Worker and seen by the test, a CHECK constraint's error through runInDurableObject; a checkout hold released by its alarm under jest.useFakeTimers() with setSystemTime, and by runDurableObjectAlarm) passes`, "cart-service", runner, 8, { jestConfig: "jest.config.js" });
  }

  suites.it("Vitest: a JavaScript session store's suite (vitest.config.mjs overriding a var with miniflare.bindings; an older-style object class with fetch() and no base class, reached by idFromName and get(); a login form posted through SELF with redirect: \"manual\" and its Set-Cookie; a KV-backed transaction with multi-key put, delete and list; the constructor's blockConcurrencyWhile re-run after abort(), which throws in its caller; expiry alarms under fake timers and runDurableObjectAlarm; a prototype spy set before the object starts seeing the alarm's first failure and its retry two seconds later, with the runtime's AlarmInvocationInfo; restoreMocks) passes", "session-store", "Vitest", 11);

  suites.it("Vitest: a shared inbox's suite (wrangler.jsonc's \"test\" environment with its own vars and bindings, read by cloudflare:workers' env as the test file loads; a WorkerEntrypoint default export with fetch() and RPC on SELF, typed by ProvidedWorker; test.extend's fixture writing through a stub for each test that asks for it, undone after each; a classifier module the SQLite object imports mocked with vi.mock, importOriginal and vi.hoisted state, cleared by onTestFinished; describe.each over mocked scores; SQL RETURNING read with one() and runInDurableObject; a snapshot file of a response's headers; a retried test whose every attempt starts on fresh storage) passes", "inbox-digest", "Vitest", 7);

  suites.it("Vitest: a leaderboard's suite in the older API (vitest.config.mts with defineWorkersConfig, .spec.ts files under tests/, a setup file seeding KV before each test; wrangler.toml with number vars, KV, R2, a queue producer and consumer, a cron and a SQLite class; miniflare options adding a KV namespace and a var; a SQLite board ranking scores with ON CONFLICT upserts, a CHECK constraint's error and a custom error by name across RPC, raw() rows inside runInDurableObject, listDurableObjectIds of named and unique ids; a season alarm archiving to R2 through a module mocked with vi.mock's factory, run by runDurableObjectAlarm and by fake timers with setSystemTime; the fetch handler passing its exceptions through (an empty 500 through SELF), the fetch, queue and scheduled handlers as units with createExecutionContext, createMessageBatch, getQueueResult and createScheduledController, a spy on the producer's send(); cloudflare:workers' env) passes", "leaderboard", "Vitest", 22);

  suites.it("Vitest: a file drop's suite (defineWorkersProject with a globalSetup providing a generated file to inject(), unit and integration folders; wrangler.jsonc with an array var, KV, R2, a key-value-backed fetch()-style counter and a SQLite session object in two migrations; an upload in parts through SELF into an R2 multipart upload, R2's part-size error (10011), a download by signed link with its etag, a range, a 304 and KV's TTL; request.cf from SELF.fetch's cf; DigestStream checksums; a stale upload aborted by alarm, by runDurableObjectAlarm and by fake timers; a spy on an R2 binding the object calls) passes", "file-drop", "Vitest", 14);

  suites.it("Vitest: a game lobby's suite without a wrangler file (the plugin's main and miniflare options: a SQLite object by useSQLite, KV by id, number vars, an auxiliary moderation Worker from source text behind a service binding; Vitest's globals, tests beside the sources, an \"@/\" alias the Worker's imports and vi.mock go through; a setup file's console spy restored after each test; hibernatable WebSockets through SELF.fetch with tags, attachments, the ping auto-response and its timestamp, a kick over RPC with a close code, a player leaving; a countdown alarm by runDurableObjectAlarm and under fake timers from a set date) passes", "game-lobby", "Vitest", 15);

  suites.it("Vitest: a URL shortener's suite (wrangler.jsonc with a rate limiting binding, a KV cache with a var for its TTL, a SQLite class and a service binding to a named entrypoint of an auxiliary Worker from its own scriptPath; links created through SELF, limited per client, checked over RPC by the other Worker and probed through fetchMock; redirects with redirect: \"manual\" read the cache ctx.waitUntil filled, awaited by vi.waitFor, or the handler as a unit with waitOnExecutionContext; listDurableObjectIds, KV and the limit fresh in each test; a midnight rollup alarm under fake timers after vi.setSystemTime jumped to 23:59, reporting to a webhook by fetchMock's reply callback, re-armed, retried after a 503 without re-arming first; runDurableObjectAlarm; KV expiry and the next rate limit window under fake timers; a spy on an Analytics Engine dataset's writeDataPoint) passes", "snip-links", "Vitest", 18);

  suites.it("Vitest: a tic-tac-toe server's suite (wrangler.jsonc with two SQLite classes; one room object per name by getByName, knowing its name by ctx.id.name; two players' hibernatable WebSockets opened through SELF.fetch with an Upgrade, tagged by player and mark, seats in attachments ordering the players, moves in SQL read with a typed sql.exec<Row>(); refusals sent over the socket; seats, tags, moves and the ping auto-response across evictDurableObject, the auto-response's timestamp; a player leaving told to the other and the seat offered by a lobby object over RPC; an idle alarm closing both sockets with 1001 and deleteAll() dropping the room's tables, run by runDurableObjectAlarm, and under vi.useFakeTimers() pushed back by a move) passes", "tictactoe", "Vitest", 8);

  suites.it("Vitest: a usage-metering service's suite (wrangler.jsonc with a queue producer and consumer, KV, R2, an Analytics Engine dataset, a cron and a key-value-backed class; SELF.queue() and SELF.scheduled() by service_binding_extra_handlers in the plugin's options; the producer's send() spied on, its stand-in's refusal naming the binding, and standing in for the queue by handing the message to SELF.queue(); one object per customer folding events in a transaction() deduplicated by event id, a closed day's RangeError across RPC applying none of the batch; storage.list with prefix, startAfter, limit and reverse; the consumer as a unit with createMessageBatch and getQueueResult, acks, drops and retries, and through SELF.queue() with each retry's delay; writeDataPoint spied on; the daily cron under vi.useFakeTimers() with setSystemTime archiving yesterday to R2 with metadata, as a unit with createScheduledController and waitOnExecutionContext and through SELF.scheduled()) passes", "usage-meter", "Vitest", 9);

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a Kanban board's suite written with @jest/globals and no testEnvironmentOptions (a SQLite-backed board over RPC: AUTOINCREMENT ids, transactionSync, a CHECK constraint's error, a custom error read by name through the Worker; test.each and a snapshot; jest.spyOn on an instance inside runInDurableObject, seen by later RPC; hibernatable WebSockets through SELF with column tags, attachments, the ping auto-response and a close handler telling the others; done cards archived to R2 by an alarm under Jest's fake timers, runDurableObjectAlarm; a plain unit test in Node's environment by the jest-environment pragma of its docblock, which the preset's setup file leaves be) passes`, "team-board", runner, 19);
  }

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a collaborative editor's suite (wrangler.toml read by the preset with no testEnvironmentOptions: number vars, R2, a SQLite class; documents edited over hibernatable WebSockets opened through SELF.fetch, edits on a stale version rejected, per-user cursors in attachments moved by others' edits, getWebSockets() newest first, the ping auto-response and cursors across evictDurableObject, a leaving editor announced; R2 snapshots every third version with custom metadata; an idle alarm under jest.useFakeTimers() pushed back by edits, closing sockets with 1001, due at its time after jest.setSystemTime() jumped; runDurableObjectAlarm true then false) passes`, "doc-room", runner, 12);
  }

  // Projects with dependencies of their own join the batches once installed (ownDependencies);
  // each type-checks once, as what tsc says of a project cannot depend on the runner.
  suites.it("Vitest: a shop's Hono app with its own package.json (hono, zod and @hono/zod-validator installed beside it; wrangler.toml with a deleted class, a renamed SQLite class, number and object vars, KV, R2 and an unused D1 binding; zod's 400 through SELF, HTTPException's 404, an OutOfStock error read by name after crossing RPC; app.request(), app.fetch() with createExecutionContext and waitOnExecutionContext, hono/testing's testClient; env and exports.default of cloudflare:workers in a test file, typed as wrangler types declares them; a webhook stubbed with vi.spyOn(globalThis, \"fetch\"); holds lapsing by alarm under fake timers (runOnlyPendingTimersAsync, runAllTimersAsync, and advanceTimersToNextTimerAsync stopping at the idle eviction first), runDurableObjectAlarm, listDurableObjectIds' unnamed ids; using on an RPC result and none on a namespace's stub; a transactionSync that throws leaving nothing) passes", "hono-inventory", "Vitest", 24, { ownDependencies: true });

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a support desk with its own package.json (itty-router's AutoRouter, Babel's explicit resource management plugin; wrangler.toml read through testEnvironmentOptions; a route passing AutoRouter's Proxy of the request to stub.fetch() answered with production's 500 "Invalid URL: [object Request]", the refusal being the test file's realm's TypeError for itty-router's catch; hibernatable WebSockets with tags, attachments, the ping auto-response and close codes; an RpcTarget held with using, its disposer run in the object; a typing indicator's setTimeout in the object and the idle alarm driven by Jest's fake timers; runDurableObjectAlarm) passes`, "support-desk", runner, 12, { ownDependencies: true });
  }

  for (const [runner, passed] of [["Vitest", 12], ["Jest (ESM)", 11]] as const) {
    suites.it(`${runner}: an auth service with its own package.json (jose and nanoid; wrangler.toml with a number var, a secret from .dev.vars, a KV namespace and a key-value-backed object): HS256 session tokens signed and verified through SELF, jose's error classes and codes, ES256, EdDSA and PEM-imported RS256 keys checked against a JWKS in KV, CryptoKeys of the runtime's class; a token's expiry by jose's clock and the session's by the object's alarm under fake timers, runDurableObjectAlarm re-arming it; the same test files under Jest through a vitest-to-Jest shim; under Vitest, nanoid mocked with vi.mock for the Worker) passes`, "auth-sessions", runner, passed, { ownDependencies: true, jestConfig: "jest.config.cjs" });
  }

  suites.it("Vitest: a feature voting board with its own package.json (hono; wrangler.toml run in its \"staging\" environment, which repeats the bindings and overrides the vars, its service binding naming the Worker \"voting-board-staging\" to reach its own auth entrypoint; a SQLite-backed board per name, votes deduplicated in KV, a per-user limit's RangeError across RPC; tokens signed and checked over the service binding from the tests and by Hono middleware; SELF.fetch, runInDurableObject reading and writing SQL; a setup file's beforeAll write kept while each test's boards and votes are undone) passes", "voting-board", "Vitest", 12, { ownDependencies: true });

  for (const runner of ["Jest (CommonJS)", "Jest (ESM)"] as const) {
    suites.it(`${runner}: a webhook relay's suite (wrangler.jsonc with number vars, KV and a SQLite class; deliveries queued per subscriber, tried by the alarm and retried with exponential backoff, dead after MAX_ATTEMPTS; the subscriber mocked with fetchMock: body and header matching, times(), replyWithError() reaching the object's fetch() as its own error, assertNoPendingInterceptors after each test; jest.useFakeTimers() with a start date in beforeEach, jest.setSystemTime() to each retry's time and runDurableObjectAlarm; the fetch handler as a unit with createExecutionContext and waitOnExecutionContext for its ctx.waitUntil count; nothing of one test in the next) passes`, "webhook-relay", runner, 7);
  }

  itBeyondSmoke("the webhook relay's project type-checks (its tsconfig.json, with durasim's types and @jest/globals)", () => {
    expect(typeErrors("webhook-relay")).toBe("");
  }, TIMEOUT);

  for (const fixture of ["hono-inventory", "support-desk", "auth-sessions", "voting-board"]) {
    itBeyondSmoke(`${fixture}'s project type-checks (its tsconfig.json, its own dependencies' types and durasim's)`, () => {
      installOwnDependencies(fixture);
      expect(typeErrors(fixture)).toBe("");
    }, INSTALL_TIMEOUT);
  }

  itBeyondSmoke("node:test: the live-poll app's suite with an emulator from the wrangler file's \"test\" environment, reset() after each test, node:test's mocked timers closing a poll and ending a rate limit window, its mock.method as the webhook", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "spec/testing/fixtures/live-poll/node-test/polls.node-test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 4$/m);
  }, TIMEOUT);

  itBeyondSmoke("node:test: the link shortener's suite with an emulator built from the project's directory (wrangler.jsonc and .dev.vars found there), snapshot() and restore() around each test, node:test's mocked timers driving an alarm", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "spec/testing/fixtures/link-shortener/node-test/shortener.node-test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 4$/m);
  }, TIMEOUT);

  itBeyondSmoke("node:test: a job queue's suite on the emulator's manual clock (Emulator.fromWrangler with clock: \"manual\" as an override; a SQLite object creating its schema under blockConcurrencyWhile, jobs run by its alarm and retried with exponential backoff until dead, the job runner replaced by mock.method, node:test's mocked Date stepped with advanceTime; dead jobs requeued all or none by transactionSync; a progress feed over a WebSocket the object accept()ed, closed by the test) passes", () => {
    const output = run(["--import", "tsx", "--import", "durasim/register", "--test", "--test-reporter=tap", "spec/testing/fixtures/job-queue/test/queue.node-test.ts"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 5$/m);
  }, TIMEOUT);

  itBeyondSmoke("node:test: a guestbook's suite moved from vitest-environment-miniflare to Miniflare 4's API, its import changed to durasim/miniflare (two Workers from scriptPath under rootPath, each with its own compatibilityDate and flags; a Text module by modulesRules; a SQLite object signing through a named entrypoint of the other Worker, its RangeError across RPC from Node; a WebSocket feed mocked by a function service answering with the import's WebSocketPair and Response; KV's getWithMetadata from getKVNamespace, R2 from getR2Bucket, getBindings of each Worker, getWorker; setOptions keeping the object's data and poisoning old stubs; dispose's ERR_DISPOSED) passes", () => {
    const output = run(["--test", "--test-reporter=tap", "spec/testing/fixtures/guestbook-mf/test/guestbook.test.mjs"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 8$/m);
  }, TIMEOUT);

  itBeyondSmoke("node:test: a box office's suite written for Miniflare 4's API, its import changed to durasim/miniflare (three Workers, one inline by script and two by scriptPath under rootPath, dated and flagged each; a SQLite class bound by scriptName from another Worker and a KV-backed one; a named entrypoint over a service binding; KV list and getWithMetadata, R2 get, list and head from Node; the Cache API from the Worker and getCaches(); Miniflare's TypeErrors for unknown bindings and Workers; setOptions keeping data; durableObjectsPersist, kvPersist and r2Persist reopened by a new instance; dispose's ERR_DISPOSED and poisoned stubs) passes, as it passes on Miniflare 4", () => {
    const output = run(["--test", "--test-reporter=tap", "spec/testing/fixtures/box-office-mf/test/box-office.test.mjs"]);
    expect(output).toMatch(/^# fail 0$/m);
    expect(output).toMatch(/^# pass 9$/m);
  }, TIMEOUT);

  itBeyondSmoke("Vitest without the pool: a support chat's suite written for Miniflare 4's API, its import changed to durasim/miniflare (an inline Worker with nodejs_compat and JSON bindings, another by scriptPath; hibernatable rooms in a KV-backed class whose webSocketClose runs when the room closes a socket first; ids refused with the runtime's words; a named entrypoint's RangeError as Miniflare's proxy sends it; an R2 multipart upload and KV pages from Node; a named cache a test fills with the import's Response; setOptions poisoning stubs; state kept under defaultPersistRoot; broken deploys refused with ERR_RUNTIME_FAILURE and ERR_MODULE_PARSE, options with ERR_NO_WORKERS, ERR_DUPLICATE_NAME and ERR_VALIDATION) passes, as it passes on Miniflare 4", () => {
    expect(suiteCounts("support-chat-mf", "Vitest")).toEqual({ passed: 12, failed: 0, suites: 0 });
  }, TIMEOUT);
});
