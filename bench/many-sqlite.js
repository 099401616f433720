// `node bench/many-sqlite.js [count]`: many SQLite-backed objects in one process (sql.js alone
// can hold about 4,093 open databases). Each object creates a table and inserts a row; a
// sample is read back afterwards. Not part of `npm run bench`: 100,000 objects take about a
// minute. Needs `npm run build` first.
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";

class Store extends DurableObject {
  touch(i) {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (v)");
    this.ctx.storage.sql.exec("INSERT INTO t VALUES (?)", i);
  }
  count() {
    return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
  }
}

const count = Number(process.argv[2] ?? 100_000);
const emu = new Emulator({
  module: { Store },
  durableObjects: { STORE: { className: "Store", sqlite: true } },
  maxLiveObjects: 1_000,
});
const start = performance.now();
for (let i = 0; i < count; i++) await emu.env.STORE.getByName(`object-${i}`).touch(i);
const seconds = (performance.now() - start) / 1000;
let rows = 0;
let sampled = 0;
for (let i = 0; i < count; i += 997, sampled++) rows += await emu.env.STORE.getByName(`object-${i}`).count();
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${count} SQLite-backed objects in ${seconds.toFixed(1)} s; ${rows}/${sampled} sampled rows read back; RSS ${rss.toFixed(0)} MiB`);
await emu.dispose();
