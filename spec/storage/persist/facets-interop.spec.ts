/**
 * Facets on disk as workerd (wrangler dev) keeps them: `<id>.facets` numbers an object's facets
 * and facet n lives in `<id>.<n>.sqlite` beside the object. workerd writes a state directory and
 * durasim reads it (and deletes it all with the parent's deleteAll(), names it never used
 * included), and the reverse. The fixtures are made here by the workerd binary, never committed.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";
import { ScratchDirectories } from "../../scratch-directories.js";
import { COMPATIBILITY_DATE, runWorkerdTest } from "./workerd-state.mjs";

const UNIQUE_KEY = "interop-Host";

/** What both runtimes run: a Host whose facets "a" and "b" hold a value, and "a" a facet of its own. */
const PARTS = {
  kid: `
  grand() { return this.ctx.facets.get("grand", () => ({ class: this.ctx.exports.Kid })); }
  write(value) { this.ctx.storage.kv.put("v", value); }
  read() { return this.ctx.storage.kv.get("v") ?? null; }
  async writeGrand(value) { await this.grand().write(value); }
  async readGrand() { return this.grand().read(); }`,
  host: `
  facet(name) { return this.ctx.facets.get(name, () => ({ class: this.ctx.exports.Kid })); }
  async run(op) {
    if (op === "write") {
      await this.facet("a").write(1);
      await this.facet("b").write(2);
      await this.facet("a").writeGrand(3);
      return null;
    }
    if (op === "deleteAll") return this.ctx.storage.deleteAll();
    return [await this.facet("a").read(), await this.facet("b").read(), await this.facet("a").readGrand()];
  }`,
};

const WORKER = `import { DurableObject } from "cloudflare:workers";
export class Kid extends DurableObject {${PARTS.kid}
}
export class Host extends DurableObject {${PARTS.host}
}
export default {
  async test(ctrl, env) {
    console.log("@@OUT@@" + JSON.stringify(await env.HOST.getByName("h").run(env.OP) ?? null));
  },
};
`;

// The same classes for durasim (one source of truth: the method bodies above).
const Kid = new Function("DurableObject", `return class Kid extends DurableObject {${PARTS.kid}\n}`)(DurableObject);
const Host = new Function("DurableObject", `return class Host extends DurableObject {${PARTS.host}\n}`)(DurableObject);

const directories = new ScratchDirectories("durasim-facets-interop-");
afterAll(() => directories.removeAll());

/** Runs `op` on workerd over the state directory `state` (wrangler dev's layout). */
async function onWorkerd(state: string, op: string): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), "durasim-facets-workerd-"));
  try {
    await mkdir(join(state, "v3", "do"), { recursive: true });
    await writeFile(join(dir, "main.js"), WORKER);
    await writeFile(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "main", worker = .w),
  (name = "disk", disk = (path = ${JSON.stringify(join(state, "v3", "do"))}, writable = true)) ] );
const w :Workerd.Worker = ( compatibilityDate = "${COMPATIBILITY_DATE}", compatibilityFlags = ["enable_ctx_exports"],
  modules = [ (name = "main.js", esModule = embed "main.js") ],
  durableObjectNamespaces = [ (className = "Host", uniqueKey = "${UNIQUE_KEY}", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
  bindings = [ (name = "HOST", durableObjectNamespace = "Host"), (name = "OP", text = "${op}") ] );
`,
    );
    const { code, stdout, stderr } = await runWorkerdTest(dir);
    const line = stdout.split("\n").find((l) => l.startsWith("@@OUT@@"));
    if (code !== 0 || line === undefined) throw new Error(`workerd failed (exit ${code}):\n${stderr}\n${stdout}`);
    return JSON.parse(line.slice("@@OUT@@".length));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `op` on durasim over `state`, then closes the emulator (its files as a stopped wrangler dev leaves them). */
async function onDurasim(state: string, op: string): Promise<unknown> {
  const emu = emulator({
    module: { Host, Kid },
    durableObjects: { HOST: { className: "Host", sqlite: true, uniqueKey: UNIQUE_KEY } },
    persist: state,
  });
  try {
    return await (emu.env.HOST.getByName("h") as AnyStub).run(op);
  } finally {
    await emu.dispose();
  }
}

const namespaceFiles = (state: string) => readdirSync(join(state, "v3", "do", UNIQUE_KEY));

describe("facets on disk, as workerd keeps them", () => {
  it("durasim reads the facets workerd wrote, and its parent's deleteAll() deletes every one of them", async () => {
    const state = directories.make();
    await onWorkerd(state, "write");
    expect(await onDurasim(state, "read")).toEqual([1, 2, 3]);
    // A fresh emulator that never used the facets' names deletes them all the same.
    await onDurasim(state, "deleteAll");
    expect(await onWorkerd(state, "read")).toEqual([null, null, null]);
  }, 60_000);

  it("workerd reads the facets durasim wrote, in files beside the parent's", async () => {
    const state = directories.make();
    await onDurasim(state, "write");
    const id = (await onDurasimId(state)).toString();
    // (The parent stored nothing of its own: it has no database yet.)
    expect(namespaceFiles(state).filter((name) => !name.includes("-")).sort()).toEqual([`${id}.1.sqlite`, `${id}.2.sqlite`, `${id}.3.sqlite`, `${id}.facets`]);
    expect(await onWorkerd(state, "read")).toEqual([1, 2, 3]);
  }, 60_000);
});

async function onDurasimId(state: string): Promise<string> {
  const emu = emulator({ module: { Host, Kid }, durableObjects: { HOST: { className: "Host", sqlite: true, uniqueKey: UNIQUE_KEY } }, persist: state });
  try {
    return (emu.env.HOST as AnyStub).idFromName("h").toString();
  } finally {
    await emu.dispose();
  }
}
