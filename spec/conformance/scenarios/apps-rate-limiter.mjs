// Realistic apps, part 1: a fixed-window rate limiter the way Durable Object authors write one.
// Hits are counted in storage by fetch(), the first hit of a window arms an alarm, and alarm()
// clears the window and re-arms itself for a fixed number of windows. Concurrent requests
// against one object show the input gate serialising read-modify-write cycles; records hold
// statuses, bodies, headers, completion order and what alarm() saw (never raw times).
import { both, cls } from "../scenario.mjs";

const LIMITER = cls(`  log = [];
  async fetch(req) {
    const url = new URL(req.url);
    const key = url.searchParams.get("key");
    const limit = Number(url.searchParams.get("limit") ?? 3);
    const s = this.ctx.storage;
    const used = (await s.get("hits:" + key)) ?? 0;
    if (used >= limit) {
      return new Response("limited " + key, { status: 429, headers: { "retry-after": "1", "x-used": String(used) } });
    }
    await s.put("hits:" + key, used + 1);
    if ((await s.getAlarm()) === null) {
      this.armedAt = Date.now() + 800;
      await s.setAlarm(this.armedAt);
    }
    return Response.json({ key, used: used + 1, alarmMatches: (await s.getAlarm()) === this.armedAt }, { headers: { "x-remaining": String(limit - used - 1) } });
  }
  async alarm(info) {
    const s = this.ctx.storage;
    const windows = ((await s.get("windows")) ?? 0) + 1;
    const hits = await s.list({ prefix: "hits:" });
    const entry = { windows, retryCount: info.retryCount, isRetry: info.isRetry, alarmAtStart: (await s.getAlarm()) === null ? null : "pending", hits: Object.fromEntries(hits) };
    await s.delete([...hits.keys()]);
    await s.put("windows", windows);
    if (windows < 2) {
      await s.setAlarm(Date.now() + 100);
      entry.rearmed = typeof (await s.getAlarm());
    }
    this.log.push(entry);
  }
  async state() {
    const s = this.ctx.storage;
    return { alarm: (await s.getAlarm()) === null ? null : "pending", all: Object.fromEntries(await s.list()), log: this.log };
  }`);

/** A request's observable response: status, the headers the limiter sets, body. */
const DRIVE_HELPERS = `async function hit(stub, key, limit) {
  const res = await stub.fetch("https://limiter/?key=" + key + (limit ? "&limit=" + limit : ""));
  return { status: res.status, remaining: res.headers.get("x-remaining"), retryAfter: res.headers.get("retry-after"), used: res.headers.get("x-used"), body: await res.text() };
}`;

export default [
  both({
    name: "apps: rate limiter, concurrent hits on two keys, alarm clears the window and re-arms once",
    source: `${LIMITER}\n${DRIVE_HELPERS}`,
    timeoutMs: 15000,
    drive: async (env) => {
      const stub = env.DO.getByName("limiter");
      const done = [];
      const keys = ["a", "b", "a", "a", "b", "a", "a"];
      const first = await Promise.all(keys.map((k, i) => hit(stub, k).then((r) => (done.push(i), r))));
      const before = await stub.state();
      const cleared = await waitFor(async () => (await stub.state()).log.length === 2, 8000);
      const after = await stub.state();
      const again = [await hit(stub, "a"), await hit(stub, "a", 1)];
      const final = await stub.state();
      return { first, completionOrder: done, before, cleared, after, again, final: { ...final, log: final.log.length } };
    },
  }),

  both({
    name: "apps: rate limiter, limits per object name, a fresh stub sees the same counts, other names are independent",
    source: `${LIMITER}\n${DRIVE_HELPERS}`,
    timeoutMs: 15000,
    drive: async (env) => {
      const out = {};
      const u1 = env.DO.getByName("user-1");
      const u2 = env.DO.getByName("user-2");
      out.u1 = [await hit(u1, "x", 2), await hit(u1, "x", 2), await hit(u1, "x", 2)];
      out.u1Fresh = await hit(env.DO.getByName("user-1"), "x", 2);
      out.u1ById = await hit(env.DO.get(env.DO.idFromName("user-1")), "x", 3);
      out.u2 = await hit(u2, "x", 2);
      out.states = { u1: await u1.state(), u2: await u2.state() };
      await waitFor(async () => (await u1.state()).log.length === 2 && (await u2.state()).log.length === 2, 8000);
      out.logs = { u1: (await u1.state()).log, u2: (await u2.state()).log };
      return out;
    },
  }),
];
