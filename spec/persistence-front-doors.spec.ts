/**
 * `persist` through the other front doors: Miniflare's `durableObjectsPersist` / `kvPersist` /
 * `defaultPersistRoot` on `durasim/miniflare`, and `persist` among `fromWrangler`'s overrides.
 * A second instance on the same directory sees what the first wrote; what Miniflare keeps in
 * memory stays in memory.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator } from "../lib/index.js";
import { Miniflare } from "../lib/miniflare.js";
import { DurableObject } from "../lib/modules/workers.js";
import { ScratchDirectories } from "./scratch-directories.js";

const directories = new ScratchDirectories("durasim-doors-");
afterAll(() => {
  directories.removeAll();
});

// Counts requests in a Durable Object and in KV, and answers both counts.
const script = `
export class Counter {
  constructor(ctx) { this.ctx = ctx; }
  async fetch() {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    const object = await (await env.COUNTER.getByName("c").fetch("http://x/")).text();
    const kv = Number((await env.CACHE.get("n")) ?? 0) + 1;
    await env.CACHE.put("n", String(kv));
    return new Response(object + " " + kv);
  },
};`;

async function twice(options: Record<string, unknown>): Promise<string[]> {
  const seen: string[] = [];
  for (let run = 0; run < 2; run++) {
    const mf = new Miniflare({ modules: true, script, durableObjects: { COUNTER: "Counter" }, kvNamespaces: ["CACHE"], ...options });
    seen.push(await (await mf.dispatchFetch("http://localhost/")).text());
    await mf.dispose();
  }
  return seen;
}

describe("Miniflare's persistence options", () => {
  it("durableObjectsPersist: a directory keeps Durable Objects; KV stays in memory as Miniflare keeps it", async () => {
    const dir = directories.make();
    expect(await twice({ durableObjectsPersist: join(dir, "do") })).toEqual(["1 1", "2 1"]);
    expect(readdirSync(dir)).toEqual(["do"]);
    expect(readdirSync(join(dir, "do")).filter((name) => !name.startsWith("."))).toEqual(["-Counter"]);
  });

  it("durableObjectsPersist and kvPersist: true persist both under <rootPath>/.mf", async () => {
    const root = directories.make();
    expect(await twice({ rootPath: root, durableObjectsPersist: true, kvPersist: true })).toEqual(["1 1", "2 2"]);
    expect(readdirSync(join(root, ".mf")).sort()).toEqual(["do", "kv"]);
  });

  it("defaultPersistRoot persists every kind; false keeps one in memory", async () => {
    const root = directories.make();
    expect(await twice({ defaultPersistRoot: join(root, "v3"), kvPersist: false })).toEqual(["1 1", "2 1"]);
    expect(existsSync(join(root, "v3", "do", "-Counter"))).toBe(true);
    expect(existsSync(join(root, "v3", "kv"))).toBe(false);
  });

  it("setOptions() keeps the directory open and its data; dispose() lets another instance have it", async () => {
    const dir = join(directories.make(), "do");
    const options = { modules: true, script, durableObjects: { COUNTER: "Counter" }, kvNamespaces: ["CACHE"], durableObjectsPersist: dir };
    const mf = new Miniflare(options);
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("1 1");
    await mf.setOptions({ ...options, script: script.replace("object + ", "'n=' + object + ") });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("n=2 2");
    expect(() => new Miniflare(options)).toThrow(/already used by another Emulator in this process/);
    await mf.dispose();
    expect(await twice(options)).toEqual(["3 1", "4 1"]);
  });

  it("without persistence options nothing reaches the disk and nothing survives", async () => {
    expect(await twice({})).toEqual(["1 1", "1 1"]);
  });
});

describe("fromWrangler's persist override", () => {
  it("keeps state in wrangler dev's layout under the given state directory", async () => {
    const dir = directories.make();
    const config = join(dir, "wrangler.jsonc");
    writeFileSync(
      config,
      JSON.stringify({
        name: "shop",
        durable_objects: { bindings: [{ name: "CARTS", class_name: "Cart" }] },
        migrations: [{ tag: "v1", new_sqlite_classes: ["Cart"] }],
      }),
    );
    class Cart extends DurableObject {
      add(item: string) {
        const sql = (this.ctx as unknown as { storage: { sql: { exec(query: string, ...args: unknown[]): { toArray(): unknown[] } } } }).storage.sql;
        sql.exec("CREATE TABLE IF NOT EXISTS items(name TEXT)");
        sql.exec("INSERT INTO items VALUES (?)", item);
        return sql.exec("SELECT name FROM items").toArray();
      }
    }
    const state = join(dir, ".wrangler", "state");
    const first = await Emulator.fromWrangler(config, { module: { Cart }, persist: state });
    await first.env.CARTS.getByName("ann").add("apple");
    await first.dispose();
    const second = await Emulator.fromWrangler(config, { module: { Cart }, persist: state });
    expect(await second.env.CARTS.getByName("ann").add("pear")).toEqual([{ name: "apple" }, { name: "pear" }]);
    await second.dispose();
    expect(readdirSync(join(state, "v3", "do"))).toContain("shop-Cart");
  });
});
