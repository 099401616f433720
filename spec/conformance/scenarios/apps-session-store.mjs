// Realistic apps, part 5: a session store. Sessions are written as objects of keys with
// put({...}), read back in batches with get([...]), paged with list({ startAfter, limit }),
// renewed in transaction() (rolled back when a session expired), and the object is reset in
// the middle of the workload (ctx.abort, an exception while writes are in flight), after which
// a fresh stub must see exactly what had been written. On both backends; the SQLite one also
// takes a bookmark before and after.
import { both, cls } from "../scenario.mjs";

const STORE = cls(`  cache = new Map();
  async login(user, data) {
    const id = "sess:" + user;
    await this.ctx.storage.put({ [id]: { user, ...data, renewals: 0 }, ["idx:" + data.team + ":" + user]: id });
    this.cache.set(id, data);
    return id;
  }
  async batch(ids) {
    const got = await this.ctx.storage.get(ids);
    return { type: Object.prototype.toString.call(got), keys: [...got.keys()], values: [...got.values()].map((v) => v.user), cached: ids.map((id) => this.cache.has(id)) };
  }
  async page(startAfter, limit) {
    const opts = { prefix: "sess:", limit };
    if (startAfter !== undefined) opts.startAfter = startAfter;
    return [...(await this.ctx.storage.list(opts)).keys()];
  }
  async team(team) { return [...(await this.ctx.storage.list({ prefix: "idx:" + team + ":", reverse: true })).values()]; }
  async renew(id) {
    return this.ctx.storage.transaction(async (txn) => {
      const s = await txn.get(id);
      if (s === undefined) return "missing";
      await txn.put(id, { ...s, renewals: s.renewals + 1 });
      if (s.expired) { txn.rollback(); return "expired, rolled back"; }
      return "renewed " + (s.renewals + 1);
    });
  }
  async renewThrows(id) {
    return this.ctx.storage.transaction(async (txn) => {
      await txn.delete(id);
      throw new SyntaxError("renewal failed for " + id);
    });
  }
  async logout(ids) {
    const n = await this.ctx.storage.delete(ids);
    for (const id of ids) this.cache.delete(id);
    await this.ctx.storage.sync();
    return n;
  }
  async crashAfterWrite(id) {
    this.ctx.storage.put(id, { user: "ghost", renewals: 0 });
    this.ctx.storage.put("crash-marker", true);
    this.ctx.abort("session store restarting");
  }
  async throwAfterWrite(id) {
    this.ctx.storage.put(id, { user: "thrower", renewals: 0 });
    throw new Error("oops after write");
  }
  async dump() {
    return { all: Object.fromEntries(await this.ctx.storage.list()), cacheSize: this.cache.size };
  }
  async bookmarks() {
    const first = await this.ctx.storage.getCurrentBookmark();
    await this.ctx.storage.put("touch", 1);
    const second = await this.ctx.storage.getCurrentBookmark();
    return { type: typeof first, changed: first !== second, ordered: first < second };
  }`);

const shapes = (name, drive, per) => both({ name: `apps: session store, ${name}`, source: STORE, drive }, per);

export default [
  shapes("batch reads, paging with startAfter, renewals with rollback, logout", async (env) => {
    const st = env.DO.getByName("sessions");
    const out = {};
    for (const [u, team] of [["dora", "red"], ["ann", "blue"], ["cid", "red"], ["bob", "blue"], ["eve", "red"]]) await st.login(u, { team, expired: u === "cid" });
    out.batch = await st.batch(["sess:eve", "sess:nobody", "sess:ann", "sess:cid", "sess:ann"]);
    out.pages = [await st.page(undefined, 2), await st.page("sess:bob", 2), await st.page("sess:dora", 2), await st.page("sess:eve", 2), await st.page("sess:b", 1)];
    out.red = await st.team("red");
    out.renew = [await st.renew("sess:ann"), await st.renew("sess:ann"), await st.renew("sess:cid"), await st.renew("sess:zed")];
    out.renewThrows = await outcome(() => st.renewThrows("sess:bob"));
    out.logout = await st.logout(["sess:dora", "sess:nobody", "idx:red:dora"]);
    out.dump = await st.dump();
    return out;
  }),

  shapes("resets mid-workload: ctx.abort and an exception after unawaited writes", async (env) => {
    const st = env.DO.getByName("resets");
    const out = {};
    await st.login("amy", { team: "x" });
    out.beforeCache = (await st.dump()).cacheSize;
    out.abort = await outcome(() => st.crashAfterWrite("sess:ghost"));
    out.sameStubAfterAbort = await outcome(() => st.dump());
    const fresh = env.DO.getByName("resets");
    out.freshAfterAbort = await outcome(() => fresh.dump());
    out.thrown = await outcome(() => fresh.throwAfterWrite("sess:thrower"));
    out.afterThrow = await outcome(() => fresh.dump());
    out.concurrent = await Promise.all([outcome(() => fresh.login("zoe", { team: "y" })), outcome(() => fresh.crashAfterWrite("sess:ghost2")), outcome(() => fresh.login("yan", { team: "y" }))]);
    out.end = await outcome(() => env.DO.getByName("resets").dump());
    return out;
  }, { kv: { differs: "reference §9: production keeps committed data; workerd inMemory storage drops it with the instance" } }),

  {
    name: "apps: session store, bookmarks move with writes [sqlite]",
    backend: "sqlite",
    source: STORE,
    drive: async (env) => env.DO.getByName("bookmarks").bookmarks(),
  },
];
