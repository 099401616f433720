// After a reset (ctx.abort(), a blockConcurrencyWhile() callback that throws) workerd runs none
// of the old instance's code again: what that code awaits never settles, so no continuation,
// catch or finally of it runs, whatever the I/O (found by spec/conformance/fuzz-events.mjs:
// sqlite seeds 32, 37, 48, 69; kv seed 22). Each scenario leaves the old instance's code
// awaiting something, resets the object from another call, and reads a module-level log later.
import { both, cls } from "../scenario.mjs";

/**
 * The class: `LOG` is module state that both instances (old and new) and the other object
 * share; the other object's answers wait for release(), which the driver calls after the reset.
 */
const source = (methods) =>
  cls(
    `${methods}
  async slow() { await HELD; return "slow"; }
  quick() { return "quick"; }
  async fetch() { await HELD; return new Response("slow"); }
  release() { RELEASE(); }
  async logged() { return LOG; }`,
    { extra: "const LOG = [];\nlet RELEASE;\nconst HELD = new Promise((resolve) => { RELEASE = resolve; });" },
  );

/** How the object resets, called from another call. */
const RESETS = {
  "ctx.abort()": `  async reset() { this.ctx.abort("reset by abort"); }`,
  "a blockConcurrencyWhile() that throws": `  async reset() { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("section fails"); }); }`,
};

/** Calls go() on g, resets g once go() awaits its I/O, releases the other object's answer and reads the log later. */
async function drive(env) {
  const g = env.DO.getByName("g");
  const going = outcome(() => g.go());
  while (!(await g.logged()).includes("go awaits")) await new Promise((resolve) => setTimeout(resolve, 1));
  const resetting = await outcome(() => g.reset());
  await env.DO.getByName("other").release();
  // A later turn, past the 20 ms timer: every answer the old code awaited has arrived by then.
  await new Promise((resolve) => setTimeout(resolve, 60));
  return { resetting, going: await going, log: await env.DO.getByName("g").logged() };
}

const awaiting = (io) => `  async go() {
    try {
      const answer = ${io};
      LOG.push("go awaits");
      LOG.push("go resumed " + typeof (await answer));
    } catch (e) {
      LOG.push("go caught " + e.message);
    } finally {
      LOG.push("go finally");
    }
    return "returned";
  }`;

const kinds = [
  ["an RPC call to another object", `this.env.DO.getByName("other").slow()`],
  ["a stub.fetch() to another object", `this.env.DO.getByName("other").fetch("http://x/")`],
  ["a timer", `new Promise((resolve) => setTimeout(resolve, 20))`],
  ["scheduler.wait()", `scheduler.wait(20)`],
];

const awaitedScenarios = kinds.flatMap(([kind, io]) =>
  Object.entries(RESETS).flatMap(([how, reset]) =>
    both({
      name: `reset drops answers: ${kind} the old instance awaits, reset by ${how}`,
      source: source(`${awaiting(io)}\n${reset}`),
      drive,
    }),
  ),
);

/**
 * I/O the resetting code starts, unawaited, just before it resets the object: a storage
 * operation, or a call to another object (held for the write before it, or not).
 */
const STARTED_OPS = {
  "call to another object": `this.env.DO.getByName("other").quick()`,
  "call to another object, held for a write,": `(this.ctx.storage.put("j", 1), this.env.DO.getByName("other").quick())`,
  "put()": `this.ctx.storage.put("k", 1)`,
  "get()": `this.ctx.storage.get("k")`,
  "delete()": `this.ctx.storage.delete("k")`,
  "get() allowing concurrency": `this.ctx.storage.get("k", { allowConcurrency: true })`,
};

const settling = (op) => `${op}.then((v) => LOG.push("settled " + v), (e) => LOG.push("failed " + e.message));`;

/** Resets g, then reads the log in a later turn. */
async function driveReset(env) {
  const resetting = await outcome(() => env.DO.getByName("g").reset());
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { resetting, log: await env.DO.getByName("g").logged() };
}

const startedScenarios = Object.entries(STARTED_OPS).flatMap(([name, op]) => [
  ...both({
    name: `reset drops answers: a ${name} the old instance started before ctx.abort()`,
    source: source(`  async reset() { ${settling(op)} this.ctx.abort("reset by abort"); }`),
    drive: driveReset,
  }),
  ...both({
    name: `reset drops answers: a ${name} started in a blockConcurrencyWhile() callback that throws`,
    source: source(`  async reset() { await this.ctx.blockConcurrencyWhile(async () => { ${settling(op)} throw new Error("section fails"); }); }`),
    drive: driveReset,
  }),
]);

export default [...awaitedScenarios, ...startedScenarios];
