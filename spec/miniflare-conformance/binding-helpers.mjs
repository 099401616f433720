// Helpers for binding results, embedded (as source text) into every scenario module next to
// the conformance suite's helpers (show, outcome, err, hex, ...). Same rules: they may only
// reference each other, those helpers and globals. They turn the runtime's objects into
// JSON-safe records and replace the only nondeterministic parts (upload times, versions,
// upload ids) with what a test can rely on.

/** An R2Object / R2ObjectBody (or null) as a record: every field production documents. */
function r2(o) {
  if (o === null || o === undefined) return show(o);
  if (typeof o !== "object") return { notAnObject: show(o) };
  const out = {
    class: o.constructor?.name,
    key: o.key,
    version: shape(o.version),
    size: o.size,
    etag: o.etag,
    httpEtag: o.httpEtag,
    checksums: checksums(o.checksums),
    uploaded: when(o.uploaded),
    httpMetadata: show(o.httpMetadata),
    customMetadata: show(o.customMetadata),
    range: show(o.range),
    storageClass: o.storageClass,
    ssecKeyMd5: show(o.ssecKeyMd5),
    hasBody: "body" in o,
  };
  if ("body" in o) out.bodyUsed = o.bodyUsed;
  return out;
}

/** R2Checksums: the hex form toJSON() gives and which fields are ArrayBuffers. */
function checksums(c) {
  if (c === null || c === undefined || typeof c !== "object") return show(c);
  const fields = {};
  for (const k of ["md5", "sha1", "sha256", "sha384", "sha512"]) {
    const v = c[k];
    fields[k] = v === undefined ? "absent" : Object.prototype.toString.call(v).slice(8, -1) + ":" + hex(new Uint8Array(v));
  }
  return { fields, json: show(typeof c.toJSON === "function" ? c.toJSON() : undefined) };
}

/** A Date that should be "now": its type and whether it is within a minute of the clock. */
function when(d) {
  if (Object.prototype.toString.call(d) !== "[object Date]") return { notADate: show(d) };
  return { $: "Date", recent: Math.abs(d.getTime() - Date.now()) < 60_000, wholeMs: Number.isInteger(d.getTime()) };
}

/** Random identifiers reduced to their form: 32 hex digits, or the value itself. */
function shape(v) {
  if (typeof v !== "string") return show(v);
  if (/^[0-9a-f]{32}$/.test(v)) return "<hex32>";
  return v.length > 40 ? `<${v.length} chars>` : v;
}

/** An R2Objects list result, objects rendered with r2(). */
function r2list(l) {
  if (l === null || typeof l !== "object") return show(l);
  const out = { objects: l.objects.map(r2), truncated: l.truncated, delimitedPrefixes: show(l.delimitedPrefixes) };
  out.cursor = l.truncated ? (typeof l.cursor === "string" && l.cursor.length > 0 ? "<cursor>" : show(l.cursor)) : show(l.cursor);
  out.keys = Object.keys(l).sort();
  return out;
}

/** A Headers object as sorted [name, value] pairs. */
function headersOf(h) {
  return [...h].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Text of a ReadableStream (or anything a Response accepts). */
async function textOf(body) {
  return new Response(body).text();
}

/** A string of `n` copies of `c`. */
function str(n, c = "a") {
  return c.repeat(n);
}

/** A record with every epoch-seconds number in error messages written relative to `now`. */
function relativeTimes(record, now) {
  return JSON.parse(JSON.stringify(record).replace(/\b1[0-9]{9}\b/g, (n) => `now${Number(n) - now >= 0 ? "+" : ""}${Number(n) - now}`));
}

/** How a call fails: thrown synchronously, rejected, or not at all (["sync" | "async", name, message] or ["ok"]). */
async function thrownHow(call) {
  let promise;
  try {
    promise = call();
  } catch (e) {
    return ["sync", e.name, e.message];
  }
  try {
    await promise;
    return ["ok"];
  } catch (e) {
    return ["async", e.name, e.message];
  }
}

/** An API object as reflection sees it: for-in order, its prototype members' descriptors, and what its constructor and a borrowed method do. */
function apiShape(o) {
  const keys = [];
  for (const k in o) keys.push(k);
  const proto = Object.getPrototypeOf(o);
  const members = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    members[name] = [d.get ? "getter" : typeof d.value, d.enumerable, (d.value ?? d.get).length];
  }
  const tag = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag);
  const firstMethod = Object.getOwnPropertyNames(proto).find((n) => n !== "constructor" && typeof Object.getOwnPropertyDescriptor(proto, n).value === "function");
  const borrowed = (() => {
    try {
      proto[firstMethod].call({});
      return "no error";
    } catch (e) {
      return [e.name, e.message];
    }
  })();
  const construct = (() => {
    try {
      new o.constructor();
      return "constructed";
    } catch (e) {
      return [e.name, e.message];
    }
  })();
  return { forIn: keys, members, tag: tag && [tag.value, tag.enumerable, tag.writable], name: o.constructor.name, construct, borrowed: [firstMethod, borrowed] };
}

/** Own enumerable keys and the prototype's own names, for comparing object shapes. */
function protoShape(o) {
  if (o === null || typeof o !== "object") return show(o);
  const proto = Object.getPrototypeOf(o);
  return {
    ctor: o.constructor?.name,
    own: Object.keys(o).sort(),
    proto: proto ? Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor").sort() : null,
    tag: Object.prototype.toString.call(o),
  };
}

/**
 * What a Cache API match() answered: undefined, or the Response's status, headers (Date and
 * Expires reduced to whether they are well-formed HTTP dates near now) and body text.
 */
async function cached(res) {
  if (res === undefined || res === null) return show(res);
  const headers = headersOf(res.headers).map(([k, v]) => (k === "date" || k === "expires" ? [k, httpDateNearNow(v)] : [k, v]));
  return { class: res.constructor?.name, status: res.status, statusText: res.statusText, headers, body: await res.text() };
}

/** "recent" for an HTTP date within a minute of the clock, else the text itself. */
function httpDateNearNow(text) {
  const t = Date.parse(text);
  return new Date(t).toUTCString() === text && Math.abs(t - Date.now()) < 60_000 ? "<recent>" : text;
}

/**
 * Waits out the end of the current rate limiting window of `period` seconds when less than 2 s
 * of it are left, so a scenario's calls all fall in one window on both sides.
 */
async function freshWindow(period) {
  const left = period * 1000 - (Date.now() % (period * 1000));
  if (left < 2000) await sleep(left + 50);
}

export const BINDING_HELPERS = [r2, checksums, when, shape, r2list, headersOf, textOf, str, relativeTimes, thrownHow, apiShape, protoShape, cached, httpDateNearNow, freshWindow].map(String).join("\n\n");
