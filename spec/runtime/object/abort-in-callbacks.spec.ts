/**
 * ctx.abort() called from a timer callback (sync or async) or a WebSocket event listener resets
 * the object and ends its code there, reporting nothing (neither uncaught nor logged), as in the runtime: the agents SDK's
 * destroy() aborts from a setTimeout, which surfaced as an uncaught exception and failed the
 * test run.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { type AnyStub, emulator, nextTurn } from "../../helpers.js";

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  let instances = 0;
  export class Doomed extends DurableObject {
    constructor(ctx, env) { super(ctx, env); this.instance = ++instances; }
    which() { return this.instance; }
    later(kind) {
      if (kind === "sync") setTimeout(() => this.ctx.abort("from a timer"), 0);
      if (kind === "async") setTimeout(async () => { await null; this.ctx.abort("from an async timer"); }, 0);
      if (kind === "listener") {
        const [a, b] = Object.values(new WebSocketPair());
        a.accept();
        b.accept();
        a.addEventListener("message", () => this.ctx.abort("from a listener"));
        b.send("go");
      }
      return this.instance;
    }
    ownFlag() {
      setTimeout(() => { throw Object.assign(new Error("mine"), { durableObjectReset: true }); }, 0);
    }
  }`;

let uncaught: unknown[];
const record = (error: unknown) => uncaught.push(error);
let listeners: { exception: NodeJS.UncaughtExceptionListener[]; rejection: NodeJS.UnhandledRejectionListener[] };
beforeEach(() => {
  uncaught = [];
  // Only this spec's listeners hear them while it runs (Vitest's own would fail the run).
  listeners = { exception: process.listeners("uncaughtException"), rejection: process.listeners("unhandledRejection") };
  process.removeAllListeners("uncaughtException").removeAllListeners("unhandledRejection");
  process.on("uncaughtException", record).on("unhandledRejection", record);
});
afterEach(() => {
  process.removeAllListeners("uncaughtException").removeAllListeners("unhandledRejection");
  for (const listener of listeners.exception) process.on("uncaughtException", listener);
  for (const listener of listeners.rejection) process.on("unhandledRejection", listener);
});

function doomed(): { getByName(name: string): AnyStub } {
  return emulator({ script: SCRIPT, durableObjects: { DOOMED: "Doomed" } }).env.DOOMED as { getByName(name: string): AnyStub };
}

for (const kind of ["sync", "async", "listener"]) {
  it(`an abort from ${kind === "listener" ? "a WebSocket listener" : `a ${kind} timer callback`} resets the object and nothing is uncaught`, async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ns = doomed();
    const first: number = await ns.getByName(kind).later(kind);
    // The next call after the reset reaches a new instance.
    let next = first;
    for (let turn = 0; turn < 1_000 && next === first; turn++) {
      await nextTurn();
      next = await ns.getByName(kind).which().catch(() => first);
    }
    expect(next).toBeGreaterThan(first);
    expect(uncaught).toEqual([]);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
}

it("an error of the code's own that sets durableObjectReset, thrown from a timer, is logged as uncaught", async () => {
  // Only the runtime's own reset errors go unreported; the property alone resets nothing.
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  await doomed().getByName("own").ownFlag();
  for (let turn = 0; turn < 1_000 && logged.mock.calls.length === 0; turn++) await nextTurn();
  expect(logged.mock.calls.map(([label, error]) => [label, (error as Error).message])).toEqual([["Uncaught", "mine"]]);
  expect(uncaught).toEqual([]);
  logged.mockRestore();
});
