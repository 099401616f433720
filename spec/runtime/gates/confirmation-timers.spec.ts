import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

/** Blocks the thread for `ms`, as a slow or loaded machine does between two turns. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

class Table extends DurableObject {
  declare ctx: { storage: { sql: { exec(query: string): unknown } }; abort(reason: string): void };
  write() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
    return "written";
  }
  /** Resets the object from a zero-delay timer, the thread stalled past the timer's due time. */
  async abortFromTimer() {
    await new Promise((resolve) => {
      setTimeout(resolve, 0);
      stall(5);
    });
    this.ctx.abort("boom");
  }
}

// workerd confirms a SQLite commit a few ready events after it, and its event loop runs every
// ready event before it looks at the clock: a timer set meanwhile fires after the confirmation,
// however slow the machine (conformance "resets: outcomes waiting for a commit's confirmation
// when a queued call aborts" records it so). durasim confirms two turns of Node's loop later,
// and Node fires a due timer at the top of each turn, so without holding timers the stall above
// let the timer (and the reset) in before the confirmation, replacing the result with the reset.
describe("a timer falling due while a SQLite commit is being confirmed", () => {
  it("fires after the confirmation: the writing call keeps its result when the timer resets the object", async () => {
    const emu = emulator({ module: { Table }, durableObjects: { NS: { className: "Table", sqlite: true } } });
    for (let run = 0; run < 5; run++) {
      const stub = (emu.env.NS as AnyStub).getByName(`o${run}`);
      const [written, aborted] = await Promise.allSettled([stub.write(), stub.abortFromTimer()]);
      expect(written).toEqual({ status: "fulfilled", value: "written" });
      expect((aborted as PromiseRejectedResult).reason.message).toBe("boom");
    }
  });

  it("does not wait for commits that begin after it fell due: a timer in an object that keeps writing still fires", async () => {
    class Busy extends DurableObject {
      declare ctx: { storage: { sql: { exec(query: string, ...args: unknown[]): unknown } } };
      /** Writes in every turn until its own zero-delay timer has fired, then says how many. */
      async writeUntilTimer() {
        this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
        let fired = false;
        setTimeout(() => (fired = true), 0);
        let writes = 0;
        while (!fired && writes < 10_000) {
          this.ctx.storage.sql.exec("INSERT INTO t VALUES (?)", writes++);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return fired;
      }
    }
    const emu = emulator({ module: { Busy }, durableObjects: { NS: { className: "Busy", sqlite: true } } });
    expect(await (emu.env.NS as AnyStub).getByName("a").writeUntilTimer()).toBe(true);
  });
});
