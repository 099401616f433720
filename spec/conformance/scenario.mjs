// Scenario format, the module builder shared by both runners, and small constructors that
// keep scenario files short.
//
// A scenario is a plain object:
//   name      unique string
//   backend   "sqlite" | "kv"
//   source    ES module text exporting the Durable Object class(es) (imports "cloudflare:workers")
//   drive     `async (env) => record` (a function: it is stringified, so it may only use its
//             argument, globals and the embedded helpers) or the same as source text
//   classes   optional { BINDING: "ClassName" }, default { DO: "DO" }
//   differs   optional reason: a deliberate production-vs-local difference (reference §9);
//             both sides are still printed, but a mismatch does not fail the run
//   timeoutMs optional per-scenario driver timeout (default 10 s)
//   ownProcess optional true: run in a workerd process of its own. Needed when a Durable Object
//             stub crosses RPC: workerd resolves it by uniqueKey process-wide, and every
//             scenario uses uniqueKey "test-<class>" (so ids match durasim's derivation).
//   entry     optional source text of an expression: the main Worker's default export (an
//             object with handlers, or a class such as `class extends WorkerEntrypoint {...}`).
//             The harness adds its own handler beside it (workerd: `test`; durasim: `fetch` for
//             one private URL, everything else goes to the entry's `fetch`).
//   workers   optional { name: { source, entry, compatibilityDate? } }: more Workers (no Durable
//             Objects), each a module `source` (named exports such as WorkerEntrypoint classes)
//             whose default export is `entry` (source text of an expression), at the harness's
//             date unless it names its own.
//   services  optional { BINDING: "worker" | { name, entrypoint, props } }: service bindings of
//             the main Worker; `name` is a key of `workers`, or "test" for the main Worker.
//   compatibilityFlags optional flag names for the main Worker (workerd runs with
//             --experimental, so experimental flags such as service_binding_extra_handlers work)
//   compatibilityDate optional date for the main Worker (default: workerd-runner's COMPATIBILITY_DATE;
//             durasim then gets none, which behaves as the newest date)
import { HELPERS } from "./driver-helpers.mjs";

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Validates a scenario and fills in defaults; throws with the scenario's name on mistakes. */
export function normalize(s) {
  const where = `scenario ${JSON.stringify(s?.name)}`;
  if (typeof s?.name !== "string" || s.name === "") throw new Error(`${where}: name must be a non-empty string`);
  if (s.backend !== "sqlite" && s.backend !== "kv") throw new Error(`${where}: backend must be "sqlite" or "kv"`);
  if (typeof s.source !== "string") throw new Error(`${where}: source must be module text`);
  if (typeof s.drive !== "function" && typeof s.drive !== "string") throw new Error(`${where}: drive must be a function or its source`);
  return {
    name: s.name,
    backend: s.backend,
    source: s.source,
    drive: s.drive,
    classes: s.classes ?? { DO: "DO" },
    differs: s.differs,
    timeoutMs: s.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ownProcess: s.ownProcess === true,
    entry: s.entry,
    workers: s.workers ?? {},
    services: normalizeServices(s.services ?? {}, s.workers ?? {}, where),
    compatibilityFlags: s.compatibilityFlags ?? [],
    compatibilityDate: s.compatibilityDate,
  };
}

/** Service bindings as `{ BINDING: { name, entrypoint?, props? } }`, each naming a known Worker. */
function normalizeServices(services, workers, where) {
  const out = {};
  for (const [binding, target] of Object.entries(services)) {
    const designator = typeof target === "string" ? { name: target } : target;
    if (designator.name !== MAIN_WORKER && !(designator.name in workers)) {
      throw new Error(`${where}: service ${binding} names Worker ${JSON.stringify(designator.name)}, which is not in "workers"`);
    }
    out[binding] = designator;
  }
  return out;
}

/** The main Worker's name on both sides (durasim derives uniqueKeys as "<worker>-<class>"). */
export const MAIN_WORKER = "test";

/** The URL of durasim's request that runs the driver (anything else reaches the entry). */
const DRIVE_URL = "http://conformance.invalid/drive";

/** Text of `const drive = async (env) => ...;` whichever form the scenario used. */
function driveSource(drive) {
  const text = String(drive).trim();
  // A function declaration named `drive` can be used as is; anything else is an expression.
  return /^async\s+function\s+drive\s*\(/.test(text) ? text : `const drive = (${text});`;
}

/**
 * The complete worker module: source + helpers + drive + a default export.
 * `workerd`: a `test()` handler that prints marker lines (tagged, because one workerd process
 * runs a batch of scenarios); `durasim`: a `fetch()` handler answering with the record.
 *
 * workerd's `test()` first awaits a timer: workerd reads the clock its timers count from only
 * when its event loop waits, so after a scenario that kept the batch's thread busy for over
 * 10 s (a 64 MiB write on a loaded machine) the next one's objects went idle against a stale
 * clock, their 10 s inactivity delay already past, and were evicted at once (hibernated,
 * losing their memory) mid-scenario. A timer makes the loop wait, which reads the clock.
 */
export function buildModule(scenario, target, tag = "") {
  const parts = [scenario.source, HELPERS, driveSource(scenario.drive), `const ENTRY = (${scenario.entry ?? "{}"});`];
  if (target === "workerd") {
    const t = JSON.stringify(tag);
    parts.push(`async function runTest(env) {
  console.log("@@START@@" + ${t});
  await new Promise((resolve) => setTimeout(resolve, 1));
  const r = await runDrive(env, ${scenario.timeoutMs});
  console.log("@@RESULT@@" + ${t} + " " + recordJson(r));
}
export default typeof ENTRY === "function"
  ? class extends ENTRY { async test() { await runTest(this.env); } }
  : { ...ENTRY, async test(ctrl, env) { await runTest(env); } };`);
  } else if (target === "durasim") {
    parts.push(`const DRIVE_URL = ${JSON.stringify(DRIVE_URL)};
async function driveResponse(env) {
  return new Response(recordJson(await runDrive(env, ${scenario.timeoutMs})), { headers: { "content-type": "application/json" } });
}
export default typeof ENTRY === "function"
  ? class extends ENTRY { async fetch(req) { return req.url === DRIVE_URL ? driveResponse(this.env) : super.fetch(req); } }
  : { ...ENTRY, async fetch(req, env, ctx) { return req.url === DRIVE_URL ? driveResponse(env) : ENTRY.fetch(req, env, ctx); } };`);
  } else {
    throw new Error(`unknown target ${target}`);
  }
  return parts.join("\n\n") + "\n";
}

/** Module text of one of the scenario's other Workers: its source, the helpers, and its entry
 * as the default export. */
export function buildWorkerModule(worker) {
  return [worker.source ?? "", HELPERS, `export default (${worker.entry ?? "{}"});`].join("\n\n") + "\n";
}

/** The private URL durasim's runner fetches to run the driver. */
export { DRIVE_URL };

// ---- constructors used by the scenario files -------------------------------------------

const IMPORTS = `import { DurableObject, RpcTarget } from "cloudflare:workers";`;

/** Module text with one class `DO extends DurableObject` whose body is `body`. */
export function cls(body, { name = "DO", extra = "" } = {}) {
  return `${IMPORTS}\n${extra}\nexport class ${name} extends DurableObject {\n${body}\n}\n`;
}

/** The same scenario on both backends; names get a "[sqlite]" / "[kv]" suffix. `per` may
 * override fields per backend (e.g. a `differs` that only applies to one). */
export function both(s, per = {}) {
  return ["sqlite", "kv"].map((backend) => ({ ...s, ...per[backend], name: `${s.name} [${backend}]`, backend }));
}

/**
 * A scenario whose whole body runs inside one Durable Object method, with `s` =
 * ctx.storage, `sql` = s.sql (getter only touched when used) and the helpers in scope.
 * The body returns the record. Saves writing a class and a driver for storage facts.
 * `rest` may set `alarmHandler: true` and any scenario field.
 */
export function inside(name, backend, body, { alarmHandler = false, ...rest } = {}) {
  // alarmHandler: setAlarm() requires the class to have an alarm() method.
  const handler = alarmHandler ? "  async alarm() {}\n" : "";
  return {
    name,
    backend,
    source: cls(`${handler}  async go() {\n    const s = this.ctx.storage;\n${body}\n  }`),
    drive: async (env) => env.DO.getByName("a").go(),
    ...rest,
  };
}

/** `inside` on both backends. */
export function insideBoth(name, body, rest = {}, per = {}) {
  return both(inside(name, "sqlite", body, rest), per);
}

/**
 * Scenarios named `<prefix>: <name>`, each running every statement of a list on its own, in
 * order, against one SQLite-backed object: `make(name, setup, list)` runs `prelude` (method
 * body text) and then `setup` (SQL, if any) first, and records statement -> rows | error. `map`
 * (source text of a function) turns each statement's rows into what is recorded; any other
 * option is a field of `inside`'s (`alarmHandler`, say).
 */
export function sqlStatements(prefix, { prelude = "", map, ...rest } = {}) {
  const rows = map === undefined ? "sql.exec(text).toArray()" : `(${map})(sql.exec(text).toArray())`;
  return (name, setup, list) =>
    inside(`${prefix}: ${name}`, "sqlite", `    const sql = s.sql;
${prelude}    ${setup ? `sql.exec(${JSON.stringify(setup)});` : ""}
    const out = {};
    for (const text of ${JSON.stringify(list)}) out[text] = outcomeSync(() => ${rows});
    return out;`, rest);
}

/**
 * Driver source that calls each of `methods` on an object of its own (named by the method)
 * after that object's setup(), and records the call's outcome with what the object's rows()
 * says next, through the same stub and through a fresh one: whether the turn's writes stayed.
 */
export function eachMethodThenRows(methods) {
  return `async (env) => {
  const out = {};
  for (const method of ${JSON.stringify(methods)}) {
    const stub = env.DO.getByName(method);
    await stub.setup();
    out[method] = { result: await outcome(() => stub[method]()), sameStub: await outcome(() => stub.rows()), fresh: await outcome(() => env.DO.getByName(method).rows()) };
  }
  return out;
}`;
}
