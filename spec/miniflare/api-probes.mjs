#!/usr/bin/env node
// Differential probes of the Miniflare API: the same small programs run against Miniflare 4
// (`miniflare`) and against durasim's front door (`durasim/miniflare`, the build), each
// answering a JSON record of what a test would observe.
//
//   node_modules/.bin/node spec/miniflare/api-probes.mjs miniflare|durasim [PROBE...]
//
// prints { probe: record } on stdout, for every probe or the ones named. Needs Node >= 22 for Miniflare. Records leave out what
// only Miniflare's HTTP loopback and workerd make (README, "Coming from Miniflare", the
// differences): the Host header (the loopback's random port), `connection`/`transfer-encoding`,
// the stack frames below an error's first line.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { optionProbes } from "./option-probes.mjs";

const side = process.argv[2];
if (side !== "miniflare" && side !== "durasim") throw new Error("usage: api-probes.mjs miniflare|durasim");
const { Miniflare, kCurrentWorker, Log, LogLevel } = await import(side === "miniflare" ? "miniflare" : "durasim/miniflare");

const base = { modules: true, compatibilityDate: "2025-06-01" };

/** The request as the Worker sees it, less what only a real HTTP hop makes. */
const ECHO = `
const SEEN = ["accept", "accept-encoding", "accept-language", "sec-fetch-mode", "user-agent", "cf-connecting-ip", "content-type", "x-a"];
let events = [];
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/throw") throw new RangeError("boom");
    if (url.pathname === "/throw-string") throw "a string";
    if (url.pathname === "/found") return Response.redirect(new URL("/target?from=found", url), 302);
    if (url.pathname === "/see-other") return new Response(null, { status: 303, headers: { location: "/target?from=303" } });
    if (url.pathname === "/temporary") return new Response(null, { status: 307, headers: { location: "/target?from=307" } });
    if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
    if (url.pathname === "/events") return Response.json(events);
    const cf = request.cf;
    return Response.json({
      url: request.url,
      method: request.method,
      body: await request.text(),
      headers: Object.fromEntries(SEEN.map((name) => [name, request.headers.get(name)])),
      cf: cf === undefined ? null : { keys: Object.keys(cf).sort(), country: cf.country, clientAcceptEncoding: cf.clientAcceptEncoding ?? null },
    });
  },
  scheduled(controller) { events.push(["scheduled", controller.cron, typeof controller.scheduledTime]); },
  queue(batch) { events.push(["queue", batch.queue, batch.messages.map((m) => m.body)]); batch.messages[0].retry(); },
};
`;

const errorOf = (e) => ({ threw: e?.name, message: e?.message, cause: e?.cause?.message });
async function outcome(run) {
  try {
    return await run();
  } catch (e) {
    return errorOf(e);
  }
}
async function answer(response) {
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  return {
    status: response.status,
    statusText: response.statusText,
    type,
    body: type.startsWith("application/json") ? JSON.parse(text) : text.split("\n")[0],
  };
}
async function using(options, run) {
  const mf = new Miniflare(options);
  try {
    return await run(mf);
  } finally {
    await mf.dispose();
  }
}

/** What a function given to throws synchronously, or "promise" when it returns one (which settles, unobserved). */
function thrownAtOnce(run) {
  try {
    const result = run();
    if (typeof result?.then === "function") {
      result.then(
        () => undefined,
        () => undefined,
      );
      return "promise";
    }
    return "value";
  } catch (e) {
    return errorOf(e);
  }
}

const probes = {
  dispatchFetch: () =>
    using({ ...base, script: ECHO }, async (mf) => {
      const send = (input, init) => outcome(async () => answer(await mf.dispatchFetch(input, init)));
      const ready = await mf.ready;
      return {
        ready: [ready.protocol, ready.hostname, ready.pathname],
        get: await send("http://localhost:8787/a?b=1"),
        post: await send("https://example.com/x", { method: "POST", body: "hi", headers: { "x-a": "1", "user-agent": "mine", "cf-connecting-ip": "10.0.0.1" } }),
        cf: await send("http://localhost/", { cf: { country: "FR" } }),
        thrown: await send("http://localhost/throw"),
        thrownString: await send("http://localhost/throw-string"),
        found: await send("http://localhost/found"),
        seeOther: await send("http://localhost/see-other", { method: "POST", body: "dropped" }),
        temporary: await send("http://localhost/temporary", { method: "POST", body: "kept" }),
        manual: await send("http://localhost/found", { redirect: "manual" }),
        loop: await send("http://localhost/loop"),
        redirectError: await send("http://localhost/found", { redirect: "error" }),
      };
    }),

  getWorker: () =>
    using({ ...base, script: ECHO }, async (mf) => {
      const worker = await mf.getWorker();
      return {
        fetch: await outcome(async () => answer(await worker.fetch("http://localhost/w", { cf: { country: "DE" } }))),
        fetchNoCf: await outcome(async () => (await answer(await worker.fetch("http://localhost/w"))).body.cf),
        thrown: await outcome(async () => answer(await worker.fetch("http://localhost/throw"))),
        scheduled: await outcome(() => worker.scheduled({ cron: "* * * * *" })),
        queue: await outcome(() => worker.queue("jobs", [{ id: "m1", timestamp: new Date(1000), body: "one", attempts: 1 }])),
        events: await outcome(async () => (await answer(await worker.fetch("http://localhost/events"))).body),
      };
    }),

  rpc: () =>
    using(
      {
        ...base,
        script: `import { WorkerEntrypoint } from "cloudflare:workers";
          export default class extends WorkerEntrypoint { add(a, b) { return a + b; } }`,
      },
      async (mf) => outcome(async () => (await mf.getWorker()).add(2, 3)),
    ),

  workers: () =>
    using(
      {
        workers: [
          {
            ...base,
            name: "main",
            script: `export default { async fetch(request, env) {
              const named = await (await env.BY_NAME.fetch("http://x/")).text();
              const entrypoint = await env.ENTRYPOINT.hi();
              const fn = await (await env.FN.fetch("http://x/fn")).text();
              const object = await (await env.HOSTED.getByName("x").fetch("http://x/")).text();
              return Response.json([named, entrypoint, fn, object]);
            } }`,
            bindings: { STRING: "s", NUMBER: 1, OBJECT: { a: [1, null] }, BOOLEAN: false },
            serviceBindings: { BY_NAME: "host", ENTRYPOINT: { name: "host", entrypoint: "Named" }, FN: async (request) => new Response(`fn ${new URL(request.url).pathname}`) },
            durableObjects: { HOSTED: { className: "Hosted", scriptName: "host" } },
            kvNamespaces: { KV: "kv-id" },
            r2Buckets: ["BUCKET"],
          },
          {
            ...base,
            name: "host",
            script: `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
              export class Named extends WorkerEntrypoint { hi() { return "named"; } }
              export class Hosted extends DurableObject { fetch() { return new Response(this.ctx.id.toString()); } }
              export default { fetch() { return new Response("default"); } }`,
          },
        ],
      },
      async (mf) => {
        const answered = (await answer(await mf.dispatchFetch("http://localhost/"))).body;
        const env = await mf.getBindings();
        const kv = await mf.getKVNamespace("KV");
        await kv.put("k", "v", { metadata: { m: 1 } });
        const bucket = await mf.getR2Bucket("BUCKET");
        await bucket.put("o", "body");
        const namespace = await mf.getDurableObjectNamespace("HOSTED");
        return {
          answered,
          vars: Object.fromEntries(["STRING", "NUMBER", "OBJECT", "BOOLEAN"].map((name) => [name, env[name]])),
          bindingNames: Object.keys(env).sort(),
          kv: await kv.getWithMetadata("k"),
          r2: await (await bucket.get("o")).text(),
          sameId: namespace.idFromName("x").toString() === answered[3],
          ids: await mf.listDurableObjectIds("HOSTED"),
          hostBindings: Object.keys(await mf.getBindings("host")),
          unknownWorker: await outcome(() => mf.getBindings("nope")),
          unknownBinding: await outcome(() => mf.getKVNamespace("NOPE")),
          otherWorkersBinding: await outcome(() => mf.getDurableObjectNamespace("HOSTED", "host")),
        };
      },
    ),

  // The fetchers Node code holds (stubs, services from getBindings(), getWorker()) make Node's
  // `new Request()` at once; a dispose() or setOptions() poisons every proxy got before, and a
  // call a dispose() cuts short fails as undici's fetch() fails when workerd goes away.
  nodeSide: async () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject { fetch(request) { return new Response(request.url); } hi() { return "hi"; } async slow() { await scheduler.wait(60_000); return "slow"; } }
      export default { async fetch(request) { if (new URL(request.url).pathname === "/slow") await scheduler.wait(60_000); return new Response("entry"); }, }`;
    const options = { ...base, name: "main", script, durableObjects: { O: "O" }, kvNamespaces: ["KV"], bindings: { V: { a: 1 } }, serviceBindings: { FN: () => new Response("fn"), SELF: "main" } };
    const mf = new Miniflare(options);
    const env = await mf.getBindings();
    const stub = (await mf.getDurableObjectNamespace("O")).getByName("x");
    const worker = await mf.getWorker();
    const kv = await mf.getKVNamespace("KV");
    const urls = {
      relative: thrownAtOnce(() => stub.fetch("/rel")),
      empty: thrownAtOnce(() => stub.fetch("")),
      bodyOnGet: thrownAtOnce(() => env.O.getByName("y").fetch("http://x/", { body: "b" })),
      service: thrownAtOnce(() => env.FN.fetch("/rel")),
      self: thrownAtOnce(() => env.SELF.fetch("/rel")),
      worker: thrownAtOnce(() => worker.fetch("/rel")),
      dispatchFetch: await outcome(() => mf.dispatchFetch("/rel")),
      scheme: await outcome(() => stub.fetch("ftp://x/")),
    };
    const before = {
      rpc: await stub.hi(),
      text: await (await stub.fetch("http://x/a")).text(),
      id: String(stub.id) === String(env.O.idFromName("x")),
      named: stub.hi.name,
      sameObjects: [kv === env.KV, (await mf.getBindings()).O === env.O],
    };
    await mf.setOptions(options);
    const afterSetOptions = {
      namespace: thrownAtOnce(() => env.O.idFromName("x")),
      stub: thrownAtOnce(() => stub.hi()),
      kv: thrownAtOnce(() => kv.get("k")),
      worker: thrownAtOnce(() => worker.fetch("http://x/")),
      value: env.V,
      fresh: await (await mf.getDurableObjectNamespace("O")).getByName("x").hi(),
    };
    const fresh = (await mf.getDurableObjectNamespace("O")).getByName("x");
    const inFlight = [fresh.slow(), mf.dispatchFetch("http://x/slow")].map((call) => outcome(() => call.then(() => "resolved")));
    // The calls wait a minute, far beyond the dispose() that cuts them: with a shorter wait a loaded
    // machine let Miniflare's workerd answer them while dispose() was still shutting it down.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await mf.dispose();
    return { urls, before, afterSetOptions, cutShort: await Promise.all(inFlight), afterDispose: { stub: thrownAtOnce(() => fresh.fetch("http://x/")), service: thrownAtOnce(() => env.FN.fetch("http://x/")) } };
  },

  // An RPC result reaches Node code by value, but each stub in it is a proxy, and so is a result
  // that is a plain object, stubs and all: setOptions() poisons them.
  resultStubs: async () => {
    const script = (answer) => `import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject {
        hi() { return ${answer}; }
        plain() { return { a: [1, { b: "c" }] }; }
        plainList() { return [1, { b: "c" }]; }
        keysOf(given) { return Object.keys(given.inner); }
        hiOf(given) { return given.stub.hi(); }
        held() { const other = (name) => this.env.O.getByName(name); return { stub: other("p"), list: [other("q")], deep: { stub: other("r") }, fn: () => ${answer} }; }
        stub() { return this.env.O.getByName("s"); }
        listed() { return [this.env.O.getByName("t"), { stub: this.env.O.getByName("u") }]; }
        mapped() { return new Map([["stub", this.env.O.getByName("v")]]); }
      }
      export default { fetch() { return new Response(null); } }`;
    const options = (answer) => ({ ...base, script: script(answer), durableObjects: { O: "O" } });
    const mf = new Miniflare(options(1));
    try {
      const stub = (await mf.getDurableObjectNamespace("O")).getByName("x");
      const plain = await stub.plain();
      const plainList = await stub.plainList();
      const held = await stub.held();
      const returned = await stub.stub();
      const listed = await stub.listed();
      const mapped = await stub.mapped();
      // What is read from a plain result comes by value: setOptions() poisons the result, not it.
      const read = { list: plain.a, inner: plain.a[1], kinds: [Array.isArray(plain.a), plain.a[1].constructor.name] };
      const before = {
        shape: [Object.keys(held), Array.isArray(held.list), typeof held.fn],
        calls: [await held.stub.hi(), await held.list[0].hi(), await held.deep.stub.hi(), await held.fn(), await returned.hi()],
        // Given back inside an argument, a proxy is the object it refers to: a plain object is copied.
        givenBack: [await stub.keysOf({ inner: plain }), await stub.hiOf({ stub: held.stub })],
      };
      await mf.setOptions(options(2));
      const after = {
        plain: await outcome(() => JSON.stringify(plain)),
        read: await outcome(() => JSON.stringify(read)),
        plainList: await outcome(() => JSON.stringify(plainList)),
        result: await outcome(() => Object.keys(held)),
        stub: await outcome(() => held.stub.hi()),
        inArray: await outcome(() => held.list[0].hi()),
        deeper: await outcome(() => held.deep.stub.hi()),
        fn: await outcome(() => held.fn()),
        returned: await outcome(() => returned.hi()),
        listed: [listed.length, await outcome(() => listed[0].hi()), await outcome(() => listed[1].stub.hi())],
        mapped: [mapped.size, await outcome(() => mapped.get("stub").hi())],
      };
      return { before, after };
    } finally {
      await mf.dispose();
    }
  },

  // The unnamed Worker is named "": a service binding names it so in either form.
  unnamedService: () =>
    using(
      {
        ...base,
        script: `import { WorkerEntrypoint } from "cloudflare:workers";
          export class E extends WorkerEntrypoint { hi() { return "entrypoint"; } }
          export default { async fetch(request, env) {
            if (new URL(request.url).pathname === "/inner") return new Response("default");
            return Response.json([await env.ENTRY.hi(), await (await env.DEFAULT.fetch("http://x/inner")).text()]);
          } }`,
        serviceBindings: { ENTRY: { name: "", entrypoint: "E" }, DEFAULT: "" },
      },
      async (mf) => (await answer(await mf.dispatchFetch("http://localhost/"))).body,
    ),

  // setOptions() changing a binding's class, renaming the binding, then dropping it: each
  // lookup follows the options in force.
  changedClasses: () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject { hi() { return "O"; } }
      export class P extends DurableObject { hi() { return "P"; } }
      export default { fetch() { return new Response(null); } }`;
    const options = (durableObjects) => ({ ...base, name: "main", script, durableObjects });
    return using(options({ O: "O" }), async (mf) => {
      const hi = async (binding) => outcome(async () => (await mf.getDurableObjectNamespace(binding)).getByName("a").hi());
      const before = await hi("O");
      await mf.setOptions(options({ O: "P" }));
      const changedClass = await hi("O");
      await mf.setOptions(options({ Q: "O" }));
      const renamed = { Q: await hi("Q"), O: await hi("O"), ids: await mf.listDurableObjectIds("Q") };
      await mf.setOptions(options(undefined));
      return { before, changedClass, renamed, dropped: await hi("Q"), unknownWorker: await outcome(() => mf.getDurableObjectNamespace("O", "nope")), keys: Object.keys(await mf.getBindings()) };
    });
  },

  setOptions: () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class Counter extends DurableObject { async fetch() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return new Response(String(n)); } }
      export default { async fetch(request, env) {
        if (new URL(request.url).pathname === "/kv") { const had = await env.KV.get("k"); await env.KV.put("k", "v"); return new Response(String(had) + " " + env.ADDED); }
        return env.COUNTER.getByName("a").fetch(request);
      } }`;
    const options = { ...base, script, durableObjects: { COUNTER: "Counter" }, kvNamespaces: ["KV"] };
    return using(options, async (mf) => {
      const text = async (path) => (await mf.dispatchFetch(`http://localhost${path}`)).text();
      const before = [await text("/"), await text("/kv")];
      await mf.setOptions({ ...options, bindings: { ADDED: 1 } });
      const after = [await text("/"), await text("/kv")];
      await mf.setOptions({ ...options, name: "renamed" });
      return { before, after, renamed: await text("/") };
    });
  },

  // setOptions() switching a class between KV-backed and SQLite-backed storage: Miniflare's
  // workerd keeps either kind in one SQLite database an object, so the data stays.
  backendSwitch: async () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class C extends DurableObject { async note(v) { await this.ctx.storage.put("k", v); await this.ctx.storage.setAlarm(Date.now() + 3600_000); } async read() { return [(await this.ctx.storage.get("k")) ?? null, (await this.ctx.storage.getAlarm()) !== null]; } alarm() {} }
      export default { fetch() { return new Response(null); } }`;
    const out = {};
    for (const [where, persist] of [["memory", {}], ["disk", { durableObjectsPersist: mkdtempSync(join(tmpdir(), "mf-probe-")) }]]) {
      const options = (useSQLite) => ({ ...base, script, durableObjects: { C: { className: "C", useSQLite } }, ...persist });
      out[where] = await using(options(false), async (mf) => {
        const stub = async () => (await mf.getDurableObjectNamespace("C")).getByName("a");
        await (await stub()).note("from KV-backed");
        await mf.setOptions(options(true));
        const toSqlite = [await (await stub()).read(), (await mf.listDurableObjectIds("C")).length];
        await (await stub()).note("from SQLite-backed");
        await mf.setOptions(options(false));
        return { toSqlite, toKv: await (await stub()).read() };
      });
    }
    return out;
  },

  inspection: () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class Sql extends DurableObject {
        constructor(ctx, env) { super(ctx, env); this.started = crypto.randomUUID(); ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (k TEXT, v BLOB, n REAL)"); }
        fetch(request) {
          if (new URL(request.url).pathname === "/put") this.ctx.storage.sql.exec("INSERT INTO t VALUES (?, ?, ?)", "a", new Uint8Array([1, 2]), 1.5);
          return new Response(this.started);
        }
      }
      export default { fetch(request, env) { return env.SQL.getByName("x").fetch(request); } }`;
    const options = { ...base, script, durableObjects: { SQL: { className: "Sql", useSQLite: true } } };
    return using({ ...options, unsafeInspectDurableObjects: true, cf: { country: "NZ" } }, async (mf) => {
      const started = async (path = "/") => (await mf.dispatchFetch(`http://localhost${path}`)).text();
      const first = await started("/put");
      const same = first === (await started());
      const evicted = await outcome(() => mf.unsafeEvictDurableObject("", "Sql", { name: "x" }));
      const restarted = first !== (await started());
      const storage = await mf.unsafeGetDurableObjectStorage("", "Sql", { name: "x" });
      const id = (await mf.getDurableObjectNamespace("SQL")).idFromName("x").toString();
      const blob = (rows) => rows.map((row) => ({ ...row, v: [Object.prototype.toString.call(row.v), ...new Uint8Array(row.v)] }));
      return {
        cf: await mf.getCf(),
        evicted: [same, evicted ?? "resolved", restarted],
        notRunning: await outcome(() => mf.unsafeEvictDurableObject("", "Sql", { name: "never started" })),
        unknownClass: await outcome(() => mf.unsafeEvictDurableObject("", "Nope", { name: "x" })),
        unknownWorker: await outcome(() => mf.unsafeEvictDurableObject("other", "Sql", { name: "x" })),
        rows: await outcome(async () => blob(await storage.exec("SELECT k, v, n, typeof(v) AS type FROM t WHERE k = ?", "a"))),
        write: await outcome(() => storage.exec("INSERT INTO t VALUES ('b', NULL, 2)")),
        byId: await outcome(async () => (await mf.unsafeGetDurableObjectStorage("", "Sql", { id })).exec("SELECT count(*) AS c FROM t")),
        badSql: await outcome(() => storage.exec("SELEC 1")),
        noNamespace: await outcome(async () => (await mf.unsafeGetDurableObjectStorage("", "Nope", { name: "x" })).exec("SELECT 1")),
        withoutOption: await using(options, (plain) => outcome(() => plain.unsafeGetDurableObjectStorage("", "Sql", { name: "x" }))),
        afterSetOptions: await (async () => {
          await mf.setOptions({ ...options, unsafeInspectDurableObjects: true, cf: { country: "NZ" } });
          return outcome(() => storage.exec("SELECT 1"));
        })(),
      };
    });
  },

  cfOption: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
    const file = join(dir, "cf.json");
    writeFileSync(file, JSON.stringify({ country: "JP", colo: "NRT" }));
    const cfOf = (cf, options = {}) => using({ ...base, script: ECHO, cf, ...options }, async (mf) => (await answer(await mf.dispatchFetch("http://localhost/"))).body.cf);
    // A relative path, and a rootPath (deeper than the current directory) from which it names no
    // file: is it read from the current directory?
    const rootPath = join(mkdtempSync(join(tmpdir(), "mf-probe-")), "a", "b", "c", "d");
    mkdirSync(rootPath, { recursive: true });
    const relativeFile = await cfOf(relative(process.cwd(), file), { rootPath });
    return { object: await cfOf({ country: "DE" }), false: await cfOf(false), file: await cfOf(file), relativeFile };
  },

  blobBindings: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
    writeFileSync(join(dir, "text.txt"), "hello ✓");
    writeFileSync(join(dir, "data.bin"), new Uint8Array([1, 2, 3]));
    return using(
      {
        ...base,
        rootPath: dir,
        script: `export default { fetch(request, env) {
          return Response.json([env.TEXT, Object.prototype.toString.call(env.DATA), [...new Uint8Array(env.DATA)]]);
        } }`,
        textBlobBindings: { TEXT: "text.txt" },
        dataBlobBindings: { DATA: "data.bin" },
      },
      async (mf) => {
        const env = await mf.getBindings();
        return {
          worker: (await answer(await mf.dispatchFetch("http://localhost/"))).body,
          bindings: [env.TEXT, Object.prototype.toString.call(env.DATA), [...new Uint8Array(env.DATA)]],
        };
      },
    );
  },

  // Miniflare's validation passes; workerd refuses to start (durasim refuses at once).
  wasmBindings: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
    writeFileSync(join(dir, "empty.wasm"), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    const started = await outcome(() => using({ ...base, rootPath: dir, script: "export default {}", wasmBindings: { WASM: "empty.wasm" } }, async (mf) => (await mf.ready, "started")));
    return started === "started" ? started : { refused: /Wasm bindings are not allowed in modules-based scripts/.test(started.message) };
  },

  // Options without a compatibilityDate: Miniflare runs the Worker on its fallback date, 2000-01-01,
  // where dated features are off (a WebSocket's binaryType starts as "arraybuffer").
  noCompatibilityDate: () =>
    using({ modules: true, script: `export default { fetch() { return new Response(new WebSocketPair()[0].binaryType); } }` }, async (mf) => ({
      dated: await (await mf.dispatchFetch("http://localhost/")).text(),
    })),

  // A migrating user's project on disk: an entry module importing a helper and a text file by
  // Miniflare's documented rules, a second Worker hosting a Durable Object class and an RPC
  // entrypoint, kCurrentWorker, a Log, and state reopened from persistence directories.
  // (modulesRoot: Miniflare names modules from the current directory, which a temporary one is outside.)
  migratingProject: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/greeting.txt"), "hello from text\n");
    writeFileSync(join(dir, "src/helper.js"), `export const shout = (text) => text.trim().toUpperCase();`);
    writeFileSync(
      join(dir, "src/index.js"),
      `import greeting from "./greeting.txt";
      import { shout } from "./helper.js";
      export default {
        async fetch(request, env) {
          const url = new URL(request.url);
          if (url.pathname === "/self") return new Response("self " + request.method);
          const counter = env.COUNTER.getByName(url.searchParams.get("name") ?? "a");
          return Response.json({
            greeting: shout(greeting),
            count: await counter.increment(),
            rpc: await env.STORE.describe("x"),
            store: await (await env.STORE_DEFAULT.fetch("http://store/")).text(),
            self: await (await env.SELF.fetch("http://self/self", { method: "PUT" })).text(),
            kv: await env.KV.get("seen"),
          });
        },
      };`,
    );
    writeFileSync(
      join(dir, "src/store.js"),
      `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
      export class Counter extends DurableObject {
        async increment() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
      }
      export class Store extends WorkerEntrypoint { describe(key) { return "store has " + key; } }
      export default { fetch() { return new Response("store default"); } };`,
    );
    const rules = [{ type: "ESModule", include: ["**/*.js"] }, { type: "Text", include: ["**/*.txt"] }];
    const common = { compatibilityDate: "2025-06-01", rootPath: dir, modulesRoot: dir, modules: true, modulesRules: rules };
    const options = {
      log: new Log(LogLevel.NONE),
      durableObjectsPersist: join(dir, "state/do"),
      kvPersist: join(dir, "state/kv"),
      workers: [
        {
          ...common,
          name: "api",
          scriptPath: "src/index.js",
          durableObjects: { COUNTER: { className: "Counter", scriptName: "store", useSQLite: true } },
          serviceBindings: { STORE: { name: "store", entrypoint: "Store" }, STORE_DEFAULT: "store", SELF: kCurrentWorker },
          kvNamespaces: { KV: "shared-kv" },
        },
        { ...common, name: "store", scriptPath: "src/store.js", durableObjects: { COUNTER: { className: "Counter", useSQLite: true } }, kvNamespaces: { KV: "shared-kv" } },
      ],
    };
    const visit = async (mf) => (await answer(await mf.dispatchFetch("http://localhost/?name=n"))).body;
    const first = await using(options, async (mf) => {
      await (await mf.getKVNamespace("KV", "store")).put("seen", "yes");
      return { answer: await visit(mf), api: Object.keys(await mf.getBindings("api")).sort(), store: Object.keys(await mf.getBindings("store")).sort() };
    });
    const reopened = await using(options, async (mf) => {
      const counters = await mf.getDurableObjectNamespace("COUNTER", "store");
      return { answer: await visit(mf), direct: await counters.getByName("n").increment() };
    });
    return { first, reopened };
  },

  // A stream body, in the init of dispatchFetch() and getWorker().fetch(): undici's fetch()
  // writes each chunk to the loopback socket, which takes strings and views, and fails the call
  // on an ArrayBuffer or a number with Node's refusal as the cause.
  streamBodies: () =>
    using({ ...base, script: ECHO }, async (mf) => {
      const chunks = { string: () => "a", uint16: () => new Uint16Array([0x4241]), dataView: () => new DataView(new Uint8Array([65]).buffer), uint8: () => new Uint8Array([65]), arrayBuffer: () => new Uint8Array([65]).buffer, number: () => 5, object: () => ({}) };
      const post = (make) => ({ method: "POST", duplex: "half", body: new ReadableStream({ start(c) { c.enqueue(make()); c.close(); } }) });
      const worker = await mf.getWorker();
      const out = {};
      for (const [kind, make] of Object.entries(chunks)) {
        out[kind] = {
          dispatchFetch: await outcome(async () => (await answer(await mf.dispatchFetch("http://localhost/", post(make)))).body.body),
          getWorker: await outcome(async () => (await answer(await worker.fetch("http://localhost/", post(make)))).body.body),
        };
      }
      return out;
    }),

  // Miniflare's proxy answers every RPC call synchronously but a Durable Object stub's own, and
  // reads a getter at once: awaited, each form gives the same values on either side.
  rpcPipelining: () => {
    const script = `import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
      class Target extends RpcTarget { get value() { return "target"; } hi(to) { return "hi " + to; } nested() { return { inner: [1, { n: 2 }] }; } }
      export class O extends DurableObject { get count() { return 7; } made() { return { a: { b: 1 } }; } target() { return new Target(); } }
      export default class extends WorkerEntrypoint {
        get count() { return 8; }
        made() { return { a: { b: 1 }, list: [10, 20] }; }
        async later() { await scheduler.wait(1); return { z: 3 }; }
        target() { return new Target(); }
        doubler() { return (x) => ({ doubled: x * 2 }); }
        throws() { throw new RangeError("bad"); }
      }`;
    return using({ ...base, name: "w", script, durableObjects: { O: "O" }, serviceBindings: { SELF: "w" } }, async (mf) => {
      const stub = (await mf.getDurableObjectNamespace("O")).getByName("a");
      const viaService = async (service) => ({
        made: [await service.made().a.b, await service.made().list[1], await service.made().a],
        later: await service.later().z,
        target: [await service.target().hi("you"), await service.target().value, await service.target().nested().inner[1].n],
        doubler: await service.doubler()(4).doubled,
        count: await service.count,
        throws: await outcome(async () => await service.throws().any),
      });
      const target = await stub.target();
      // A stub's own call is a promise without pipelining (awaited, so dispose() cuts no call short).
      const made = stub.made();
      const madeA = typeof made.a;
      await made;
      // Read while the instance lives (a plain object's view is poisoned by dispose()).
      return JSON.parse(JSON.stringify({
        worker: await viaService(await mf.getWorker()),
        service: await viaService((await mf.getBindings()).SELF),
        stub: { count: await stub.count, made: madeA, target: [await target.hi("me"), await target.value, await target.nested().inner[1].n] },
      }));
    });
  },

  // A module that does not parse: Miniflare parses a script, or a scriptPath file and what it
  // imports, before workerd starts, and names the module and the place; workerd names a listed one.
  parseErrors: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/broken.mjs"), "export default {\n  fetch() {\n    return new Response(;\n  }\n};\n");
    writeFileSync(join(dir, "src/entry.mjs"), 'import broken from "./broken.mjs";\nexport default broken;\n');
    const refusal = async (options) => {
      const mf = new Miniflare(options);
      const error = await mf.ready.then(() => "started", (e) => ({ name: e.name, message: e.message.replaceAll(dir, "<dir>") }));
      await mf.dispose().catch(() => undefined);
      return error;
    };
    return {
      scriptPath: await refusal({ ...base, rootPath: dir, modulesRoot: dir, scriptPath: "src/broken.mjs" }),
      imported: await refusal({ ...base, rootPath: dir, modulesRoot: join(dir, "src"), scriptPath: "src/entry.mjs" }),
      // A modules list goes to workerd unparsed: its start fails, naming the module and the place.
      listed: await (async () => {
        const error = await refusal({ ...base, modules: [{ type: "ESModule", path: join(dir, "src/broken.mjs") }], modulesRoot: dir });
        return { name: error.name, syntaxError: /SyntaxError: .*\n {2}at \S+/.exec(error.message)?.[0] };
      })(),
      script: await refusal({ workers: [{ ...base, name: "a", script: "export default {};" }, { ...base, name: "b", script: "export default {\n  fetch( {}\n}" }] }),
    };
  },

  // A response body whose stream fails part way: workerd logs the error and ends the response,
  // so Node's reads end there (a type Miniflare's dispatchFetch() does not compress, as gzip
  // would hold back what came before).
  failingBody: () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      const failing = () => {
        let sent = 0;
        return new Response(new ReadableStream({ async pull(c) { if (sent++ < 2) { c.enqueue(new TextEncoder().encode("chunk" + sent + ";")); await scheduler.wait(1); } else c.error(new TypeError("stream broke")); } }), { headers: { "content-type": "image/png" } });
      };
      export class O extends DurableObject { fetch() { return failing(); } }
      export default { fetch() { return failing(); } }`;
    return using({ ...base, script, durableObjects: { O: "O" } }, async (mf) => {
      const read = (response) => outcome(async () => { const answered = await response; return [answered.status, await answered.text()]; });
      return {
        dispatchFetch: await read(mf.dispatchFetch("http://localhost/")),
        getWorker: await read((await mf.getWorker()).fetch("http://localhost/")),
        stub: await read((await mf.getDurableObjectNamespace("O")).getByName("a").fetch("http://localhost/")),
      };
    });
  },
};

Object.assign(probes, optionProbes({ Miniflare, base, outcome, using, answer }));

const chosen = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(probes);
const records = {};
for (const name of chosen) records[name] = await outcome(probes[name]);
process.stdout.write(JSON.stringify(records));
