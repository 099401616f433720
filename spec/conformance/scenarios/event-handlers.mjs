// An object's fetch() and alarm() are read from the instance once, when its constructor
// returns (as its WebSocket handlers are: websockets-*.mjs): a prototype method deleted,
// replaced or added afterwards, or a handler assigned to the instance by a later call, changes
// neither what a fetch or an alarm calls nor what setAlarm()'s "must have an alarm() handler"
// check sees. RPC methods are looked up at each call. Each object is constructed first, then
// the class (shared by the objects of this scenario only) is changed under it. The runtime reads
// every handler an entrypoint may have once per instance, getters included, and no more later.
import { both } from "../scenario.mjs";

const source = `import { DurableObject } from "cloudflare:workers";
const log = [];
export class WithHandlers extends DurableObject {
  async alarm() { log.push(this.ctx.id.name + ": alarm of the class"); }
  async fetch() { return new Response("fetch of the class"); }
  async hello() { return "hello of the class"; }
  async setSoon() { return outcome(() => this.ctx.storage.setAlarm(Date.now() + 50)); }
  async assignOwn() {
    this.alarm = async () => { log.push(this.ctx.id.name + ": own alarm"); };
    this.fetch = async () => new Response("own fetch");
    this.hello = async () => "own hello";
  }
}
export class WithoutHandlers extends DurableObject {
  async setSoon() { return outcome(() => this.ctx.storage.setAlarm(Date.now() + 50)); }
  async assignOwn() {
    this.alarm = async () => { log.push(this.ctx.id.name + ": own alarm"); };
    this.fetch = async () => new Response("own fetch");
  }
}
`;

const counting = (names) => names.map((n) => `  get ${n}() { reads.${n} = (reads.${n} ?? 0) + 1; return ${n === "alarm" ? `async () => { log.push("alarm"); }` : n === "fetch" ? `async () => new Response("f")` : "undefined"}; }`).join("\n");

const readOnce = both({
  name: "event handlers: each handler an entrypoint may have is read once per instance, when its constructor returns",
  source: `import { DurableObject } from "cloudflare:workers";
const reads = {};
const log = [];
export class DO extends DurableObject {
${counting(["alarm", "fetch", "webSocketMessage", "webSocketClose", "webSocketError", "scheduled", "test", "queue", "tail", "trace", "email", "connect"])}
  async hello() { return "hi"; }
  async setSoon() { await this.ctx.storage.setAlarm(Date.now() + 50); }
}
`,
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const r = {};
    await s.hello();
    r.afterConstruction = { ...reads };
    await s.setSoon();
    r.afterSetAlarm = { ...reads };
    await (await s.fetch("http://x/")).text();
    r.afterFetch = { ...reads };
    await waitFor(async () => log.length > 0);
    r.afterAlarm = { ...reads, log };
    await env.DO.getByName("b").hello();
    r.afterSecondInstance = { ...reads };
    return r;
  },
});

const changedLater = both({
  name: "event handlers: fetch() and alarm() are the instance's when its constructor returned, RPC methods are looked up at each call",
  classes: { A: "WithHandlers", B: "WithoutHandlers" },
  timeoutMs: 15_000,
  source,
  drive: `async function drive(env) {
  const a = (name) => env.A.getByName(name);
  const b = (name) => env.B.getByName(name);
  const fetched = (stub) => outcome(async () => (await stub.fetch("http://x/")).text());
  for (const name of ["deleted", "replaced", "assigned"]) await a(name).hello();
  for (const name of ["added", "assignedWithout"]) await b(name).setSoon();
  const out = {};
  const original = { alarm: WithHandlers.prototype.alarm, fetch: WithHandlers.prototype.fetch, hello: WithHandlers.prototype.hello };
  delete WithHandlers.prototype.alarm;
  delete WithHandlers.prototype.fetch;
  out.deleted = { setAlarm: await a("deleted").setSoon(), fetch: await fetched(a("deleted")) };
  WithHandlers.prototype.alarm = async function () { log.push(this.ctx.id.name + ": replaced alarm"); };
  WithHandlers.prototype.fetch = async function () { return new Response("replaced fetch"); };
  WithHandlers.prototype.hello = async function () { return "replaced hello"; };
  out.replaced = { setAlarm: await a("replaced").setSoon(), fetch: await fetched(a("replaced")), hello: await outcome(() => a("replaced").hello()) };
  await a("assigned").assignOwn();
  out.assigned = { setAlarm: await a("assigned").setSoon(), fetch: await fetched(a("assigned")), hello: await outcome(() => a("assigned").hello()) };
  Object.assign(WithHandlers.prototype, original);
  WithoutHandlers.prototype.alarm = async function () { log.push(this.ctx.id.name + ": added alarm"); };
  WithoutHandlers.prototype.fetch = async function () { return new Response("added fetch"); };
  out.added = { setAlarm: await b("added").setSoon(), fetch: await fetched(b("added")) };
  delete WithoutHandlers.prototype.alarm;
  delete WithoutHandlers.prototype.fetch;
  await b("assignedWithout").assignOwn();
  out.assignedWithout = { setAlarm: await b("assignedWithout").setSoon(), fetch: await fetched(b("assignedWithout")) };
  await sleep(600);
  out.alarms = log.sort();
  return out;
}`,
});

export default [...changedLater, ...readOnce];
