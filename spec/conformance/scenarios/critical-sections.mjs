// What another event already running does while a critical section (blockConcurrencyWhile, a
// transaction spanning turns) holds the input gate: when its timers and other I/O let it
// resume, where its writes land, and what the section's own timers do.
import { both, cls } from "../scenario.mjs";

/** The object: `hold(kind, ms, fail)` opens a critical section for `ms`; `waiter(how)` is the
 * other event, started first, which waits (by `how`) until the section has opened, then writes.
 * `log` records the order of what happened; `read()` what storage holds. */
const source = `const log = [];
let open = false;
let opened = false;

${cls(`  async hold(kind, ms, fail) {
    const body = async (t) => {
      if (t) await t.put("inSection", 1);
      open = opened = true;
      log.push("section opens");
      await sleep(ms);
      log.push("section ends");
      open = false;
      if (fail) throw new Error("undo");
      return "section done";
    };
    try {
      const result = kind === "bcw" ? await this.ctx.blockConcurrencyWhile(() => body()) : await this.ctx.storage.transaction(body);
      log.push("section caller continues");
      return result;
    } catch (e) {
      return "section threw " + e.message;
    }
  }
  async waiter(how) {
    // Each way waits until the section has opened (polling, so timing cannot make it miss).
    if (how === "timer") while (!opened) await sleep(2);
    else if (how === "interval") await new Promise((r) => { const i = setInterval(() => { if (opened) { clearInterval(i); r(); } }, 2); });
    else if (how === "rpc") await this.env.DO.getByName("elsewhere").untilOpened();
    log.push("waiter resumes" + (open ? " inside the section" : " after it"));
    await this.ctx.storage.put("waiter", 2);
    return "waiter done";
  }
  async untilOpened() { while (!opened) await sleep(2); }
  async read() { return { inSection: (await this.ctx.storage.get("inSection")) ?? null, waiter: (await this.ctx.storage.get("waiter")) ?? null }; }
  async ownTimers(kind) {
    const seen = [];
    const body = async () => {
      setTimeout(() => seen.push("timer set inside fired, section open: " + open), 1);
      open = true;
      await sleep(20);
      open = false;
      return seen.slice();
    };
    const r = kind === "bcw" ? await this.ctx.blockConcurrencyWhile(body) : await this.ctx.storage.transaction(body);
    return r;
  }
  async timerBefore(kind) {
    const seen = [];
    setTimeout(() => seen.push("timer set before fired, section open: " + open), 5);
    const body = async () => { open = true; await sleep(40); open = false; };
    if (kind === "bcw") await this.ctx.blockConcurrencyWhile(body);
    else await this.ctx.storage.transaction(body);
    await sleep(1);
    return seen;
  }`)}`;

const drive = (kind, how, fail) => `async function drive(env) {
  log.length = 0;
  open = opened = false;
  const name = ${JSON.stringify(`${kind}-${how}-${fail}`)};
  const waiter = env.DO.getByName(name).waiter(${JSON.stringify(how)}).catch((e) => ({ threw: err(e) }));
  await new Promise((r) => setTimeout(r, 10));
  const section = env.DO.getByName(name).hold(${JSON.stringify(kind)}, 60, ${fail});
  const results = { waiter: await waiter, section: await section };
  return { ...results, log: log.slice(), stored: await env.DO.getByName(name).read() };
}`;

const scenario = (kind, how, fail, label) =>
  both({ name: `critical sections: another event resuming by ${label} while ${kind === "bcw" ? "blockConcurrencyWhile" : "a transaction"} runs${fail ? " and fails" : ""}`, source, drive: drive(kind, how, fail) });

export default [
  scenario("transaction", "timer", false, "a timer"),
  scenario("transaction", "interval", true, "an interval"),
  scenario("bcw", "timer", false, "a timer"),
  scenario("transaction", "rpc", false, "a call to another object"),
  scenario("bcw", "rpc", false, "a call to another object"),
  ...["transaction", "bcw"].flatMap((kind) =>
    both({
      name: `critical sections: the ${kind === "bcw" ? "blockConcurrencyWhile callback" : "transaction"}'s own timers, and the caller's set before it`,
      source,
      drive: `async function drive(env) { open = false; const stub = env.DO.getByName("own-${kind}"); return { own: await outcome(() => stub.ownTimers("${kind}")), before: await outcome(() => stub.timerBefore("${kind}")) }; }`,
    }),
  ),
];
