// Differential probes of SQLite-backed storage beyond the other sql files: which lists take
// the database's one list cursor from an open storage.kv.list() iterator; named parameters in
// the forms SQLite's tokenizer reads (Tcl's). All sqlite.
import { inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql more: ${name}`, "sqlite", body);

export default [
  // `probe(label, newer)`: an iterator read once, then `newer()`; records the iterator's rest.
  sqlite("lists that take storage.kv.list()'s cursor", `
    const kv = s.kv;
    const out = { beforeWrites: kv.list() };
    for (const k of ["a", "b", "c"]) kv.put(k, k);
    out.beforeWrites = outcomeSync(() => show(out.beforeWrites.next()));
    const rest = (it) => outcomeSync(() => [...it].map(([k]) => k));
    const probe = async (label, newer) => { const it = kv.list(); it.next(); await outcome(newer); out[label] = rest(it); };
    await probe("asyncList", () => s.list());
    await probe("asyncNoRows", () => s.list({ prefix: "zz" }));
    await probe("asyncEmptyRange", () => s.list({ start: "b", end: "b" }));
    await probe("asyncRefused", () => s.list({ limit: 0 }));
    await probe("txnList", () => s.transaction((txn) => txn.list({ reverse: true })));
    await probe("asyncGetMany", () => s.get(["a", "b"]));
    await probe("syncEmptyRange", () => kv.list({ prefix: "b", end: "a" }));
    await probe("syncNoRows", () => kv.list({ prefix: "zz" }));
    const unread = kv.list({ prefix: "zz" });
    kv.list();
    out.noRowsUnread = outcomeSync(() => show(unread.next()));
    const ended = kv.list({ prefix: "zz" });
    ended.next();
    await s.list();
    out.noRowsEnded = outcomeSync(() => show(ended.next()));
    const allRead = kv.list();
    allRead.next(); allRead.next(); allRead.next();
    await s.list();
    out.allRowsReadNotEnded = outcomeSync(() => show(allRead.next()));
    return out;`),
  // Each text with its bindings; records the column names and rows, or the error.
  sqlite("named parameters in Tcl's forms", `
    const run = (text, ...b) => outcomeSync(() => { const c = s.sql.exec(text, ...b); return [c.columnNames, [...c.raw()]]; });
    return [
      run("SELECT $a::b, $a", 1, 2), run("SELECT @a::b::c", 1), run("SELECT :a:::b", 1, 2), run("SELECT $a:b", 1, 2), run("SELECT $::a, $a::", 1, 2),
      run("SELECT $a(:b), $a(:b), $a(c)", 1, 2), run("SELECT $a::b(c)", 1), run("SELECT $a((b))", 1), run("SELECT $a(b c)", 1), run("SELECT $a(", 1),
      run("SELECT $(b)", 1), run("SELECT $a('x)')", 1), run("SELECT #a, #a, ?", 1, 2), run("SELECT #1", 1), run("SELECT $a(b); SELECT ?", 1),
    ];`),
];
