// Checklist §10.7 and §2.3–2.4: resets (ctx.abort, throwing constructor, throwing
// blockConcurrencyWhile), broken stubs, fresh instances. Persistence across a reset is only
// meaningful on sqlite: workerd's inMemory (kv) storage drops data with the instance (§9).
import { cls, both } from "../scenario.mjs";

// `constructed` counts instances; `memory` shows whether in-memory state survived.
const counted = (body, ctor = "") => `let constructed = 0;
let afterAbortRan = false;
${cls(`  memory = 0;
  constructor(ctx, env) { super(ctx, env); constructed++; ${ctor} }
  async bump() { return { memory: ++this.memory, constructed }; }
${body}`)}`;

/** bump, the failing call, the same stub again, a new stub: the standard reset record. */
const resetDrive = (failing) => `async function drive(env) {
  const stub = env.DO.getByName("r");
  const first = await outcome(() => stub.bump());
  const failed = await outcome(() => ${failing});
  const sameStub = await outcome(() => stub.bump());
  const sameStubAgain = await outcome(() => stub.bump());
  const newStub = await outcome(() => env.DO.getByName("r").bump());
  return { first, failed, sameStub, sameStubAgain, newStub, afterAbortRan };
}`;

export default [
  both({
    name: "resets: ctx.abort(reason) rejects with the reason, breaks the stub, fresh instance next",
    source: counted(`  async die() { this.ctx.abort("going down"); afterAbortRan = true; return "unreachable"; }`),
    drive: resetDrive("stub.die()"),
  }),
  both({
    name: "resets: ctx.abort() without a reason",
    source: counted(`  async die() { this.ctx.abort(); }`),
    drive: resetDrive("stub.die()"),
  }),
  {
    name: "resets: ctx.abort cannot be caught",
    backend: "sqlite",
    differs:
      "JavaScript cannot throw an uncatchable exception: code that catches abort()'s error keeps running in durasim, though its storage is gone and its result never reaches a caller",
    source: counted(`  async die() { try { this.ctx.abort("x"); } catch (e) { afterAbortRan = true; return "caught " + e.message; } finally { afterAbortRan = true; } }`),
    drive: resetDrive("stub.die()"),
  },
  {
    name: "resets: ctx.abort with non-string reasons",
    backend: "kv",
    source: counted(`  async die(r) { this.ctx.abort(r); }`),
    drive: async (env) => {
      const out = {};
      for (const [k, r] of Object.entries({ number: 42, object: { a: 1 }, empty: "", undef: undefined })) {
        out[k] = await outcome(() => env.DO.getByName("r-" + k).die(r));
      }
      return out;
    },
  },
  {
    name: "resets: ctx.abort after an await of a timer",
    backend: "sqlite",
    source: counted(`  async die() { await new Promise((r) => setTimeout(r, 5)); this.ctx.abort("late"); }`),
    drive: resetDrive("stub.die()"),
  },
  {
    name: "resets: ctx.abort from a fetch handler",
    backend: "sqlite",
    source: counted(`  async fetch(req) { this.ctx.abort("fetch abort"); return new Response("no"); }`),
    drive: resetDrive(`stub.fetch("http://x/").then((r) => r.status)`),
  },
  {
    name: "resets: committed writes survive abort, uncommitted ones are discarded",
    backend: "sqlite",
    source: counted(`  async write(k, v) { await this.ctx.storage.put(k, v); }
  async writeThenDie() { this.ctx.storage.put("b", "lost"); this.ctx.storage.put("a", "overwritten?"); this.ctx.abort("x"); }
  async read() { return Object.fromEntries(await this.ctx.storage.list()); }`),
    drive: async (env) => {
      await env.DO.getByName("p").write("a", "kept");
      const died = await outcome(() => env.DO.getByName("p").writeThenDie());
      return { died: died.error?.durableObjectReset ?? null, after: await env.DO.getByName("p").read() };
    },
  },
  {
    name: "resets: committed data after abort on the kv backend",
    backend: "kv",
    differs: "reference §9: production keeps committed data; workerd inMemory storage drops it with the instance",
    source: counted(`  async write(k, v) { await this.ctx.storage.put(k, v); }
  async die() { this.ctx.abort("x"); }
  async read() { return Object.fromEntries(await this.ctx.storage.list()); }`),
    drive: async (env) => {
      await env.DO.getByName("p").write("a", "kept");
      await outcome(() => env.DO.getByName("p").die());
      return { after: await env.DO.getByName("p").read() };
    },
  },
  both({
    name: "resets: a throwing constructor rejects with durableObjectReset and re-runs next time",
    source: counted(`  async hello() { return constructed; }`, `if (constructed === 1) throw new RangeError("ctor failed once");`),
    drive: async (env) => {
      const stub = env.DO.getByName("c");
      return {
        first: await outcome(() => stub.hello()),
        sameStub: await outcome(() => stub.hello()),
        newStub: await outcome(() => env.DO.getByName("c").hello()),
        constructed,
      };
    },
  }),
  {
    name: "resets: a constructor that always throws",
    backend: "sqlite",
    source: counted(`  async hello() { return "hi"; }
  async fetch() { return new Response("hi"); }`, `throw new TypeError("always");`),
    drive: async (env) => ({
      rpc: await outcome(() => env.DO.getByName("c").hello()),
      fetch: await outcome(() => env.DO.getByName("c").fetch("http://x/")),
      again: await outcome(() => env.DO.getByName("c").hello()),
      constructed,
    }),
  },
  both({
    name: "resets: blockConcurrencyWhile that throws in the constructor",
    source: counted(`  async hello() { return constructed; }`, `if (constructed === 1) ctx.blockConcurrencyWhile(async () => { throw new Error("bcw init failed"); });`),
    drive: async (env) => {
      const stub = env.DO.getByName("b");
      return {
        first: await outcome(() => stub.hello()),
        sameStub: await outcome(() => stub.hello()),
        newStub: await outcome(() => env.DO.getByName("b").hello()),
        constructed,
      };
    },
  }),
  both({
    name: "resets: blockConcurrencyWhile that throws in a method",
    source: counted(`  async fail() { return await this.ctx.blockConcurrencyWhile(async () => { throw new SyntaxError("bcw method failed"); }); }
  async failCaught() { try { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("caught?"); }); } catch (e) { return "caught " + e.message; } }`),
    drive: resetDrive("stub.fail()"),
  }),
  {
    name: "resets: catching a failed blockConcurrencyWhile does not save the object",
    backend: "sqlite",
    source: counted(`  async failCaught() { try { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("caught?"); }); } catch (e) { return "caught " + e.message; } }`),
    drive: resetDrive("stub.failCaught()"),
  },
  {
    name: "resets: blockConcurrencyWhile with a synchronous throw and a non-promise callback",
    backend: "kv",
    source: counted(`  async syncThrow() { return this.ctx.blockConcurrencyWhile(() => { throw new Error("sync bcw"); }); }
  async plainValue() { return this.ctx.blockConcurrencyWhile(() => 7); }
  async asyncValue() { return this.ctx.blockConcurrencyWhile(async () => ({ v: 8 })); }`),
    drive: async (env) => ({
      plainValue: await outcome(() => env.DO.getByName("v").plainValue()),
      asyncValue: await outcome(() => env.DO.getByName("v").asyncValue()),
      syncThrow: await outcome(() => env.DO.getByName("t").syncThrow()),
      afterSyncThrow: await outcome(() => env.DO.getByName("t").bump()),
    }),
  },
  {
    // slowDie() polls until slowHello() waits on its 40 ms timer: the poll's timer was armed
    // first and falls due sooner, so on either runtime the abort comes first, however far apart
    // the two calls arrive (with two fixed pauses they had to arrive within 20 ms).
    name: "resets: a call waiting on the same object when it aborts",
    backend: "sqlite",
    source: `let helloWaiting = false;
${counted(`  async slowDie() { await waitFor(async () => helloWaiting, Infinity); this.ctx.abort("slow death"); }
  async slowHello() { helloWaiting = true; await new Promise((r) => setTimeout(r, 40)); return "survived"; }`)}`,
    drive: async (env) => {
      const a = env.DO.getByName("w");
      const b = env.DO.getByName("w");
      const [die, hello] = await Promise.all([outcome(() => a.slowDie()), outcome(() => b.slowHello())]);
      return { die, hello, newStub: await outcome(() => env.DO.getByName("w").bump()) };
    },
  },
  {
    // The old instance's call is running (it said so) when the reset comes, and touches storage
    // once die() has begun: the record follows from that order, not from how long a pause lasts
    // (a 30 ms one ran out before the reset on a loaded machine, on both runtimes).
    name: "resets: storage use by an old instance after a reset",
    backend: "sqlite",
    source: `let touching = false;
let dieBegan;
const dying = new Promise((resolve) => { dieBegan = resolve; });
${counted(`  async touchLater() { touching = true; await dying; return outcome(() => this.ctx.storage.get("k")); }
  touchStarted() { return touching; }
  async die() { dieBegan(); this.ctx.abort("reset in between"); }`)}`,
    drive: async (env) => {
      const later = outcome(() => env.DO.getByName("o").touchLater());
      await waitFor(() => env.DO.getByName("o").touchStarted(), Infinity);
      const died = await outcome(() => env.DO.getByName("o").die());
      return { died, later: await later };
    },
  },
  {
    // One call each sets a timeout and an interval, then resets its instance in one of three
    // ways (so no timer can fall due first); a fourth keeps its timeout as the control. The
    // final sleep is set last: every timer still armed falls due before it ends, so the record
    // depends on timer order only, never on real-time slack.
    name: "resets: a reset instance's timers never fire",
    backend: "sqlite",
    source: `const fired = [];
${cls(`  arm(tag) {
    setTimeout(() => fired.push(tag + " timeout"), 20);
    let n = 0;
    const iv = setInterval(() => { if (++n === 3) clearInterval(iv); fired.push(tag + " interval"); }, 5);
  }
  control() { setTimeout(() => fired.push("control timeout"), 20); return "armed"; }
  abort() { this.arm("abort"); this.ctx.abort("reset by abort"); }
  bcwThrows() { this.arm("bcw"); this.ctx.blockConcurrencyWhile(async () => { throw new Error("reset by bcw"); }); return "returned"; }
  commitFails() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    this.arm("commit");
    this.ctx.storage.sql.exec("INSERT INTO c VALUES (1)");
  }
  fired() { return fired; }`)}`,
    drive: async (env) => {
      const out = {};
      for (const how of ["abort", "bcwThrows", "commitFails"]) {
        const stub = env.DO.getByName(how);
        out[how] = await outcome(() => stub[how]());
        out[how + " then"] = await outcome(() => stub.fired());
      }
      out.control = await env.DO.getByName("control").control();
      await sleep(60);
      out.fired = await env.DO.getByName("reader").fired();
      return out;
    },
  },
  {
    name: "resets: an exception is not a reset (writes before it are kept)",
    backend: "sqlite",
    source: counted(`  async writeThenThrow() { this.ctx.storage.put("k", "written"); throw new Error("after write"); }
  async read() { return { v: await this.ctx.storage.get("k") ?? null, constructed }; }`),
    drive: async (env) => ({
      thrown: await outcome(() => env.DO.getByName("e").writeThenThrow()),
      read: await env.DO.getByName("e").read(),
    }),
  },
  {
    name: "resets: ctx.abort reasons that look like the runtime's own error texts are kept as given",
    backend: "sqlite",
    source: counted(`  async die(r) { this.ctx.abort(r); }`),
    drive: async (env) => {
      const out = {};
      const reasons = { jsg: "jsg.Error: x", broken: "broken.dropped; y", remote: "remote.z", jsgType: "jsg.TypeError: t", newline: "a\nb", internal: "internal error", long: "L".repeat(5000) };
      for (const [k, r] of Object.entries(reasons)) {
        const o = await outcome(() => env.DO.getByName("r-" + k).die(r));
        out[k] = k === "long" && o.error ? { ...o.error, message: o.error.message === r } : o;
      }
      return out;
    },
  },
  {
    name: "resets: ctx.abort with calls awaiting a timer, awaiting storage, and queued behind blockConcurrencyWhile",
    backend: "sqlite",
    // The timer is far longer than anything before the abort takes: with one as long as the
    // critical section (100 ms), a loaded machine let it fire first (its call then returned).
    source: counted(`  async slowTimer() { await new Promise((r) => setTimeout(r, 3000)); return "timer done"; }
  async slowStorage() { for (let i = 0; i < 50; i++) await this.ctx.storage.put("k" + i, i); return "storage done"; }
  async blocked() { return "blocked done"; }
  async block() { this.ctx.blockConcurrencyWhile(() => new Promise((r) => setTimeout(r, 100))); return "block started"; }
  async die() { this.ctx.abort("dying"); }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const timer = outcome(() => s.slowTimer());
      const storage = outcome(() => s.slowStorage());
      await outcome(() => s.block());
      const blocked = outcome(() => s.blocked());
      const die = outcome(() => s.die());
      return { timer: await timer, storage: await storage, blocked: await blocked, die: await die, after: await outcome(() => env.DO.getByName("a").blocked()) };
    },
  },
];
