// Interop fixtures made by the real runtime, at test time (no committed binaries): runs the
// `workerd` binary from the npm package with `localDisk` Durable Object storage, laid out as
// wrangler dev lays it out (`<state>/v3/do/<script>-<Class>/<id>.sqlite`), to
//   - write a state directory (KV-backed and SQLite-backed classes, many value types, a SQL
//     table, alarms), then SIGKILL it as a stopped `wrangler dev` leaves it: data only in -wal;
//   - read a state directory durasim wrote, and report what workerd sees (values, tables,
//     alarms, and which alarms fired).
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKERD_BIN, COMPATIBILITY_DATE } from "../../conformance/workerd-runner.mjs";

export const SCRIPT = "interop";
export const KV_CLASS = "KvStore";
export const SQL_CLASS = "SqlStore";

/**
 * The values both sides store, as source text so the Worker and the test build identical
 * values. Keys include "\uFFFF" and an astral character: UTF-8 order and JS order disagree on them.
 */
export const VALUES_SOURCE = `(() => {
  const cyclic = { name: "cyclic" }; cyclic.self = cyclic;
  const shared = [1, 2];
  const sparse = [1, , 3]; sparse[10] = "ten";
  return {
    str: "hello", emoji: "h\\u00e9llo \\u{1F600}", long: "x".repeat(5000), empty: "",
    int: 7, num: 42.5, negZero: -0, nan: NaN, negInf: -Infinity, big: 12345678901234567890n, negBig: -(2n ** 64n),
    t: true, f: false, nul: null, holey: { u: undefined },
    date: new Date(1700000000000), re: /ab+c/gi,
    map: new Map([[1, "one"], ["k", { v: 2 }]]), set: new Set([1, "two", 3]),
    u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([1.5, -2]), i32sub: new Int32Array([1, 2, 3, 4]).subarray(1, 3),
    view: new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2), ab: new Uint8Array([5, 6]).buffer,
    obj: { a: 1, b: [1, 2, "x"], c: { d: null } }, arr: [1, "two", 3.5], sparse, cyclic, sharing: { x: shared, y: shared },
    boxed: [new String("s"), new Number(3), new Boolean(false)], intKeys: { 1: "a", 0: "b", z: "c" },
    "\\uFFFF": "bmp-high", "\\u{1F600}": "astral",
  };
})()`;

/** How both sides describe a value they read, as text comparable across processes. */
export const DESCRIBE_SOURCE = `(v) => {
  const seen = new Set();
  const plain = (x) => {
    if (typeof x === "bigint") return x + "n";
    if (typeof x === "number" && !Number.isFinite(x)) return String(x);
    if (Object.is(x, -0)) return "-0";
    if (x === undefined) return "undefined";
    if (typeof x !== "object" || x === null) return x;
    if (seen.has(x)) return "[seen]";
    seen.add(x);
    const tag = Object.prototype.toString.call(x);
    if (x instanceof Map) return [tag, [...x].map(([k, y]) => [plain(k), plain(y)])];
    if (x instanceof Set) return [tag, [...x].map(plain)];
    if (ArrayBuffer.isView(x)) return [tag, [...new Uint8Array(x.buffer, x.byteOffset, x.byteLength)]];
    if (x instanceof ArrayBuffer) return [tag, [...new Uint8Array(x)]];
    if (x instanceof Date) return [tag, x.getTime()];
    if (x instanceof RegExp) return [tag, String(x)];
    if (Array.isArray(x)) return [tag, x.length, Object.entries(x).map(([k, y]) => [k, plain(y)])];
    if (tag !== "[object Object]") return [tag, String(x.valueOf())];
    return [tag, Object.entries(x).map(([k, y]) => [k, plain(y)])];
  };
  return JSON.stringify(plain(v));
}`;

/** The Worker both runtimes run: KV_CLASS, SQL_CLASS and a default export driving them. */
export const WORKER_SOURCE = `import { DurableObject } from "cloudflare:workers";
const VALUES = () => ${VALUES_SOURCE};
const describe = ${DESCRIBE_SOURCE};
class Store extends DurableObject {
  async write(alarm) {
    const values = VALUES();
    for (const [k, v] of Object.entries(values)) await this.ctx.storage.put(k, v);
    if (alarm !== null) await this.ctx.storage.setAlarm(alarm);
    return this.ctx.id.toString();
  }
  async read() {
    const entries = [...(await this.ctx.storage.list())].map(([k, v]) => [k, describe(v)]);
    return { entries, alarm: await this.ctx.storage.getAlarm(), name: this.ctx.id.name ?? null };
  }
  async alarm() {
    await this.ctx.storage.put("alarm fired", { at: Date.now(), name: this.ctx.id.name ?? null });
  }
}
export class ${KV_CLASS} extends Store {}
export class ${SQL_CLASS} extends Store {
  async write(alarm) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, label TEXT NOT NULL, weight REAL, data BLOB)");
    for (let i = 1; i <= 50; i++) sql.exec("INSERT INTO items(label, weight, data) VALUES (?, ?, ?)", "item " + i, i / 4, new Uint8Array([i, i + 1]));
    sql.exec("CREATE INDEX items_by_label ON items(label)");
    return super.write(alarm);
  }
  async read() {
    const sql = this.ctx.storage.sql;
    const tables = sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\\\_cf\\\\_%' ESCAPE '\\\\' ORDER BY name").toArray().map((r) => r.name);
    const items = tables.includes("items")
      ? sql.exec("SELECT id, label, weight, hex(data) AS data FROM items ORDER BY id").toArray().map((r) => [r.id, r.label, r.weight, r.data])
      : null;
    return { ...(await super.read()), tables, items };
  }
}
const ns = (env, kind) => (kind === "kv" ? env.KV : env.SQL);
const stub = (env, kind, name) => ns(env, kind).get(ns(env, kind).idFromName(name));
export default {
  async fetch(request, env) {
    const { op, kind, name, alarm } = await request.json();
    const result = op === "write" ? await stub(env, kind, name).write(alarm ?? null) : await stub(env, kind, name).read();
    return Response.json(result);
  },
  async test(ctrl, env) {
    const plan = JSON.parse(env.PLAN);
    const out = {};
    for (const { kind, name, waitForAlarm } of plan) {
      let state = await stub(env, kind, name).read();
      const deadline = Date.now() + 8000;
      while (waitForAlarm && !state.entries.some(([k]) => k === "alarm fired") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        state = await stub(env, kind, name).read();
      }
      out[kind + ":" + name] = state;
    }
    console.log("@@STATE@@" + JSON.stringify(out));
  },
};
`;

function config(stateDirectory, { port, plan }) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [
  (name = "main", worker = .w),
  (name = "disk", disk = (path = ${JSON.stringify(join(stateDirectory, "v3", "do"))}, writable = true)) ]${
    port === undefined ? "" : `,\n  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ]`
  } );
const w :Workerd.Worker = (
  compatibilityDate = "${COMPATIBILITY_DATE}",
  modules = [ (name = "main.js", esModule = embed "main.js") ],
  durableObjectNamespaces = [
    (className = "${KV_CLASS}", uniqueKey = "${SCRIPT}-${KV_CLASS}"),
    (className = "${SQL_CLASS}", uniqueKey = "${SCRIPT}-${SQL_CLASS}", enableSql = true) ],
  durableObjectStorage = (localDisk = "disk"),
  bindings = [ (name = "KV", durableObjectNamespace = "${KV_CLASS}"), (name = "SQL", durableObjectNamespace = "${SQL_CLASS}"),
    (name = "PLAN", text = ${JSON.stringify(JSON.stringify(plan ?? []))}) ] );
`;
}

/** A work directory with the Worker and a config whose storage is `stateDirectory`. */
async function workDirectory(stateDirectory, options) {
  const dir = await mkdtemp(join(tmpdir(), "durasim-workerd-interop-"));
  await writeFile(join(dir, "main.js"), WORKER_SOURCE);
  await writeFile(join(dir, "config.capnp"), config(stateDirectory, options));
  await mkdir(join(stateDirectory, "v3", "do"), { recursive: true });
  return dir;
}

/**
 * Starts `workerd serve` on `stateDirectory` (as wrangler dev runs it). Returns its port, its
 * pid, and `kill()`, which ends it with SIGKILL, so (as after a stopped wrangler dev) the data
 * stays only in the -wal files.
 */
export async function startWorkerd(stateDirectory) {
  const dir = await workDirectory(stateDirectory, { port: 0 });
  const child = spawn(WORKERD_BIN, ["serve", "config.capnp", "--control-fd=3"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const kill = async () => {
    child.kill("SIGKILL");
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on("exit", resolve)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise((resolve, reject) => {
      let control = "";
      const timer = setTimeout(() => reject(new Error(`workerd did not start: ${stderr}`)), 20_000);
      child.stdio[3].on("data", (d) => {
        control += d;
        for (const line of control.split("\n")) {
          if (!line.trim()) continue;
          const event = JSON.parse(line);
          if (event.event === "listen") {
            clearTimeout(timer);
            resolve(event.port);
          }
        }
      });
      child.on("exit", (code) => reject(new Error(`workerd exited (${code}): ${stderr}`)));
    });
    return { port, pid: child.pid, kill, stderr: () => stderr };
  } catch (error) {
    await kill();
    throw error;
  }
}

/**
 * Has workerd write `writes` ([{ kind: "kv" | "sql", name, alarm: epoch ms | null }]) into
 * `stateDirectory`, then kills it. Returns the ids workerd gave each object.
 */
export async function writeStateWithWorkerd(stateDirectory, writes) {
  const workerd = await startWorkerd(stateDirectory);
  try {
    const ids = {};
    for (const write of writes) {
      const response = await fetch(`http://127.0.0.1:${workerd.port}/`, {
        method: "POST",
        body: JSON.stringify({ op: "write", ...write }),
      });
      if (!response.ok) throw new Error(`workerd write failed: ${await response.text()}\n${workerd.stderr()}`);
      ids[`${write.kind}:${write.name}`] = await response.json();
    }
    return ids;
  } finally {
    await workerd.kill();
  }
}

/**
 * Starts workerd on `stateDirectory` and reports what it reads for each of `reads`
 * ([{ kind, name, waitForAlarm }]): entries (described), alarm, SQL tables and rows. With
 * `waitForAlarm`, waits up to 8 s for the object's alarm() to have run.
 */
export async function readStateWithWorkerd(stateDirectory, reads) {
  const dir = await workDirectory(stateDirectory, { plan: reads });
  try {
    const { code, stdout, stderr } = await runWorkerdTest(dir);
    const line = stdout.split("\n").find((l) => l.startsWith("@@STATE@@"));
    if (code !== 0 || line === undefined) throw new Error(`workerd could not read the state (exit ${code}):\n${stderr}\n${stdout}`);
    return JSON.parse(line.slice("@@STATE@@".length));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `workerd test config.capnp` in `dir`; resolves with its exit code and output. */
export function runWorkerdTest(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(WORKERD_BIN, ["test", "config.capnp"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export { COMPATIBILITY_DATE };
