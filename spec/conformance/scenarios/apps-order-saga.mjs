// Realistic apps, part 16: an order saga across two objects. An Orders object records each
// order, asks an Inventory object (over RPC, by name from env) to reserve stock, then charges;
// a failed charge compensates by releasing the reservation, a refused reservation marks the
// order rejected. Orders race for the last units concurrently; the inventory serialises them
// with its input gate and a transactionSync per reservation. Records: each order's outcome and
// the errors thrown across the two hops (class, message, remote flag), the order of events each
// object logged, and both objects' storage at the end.
import { cls } from "../scenario.mjs";

const SAGA = cls(`  async place(id, sku, qty, card) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, sku TEXT, qty INTEGER, state TEXT)");
    sql.exec("INSERT INTO orders VALUES (?, ?, ?, 'new')", id, sku, qty);
    const inventory = this.env.INVENTORY.getByName("warehouse");
    let reservation;
    try {
      reservation = await inventory.reserve(id, sku, qty);
    } catch (e) {
      sql.exec("UPDATE orders SET state = ? WHERE id = ?", "rejected: " + e.message, id);
      return { id, state: "rejected", error: err(e) };
    }
    sql.exec("UPDATE orders SET state = 'reserved' WHERE id = ?", id);
    if (card === "declined") {
      const released = await inventory.release(reservation.token);
      sql.exec("UPDATE orders SET state = 'compensated' WHERE id = ?", id);
      return { id, state: "compensated", released };
    }
    sql.exec("UPDATE orders SET state = 'paid' WHERE id = ?", id);
    return { id, state: "paid", left: reservation.left };
  }
  orders() { return this.ctx.storage.sql.exec("SELECT * FROM orders ORDER BY id").toArray(); }`, { name: "Orders" }) + `
class OutOfStock extends Error {
  constructor(sku, wanted, left) { super("only " + left + " of " + sku + " left, " + wanted + " wanted"); this.name = "OutOfStock"; this.left = left; }
}
export class Inventory extends DurableObject {
  log = [];
  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0))");
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS holds (token INTEGER PRIMARY KEY AUTOINCREMENT, orderId TEXT UNIQUE, sku TEXT, qty INTEGER)");
      ctx.storage.sql.exec("INSERT INTO stock VALUES ('lamp', 3), ('desk', 1) ON CONFLICT DO NOTHING");
    });
  }
  async reserve(orderId, sku, qty) {
    this.log.push(["reserve?", orderId]);
    // A check that awaits: concurrent orders interleave here unless the gate holds them.
    const known = await this.ctx.storage.get("known:" + sku);
    if (known === undefined) await this.ctx.storage.put("known:" + sku, true);
    return this.ctx.storage.transactionSync(() => {
      const row = this.ctx.storage.sql.exec("SELECT qty FROM stock WHERE sku = ?", sku).toArray()[0];
      if (row === undefined) throw new TypeError("unknown sku " + sku);
      if (row.qty < qty) throw new OutOfStock(sku, qty, row.qty);
      this.ctx.storage.sql.exec("UPDATE stock SET qty = qty - ? WHERE sku = ?", qty, sku);
      const token = this.ctx.storage.sql.exec("INSERT INTO holds (orderId, sku, qty) VALUES (?, ?, ?) RETURNING token", orderId, sku, qty).one().token;
      this.log.push(["reserved", orderId, token]);
      return { token, left: row.qty - qty };
    });
  }
  async release(token) {
    const hold = this.ctx.storage.sql.exec("DELETE FROM holds WHERE token = ? RETURNING sku, qty, orderId", token).toArray()[0];
    if (hold === undefined) throw new RangeError("no hold " + token);
    this.ctx.storage.sql.exec("UPDATE stock SET qty = qty + ? WHERE sku = ?", hold.qty, hold.sku);
    this.log.push(["released", hold.orderId]);
    return hold.qty;
  }
  report() {
    return {
      log: this.log,
      stock: this.ctx.storage.sql.exec("SELECT sku, qty FROM stock ORDER BY sku").raw().toArray(),
      holds: this.ctx.storage.sql.exec("SELECT token, orderId, sku, qty FROM holds ORDER BY token").raw().toArray(),
    };
  }
}
`;

export default [
  {
    name: "apps: order saga across two objects, concurrent orders race for the last units, a declined card compensates",
    backend: "sqlite",
    source: SAGA,
    classes: { DO: "Orders", INVENTORY: "Inventory" },
    drive: async (env) => {
      const orders = env.DO.getByName("shop");
      const out = {};
      out.race = await Promise.all([
        orders.place("o1", "lamp", 2, "ok"),
        orders.place("o2", "lamp", 2, "ok"),
        orders.place("o3", "desk", 1, "declined"),
        orders.place("o4", "desk", 1, "ok"),
        orders.place("o5", "sofa", 1, "ok"),
      ]);
      out.retryAfterCompensation = await orders.place("o6", "desk", 1, "ok");
      out.duplicate = await orders.place("o1", "lamp", 1, "ok").then((v) => ({ ok: v }), (e) => ({ thrown: err(e) }));
      out.releaseTwice = await env.INVENTORY.getByName("warehouse").release(1).then((v) => ({ ok: v }), (e) => ({ thrown: err(e) }));
      out.releaseMissing = await env.INVENTORY.getByName("warehouse").release(99).then((v) => ({ ok: v }), (e) => ({ thrown: err(e) }));
      out.orders = await orders.orders();
      out.inventory = await env.INVENTORY.getByName("warehouse").report();
      return out;
    },
  },
];
