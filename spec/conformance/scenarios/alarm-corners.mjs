// alarm() at its edges: the alarm methods inside the handler, alarmInfo's members, non-Errors
// thrown, and a handler that changed its alarm (set a new one, deleted it, set one in the past)
// before throwing or returning a value.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "alarm corners: inside alarm(), getAlarm() is null, setAlarm() re-arms, setAlarm() then deleteAlarm() leaves none; alarmInfo's members",
    backend: "sqlite",
    source: cls(`
  async alarm(info) {
    const log = (await this.ctx.storage.get("log")) ?? [];
    const entry = { info: { proto: Object.getPrototypeOf(info)?.constructor?.name, scheduledTime: typeof info.scheduledTime, due: info.scheduledTime <= Date.now(), retryCount: info.retryCount, isRetry: info.isRetry }, infoKeys: info ? Object.keys(info) : null, getAlarm: (await this.ctx.storage.getAlarm()) === null ? null : "set" };
    const n = log.length;
    if (n === 0) { await this.ctx.storage.setAlarm(Date.now() + 50); entry.afterSet = (await this.ctx.storage.getAlarm()) === null ? null : "set"; }
    if (n === 1) { await this.ctx.storage.setAlarm(Date.now() + 50); await this.ctx.storage.deleteAlarm(); entry.afterDel = await this.ctx.storage.getAlarm(); }
    log.push(entry);
    await this.ctx.storage.put("log", log);
  }
  async start() { await this.ctx.storage.setAlarm(new Date(Date.now() - 1000)); }
  async log() { return (await this.ctx.storage.get("log")) ?? []; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      await stub.start();
      await waitFor(async () => (await stub.log()).length >= 2, 4000);
      await sleep(300);
      return { log: await stub.log() };
    },
  },
  {
    name: "alarm corners: a non-Error thrown by alarm() is retried; a handler that set a new alarm and threw keeps the new alarm",
    backend: "kv",
    source: cls(`
  async alarm(info) {
    const log = (await this.ctx.storage.get("log")) ?? [];
    log.push({ retryCount: info?.retryCount, isRetry: info?.isRetry, getAlarm: (await this.ctx.storage.getAlarm()) === null ? null : "set" });
    await this.ctx.storage.put("log", log);
    if (log.length === 1) throw "string thrown";
    if (log.length === 2) { await this.ctx.storage.setAlarm(Date.now() + 60000); throw new Error("after setAlarm"); }
  }
  async start() { await this.ctx.storage.setAlarm(Date.now()); }
  async state() { return { log: (await this.ctx.storage.get("log")) ?? [], alarm: (await this.ctx.storage.getAlarm()) === null ? null : "set" }; }
`),
    timeoutMs: 15000,
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      await stub.start();
      await waitFor(async () => (await stub.state()).log.length >= 3, 12000);
      await sleep(200);
      return await stub.state();
    },
  },
  {
    name: "alarm corners: alarm() that deleted its alarm and threw, that set one in the past and threw, that returned a value",
    backend: "sqlite",
    source: cls(`
  async alarm(info) {
    const log = (await this.ctx.storage.get("log")) ?? [];
    log.push({ retryCount: info.retryCount, isRetry: info.isRetry, mode: await this.ctx.storage.get("mode") });
    await this.ctx.storage.put("log", log);
    const mode = await this.ctx.storage.get("mode");
    if (log.length === 1) {
      if (mode === "delete") { await this.ctx.storage.deleteAlarm(); throw new Error("after delete"); }
      if (mode === "past") { await this.ctx.storage.setAlarm(Date.now() - 5000); throw new Error("after past"); }
      if (mode === "sync") throw new Error("sync");
      if (mode === "ret") return 42;
    }
  }
  async start(mode) { await this.ctx.storage.put("mode", mode); await this.ctx.storage.setAlarm(Date.now()); }
  async state() { return { log: (await this.ctx.storage.get("log")) ?? [], alarm: (await this.ctx.storage.getAlarm()) === null ? null : "set" }; }
`),
    timeoutMs: 15000,
    drive: async (env) => {
      const out = {};
      const modes = ["delete", "past", "ret"];
      for (const m of modes) await env.DO.getByName(m).start(m);
      await sleep(4500);
      for (const m of modes) out[m] = await env.DO.getByName(m).state();
      return out;
    },
  },
];
