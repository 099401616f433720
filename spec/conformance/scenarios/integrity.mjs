// Writes after a failed commit (issue 9, must-fix 1). An event inserts a row that violates a
// deferred foreign key, so the implicit commit of its batch fails and the object resets. Then
// the same incarnation tries to write again, by every path storage has: transaction(),
// transactionSync(), storage.kv, sql.exec, put, setAlarm, from the same event, a timer
// callback, waitUntil, or another event still running. The record shows what the caller saw
// and what reached storage (read by a fresh instance afterwards). What each attempt itself
// saw is not recorded: workerd never runs code of a broken instance again, while JavaScript
// cannot stop it in durasim (there each attempt fails with "storage is no longer accessible").
// SQLite only: local workerd's KV-backed storage cannot fail a commit.
import { cls } from "../scenario.mjs";

const source = cls(`  async alarm() {}
  setup() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); " +
      "CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
  }
  poison() { this.ctx.storage.sql.exec("INSERT INTO c VALUES (42)"); }
  async attempt(label, write) {
    try {
      await write();
    } catch {}
  }
  async writeAll(label) {
    const s = this.ctx.storage;
    await this.attempt(label + ".put", () => s.put(label + ".put", 1));
    await this.attempt(label + ".kv", () => s.kv.put(label + ".kv", 1));
    await this.attempt(label + ".sql", () => s.sql.exec("INSERT INTO p VALUES (?)", label.charCodeAt(0)));
    await this.attempt(label + ".txnSync", () => s.transactionSync(() => s.kv.put(label + ".txnSync", 1)));
    await this.attempt(label + ".txn", () => s.transaction(async (txn) => { await txn.put(label + ".txn", 1); }));
    await this.attempt(label + ".alarm", () => s.setAlarm(Date.now() + 600000));
  }
  // The issue's repro: transaction() right after the poisoned write, in the same turn.
  async transactionAfter() {
    this.poison();
    await this.ctx.storage.transaction(async (txn) => { await txn.put("inTxn", 2); });
    return "returned";
  }
  // The commit fails at the end of the turn; the event carries on after a timer.
  async sameEventAfterTimer() {
    this.poison();
    await new Promise((r) => setTimeout(r, 20));
    await this.writeAll("event");
    return "returned";
  }
  async timerCallback() {
    this.poison();
    setTimeout(() => this.writeAll("timer"), 20);
    return "returned";
  }
  async viaWaitUntil() {
    this.poison();
    this.ctx.waitUntil(new Promise((r) => setTimeout(r, 20)).then(() => this.writeAll("waitUntil")));
    return "returned";
  }
  // Two events meet in a fixed order, whatever the machine's speed: the batch is poisoned only
  // once the other event is waiting, and the other event writes only once the commit failed.
  otherWaiting = new Promise((r) => { this.markOtherWaiting = r; });
  otherReleased = new Promise((r) => { this.releaseOther = r; });
  async otherEvent() {
    this.markOtherWaiting();
    await this.otherReleased;
    await this.writeAll("other");
    return "returned";
  }
  async poisonWhileOtherWaits() {
    await this.otherWaiting;
    this.poison();
    await this.ctx.storage.sync().catch(() => {});
    this.releaseOther();
    await this.writeAll("event");
    return "returned";
  }
  async state() {
    const s = this.ctx.storage;
    return {
      p: s.sql.exec("SELECT id FROM p ORDER BY id").toArray().map((r) => r.id),
      c: s.sql.exec("SELECT pid FROM c").toArray().map((r) => r.pid),
      keys: [...(await s.list()).keys()],
      alarm: (await s.getAlarm()) !== null,
    };
  }`);

/** Sets up, runs `call` (given the stub), waits for late writers, and reads what survived. */
const scenario = (name, call) => ({
  name: `integrity: ${name}`,
  backend: "sqlite",
  source,
  drive: `async function drive(env) {
  const stub = env.DO.getByName("x");
  await stub.setup();
  const result = await outcome(() => (${call})(stub, env));
  await sleep(150);
  const fresh = env.DO.getByName("x");
  return { result, after: await fresh.state() };
}`,
});

export default [
  scenario("transaction() after a failed implicit commit commits nothing", "(stub) => stub.transactionAfter()"),
  scenario("writes by the same event after its commit failed reach nothing", "(stub) => stub.sameEventAfterTimer()"),
  scenario("writes from a timer callback after a failed commit reach nothing", "(stub) => stub.timerCallback()"),
  scenario("writes from waitUntil after a failed commit reach nothing", "(stub) => stub.viaWaitUntil()"),
  scenario(
    "writes by another event still running when the commit failed reach nothing",
    `async (stub) => {
      const other = outcome(() => stub.otherEvent());
      const poisoned = await outcome(() => stub.poisonWhileOtherWaits());
      return { other: await other, poisoned };
    }`,
  ),
];
