// Realistic apps, part 10: a shop's checkout on SQLite. Stock and orders live in tables with
// CHECK, UNIQUE and FOREIGN KEY constraints; a cart is upserted line by line (ON CONFLICT ...
// DO UPDATE, json_group_array for the summary); checkout reserves stock in an async
// transaction() or in transactionSync(), and a fraud check after it calls ctx.abort(). What
// the shopper sees: the rows, SQLite's own words for violated constraints, the abort's error
// and its flags, and what a fresh stub finds afterwards: a transaction() that had resolved is
// committed, the writes after it are gone with the reset.
import { cls } from "../scenario.mjs";

const SHOP = cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.audit = [];
    ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec("PRAGMA foreign_keys = ON");
      sql.exec(\`CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0), price INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS cart (sku TEXT NOT NULL REFERENCES stock(sku), qty INTEGER NOT NULL CHECK (qty > 0), UNIQUE (sku));
        CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, lines TEXT NOT NULL, total INTEGER NOT NULL, coupon TEXT UNIQUE)\`);
      if (sql.exec("SELECT count(*) AS n FROM stock").one().n === 0) {
        for (const [sku, qty, price] of [["apple", 5, 30], ["pear", 2, 45], ["plum", 0, 99]]) sql.exec("INSERT INTO stock VALUES (?, ?, ?)", sku, qty, price);
      }
    });
  }
  get sql() { return this.ctx.storage.sql; }
  add(sku, qty) {
    return outcomeSync(() => this.sql.exec("INSERT INTO cart (sku, qty) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET qty = qty + excluded.qty RETURNING sku, qty", sku, qty).toArray());
  }
  summary() {
    const c = this.sql.exec(\`SELECT json_group_array(json_object('sku', cart.sku, 'qty', cart.qty, 'cost', cart.qty * stock.price)) AS lines,
      sum(cart.qty * stock.price) AS total FROM cart JOIN stock USING (sku) ORDER BY cart.sku\`);
    const row = c.one();
    return { lines: JSON.parse(row.lines), total: row.total, rowsRead: c.rowsRead };
  }
  /** Moves the cart into an order: stock goes down (CHECK refuses to oversell), the cart empties. */
  placeOrder(coupon) {
    const { lines, total } = this.summary();
    for (const l of lines) this.sql.exec("UPDATE stock SET qty = qty - ? WHERE sku = ?", l.qty, l.sku);
    const id = this.sql.exec("INSERT INTO orders (lines, total, coupon) VALUES (?, ?, ?) RETURNING id", JSON.stringify(lines), total, coupon).one().id;
    this.sql.exec("DELETE FROM cart");
    return id;
  }
  async checkout({ coupon = null, sync = false, fraud = false } = {}) {
    let id;
    try {
      id = sync
        ? this.ctx.storage.transactionSync(() => this.placeOrder(coupon))
        : await this.ctx.storage.transaction(async () => this.placeOrder(coupon));
    } catch (e) {
      this.audit.push(["refused", e.message]);
      return { refused: err(e) };
    }
    this.audit.push(["placed", id]);
    this.ctx.storage.put("lastOrder", id);
    if (fraud) this.ctx.abort("fraud suspected on order " + id);
    return { id };
  }
  state() {
    return {
      stock: this.sql.exec("SELECT sku, qty FROM stock ORDER BY sku").raw().toArray(),
      cart: this.sql.exec("SELECT sku, qty FROM cart ORDER BY sku").raw().toArray(),
      orders: this.sql.exec("SELECT id, json_array_length(lines) AS n, total, coupon FROM orders ORDER BY id").toArray(),
      lastOrder: this.ctx.storage.kv.get("lastOrder") ?? null,
      audit: this.audit,
    };
  }`, { name: "Shop" });

const scenario = (name, drive) => ({ name: `apps: checkout, ${name}`, backend: "sqlite", source: SHOP, classes: { DO: "Shop" }, drive });

export default [
  scenario("cart upserts, constraint errors in SQLite's words, an oversold order rolled back", async (env) => {
    const shop = env.DO.getByName("constraints");
    const out = {};
    out.adds = [await shop.add("apple", 2), await shop.add("apple", 1), await shop.add("kiwi", 1), await shop.add("pear", 0), await shop.add("plum", 1)];
    out.summary = await shop.summary();
    out.oversold = await shop.checkout({ coupon: "WELCOME" });
    out.afterOversold = await shop.state();
    out.removePlum = await shop.add("plum", -1);
    out.fix = await outcome(() => shop.state());
    return out;
  }),

  scenario("a coupon used twice, transactionSync and transaction() both roll back a refused order", async (env) => {
    const shop = env.DO.getByName("coupons");
    const out = {};
    await shop.add("apple", 1);
    out.first = await shop.checkout({ coupon: "ONCE" });
    await shop.add("pear", 1);
    out.againSync = await shop.checkout({ coupon: "ONCE", sync: true });
    out.againAsync = await shop.checkout({ coupon: "ONCE" });
    out.withNewCoupon = await shop.checkout({ coupon: "TWICE", sync: true });
    out.state = await shop.state();
    return out;
  }),

  scenario("a fraud check aborts after the order: transaction() kept, transactionSync lost, memory reset", async (env) => {
    const out = {};
    for (const sync of [false, true]) {
      const name = sync ? "fraud-sync" : "fraud-async";
      const shop = env.DO.getByName(name);
      await shop.add("apple", 2);
      await shop.add("pear", 1);
      out[name] = {
        checkout: await outcome(() => shop.checkout({ fraud: true, sync })),
        sameStub: await outcome(() => shop.state()),
        fresh: await env.DO.getByName(name).state(),
      };
    }
    return out;
  }),
];
