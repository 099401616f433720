// How a cursor builds a row object: each column is assigned in order, as a plain assignment
// would, so a column named like an inherited member becomes an own property, while one named
// `__proto__` runs Object.prototype's setter: NULL or a BLOB becomes the row's prototype, any
// other value is dropped, and a second `__proto__` column then lands as an own property.
import { insideWith, CALL_HELPERS } from "./webidl-helpers.mjs";

export default [
  insideWith(CALL_HELPERS, "sql rows: columns named __proto__ and like other inherited members, through one(), toArray() and iteration", "sqlite", `
    const sql = s.sql;
    const describe = (r) => {
      const p = Object.getPrototypeOf(r);
      return { own: Reflect.ownKeys(r).map(String), proto: p === Object.prototype ? "Object.prototype" : p === null ? "null" : Object.prototype.toString.call(p), json: JSON.stringify(r) };
    };
    const one = (text) => how(() => describe(sql.exec(text).one()));
    const out = {
      integer: await one('SELECT 1 AS "__proto__", 2 AS b'),
      nul: await one('SELECT NULL AS "__proto__", 2 AS b'),
      blob: await one("SELECT x'0102' AS \\"__proto__\\", 2 AS b"),
      text: await one("SELECT 's' AS \\"__proto__\\""),
      real: await one('SELECT 1.5 AS "__proto__"'),
      twice: await one("SELECT NULL AS \\"__proto__\\", x'01' AS \\"__proto__\\""),
      inherited: await one('SELECT 1 AS "constructor", 2 AS "toString", 3 AS "hasOwnProperty", 4 AS "__defineGetter__"'),
    };
    out.blobProtoBytes = await how(() => { const r = sql.exec("SELECT x'0a0b' AS \\"__proto__\\"").one(); const p = Object.getPrototypeOf(r); return [p instanceof ArrayBuffer, [...new Uint8Array(p)]]; });
    out.toArray = await how(() => sql.exec('SELECT NULL AS "__proto__" UNION ALL SELECT 1').toArray().map(describe));
    out.iterated = await how(() => [...sql.exec('SELECT NULL AS "__proto__", 7 AS v')].map(describe));
    out.raw = await how(() => [...sql.exec('SELECT NULL AS "__proto__", 7 AS v').raw()]);
    return out;`),
];
