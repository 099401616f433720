// Realistic apps, part 13: a shopping cart with expiry on the async storage API. Items are keys
// "item:<sku>" written with put({...}) in batches, browsed with list() and every option
// (prefix, start, end, reverse, limit, startAfter), removed with delete([...]); an expiry alarm
// is pushed back on every change (setAlarm replaces it, getAlarm reports it), cancelled with
// deleteAlarm() on checkout, and when it fires it empties the cart with deleteAll(). Both
// backends; records hold keys in order, counts, whether an alarm is pending (never its time).
import { both, cls } from "../scenario.mjs";

const CART = cls(`  async touch() {
    const before = await this.ctx.storage.getAlarm();
    await this.ctx.storage.setAlarm(Date.now() + (await this.ctx.storage.get("meta:ttl") ?? 60000));
    // Not whether it moved: two calls may fall in one millisecond of the object's clock.
    const after = await this.ctx.storage.getAlarm();
    return before === null ? "armed" : after >= before ? "replaced" : "earlier";
  }
  async add(items) {
    const entries = Object.fromEntries(Object.entries(items).map(([sku, qty]) => ["item:" + sku, { qty, at: Object.keys(items).indexOf(sku) }]));
    await this.ctx.storage.put(entries);
    return { alarm: await this.touch(), count: (await this.ctx.storage.list({ prefix: "item:" })).size };
  }
  async remove(skus) {
    const removed = await this.ctx.storage.delete(skus.map((s) => "item:" + s));
    return { removed, alarm: await this.touch() };
  }
  async browse() {
    const keys = async (o) => [...(await this.ctx.storage.list(o)).keys()];
    return {
      all: await keys({ prefix: "item:" }),
      page1: await keys({ prefix: "item:", limit: 2 }),
      page2: await keys({ prefix: "item:", startAfter: "item:b", limit: 2 }),
      range: await keys({ start: "item:b", end: "item:d" }),
      newest: await keys({ prefix: "item:", reverse: true, limit: 2 }),
      reverseRange: await keys({ start: "item:a", end: "item:c", reverse: true }),
      emptyPrefix: await keys({ prefix: "nothing:" }),
      values: Object.fromEntries(await this.ctx.storage.get(["item:b", "item:zz", "item:a"])),
    };
  }
  async badLists() {
    const s = this.ctx.storage;
    const out = {};
    for (const [label, o] of [["startAndStartAfter", { start: "a", startAfter: "b" }], ["limit0", { limit: 0 }], ["limitNeg", { limit: -1 }], ["limitStr", { limit: "2" }], ["prefixNum", { prefix: 5 }]]) {
      out[label] = await s.list(o).then((m) => ({ ok: [...m.keys()] }), (e) => ({ error: err(e) }));
    }
    return out;
  }
  async checkout() {
    const items = await this.ctx.storage.list({ prefix: "item:" });
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.delete([...items.keys()]);
    await this.ctx.storage.put("order:1", Object.fromEntries(items));
    return { items: items.size, alarm: await this.ctx.storage.getAlarm(), left: [...(await this.ctx.storage.list()).keys()] };
  }
  async alarm(info) {
    const items = (await this.ctx.storage.list({ prefix: "item:" })).size;
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put("expired", { items, retry: info.retryCount });
  }
  async status() {
    return { alarm: (await this.ctx.storage.getAlarm()) === null ? null : "pending", keys: [...(await this.ctx.storage.list()).keys()], expired: (await this.ctx.storage.get("expired")) ?? null };
  }
  async setTtl(ms) { await this.ctx.storage.put("meta:ttl", ms); }`);

export default [
  ...both({
    name: "apps: cart expiry, batches, list options in every combination, delete counts, checkout cancels the alarm",
    source: CART,
    drive: async (env) => {
      const cart = env.DO.getByName("shopper");
      const out = {};
      out.add1 = await cart.add({ c: 1, a: 2, e: 1 });
      out.add2 = await cart.add({ b: 3, d: 1, a: 5 });
      out.browse = await cart.browse();
      out.remove = await cart.remove(["e", "zz", "e"]);
      out.badLists = await cart.badLists();
      out.checkout = await cart.checkout();
      out.status = await cart.status();
      return out;
    },
  }),
  ...both({
    name: "apps: cart expiry, the alarm empties the cart with deleteAll and leaves a note",
    source: CART,
    drive: async (env) => {
      const cart = env.DO.getByName("forgetful");
      const out = {};
      // The adds keep the default minute of expiry, so that the alarm cannot fire between them
      // (with a short TTL, a loaded machine let it run first and empty the cart); only then
      // does a short TTL move it nearer, which makes the alarm earlier than the one it replaces.
      out.add = await cart.add({ x: 1, y: 2 });
      out.again = await cart.add({ z: 1 });
      await cart.setTtl(40);
      out.shortened = await cart.touch();
      out.ran = await waitFor(async () => (await cart.status()).expired !== null, 3000);
      out.status = await cart.status();
      return out;
    },
  }),
];
