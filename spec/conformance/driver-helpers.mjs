// Helpers embedded (as source text) into every generated worker module, so that the
// Durable Object classes and the driver can both use them. They are written here as real
// functions so they are syntax-checked and readable; `HELPERS` is their source text.
//
// Rules for these functions: they may only reference each other and globals, because they
// are stringified and re-evaluated inside workerd / durasim. Type tests use
// Object.prototype.toString instead of `instanceof`, because durasim may hand the driver
// values created in another realm (node:v8 deserialisation happens in the main realm).

/** The observable facts of a thrown value: no stack, no random references. */
function err(e) {
  if (e === null || (typeof e !== "object" && typeof e !== "function")) return { thrown: show(e) };
  const r = { name: e.name, message: scrub(String(e.message)), ctor: e.constructor?.name };
  for (const k of ["remote", "durableObjectReset", "retryable", "overloaded", "durableObjectId"]) {
    if (e[k] !== undefined) r[k] = e[k];
  }
  if (typeof e.code === "number" && e.code !== 0) r.code = e.code;
  return r;
}

/** Removes the only nondeterministic part of runtime error texts ("reference = <id>"). */
function scrub(message) {
  return message.replace(/reference = [0-9a-z]+/gi, "reference = <ref>");
}

/** A JSON-safe, tagged rendering of any value: Maps keep their order, -0 / NaN / BigInt /
 * undefined / holes / cycles / buffers stay distinguishable after JSON.stringify. */
function show(v, path = []) {
  if (v === undefined) return { $: "undefined" };
  if (typeof v === "number") {
    if (Object.is(v, -0)) return { $: "number", v: "-0" };
    return Number.isFinite(v) ? v : { $: "number", v: String(v) };
  }
  if (typeof v === "bigint") return { $: "bigint", v: String(v) };
  if (typeof v === "symbol") return { $: "symbol", v: String(v) };
  if (typeof v === "function") return { $: "function" };
  if (v === null || typeof v !== "object") return v;
  if (path.includes(v)) return { $: "cycle", depth: path.length - path.indexOf(v) };
  const inner = (x) => show(x, [...path, v]);
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (tag === "Error" || tag === "DOMException") return { $: "error", ...err(v) };
  if (tag === "Map") return { $: "Map", entries: [...v].map(([k, x]) => [inner(k), inner(x)]) };
  if (tag === "Set") return { $: "Set", values: [...v].map(inner) };
  if (tag === "Date") return { $: "Date", v: Number.isNaN(v.getTime()) ? "Invalid" : v.toISOString() };
  if (tag === "RegExp") return { $: "RegExp", v: String(v) };
  if (tag === "ArrayBuffer") return { $: "ArrayBuffer", hex: hex(new Uint8Array(v)) };
  if (ArrayBuffer.isView(v)) return { $: tag, hex: hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (tag === "Boolean" || tag === "Number" || tag === "String") return { $: "boxed" + tag, v: inner(v.valueOf()) };
  if (Array.isArray(v)) {
    const out = [];
    for (let i = 0; i < v.length; i++) out.push(i in v ? inner(v[i]) : { $: "hole" });
    return out;
  }
  const out = {};
  const proto = Object.getPrototypeOf(v);
  const protoName = proto === null ? "null" : proto.constructor?.name;
  if (protoName !== "Object") out.$proto = protoName ?? "?";
  for (const k of Object.keys(v)) out[k] = inner(v[k]);
  return out;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Outcome of a call or promise: `{ ok: shown value }` or `{ error: err(e) }`. Accepts a
 * function so that synchronous throws are captured too. */
async function outcome(f) {
  try {
    return { ok: show(await (typeof f === "function" ? f() : f)) };
  } catch (e) {
    return { error: err(e) };
  }
}

/** Synchronous twin of `outcome`, for code that must not yield (SQL, sync KV, gates). */
function outcomeSync(f) {
  try {
    return { ok: show(f()) };
  } catch (e) {
    return { error: err(e) };
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` (an async predicate) every 10 ms until true or `ms` elapse; returns
 * whether it became true. Used for alarms, whose firing time is not exact. */
async function waitFor(check, ms = 3000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(10);
  }
  return false;
}

/** Runs the scenario's driver; a driver that throws or hangs still yields a record. */
async function runDrive(env, timeoutMs) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ driveTimedOut: timeoutMs }), timeoutMs);
  });
  try {
    return await Promise.race([drive(env), timeout]);
  } catch (e) {
    return { driveThrew: err(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** Serialises a record for the wire; a record JSON cannot carry becomes a visible fact. */
function recordJson(r) {
  try {
    return JSON.stringify(r === undefined ? { $: "undefined" } : r);
  } catch (e) {
    return JSON.stringify({ recordNotJson: err(e) });
  }
}

export const HELPERS = [err, scrub, show, hex, outcome, outcomeSync, sleep, waitFor, runDrive, recordJson]
  .map(String)
  .join("\n\n");
