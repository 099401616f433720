/**
 * The Jest shims list every name of the module they stand for, one by one (Jest finds the
 * names an ES module may import from CommonJS by reading `exports.X` assignments), so a name
 * added to a module must be added to its shim: this fails until it is.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const HOST = Symbol.for("durasim.jest");
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[HOST];
});

it("every shim exports exactly its module's names", async () => {
  const modules = {
    durasim: await import(resolve(repo, "dist/index.js")),
    workers: await import(resolve(repo, "dist/modules/workers.js")),
    test: await import(resolve(repo, "dist/modules/test/index.js")),
    miniflare: await import(resolve(repo, "dist/miniflare.js")),
  };
  (globalThis as Record<symbol, unknown>)[HOST] = { modules, start: async () => {} };
  for (const [shim, module] of [
    ["durasim", modules.durasim],
    ["workers", modules.workers],
    ["test", modules.test],
    // Its fetch API classes are the requiring realm's globals: this process's here.
    ["miniflare", modules.miniflare],
  ] as const) {
    const exported = require(resolve(repo, `dist/testing/jest/shims/${shim}.cjs`));
    const names = Object.keys(module).sort();
    expect(Object.keys(exported).sort(), shim).toEqual(names);
    for (const name of names) expect(exported[name], `${shim}.${name}`).toBe(module[name]);
  }
});
