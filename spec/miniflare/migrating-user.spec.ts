/**
 * A Miniflare user's test file moved to durasim by changing its import only: what it imports
 * from "miniflare" besides the class (Log, LogLevel, kCurrentWorker, the fetch classes), the
 * module rules Miniflare's README shows, and state reopened from persistence directories. A
 * Worker project on disk, compared with Miniflare 4, is api-probes.mjs's "migratingProject".
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { kCurrentWorker, Log, LogLevel, Miniflare, NoOpLog, Request, Response, type SharedOptions, type WorkerOptions } from "../../lib/miniflare.js";

/** What these tests use of the KV and R2 bindings Miniflare hands out. */
type Kv = { put(key: string, value: string): Promise<void> };
type Bucket = { put(key: string, value: string): Promise<unknown>; get(key: string): Promise<{ text(): Promise<string> } | null> };

const live: Miniflare[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(live.splice(0).map((mf) => mf.dispose()));
});
function miniflare(options: Record<string, unknown>): Miniflare {
  const mf = new Miniflare(options);
  live.push(mf);
  return mf;
}

/** A Worker a Miniflare test would give inline (a Worker on disk: api-probes.mjs, "migratingProject"). */
const SCRIPT = `import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  async increment() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/self") return new Response("self saw " + (await request.text()));
    if (url.pathname === "/via-self") return env.SELF.fetch("http://self/self", { method: "POST", body: await request.text() });
    if (url.pathname === "/count") return new Response(String(await env.COUNTER.getByName("a").increment()));
    return new Response("hello " + (await env.KV.get("who")));
  },
};
`;

describe("a test written for Miniflare", () => {
  it("runs with only its import changed: Log, LogLevel, kCurrentWorker, Request and Response, modulesRules for text", async () => {
    const mf = miniflare({
      log: new Log(LogLevel.WARN),
      modules: true,
      script: SCRIPT,
      modulesRules: [{ type: "ESModule", include: ["**/*.mjs"] }, { type: "Text", include: ["**/*.txt"] }],
      compatibilityDate: "2025-06-01",
      durableObjects: { COUNTER: "Counter" },
      kvNamespaces: ["KV"],
      serviceBindings: { SELF: kCurrentWorker },
    });
    const kv = (await mf.getKVNamespace("KV")) as Kv;
    await kv.put("who", "world");

    const greeted = await mf.dispatchFetch(new Request("http://localhost/"));
    expect(greeted).toBeInstanceOf(Response);
    expect(await greeted.text()).toBe("hello world");
    expect(await (await mf.dispatchFetch("http://localhost/via-self", { method: "POST", body: "ping" })).text()).toBe("self saw ping");
  });

  it("reopens the Durable Objects, KV and R2 state it persisted to directories", async () => {
    const root = mkdtempSync(join(tmpdir(), "durasim-migrating-"));
    const options: WorkerOptions & SharedOptions = {
      modules: true,
      script: SCRIPT,
      serviceBindings: { SELF: kCurrentWorker },
      compatibilityDate: "2025-06-01",
      durableObjects: { COUNTER: { className: "Counter", useSQLite: true } },
      kvNamespaces: { KV: "kv-id" },
      r2Buckets: ["BUCKET"],
      durableObjectsPersist: join(root, ".mf/do"),
      kvPersist: join(root, ".mf/kv"),
      r2Persist: join(root, ".mf/r2"),
    };
    const first = new Miniflare(options);
    expect(await (await first.dispatchFetch("http://localhost/count")).text()).toBe("1");
    await ((await first.getKVNamespace("KV")) as Kv).put("who", "again");
    await ((await first.getR2Bucket("BUCKET")) as Bucket).put("file", "kept");
    await first.dispose();

    const second = miniflare(options);
    expect(await (await second.dispatchFetch("http://localhost/count")).text()).toBe("2");
    expect(await (await second.dispatchFetch("http://localhost/")).text()).toBe("hello again");
    expect(await (await ((await second.getR2Bucket("BUCKET")) as Bucket).get("file"))?.text()).toBe("kept");
  });
});

describe("setOptions() and persistence", () => {
  it("options that leave the directory out start in memory, as Miniflare's do, and options naming it again reopen it", async () => {
    const root = mkdtempSync(join(tmpdir(), "durasim-migrating-"));
    const persisted = { modules: true, script: SCRIPT, compatibilityDate: "2025-06-01", durableObjects: { COUNTER: "Counter" }, kvNamespaces: ["KV"], defaultPersistRoot: root };
    const inMemory = { ...persisted, defaultPersistRoot: undefined };
    const mf = miniflare(persisted);
    const count = async () => (await mf.dispatchFetch("http://localhost/count")).text();
    const kv = async () => ((await mf.getKVNamespace("KV")) as Kv & { get(key: string): Promise<string | null> }).get("who");
    expect(await count()).toBe("1");
    await ((await mf.getKVNamespace("KV")) as Kv).put("who", "on disk");

    await mf.setOptions(inMemory);
    expect([await count(), await kv()]).toEqual(["1", null]);
    await mf.setOptions(persisted);
    expect([await count(), await kv()]).toEqual(["2", "on disk"]);
    await mf.setOptions({ ...persisted, defaultPersistRoot: join(root, "elsewhere") });
    expect([await count(), await kv()]).toEqual(["1", null]);
  });
});

describe("Log and NoOpLog", () => {
  it("write what a test logs through them as Miniflare's do: [prefix:level] message, up to the Log's level", () => {
    const written = vi.spyOn(console, "log").mockImplementation(() => {});
    const log = new Log(LogLevel.WARN, { prefix: "test", suffix: "db" });
    log.info("not shown");
    log.warn("careful");
    log.error(new RangeError("broken"));
    new Log().debug("not shown either");
    new Log().info("default level");
    new NoOpLog().error(new Error("dropped"));
    new NoOpLog().warn("dropped");
    expect(written.mock.calls.map(([line]) => String(line).split("\n")[0])).toEqual(["[test:warn:db] careful", "[test:error:db] RangeError: broken", "[mf:info] default level"]);
    expect([LogLevel.NONE, LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG, LogLevel.VERBOSE, new Log().level]).toEqual([0, 1, 2, 3, 4, 5, 3]);
  });
});
