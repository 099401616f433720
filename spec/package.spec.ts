import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

// Installs this checkout by path into a fresh consumer project and uses it the way another
// project would: `import { Emulator } from "durasim"` with Worker code importing
// "cloudflare:workers". Needs the build output, which `npm test` produces first.
const repo = resolve(import.meta.dirname, "..");
const consumer = mkdtempSync(join(tmpdir(), "durasim-consumer-"));
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

it("installs by path and works with no extra step", () => {
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", repo], { cwd: consumer, stdio: "pipe" });
  writeFileSync(
    join(consumer, "worker.js"),
    `import { DurableObject } from "cloudflare:workers";
     export class Counter extends DurableObject {
       async inc() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
     }`,
  );
  writeFileSync(
    join(consumer, "main.js"),
    `import { Emulator } from "durasim";
     import { DurableObject } from "durasim/workers";
     const emu = new Emulator({ modulePath: "./worker.js", durableObjects: { COUNTER: "Counter" } });
     const stub = emu.env.COUNTER.getByName("a");
     const results = await Promise.all([stub.inc(), stub.inc()]);
     console.log(JSON.stringify({ results, base: typeof DurableObject }));
     await emu.dispose();`,
  );
  const output = execFileSync("node", ["main.js"], { cwd: consumer, encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ results: [1, 2], base: "function" });
}, 120_000);

it("ships type declarations a TypeScript consumer compiles against", () => {
  writeFileSync(
    join(consumer, "typed.ts"),
    `import { Emulator, type DurableObjectStub } from "durasim";
     import { DurableObject } from "durasim/workers";
     export class Counter extends DurableObject {
       inc(): number { return 1; }
     }
     const emu = new Emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" } });
     const stub: DurableObjectStub = emu.env.COUNTER.getByName("a");
     const id: string = stub.id.toString();
     export const result: Promise<number> = stub.inc();
     // @ts-expect-error an unknown option is a type error too
     new Emulator({ module: {}, durabelObjects: {} });
     void id;`,
  );
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] }, files: ["typed.ts"] }),
  );
  const tsc = join(repo, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["-p", consumer, "--typeRoots", join(repo, "node_modules", "@types")], { cwd: consumer, stdio: "pipe" });
}, 60_000);
