// A reset instance is let go at once, though what the reset broke is kept: the broken stub
// (whose later calls the reset's error refuses), the error each caller got, and the stubs a
// caller kept to the RpcTargets and functions the instance returned (whose calls are refused
// from then on). None may hold the instance, or an object reset by ctx.abort() or a failing
// blockConcurrencyWhile() (and all it held) lived as long as a test kept a stub, eviction or
// not. Needs --expose-gc, so it runs the built package (npm test builds it) in a child process.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT } from "../../timeouts.js";

it("an instance reset by ctx.abort() (with a reason or without, from an RPC method or fetch()) or by a blockConcurrencyWhile() callback that throws is garbage while its broken stub and the callers' errors are held, eviction off", () => {
  const script = `
    import { Emulator } from "./dist/index.js";
    const source = \`import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject {
        constructor(ctx, env) { super(ctx, env); globalThis.made(this); }
        async abortWith() { this.ctx.abort("on purpose"); }
        async abortBare() { this.ctx.abort(); }
        async fetch() { this.ctx.abort("in fetch"); }
        async init() { throw new Error("init failed"); }
        async blocked() { await this.ctx.blockConcurrencyWhile(() => this.init()); }
      }\`;
    const refs = [];
    globalThis.made = (instance) => refs.push(new WeakRef(instance));
    const held = [];
    for (const sqlite of [false, true]) {
      const emu = new Emulator({ script: source, durableObjects: { O: { className: "O", sqlite } }, idleTimeout: Infinity });
      for (const reset of [(s) => s.abortWith(), (s) => s.abortBare(), (s) => s.fetch("http://x/"), (s) => s.blocked()]) {
        const stub = emu.env.O.get(emu.env.O.newUniqueId());
        held.push(stub, await reset(stub).catch((error) => error), await stub.abortWith().catch((error) => error));
      }
      held.push(emu);
    }
    for (let i = 0; i < 50 && (i < 4 || refs.some((ref) => ref.deref() !== undefined)); i++) { await new Promise((resolve) => setTimeout(resolve, 5)); globalThis.gc(); }
    console.log(JSON.stringify({ made: refs.length, alive: refs.filter((ref) => ref.deref() !== undefined).length, errors: held.filter((e) => e instanceof Error).map((e) => [e.message, e.durableObjectReset]) }));
    for (const emu of held.filter((e) => e instanceof Emulator)) await emu.dispose();`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: new URL("../../..", import.meta.url), encoding: "utf8" });
  expect(child.stderr).toBe("");
  const each = [["on purpose", true], ["Application called abort() to reset Durable Object.", true], ["in fetch", true], ["init failed", true]];
  const errors = each.flatMap((error) => [error, error]);
  expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).toEqual({ made: 8, alive: 0, errors: [...errors, ...errors] });
}, CHILD_PROCESS_TIMEOUT);

it("an instance reset while the caller keeps stubs to an RpcTarget and a function it returned, a reader of a stream it returned, and a Response its fetch() streamed with its body's reader, is garbage; calls through the stubs are refused, reads fail", () => {
  const script = `
    import { Emulator } from "./dist/index.js";
    const source = \`import { DurableObject, RpcTarget } from "cloudflare:workers";
      class Counter extends RpcTarget { constructor(owner) { super(); this.owner = owner; } next() { return ++this.owner.count; } }
      export class O extends DurableObject {
        count = 0;
        constructor(ctx, env) { super(ctx, env); globalThis.made(this); }
        async counter() { return new Counter(this); }
        async reader() { return () => this.count; }
        async numbers() { return new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array([this.count])) }); }
        async fetch() { return new Response(await this.numbers()); }
        async abort() { this.ctx.abort("on purpose"); }
      }\`;
    const refs = [];
    globalThis.made = (instance) => refs.push(new WeakRef(instance));
    const kept = [];
    const calls = [];
    for (const sqlite of [false, true]) {
      const emu = new Emulator({ script: source, durableObjects: { O: { className: "O", sqlite } }, idleTimeout: Infinity });
      const stub = emu.env.O.getByName("a");
      const counter = await stub.counter();
      const reader = await stub.reader();
      const numbers = (await stub.numbers()).getReader();
      const response = await stub.fetch("http://x/");
      const body = response.body.getReader();
      calls.push(await counter.next(), await reader(), (await numbers.read()).done, (await body.read()).done);
      await stub.abort().catch(() => undefined);
      kept.push(emu, counter, reader, numbers, response, body);
    }
    for (let i = 0; i < 50 && (i < 4 || refs.some((ref) => ref.deref() !== undefined)); i++) { await new Promise((resolve) => setTimeout(resolve, 5)); globalThis.gc(); }
    for (const held of kept.filter((held) => !(held instanceof Emulator) && !(held instanceof Response))) {
      const use = typeof held.read === "function" ? () => held.read() : typeof held.next === "function" ? () => held.next() : held;
      calls.push(await use().catch((error) => error.message));
    }
    console.log(JSON.stringify({ made: refs.length, alive: refs.filter((ref) => ref.deref() !== undefined).length, calls }));
    for (const emu of kept.filter((held) => held instanceof Emulator)) await emu.dispose();`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: new URL("../../..", import.meta.url), encoding: "utf8" });
  expect(child.stderr).toBe("");
  const refused = "The execution context which hosts this callback is no longer running.";
  const cut = "ReadableStream received over RPC disconnected prematurely.";
  expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).toEqual({ made: 2, alive: 0, calls: [1, 1, false, false, 1, 1, false, false, refused, refused, cut, "on purpose", refused, refused, cut, "on purpose"] });
}, CHILD_PROCESS_TIMEOUT);
