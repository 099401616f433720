/**
 * Types, checked by the TypeScript compiler as users' projects would be: stubs typed by their
 * class (a missing method or a wrong result type fails to compile; `@ts-expect-error` lines
 * would fail if it did not), `Emulator<Env>`, and a Worker project typed by
 * @cloudflare/workers-types using durasim's bindings and `cloudflare:test`. Needs the build.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { itBeyondSmoke } from "../smoke.js";

const repo = resolve(import.meta.dirname, "../..");

function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project], { cwd: repo, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
}

/**
 * TypeScript 7's tsc is a native binary that Node only launches, so a fixture's verdict cannot
 * depend on the Node version: the smoke (CI's second Node, see nested-runs.ts) compiles one
 * fixture, which still checks that tsc starts under that Node, and the first Node all of them.
 */
it("durasim's own types, without workers-types compile", () => {
  expect(typecheck("spec/testing/types/plain")).toBe("");
}, 120_000);

itBeyondSmoke.each([
  ["a Worker project with workers-types and cloudflare:test", "spec/testing/types/worker"],
  ["the Vitest example (a Worker project)", "examples/vitest"],
  ["the chat-room example (a Worker project)", "examples/chat-room"],
  ["the node:test example", "examples/node-test"],
  ["a suite typing SELF's RPC methods with ProvidedWorker", "spec/testing/fixtures/link-shortener"],
  ["a suite with Vitest, Jest and node:test files, a defineWorkersProject project and ctx.exports typed by GlobalProps", "spec/testing/fixtures/live-poll"],
  ["a suite typing cloudflare:workers' env and exports by wrangler types' Cloudflare.Env and GlobalProps", "spec/testing/fixtures/render-jobs"],
  ["an API gateway's Vitest suite typed by ProvidedEnv (KV, R2, a SQLite object's RPC)", "spec/testing/fixtures/api-quota"],
  ["a Kanban board's Jest suite written with @jest/globals and cloudflare:test", "spec/testing/fixtures/team-board"],
  ["a presence hub's suite typing SELF's RPC by ProvidedWorker and runInDurableObject by its type parameters", "spec/testing/fixtures/presence-hub"],
  ["a plain Vitest suite on durasim's own API comparing emu.listIds() with a workers-types stub's id", "spec/testing/fixtures/build-feed"],
  ["a plain Jest suite on durasim's own API with two Workers and a typed service binding", "spec/testing/fixtures/wallet"],
  ["a node:test job queue typing emu.env by Emulator.fromWrangler<Env> and runInDurableObject's instance by its class", "spec/testing/fixtures/job-queue"],
  ["a newsletter's suite typing env by ProvidedEnv and exports by GlobalProps' mainModule, its handlers called as units", "spec/testing/fixtures/newsletter"],
  ["a feature-flag service whose Worker module reads cloudflare:workers' env at its top level, typed by wrangler types' Cloudflare.Env, its handlers called as units", "spec/testing/fixtures/flag-service"],
  ["a suite whose vitest.config reads D1 migrations into a binding typed with cloudflare:test's D1Migration", "spec/testing/fixtures/reading-list"],
  ["a URL shortener's suite typing a service binding to another Worker's entrypoint, a rate limiting binding and fetchMock's reply callback", "spec/testing/fixtures/snip-links"],
  ["a collaborative editor's Jest suite typing its WebSocket messages and the room's RPC", "spec/testing/fixtures/doc-room"],
  ["a tic-tac-toe server's suite typing SQL rows by sql.exec<Row>() and the lobby's RPC by ProvidedEnv", "spec/testing/fixtures/tictactoe"],
  ["a usage-metering service's suite typing a queue producer's send(), createMessageBatch<Body>() and its handlers called as units", "spec/testing/fixtures/usage-meter"],
])("%s compile", (_name, project) => {
  expect(typecheck(project)).toBe("");
}, 120_000);
