// Reference §5.3: what an object sends while it runs (here, a call to another object) leaves
// through its output gate, after the turn it was made in. When that turn's commit fails (a
// deferred foreign key, SQLite-backed objects), nothing sent in the turn is delivered, whether
// it was sent after the failing write or before it; after a write that commits, it is. (KV and
// R2 writes follow the same rule: workerd alone has no KV or R2, so
// spec/bindings/output-gate.spec.ts tests them; Miniflare 4 showed the same outcomes.)
import { cls } from "../scenario.mjs";

const source = cls(`  seen = [];
  setup() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
  }
  async writeThenCall(commits) {
    this.ctx.storage.sql.exec(commits ? "INSERT INTO p VALUES (1)" : "INSERT INTO c VALUES (42)");
    return this.env.DO.getByName("sink").note("after the write");
  }
  async callThenWrite() {
    const call = this.env.DO.getByName("sink").note("before the write");
    this.ctx.storage.sql.exec("INSERT INTO c VALUES (42)");
    return call;
  }
  note(entry) { this.seen.push(entry); return this.seen.length; }
  notes() { return this.seen; }`);

const scenario = (name, method, arg) => ({
  name: `output gate: ${name}`,
  backend: "sqlite",
  source,
  drive: `async (env) => {
    const sender = env.DO.getByName("sender");
    await sender.setup();
    const call = await outcome(() => sender.${method}(${arg}));
    // A call wrongly sent anyway would arrive after the caller saw its reset: two timers in a
    // row let every turn already queued run first.
    await sleep(0);
    await sleep(0);
    return { call, sink: await env.DO.getByName("sink").notes() };
  }`,
});

/** Global fetch(): nothing listens here (local workerd has no network), so what tells a fetch
 * held by the gate from one sent is whether the code awaiting it ever resumes: after a commit
 * that fails the instance is gone and a held fetch never completes; a sent one fails at once. */
const fetchSource = `const settled = {};
${cls(`  setup() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
  }
  async fetchAround(label, order) {
    const write = () => this.ctx.storage.sql.exec(label === "commits" ? "INSERT INTO p VALUES (1)" : "INSERT INTO c VALUES (42)");
    if (order === "write first") write();
    const sent = fetch("http://127.0.0.1:1/").then(() => "response", () => "network error");
    if (order === "fetch first") write();
    settled[label + ", " + order] = await sent;
    return "returned";
  }
  settled() { return settled; }`)}`;

export default [
  scenario("a call after a write whose commit fails is never delivered", "writeThenCall", "false"),
  scenario("a call after a write that commits is delivered", "writeThenCall", "true"),
  scenario("a call made in the same turn before the failing write is not delivered either", "callThenWrite", ""),
  {
    name: "output gate: a global fetch() waits for the writes before it and after it in its turn",
    backend: "sqlite",
    source: fetchSource,
    drive: async (env) => {
      const out = {};
      for (const [label, order] of [["commits", "write first"], ["fails", "write first"], ["fails", "fetch first"], ["commits", "fetch first"]]) {
        const stub = env.DO.getByName(label + order);
        await stub.setup();
        out[label + ", " + order] = await outcome(() => stub.fetchAround(label, order));
      }
      await sleep(0);
      await sleep(0);
      return { calls: out, settled: await env.DO.getByName("reader").settled() };
    },
  },
];
