// Alarms driven only through Vitest's fake timers, on the default (real) clock: no durasim
// time API is used here.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alarmWorld, world } from "./fixtures.js";
import { bodyClosedWhenMade } from "../../../lib/util/real-microtasks.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A call within 10 s of fake time keeps the object's instance; one after 10 s idle constructs anew. */
async function idleEvictionFollowsTheFakeClock(name: string): Promise<void> {
  const { ns } = alarmWorld({ clock: "real" });
  const stub = ns.getByName(name);
  expect(await stub.bump()).toBe(1);
  await vi.advanceTimersByTimeAsync(9_999);
  expect(await stub.bump()).toBe(2);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(await stub.bump()).toBe(1);
  expect(world.constructed).toBe(2);
}

describe("alarms under vi.useFakeTimers()", () => {
  it("setAlarm(Date.now() + 60_000) fires when the fake clock is advanced 60 s, not before", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("fake");
    await stub.arm(60_000);
    const scheduled = await stub.getAlarm();
    expect(scheduled).toBe(Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(world.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.runs).toEqual([{ name: "fake", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]);
    expect(await stub.getAlarm()).toBeNull();
  });

  it("drives retries with their backoff", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("retry").arm(0, "throw");
    await vi.advanceTimersByTimeAsync(0);
    expect(world.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(world.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000 * 0.25 + 1);
    expect(world.runs.map((run) => run.info.retryCount)).toEqual([0, 1]);
  });

  it("drives idle eviction: after 10 s the next call constructs a new instance", () => idleEvictionFollowsTheFakeClock("evicted"));

  it("idle eviction follows vi.setSystemTime() too: a jump past its 10 s evicts at the next advance", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("jumped");
    expect(await stub.bump()).toBe(1);
    vi.setSystemTime(Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(await stub.bump()).toBe(1);
    expect(world.constructed).toBe(2);
  });

  it("evicts on the fake clock even when an idle object's timer was set before fake timers were installed", async () => {
    vi.useRealTimers();
    const { ns } = alarmWorld({ clock: "real" });
    expect(await ns.getByName("before").bump()).toBe(1);
    vi.useFakeTimers();
    const stub = ns.getByName("after");
    expect(await stub.bump()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await stub.bump()).toBe(1);
    expect(world.constructed).toBe(3);
  });

  it("an alarm set under fake timers still fires after vi.useRealTimers(), as production's stays scheduled: at once when the faked time was behind, and a timer set before the fakes stays real", async () => {
    vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("behind").arm(60_000);
    const scheduled = await ns.getByName("behind").getAlarm();
    vi.useRealTimers();
    await vi.waitFor(() => expect(world.runs).toEqual([{ name: "behind", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]));
    // Re-armed on the machine's timers, the next alarm no longer follows fake timers installed later.
    await ns.getByName("real").arm(200);
    vi.useFakeTimers();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(world.runs).toHaveLength(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(world.runs.map((run) => run.name)).toEqual(["behind", "real"]));
  });

  it("an alarm is due at its time, not its delay: after vi.setSystemTime() jumps the faked time near it, advancing the rest runs it (fake timers keep their own timers' delays across the jump)", async () => {
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("midnight");
    await stub.arm(14 * 3_600_000);
    const scheduled = await stub.getAlarm();
    vi.setSystemTime(new Date("2026-03-01T23:59:00Z"));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(world.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.runs).toEqual([{ name: "midnight", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]);
  });

  it("an alarm carried over to fake timers installed anew (vi.useFakeTimers() again) follows their setSystemTime() too", async () => {
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("carried").arm(14 * 3_600_000);
    vi.useFakeTimers({ now: new Date("2026-03-01T10:00:00Z") });
    // The alarm moves to the new fakes a microtask after they replace the old ones.
    await Promise.resolve();
    vi.setSystemTime(new Date("2026-03-01T23:59:00Z"));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(world.runs.map((run) => run.name)).toEqual(["carried"]);
  });

  it("a jump of the faked time past an alarm runs it at the next advance, as production runs a late alarm at once", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("passed").arm(60_000);
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(world.runs.map((run) => run.name)).toEqual(["passed"]);
  });

  it("vi.clearAllTimers() drops test code's timers, not the clock's: a scheduled alarm still runs at its time, as production's stays scheduled", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("cleared");
    await stub.arm(60_000);
    vi.clearAllTimers();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(world.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.runs.map((run) => run.name)).toEqual(["cleared"]);
  });

  it("idle eviction goes on after vi.clearAllTimers()", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("idle");
    expect(await stub.bump()).toBe(1);
    vi.clearAllTimers();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await stub.bump()).toBe(1);
    expect(world.constructed).toBe(2);
  });

  for (const [delay, what] of [[5_000, "timer"], [30 * 86_400_000, "30-day timer (beyond 2^31 - 1 ms, waited in steps)"]] as const) {
    it(`vi.clearAllTimers() drops object code's timers as if cleared: an object whose only ${what} it dropped is evicted after 10 idle seconds`, async () => {
      const { Emulator } = await import("../../../lib/index.js");
      const emu = new Emulator({
        script: `import { DurableObject } from "cloudflare:workers";
          export class T extends DurableObject {
            instance = Math.random();
            later() { setTimeout(() => {}, ${delay}); return this.instance; }
            which() { return this.instance; }
          }`,
        durableObjects: { T: "T" },
      });
      try {
        const stub = (emu.env.T as any).getByName("t");
        const first = await stub.later();
        vi.clearAllTimers();
        await vi.advanceTimersByTimeAsync(10_000);
        expect(await stub.which()).not.toBe(first);
      } finally {
        await emu.dispose();
      }
    });
  }

  it("never hangs a request: the gates do not use the faked timers", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("busy");
    expect(await Promise.all([stub.bump(), stub.bump(), stub.getAlarm()])).toEqual([1, 2, null]);
  });
});

describe("streams under fake timers that include queueMicrotask", () => {
  it("a waiting read of a stream object code constructed settles when its controller closes or errors", async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "queueMicrotask"] });
    const { Emulator } = await import("../../../lib/index.js");
    const emu = new Emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class S extends DurableObject {
          async read(how) {
            let controller;
            const reader = new ReadableStream({ start(c) { controller = c; } }).getReader();
            const waiting = reader.read().then((r) => ({ done: r.done }), (e) => ({ error: e.message }));
            if (how === "close") controller.close();
            else controller.error(new Error("boom"));
            return waiting;
          }
        }`,
      durableObjects: { S: "S" },
    });
    try {
      const stub = (emu.env.S as any).getByName("s");
      expect(await stub.read("close")).toEqual({ done: true });
      expect(await stub.read("error")).toEqual({ error: "boom" });
    } finally {
      await emu.dispose();
    }
  });
});

describe("requests and responses under fake timers that include queueMicrotask", () => {
  it.runIf(bodyClosedWhenMade())("a string body a stub's fetch() sends, the object's string Response and the Worker's answer all arrive whole, as does a Response.json() (Node's classes close such a body through queueMicrotask)", async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "Date", "queueMicrotask"] });
    const { Emulator } = await import("../../../lib/index.js");
    const emu = new Emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class O extends DurableObject {
          async fetch(request) {
            if (new URL(request.url).pathname === "/json") return Response.json({ json: true });
            return new Response("got " + (await request.text()));
          }
        }
        export default {
          async fetch(request, env) {
            const answer = await env.O.getByName("o").fetch("http://o/", { method: "POST", body: "from the Worker" });
            return new Response("Worker: " + (await answer.text()));
          },
        };`,
      durableObjects: { O: "O" },
    });
    try {
      const stub = (emu.env.O as any).getByName("o");
      expect(await (await stub.fetch("http://o/", { method: "POST", body: "from the test" })).text()).toBe("got from the test");
      expect(await (await emu.dispatchFetch("http://w/")).text()).toBe("Worker: got from the Worker");
      expect(await (await stub.fetch("http://o/json")).json()).toEqual({ json: true });
    } finally {
      await emu.dispose();
    }
  });

  it.skipIf(bodyClosedWhenMade())("where Node ends a body through queueMicrotask as it is read, a request durasim would make fails at once, naming the option, rather than hang", async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "queueMicrotask"] });
    const { Emulator } = await import("../../../lib/index.js");
    const emu = new Emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class O extends DurableObject { hello() { return "hello"; } }`,
      durableObjects: { O: "O" },
    });
    try {
      const stub = (emu.env.O as any).getByName("o");
      expect(await stub.hello()).toBe("hello");
      await expect(stub.fetch("http://o/", { method: "POST", body: "b" })).rejects.toThrow(
        'Fake timers replace queueMicrotask (a toFake list naming "queueMicrotask", or @sinonjs/fake-timers\' install() with no toFake), and this version of Node ends every Request and Response body through it as the body is read: the body would never end. Leave "queueMicrotask" out of toFake, or run on Node 24.',
      );
    } finally {
      await emu.dispose();
    }
  });
});

describe("timers beyond 2^31 - 1 ms under vi.useFakeTimers()", () => {
  const DAY = 86_400_000;

  it("object code's 30-day setTimeout and setInterval wait their whole delay, in steps Node can wait, and clearing stops them", async () => {
    const { Emulator } = await import("../../../lib/index.js");
    const emu = new Emulator({
      script: `import { DurableObject } from "cloudflare:workers";
        export class T extends DurableObject {
          // Kept past the instance: once its timers are cleared it is evicted after 10 idle seconds.
          fired = (globalThis.longFired = []);
          arm(delay) {
            const start = Date.now();
            setTimeout(() => this.fired.push(["timeout", (Date.now() - start) / ${DAY}]), delay);
            this.interval = setInterval(() => this.fired.push(["interval", (Date.now() - start) / ${DAY}]), delay);
            this.cleared = setTimeout(() => this.fired.push(["cleared"]), delay);
          }
          clear() { clearTimeout(this.cleared); }
          stop() { clearInterval(this.interval); }
          read() { return this.fired; }
        }`,
      durableObjects: { T: "T" },
    });
    try {
      const stub = (emu.env.T as any).getByName("t");
      await stub.read();
      const before = vi.getTimerCount();
      await stub.arm(30 * DAY);
      await vi.advanceTimersByTimeAsync(25 * DAY);
      expect(await stub.read()).toEqual([]);
      await stub.clear();
      await vi.advanceTimersByTimeAsync(5 * DAY);
      expect(await stub.read()).toEqual([["timeout", 30], ["interval", 30]]);
      await vi.advanceTimersByTimeAsync(30 * DAY);
      expect(await stub.read()).toEqual([["timeout", 30], ["interval", 30], ["interval", 60]]);
      await stub.stop();
      // The cleared timers' pending steps went with them.
      expect(vi.getTimerCount()).toBe(before);
      await vi.advanceTimersByTimeAsync(60 * DAY);
      expect((globalThis as { longFired?: unknown[] }).longFired).toHaveLength(3);
    } finally {
      await emu.dispose();
    }
  });
});

/** Resolves once `done()` holds, polling on real macrotasks; rejects after 1,000 of them. */
async function realWaitFor(done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn === 1_000) throw new Error("not done after 1,000 turns of the event loop");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("fake timers that fake only Date (toFake: ['Date'])", () => {
  // Their clock keeps timers of its own, which advancing it fires, though the global setTimeout stays real.
  beforeEach(() => {
    vi.useRealTimers();
    vi.useFakeTimers({ toFake: ["Date"] });
  });

  it("an alarm runs when advancing the fake clock reaches its time, not before", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("dated");
    await stub.arm(60_000);
    const scheduled = await stub.getAlarm();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(world.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.runs).toEqual([{ name: "dated", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]);
  });

  it("an alarm already due runs at once, with no advance, as the real timers around it do: one set for now, and one a jump of the faked time (vi.setSystemTime()) passed", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    // Waiting on the real timers only (vi.waitFor() would advance the fake clock as it polls).
    const ran = (count: number) => realWaitFor(() => world.runs.length === count);
    await ns.getByName("now").arm(0);
    await ran(1);
    await ns.getByName("jumped").arm(60_000);
    vi.setSystemTime(Date.now() + 3_600_000);
    await ran(2);
    expect(world.runs.map((run) => run.name)).toEqual(["now", "jumped"]);
  });

  it("idle eviction follows the fake clock", () => idleEvictionFollowsTheFakeClock("idle"));

  it("an alarm set under them still runs after vi.useRealTimers(): at once, as its faked time was behind", async () => {
    vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("behind").arm(60_000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(world.runs.map((run) => run.name)).toEqual(["behind"]));
  });
});

describe("vi.setSystemTime() with no fake timers installed (Vitest mocks Date alone)", () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it("a later vi.setSystemTime() past an alarm runs it at once, and vi.useRealTimers() one whose time the machine's has passed", async () => {
    vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("jumped").arm(60_000);
    await ns.getByName("reset").arm(120_000);
    vi.setSystemTime(new Date("2020-01-01T00:01:00Z"));
    await realWaitFor(() => world.runs.length === 1);
    vi.useRealTimers();
    await realWaitFor(() => world.runs.length === 2);
    expect(world.runs.map((run) => run.name)).toEqual(["jumped", "reset"]);
  });
});

describe("vi.spyOn(Date, 'now') over fake timers", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("an alarm the mocked time has reached runs at the next advance, as after a vi.setSystemTime() jump", async () => {
    const T = Date.UTC(2032, 0, 1);
    const now = vi.spyOn(Date, "now").mockReturnValue(T);
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("spied over fakes").arm(60_000);
    now.mockReturnValue(T + 60_000);
    // vi.waitFor() advances the fake clock at each check.
    await vi.waitFor(() => expect(world.runs.map((run) => run.info.scheduledTime)).toEqual([T + 60_000]));
  });
});

describe("vi.spyOn(Date, 'now') with no fake timers installed (Date.now mocked alone)", () => {
  const T = Date.UTC(2020, 0, 1);

  beforeEach(() => {
    vi.useRealTimers();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("object code reads the mocked time, and an alarm runs once the mocked time reaches it, with no call or assignment to hear", async () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(T);
    const { ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("spied");
    await stub.arm(60_000);
    expect(await stub.getAlarm()).toBe(T + 60_000);
    now.mockReturnValue(T + 60_000);
    await vi.waitFor(() => expect(world.runs).toEqual([{ name: "spied", info: { retryCount: 0, isRetry: false, scheduledTime: T + 60_000 }, alarmInside: null }]));
  });

  it("restoring the mock runs an alarm the machine's time has passed", async () => {
    vi.spyOn(Date, "now").mockReturnValue(T);
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("restored").arm(60_000);
    vi.restoreAllMocks();
    await vi.waitFor(() => expect(world.runs.map((run) => run.name)).toEqual(["restored"]));
  });
});
