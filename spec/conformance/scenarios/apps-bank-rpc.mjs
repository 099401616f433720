// Realistic apps, part 4: a bank whose Durable Object hands the Worker RpcTargets (accounts),
// callbacks and streams over RPC, and which writes to another object (the ledger) through a
// stub the Worker passed in. Records: values through promise pipelining, errors thrown across
// RPC with their custom properties, disposal of targets, stream contents, what the ledger saw.
// ownProcess: stubs of Durable Objects cross RPC (see scenario.mjs).
import { cls } from "../scenario.mjs";

const BANK = cls(`  disposed = [];
  async open(owner, initial) {
    await this.ctx.storage.put("acct:" + owner, initial);
    return new Account(this, owner);
  }
  account(owner) { return new Account(this, owner); }
  async balances() { return Object.fromEntries(await this.ctx.storage.list({ prefix: "acct:" })); }
  limits() { return { daily: { max: 500, currency: "EUR" }, tiers: ["basic", "gold"], check: (n) => n <= 500 }; }
  async transfer(ledger, from, to, amount) {
    const s = this.ctx.storage;
    const result = await s.transaction(async (txn) => {
      const a = await txn.get("acct:" + from);
      const b = await txn.get("acct:" + to);
      if (a === undefined || b === undefined) throw new Error("no such account");
      await txn.put({ ["acct:" + from]: a - amount, ["acct:" + to]: b + amount });
      if (a - amount < 0) { txn.rollback(); return "rolled back"; }
      return "committed";
    });
    const entry = await ledger.record({ from, to, amount, result });
    return { result, entry };
  }
  statement(owner) {
    const lines = ["opened", "deposit 10", "withdraw 3"];
    return new ReadableStream({
      pull(controller) {
        const line = lines.shift();
        if (line === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(owner + ": " + line + "\\n"));
      },
    });
  }
  async importCsv(stream) {
    const text = await new Response(stream).text();
    let n = 0;
    for (const line of text.split("\\n").filter(Boolean)) {
      const [owner, amount] = line.split(",");
      await this.ctx.storage.put("acct:" + owner, Number(amount));
      n++;
    }
    return n;
  }
  async onEach(callback) {
    const out = [];
    for (const [k, v] of await this.ctx.storage.list({ prefix: "acct:" })) out.push(await callback(k.slice(5), v));
    return out;
  }
  takeDisposed() { const d = this.disposed; this.disposed = []; return d; }`, {
  extra: `class InsufficientFunds extends Error {
  constructor(needed) { super("insufficient funds: need " + needed + " more"); this.name = "InsufficientFunds"; this.needed = needed; this.code = "E_FUNDS"; }
}
class Account extends RpcTarget {
  constructor(bank, owner) { super(); this.bank = bank; this.owner = owner; }
  get name() { return "account of " + this.owner; }
  async balance() { return this.bank.ctx.storage.get("acct:" + this.owner); }
  async deposit(n) {
    if (typeof n !== "number" || n <= 0) throw new RangeError("bad amount: " + n);
    const b = (await this.balance()) + n;
    await this.bank.ctx.storage.put("acct:" + this.owner, b);
    return b;
  }
  async withdraw(n) {
    const b = await this.balance();
    if (b < n) throw new InsufficientFunds(n - b);
    await this.bank.ctx.storage.put("acct:" + this.owner, b - n);
    return this;
  }
  history() { return { owner: this.owner, summary: { kind: "history", count: 2 } }; }
  [Symbol.dispose]() { this.bank.disposed.push(this.owner); }
}
export class Ledger extends DurableObject {
  async record(entry) {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put({ n, ["entry:" + String(n).padStart(3, "0")]: entry });
    return n;
  }
  async entries() { return [...(await this.ctx.storage.list({ prefix: "entry:" })).values()]; }
}
/** A thrown value as the Worker sees it, with the custom properties an app would read. */
function caught(e) {
  return { ...err(e), isError: e instanceof Error, custom: { needed: e.needed, code: e.code }, ownKeys: Object.keys(e).sort() };
}`,
});

const bank = (name, drive) => ({
  name: `apps: bank over RPC, ${name}`,
  backend: "sqlite",
  source: BANK,
  classes: { DO: "DO", LEDGER: "Ledger" },
  ownProcess: true,
  drive,
});

export default [
  bank("accounts as RpcTargets, pipelined calls, properties and errors with custom fields", async (env) => {
    const b = env.DO.getByName("bank");
    const out = {};
    const alice = b.open("alice", 100);
    out.pipelinedDeposit = await outcome(() => alice.deposit(25));
    out.pipelinedOwner = await outcome(() => alice.owner);
    out.getter = await outcome(() => alice.name);
    out.pipelinedThroughReturn = await outcome(() => b.account("alice").withdraw(5).balance());
    out.pipelinedHistory = await outcome(() => b.account("alice").history().summary.kind);
    out.limitsMax = await outcome(() => b.limits().daily.max);
    out.limitsTier = await outcome(() => b.limits().tiers[1]);
    const check = await b.limits().check;
    out.checkFn = [typeof check, await check(400), await check(600)];
    out.missingProperty = await outcome(() => b.limits().daily.nope);
    try { await b.account("alice").withdraw(1000); } catch (e) { out.insufficient = caught(e); }
    try { await alice.deposit(-1); } catch (e) { out.badAmount = caught(e); }
    try { await alice.deposit("x"); } catch (e) { out.badType = caught(e); }
    out.noSuchMethod = await outcome(() => alice.close());
    out.privateField = await outcome(() => alice.bank);
    out.balances = await b.balances();
    return out;
  }),

  bank("transfers recorded by another object through a stub the Worker passed in", async (env) => {
    const b = env.DO.getByName("bank2");
    const ledger = env.LEDGER.getByName("ledger");
    await b.open("alice", 50);
    await b.open("bob", 10);
    const out = {};
    out.ok = await b.transfer(ledger, "alice", "bob", 20);
    out.overdrawn = await b.transfer(ledger, "bob", "alice", 100);
    out.missing = await outcome(() => b.transfer(ledger, "alice", "zed", 1));
    out.balances = await b.balances();
    out.entries = await ledger.entries();
    out.ledgerIdSeenByBank = await outcome(() => b.transfer(env.LEDGER.get(env.LEDGER.idFromName("ledger")), "alice", "bob", 1));
    out.entriesAfter = (await ledger.entries()).length;
    return out;
  }),

  bank("streams both ways, callbacks into the Worker, disposal of targets", async (env) => {
    const b = env.DO.getByName("bank3");
    const out = {};
    const csv = new ReadableStream({
      start(c) {
        for (const line of ["carol,30\n", "dan,", "40\n", "erin,5\n"]) c.enqueue(new TextEncoder().encode(line));
        c.close();
      },
    });
    out.imported = await b.importCsv(csv);
    const statement = await b.statement("carol");
    out.statementType = Object.prototype.toString.call(statement);
    out.statement = await new Response(statement).text();
    const seen = [];
    out.each = await b.onEach(async (owner, v) => { seen.push(owner); return owner.toUpperCase() + "=" + v; });
    out.seen = seen;
    const acct = await b.account("carol");
    out.before = await acct.balance();
    out.hasDispose = typeof acct[Symbol.dispose];
    acct[Symbol.dispose]();
    out.afterDispose = await outcome(() => acct.balance());
    await sleep(50);
    const opened = await b.open("frank", 1);
    opened[Symbol.dispose]();
    await sleep(50);
    out.disposed = (await b.takeDisposed()).sort();
    return out;
  }),
];
