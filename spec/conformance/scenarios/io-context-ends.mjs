// When the I/O context that received a stub to a function or RpcTarget ends, the stub goes with
// it: a Worker event's once it has answered and what it passed to waitUntil is done, a Durable
// Object's when its instance is reset (not when the call that received it returns: the object's
// context outlives its requests). Its capability is released then, so the maker's RpcTarget
// disposer runs, or a Worker event that made it and was kept only by that stub ends (its timers
// never fire) without running the disposer; a later event that uses the kept stub is refused
// as another context's.
import { cls } from "../scenario.mjs";
import { HOW } from "./io-contexts.mjs";

const EXTRA = `import { WorkerEntrypoint } from "cloudflare:workers";
const log = [];
const kept = {};
${HOW}
const logged = (entry) => waitFor(async () => log.includes(entry), 3000);
class T extends RpcTarget {
  constructor(tag) { super(); this.tag = tag; }
  ping() { return "pong " + this.tag; }
  [Symbol.dispose]() { log.push("disposed " + this.tag); }
}
export class Keeper extends WorkerEntrypoint {
  keep(x) { kept.dup = x.dup(); return "kept"; }
  keepLonger(x) { kept.longer = x.dup(); this.ctx.waitUntil(sleep(300).then(() => log.push("keeper waitUntil done"))); return "kept"; }
  async keepResult() { kept.result = await this.env.MAKER.target("result"); return "kept"; }
  async keepFunction() { kept.fn = await this.env.MAKER.fn(); return "kept"; }
  async holdResult() { const r = await this.env.MAKER.target("held"); await sleep(300); const whileHeld = [...log]; return { whileHeld, ping: await r.ping() }; }
  async useKept() { return { dup: await how(() => kept.dup.ping()), result: await how(() => kept.result.ping()), fn: await how(() => kept.fn()) }; }
}
export class Maker extends WorkerEntrypoint {
  target(tag) { setTimeout(() => log.push("maker timer " + tag), 200); return new T(tag); }
  fn() { setTimeout(() => log.push("maker timer fn"), 200); return () => "f"; }
  waitingTarget(tag) { this.ctx.waitUntil(sleep(300)); return new T(tag); }
}`;

const DO_BODY = `  keep(x) { this.kept = x.dup(); return "kept"; }
  async useKept() { return await how(() => this.kept.ping()); }
  abort() { this.ctx.abort(new Error("aborted")); }`;

const SERVICES = { KEEPER: { name: "test", entrypoint: "Keeper" }, MAKER: { name: "test", entrypoint: "Maker" } };

export default [
  {
    name: "io-context-ends: a stub to an RpcTarget a Worker event kept with dup() is released when the event ends, after its waitUntil; a Durable Object keeps one until it is reset",
    backend: "sqlite",
    source: cls(DO_BODY, { extra: EXTRA }),
    services: SERVICES,
    drive: async (env) => {
      const out = {};
      await env.KEEPER.keep(new T("event"));
      out.asTheCallReturns = [...log];
      out.disposedOnceEnded = await logged("disposed event");
      await env.KEEPER.keepLonger(new T("longer"));
      await sleep(20);
      out.whileWaitUntilRuns = log.includes("disposed longer");
      out.disposedAfterWaitUntil = await logged("disposed longer");
      out.order = log.filter((e) => e !== "disposed event");
      log.length = 0;
      await env.DO.getByName("a").keep(new T("object"));
      await sleep(50);
      out.objectKeeps = [...log];
      out.objectLaterCall = await env.DO.getByName("a").useKept();
      out.abort = await outcome(() => env.DO.getByName("a").abort());
      out.disposedOnReset = await logged("disposed object");
      return out;
    },
  },
  {
    name: "io-context-ends: a stub a Worker event received as a result is released when it ends: the maker's event ends (no timer, no disposer); a later event using it is refused",
    backend: "sqlite",
    source: cls(DO_BODY, { extra: EXTRA }),
    services: SERVICES,
    drive: async (env) => {
      const out = {};
      // Held, the maker's event lasts: its timer fires.
      out.held = await env.KEEPER.holdResult();
      log.length = 0;
      await env.KEEPER.keepResult();
      await env.KEEPER.keepFunction();
      await sleep(300);
      out.afterReceiverEnded = [...log];
      out.laterEvent = await env.KEEPER.useKept();
      // The maker's event still runs for waitUntil: its disposer runs when the drive disposes the stub.
      const waiting = await env.MAKER.waitingTarget("waiting");
      waiting[Symbol.dispose]();
      out.disposerWhileMakerRuns = await logged("disposed waiting");
      return out;
    },
  },
  {
    name: "io-context-ends: an RpcTarget a Durable Object handed out: its disposer runs when its last stub goes, but not once the object was reset",
    backend: "sqlite",
    source: cls(`${DO_BODY}
  target(tag) { return new T(tag); }`, { extra: EXTRA }),
    services: SERVICES,
    drive: async (env) => {
      const out = {};
      const live = await env.DO.getByName("maker").target("live");
      out.ping = await live.ping();
      live[Symbol.dispose]();
      out.disposedLive = await logged("disposed live");
      const stub = env.DO.getByName("maker");
      const dead = await stub.target("dead");
      out.abort = await outcome(() => stub.abort());
      await sleep(100);
      out.afterReset = log.filter((e) => e === "disposed dead");
      dead[Symbol.dispose]();
      await sleep(200);
      out.afterDispose = log.filter((e) => e === "disposed dead");
      return out;
    },
  },
];
