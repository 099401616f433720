import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { WORKER_GLOBALS_URL, withWorkerGlobals } from "../../lib/modules/worker-prelude.js";
import { WORKER_GLOBAL_NAMES } from "../../lib/util/worker-global-names.js";

const PRELUDE_MODULE = JSON.stringify(WORKER_GLOBALS_URL);

describe("the Worker-module prelude", () => {
  it("imports the globals a module mentions, on its first line", () => {
    const source = "export function f() {\n  return new Response(null, { status: 101, webSocket: new WebSocketPair()[0] });\n}\n";
    const out = withWorkerGlobals(source);
    expect(out).toBe(`import { WebSocketPair, Response } from ${PRELUDE_MODULE};${source}`);
    expect(out.split("\n")).toHaveLength(source.split("\n").length);
    expect(withWorkerGlobals("export const x = 1;")).toBe("export const x = 1;");
  });

  it("leaves out the names a module binds itself", () => {
    const bound = [
      "class WebSocket {}",
      "const Response = globalThis.Response;",
      'import { Response } from "undici";',
      'import WebSocket from "ws";',
      'import * as WebSocket from "ws";',
      "const { Response, fetch } = globals;",
      "function CloseEvent() {}",
    ];
    for (const line of bound) {
      const name = WORKER_GLOBAL_NAMES.find((n) => line.includes(n))!;
      expect(withWorkerGlobals(`${line}\nuse(${name});`), line).toBe(`${line}\nuse(${name});`);
    }
    const notBound = ['import { Response as R } from "undici";', "const { Response: R } = globals;", "f(a, Response);", "ws instanceof WebSocket"];
    for (const line of notBound) expect(withWorkerGlobals(line), line).not.toBe(line);
  });

  it("points at a module that exports every name", async () => {
    const globals = (await import(WORKER_GLOBALS_URL)) as Record<string, unknown>;
    expect(Object.keys(globals).sort()).toEqual([...WORKER_GLOBAL_NAMES].sort());
  });
});

describe("Worker code loaded by Node (modulePath)", () => {
  const dir = mkdtempSync(join(tmpdir(), "durasim-globals-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("sees the Workers globals in every module of the Worker, and nothing else in the process does", () => {
    const dist = pathToFileURL(resolve(import.meta.dirname, "../../dist/index.js")).href;
    writeFileSync(
      join(dir, "worker.js"),
      `import { DurableObject } from "cloudflare:workers";
       import { upgrade } from "./socket.js";
       export class Echo extends DurableObject {
         fetch() { return upgrade((ws, m) => ws.send("echo " + m)); }
       }`,
    );
    // A helper module of the Worker: it does not import cloudflare:workers itself.
    writeFileSync(
      join(dir, "socket.js"),
      `export function upgrade(onMessage) {
         const [client, server] = Object.values(new WebSocketPair());
         server.accept();
         server.addEventListener("message", (e) => onMessage(server, e.data));
         return new Response(null, { status: 101, webSocket: client });
       }`,
    );
    writeFileSync(
      join(dir, "main.mjs"),
      `const NodeResponse = globalThis.Response;
       const NodeWebSocket = globalThis.WebSocket;
       const { Emulator } = await import(${JSON.stringify(dist)});
       const emu = new Emulator({ modulePath: ${JSON.stringify(join(dir, "worker.js"))}, durableObjects: { ECHO: "Echo" } });
       const res = await emu.env.ECHO.getByName("a").fetch("http://x/", { headers: { Upgrade: "websocket" } });
       const ws = res.webSocket;
       ws.accept();
       const reply = new Promise((resolve) => ws.addEventListener("message", (e) => resolve(e.data)));
       ws.send("hi");
       console.log(JSON.stringify({
         status: res.status,
         reply: await reply,
         globalsUntouched: globalThis.Response === NodeResponse && globalThis.WebSocket === NodeWebSocket && typeof globalThis.WebSocketPair === "undefined",
       }));
       await emu.dispose();`,
    );
    const output = execFileSync(process.execPath, [join(dir, "main.mjs")], { cwd: dir, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ status: 101, reply: "echo hi", globalsUntouched: true });
  }, 60_000);

  it("imports a .wasm file as a Module inside an event, as the runtime, which compiled it up front, does; bytes are still refused there, but not to the engines durasim runs there (sql.js)", () => {
    const dist = pathToFileURL(resolve(import.meta.dirname, "../../dist/index.js")).href;
    // The smallest valid module: the magic number and version 1.
    writeFileSync(join(dir, "empty.wasm"), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    writeFileSync(
      join(dir, "lazy.js"),
      `import { DurableObject } from "cloudflare:workers";
       const attempt = async (f) => { try { return await f(); } catch (e) { return e.name + ": " + e.message; } };
       const imported = async () => Object.prototype.toString.call(new WebAssembly.Instance((await import("./empty.wasm")).default));
       export class Lazy extends DurableObject { imported() { return attempt(imported); } }
       export class Rows extends DurableObject { count() { return this.ctx.storage.sql.exec("SELECT 1 AS n").one().n; } }
       export default {
         async fetch(request, env) {
           // The process's first SQLite call, made in an event: sql.js compiles its engine there.
           const rows = await attempt(() => env.ROWS.getByName("a").count());
           return Response.json([rows, await attempt(imported), await env.LAZY.getByName("a").imported(), await attempt(() => new WebAssembly.Module(new Uint8Array(8)))]);
         },
       };`,
    );
    writeFileSync(
      join(dir, "lazy-main.mjs"),
      `const { Emulator } = await import(${JSON.stringify(dist)});
       const emu = new Emulator({ modulePath: ${JSON.stringify(join(dir, "lazy.js"))}, durableObjects: { LAZY: "Lazy", ROWS: { className: "Rows", sqlite: true } } });
       console.log(await (await emu.dispatchFetch("http://x/")).text());
       await emu.dispose();`,
    );
    const output = execFileSync(process.execPath, [join(dir, "lazy-main.mjs")], { cwd: dir, encoding: "utf8" });
    const refused = "CompileError: WebAssembly.Module(): Wasm code generation disallowed by embedder";
    expect(JSON.parse(output)).toEqual([1, "[object WebAssembly.Instance]", "[object WebAssembly.Instance]", refused]);
  }, 60_000);
});
