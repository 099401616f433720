// Realistic apps, part 12: how a payments object's errors reach its callers. Declined charges
// throw custom Error subclasses with extra properties, over RPC and through fetch() (where the
// Worker maps them to HTTP statuses); a wallet whose constructor fails while its config is
// broken refuses every call until fixed from outside; a blockConcurrencyWhile that throws
// resets the object (memory lost, storage kept). Records: each error's class, message and
// flags (remote, durableObjectReset, retryable, overloaded), its own properties, statuses and
// bodies, in order.
import { cls } from "../scenario.mjs";

const PAYMENTS = cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.charges = 0;
    if (ctx.id.name?.startsWith("broken") && globalThis.brokenConfig?.[ctx.id.name]) {
      throw new ConfigError("wallet " + ctx.id.name + " has no currency");
    }
  }
  async charge(cents, card) {
    this.charges++;
    if (!Number.isInteger(cents) || cents <= 0) throw new TypeError("amount must be a positive integer, got " + cents);
    if (card === "4000") { const e = new DeclinedError("card declined"); e.code = "insufficient_funds"; e.retryAfter = 30; throw e; }
    if (card === "5000") { const e = new Error("issuer unavailable"); e.retryable = true; throw e; }
    if (card === "6000") { const e = new RangeError("over limit", { cause: new Error("daily limit 1000") }); throw e; }
    if (card === "7000") throw "plain string thrown";
    if (card === "8000") throw new SyntaxError("malformed card number");
    const balance = ((await this.ctx.storage.get("balance")) ?? 0) + cents;
    await this.ctx.storage.put("balance", balance);
    return { balance, charges: this.charges };
  }
  async fetch(req) {
    const { cents, card } = await req.json();
    try {
      return Response.json(await this.charge(cents, card));
    } catch (e) {
      if (e instanceof DeclinedError) return Response.json({ error: e.name, code: e.code }, { status: 402, headers: { "retry-after": String(e.retryAfter) } });
      if (card === "8000") throw e;
      return new Response(String(e?.message ?? e), { status: e instanceof TypeError ? 400 : 500 });
    }
  }
  async audit(strict) {
    await this.ctx.blockConcurrencyWhile(async () => {
      const balance = (await this.ctx.storage.get("balance")) ?? 0;
      if (strict && balance > 100) throw new AuditError("balance " + balance + " needs review");
    });
    return { charges: this.charges };
  }
  async state() { return { balance: (await this.ctx.storage.get("balance")) ?? null, charges: this.charges }; }`, {
  name: "Payments",
  extra: `class DeclinedError extends Error { name = "DeclinedError"; }
class ConfigError extends Error { name = "ConfigError"; }
class AuditError extends Error { name = "AuditError"; }
/** An error's observable facts plus its own extra properties and its cause (the driver's too). */
function facts(e) {
  if (typeof e !== "object" || e === null) return { thrownValue: show(e) };
  const flags = ["remote", "durableObjectReset", "retryable", "overloaded", "durableObjectId"];
  const own = Object.fromEntries(Object.keys(e).filter((k) => !flags.includes(k)).map((k) => [k, show(e[k])]));
  return { ...err(e), own, cause: e.cause === undefined ? null : err(e.cause) };
}`,
}) + `
export class Admin extends DurableObject {
  setBroken(name, broken) { globalThis.brokenConfig = { ...globalThis.brokenConfig, [name]: broken }; return broken; }
}
`;

const scenario = (name, drive) => ({
  name: `apps: payments errors, ${name}`,
  backend: "sqlite",
  source: PAYMENTS,
  classes: { DO: "Payments", ADMIN: "Admin" },
  drive,
});

export default [
  scenario("declines and bad input over RPC keep their class, message, properties and cause", async (env) => {
    const pay = env.DO.getByName("rpc");
    const out = {};
    for (const [cents, card] of [[100, "1111"], [0, "1111"], [10, "4000"], [10, "5000"], [10, "6000"], [10, "7000"], [20, "1111"]]) {
      try {
        out[card + ":" + cents] = { ok: await pay.charge(cents, card) };
      } catch (e) {
        out[card + ":" + cents] = { thrown: facts(e) };
      }
    }
    out.state = await pay.state();
    return out;
  }),

  scenario("the same charges through fetch(): statuses, headers, and a rethrown error", async (env) => {
    const pay = env.DO.getByName("http");
    const out = [];
    for (const [cents, card] of [[100, "1111"], [-5, "1111"], [10, "4000"], [10, "5000"], [10, "8000"], [20, "1111"]]) {
      try {
        const res = await pay.fetch("https://pay.example/charge", { method: "POST", body: JSON.stringify({ cents, card }) });
        out.push([card, res.status, res.headers.get("retry-after"), await res.text()]);
      } catch (e) {
        out.push([card, "threw", facts(e)]);
      }
    }
    out.push(await pay.state());
    return out;
  }),

  scenario("a constructor that throws refuses every call until fixed, a failed audit resets memory but keeps storage", async (env) => {
    const out = {};
    const admin = env.ADMIN.getByName("admin");
    await admin.setBroken("broken-1", true);
    const wallet = env.DO.getByName("broken-1");
    out.first = await wallet.charge(5, "1111").then((v) => ({ ok: v }), (e) => ({ thrown: facts(e) }));
    out.again = await wallet.state().then((v) => ({ ok: v }), (e) => ({ thrown: facts(e) }));
    out.fetch = await wallet.fetch("https://pay.example/", { method: "POST", body: "{}" }).then((r) => ({ status: r.status }), (e) => ({ thrown: facts(e) }));
    await admin.setBroken("broken-1", false);
    out.sameStubAfterFix = await wallet.state().then((v) => ({ ok: v }), (e) => ({ thrown: facts(e) }));
    out.freshAfterFix = await env.DO.getByName("broken-1").charge(5, "1111");

    const audited = env.DO.getByName("audited");
    await audited.charge(150, "1111");
    await audited.charge(1, "1111");
    out.lenient = await audited.audit(false);
    out.strict = await audited.audit(true).then((v) => ({ ok: v }), (e) => ({ thrown: facts(e) }));
    out.sameStub = await audited.state().then((v) => ({ ok: v }), (e) => ({ thrown: facts(e) }));
    out.fresh = await env.DO.getByName("audited").state();
    return out;
  }),
];
