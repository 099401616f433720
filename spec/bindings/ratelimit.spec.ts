/**
 * The rate limiting binding as a user's suite meets it: a Worker calls `env.LIMITER.limit({ key })`
 * and answers 429 once the key used up its window; the window follows the emulator's clock
 * (fake timers, advanceTime()); isolation undoes the counts; bad options and bad config are
 * refused by name. (The counting and the messages are pinned down against Miniflare 4 by
 * spec/miniflare-conformance/scenarios/ratelimit.mjs.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { Emulator, type EmulatorOptions } from "../../lib/index.js";
import { Miniflare } from "../../lib/miniflare.js";
import { reset, useEmulator } from "../../lib/modules/test/index.js";
import { emulator, rejection } from "../helpers.js";

/** A Worker limiting each `?key=` through LIMITER: 200 "ok" or 429 "slow down". */
const LIMITED_WORKER = `export default {
  async fetch(request, env) {
    const key = new URL(request.url).searchParams.get("key") ?? "anonymous";
    const { success } = await env.LIMITER.limit({ key });
    return new Response(success ? "ok" : "slow down", { status: success ? 200 : 429 });
  },
};`;

const limited = (options: Partial<EmulatorOptions> = {}) =>
  emulator({ script: LIMITED_WORKER, ratelimits: { LIMITER: { namespace_id: "1001", simple: { limit: 2, period: 60 } } }, ...options } as EmulatorOptions);

async function statuses(emu: Emulator, key: string, times: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) seen.push((await emu.dispatchFetch(`https://example.com/?key=${key}`)).status);
  return seen;
}

/** A time this many ms into a 60 s window, so a test knows where the window ends. */
const intoMinute = (ms: number) => Math.ceil(Date.now() / 60_000) * 60_000 + 60_000 + ms;

afterEach(() => {
  vi.useRealTimers();
});

describe("env.LIMITER.limit({ key })", () => {
  it("succeeds `limit` times per key and window, then answers { success: false }", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const emu = limited();
    expect(await statuses(emu, "alice", 3)).toEqual([200, 200, 429]);
    expect(await statuses(emu, "bob", 1)).toEqual([200]);
    expect(await emu.env.LIMITER.limit({ key: "alice" })).toEqual({ success: false });
    // No key is the key "".
    expect([await emu.env.LIMITER.limit({}), await emu.env.LIMITER.limit({ key: "" }), await emu.env.LIMITER.limit({})]).toEqual([{ success: true }, { success: true }, { success: false }]);
  });

  it("takes limit and period for one call from its options", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const { LIMITER } = limited().env;
    expect(await LIMITER.limit({ key: "k", limit: 1 })).toEqual({ success: true });
    expect(await LIMITER.limit({ key: "k", limit: 1 })).toEqual({ success: false });
    expect(await LIMITER.limit({ key: "k", limit: 3 })).toEqual({ success: true });
    expect(await LIMITER.limit({ key: "k" })).toEqual({ success: false });
  });

  it("rejects bad options with Miniflare's messages", async () => {
    const { LIMITER } = limited().env;
    const message = async (options: unknown) => (await rejection(LIMITER.limit(options))).message;
    expect(await message(undefined)).toBe("invalid rate limit options");
    expect(await message({ key: "k", tokens: 1, cost: 2 })).toBe("bad rate limit options: [tokens,cost]");
    expect(await message({ key: 7 })).toBe("invalid key: 7");
    expect(await message({ limit: "5" })).toBe("limit must be a number: 5");
    expect(await message({ period: "60" })).toBe("period must be a number: 60");
    expect(await message({ period: 30 })).toBe("unsupported period: 30");
    expect((await rejection(LIMITER.limit(null))).constructor.name).toBe("Error");
  });
});

describe("the window follows the emulator's clock", () => {
  it("under fake timers: a new 60 s window counts afresh", async () => {
    vi.useFakeTimers({ now: intoMinute(0) });
    const emu = limited();
    expect(await statuses(emu, "a", 3)).toEqual([200, 200, 429]);
    vi.advanceTimersByTime(59_999);
    expect(await statuses(emu, "a", 1)).toEqual([429]);
    vi.advanceTimersByTime(1);
    expect(await statuses(emu, "a", 3)).toEqual([200, 200, 429]);
  });

  it("under the manual clock, as advanceTime() moves it, for a 10 s period", async () => {
    const emu = limited({ clock: "manual", ratelimits: { LIMITER: { namespace_id: "1", simple: { limit: 1, period: 10 } } } });
    expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
    await emu.advanceTime(10_000);
    expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
  });
});

describe("namespaces", () => {
  it("bindings naming one namespace_id share its counters, across Workers; another namespace counts apart", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const simple = { limit: 1, period: 60 };
    const emu = emulator({
      script: LIMITED_WORKER,
      ratelimits: { LIMITER: { namespace_id: "shared", simple }, SAME: { namespace_id: "shared", simple }, OTHER: { namespace_id: "other", simple } },
      workers: [{ name: "second", script: LIMITED_WORKER, ratelimits: { LIMITER: { namespace_id: "shared", simple } } }],
    } as EmulatorOptions);
    expect(await emu.env.LIMITER.limit({ key: "k" })).toEqual({ success: true });
    expect(await emu.env.SAME.limit({ key: "k" })).toEqual({ success: false });
    expect((await emu.getWorker("second").fetch("https://example.com/?key=k")).status).toBe(429);
    expect(await emu.env.OTHER.limit({ key: "k" })).toEqual({ success: true });
  });
});

describe("counts and the emulator's state", () => {
  it("emu.restore() takes the counts back to the snapshot (the runners' per-test isolation)", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const emu = limited();
    await statuses(emu, "a", 1);
    const snapshot = await emu.snapshot();
    expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
    await emu.restore(snapshot);
    expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
  });

  it("cloudflare:test reset() forgets every count", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const emu = limited();
    useEmulator(undefined);
    expect(await statuses(emu, "a", 3)).toEqual([200, 200, 429]);
    await reset();
    expect(await statuses(emu, "a", 1)).toEqual([200]);
  });
});

describe("configuration", () => {
  const refusal = (ratelimits: unknown) => {
    try {
      limited({ ratelimits } as Partial<EmulatorOptions>);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("not refused");
  };

  it("defaults period to 60 s, as Miniflare does", async () => {
    const emu = limited({ clock: "manual", ratelimits: { LIMITER: { namespace_id: "1", simple: { limit: 1 } } } });
    expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
    await emu.advanceTime(60_000);
    expect(await statuses(emu, "a", 1)).toEqual([200]);
  });

  it("refuses bad config, naming the option", () => {
    expect(refusal([])).toBe('durasim: option "ratelimits" of Worker "worker" must be a record of binding name to { namespace_id, simple: { limit, period } }, e.g. { MY_LIMITER: { namespace_id: "1001", simple: { limit: 100, period: 60 } } }, got [].');
    expect(refusal({ L: { simple: { limit: 1 } } })).toBe('durasim: option "ratelimits.L.namespace_id" of Worker "worker" must be a string, got undefined.');
    expect(refusal({ L: { namespace_id: "1", simple: { limit: 0 } } })).toBe('durasim: option "ratelimits.L.simple.limit" of Worker "worker" must be a number greater than 0, got 0.');
    expect(refusal({ L: { namespace_id: "1", simple: { limit: 1, period: 30 } } })).toBe('durasim: option "ratelimits.L.simple.period" of Worker "worker" must be 10 or 60 (seconds), got 30.');
    expect(refusal({ L: { namespace_id: "1" } })).toBe('durasim: option "ratelimits.L.simple" of Worker "worker" must be { limit, period }, got undefined.');
  });

  it("refuses a ratelimit binding whose name another binding has", () => {
    expect(() => limited({ bindings: { LIMITER: 1 } })).toThrow(/LIMITER/);
  });
});

describe("wrangler config and Miniflare's option", () => {
  const scratch = mkdtempSync(join(tmpdir(), "durasim-ratelimit-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let files = 0;
  const wrangler = (config: object) => {
    const path = join(scratch, `wrangler-${++files}.json`);
    writeFileSync(path, JSON.stringify({ name: "w", compatibility_date: "2025-01-01", ...config }));
    return path;
  };
  const script = LIMITED_WORKER;

  it("binds `ratelimits` and `[[unsafe.bindings]] type = \"ratelimit\"`", async () => {
    vi.useFakeTimers({ now: intoMinute(1_000), toFake: ["Date"] });
    const path = wrangler({
      ratelimits: [{ name: "LIMITER", namespace_id: "1001", simple: { limit: 1, period: 60 } }],
      unsafe: { bindings: [{ name: "OLD", type: "ratelimit", namespace_id: "1001", simple: { limit: 5, period: 10 } }] },
    });
    const emu = await Emulator.fromWrangler(path, { script });
    try {
      expect(await statuses(emu, "a", 2)).toEqual([200, 429]);
      // The unsafe binding shares namespace 1001's counters, with its own limit.
      expect(await emu.env.OLD.limit({ key: "a" })).toEqual({ success: true });
    } finally {
      await emu.dispose();
    }
  });

  it("refuses a bad binding with wrangler's words, and any other unsafe binding", async () => {
    const refusal = async (config: object) => (await rejection(Emulator.fromWrangler(wrangler(config), { script }))).message;
    expect(await refusal({ ratelimits: [{ name: "L", namespace_id: "1", simple: { limit: 1 } }] })).toBe(
      'durasim: "ratelimits[0].simple.period" is required and must be either 10 or 60 but got undefined.',
    );
    expect(await refusal({ unsafe: { bindings: [{ name: "L", type: "ratelimit", simple: { limit: 1, period: 60 } }] } })).toMatch(/^durasim: "unsafe.bindings\[0\]" must have a string "namespace_id" field/);
    const binding = { name: "L", namespace_id: "1", simple: { limit: 1, period: 60 } };
    expect(await refusal({ ratelimits: [binding], unsafe: { bindings: [{ ...binding, type: "ratelimit" }] } })).toBe(
      'durasim: "unsafe.bindings[0]" binds "L" again, as an earlier rate limiting binding does. Give each binding a unique name.',
    );
    expect(await refusal({ unsafe: { bindings: [{ name: "L", type: "ratelimit", namespace_id: "1", simple: { limit: 1, period: 60 } }, { name: "X", type: "x" }] } })).toMatch(
      /"unsafe" in .* declares unsafe bindings/,
    );
  });

  it("Miniflare's `ratelimits` option binds the limiter", async () => {
    const mf = new Miniflare({ modules: true, script, ratelimits: { LIMITER: { namespace_id: "1", simple: { limit: 1 } } } });
    try {
      const { LIMITER } = await mf.getBindings<{ LIMITER: { limit(options: object): Promise<object> } }>();
      expect(await LIMITER.limit({ key: "x" })).toEqual({ success: true });
      expect((await mf.dispatchFetch("https://example.com/?key=y")).status).toBe(200);
    } finally {
      await mf.dispose();
    }
  });
});
