// Probes of Miniflare's options and of an instance's life, run by api-probes.mjs in the same
// process as its others (one process per side keeps CI's cost down): bad options, the forms of
// the binding options, the shapes of the bindings Node code gets, and each method of a disposed
// instance. `tools` is api-probes.mjs's: the side's Miniflare class and its helpers.
//
// Refusals are compared by class, name, code and whether the constructor throws: the message
// is durasim's own, naming the option and the fix, where Miniflare's lists its schema (README,
// "Coming from Miniflare").
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function optionProbes({ Miniflare, base, outcome, using, answer }) {
  const script = "export default { fetch() { return new Response('ok'); } }";
  const refusalOf = (e) => ({ class: e?.constructor?.name, name: e?.name, code: e?.code, userError: e?.isUserError?.(), systemError: e?.isSystemError?.() });

  /** How `new Miniflare(options)` refuses the options: at once, or through `ready` (and then every method and `dispose()`). */
  async function refusal(options) {
    let mf;
    try {
      mf = new Miniflare(options);
    } catch (e) {
      return { atOnce: refusalOf(e) };
    }
    const settled = (call) => call().then(() => "resolved", (e) => e);
    const ready = await settled(() => mf.ready);
    if (ready === "resolved") {
      await mf.dispose();
      return "started";
    }
    const again = async (call) => {
      const outcome = await settled(call);
      return outcome === ready ? "the same error" : outcome === "resolved" ? outcome : refusalOf(outcome);
    };
    return { ready: refusalOf(ready), getBindings: await again(() => mf.getBindings()), dispose: await again(() => mf.dispose()) };
  }

  /** What Node code can see of a binding without calling it. */
  const shapeOf = (value) => ({ type: typeof value, methods: ["get", "put", "list", "delete", "head", "getWithMetadata", "idFromName", "newUniqueId", "getByName", "fetch"].filter((name) => typeof value?.[name] === "function") });

  return {
    badOptions: async () => {
      const cases = {
        noScript: { ...base },
        scriptNotString: { ...base, script: 42 },
        dateNotString: { ...base, script, compatibilityDate: 5 },
        kvNamespacesString: { ...base, script, kvNamespaces: "KV" },
        r2BucketsNumber: { ...base, script, r2Buckets: 5 },
        durableObjectNumber: { ...base, script, durableObjects: { O: 5 } },
        flagsNotArray: { ...base, script, compatibilityFlags: "nodejs_compat" },
        sameName: { workers: [{ ...base, name: "a", script }, { ...base, name: "a", script }] },
        bothUnnamed: { workers: [{ ...base, script }, { ...base, script }] },
        noWorkers: { workers: [] },
        cfNumber: { ...base, script, cf: 42 },
        // What workerd refuses as it starts (Miniflare checks the date against today first).
        futureDate: { ...base, script, compatibilityDate: "2099-01-01" },
        unknownFlag: { ...base, script, compatibilityFlags: ["not_a_flag"] },
        repeatedFlag: { ...base, script, compatibilityFlags: ["nodejs_compat", "nodejs_compat"] },
        invalidDate: { ...base, script, compatibilityDate: "2025-13-01" },
        serviceToNoWorker: { ...base, script, serviceBindings: { S: "nope" } },
        durableObjectOfNoWorker: { ...base, script, durableObjects: { O: { className: "O", scriptName: "nope" } } },
      };
      const out = {};
      for (const [name, options] of Object.entries(cases)) out[name] = await refusal(options);
      // setOptions() reads the options in its async part: bad ones reject, and the instance
      // goes on answering as the options before them said.
      out.setOptions = await using({ ...base, script }, async (mf) => {
        const rejected = async (options) => {
          try {
            await mf.setOptions(options);
            return "resolved";
          } catch (e) {
            return refusalOf(e);
          }
        };
        return { kvNamespacesString: await rejected({ ...base, script, kvNamespaces: "KV" }), noWorkers: await rejected({ workers: [] }), answers: await (await mf.dispatchFetch("http://localhost/")).text() };
      });
      return out;
    },

    // Every form the binding options take, and what getBindings() and the get*() methods give.
    bindingForms: () =>
      using(
        {
          ...base,
          script: `import { DurableObject } from "cloudflare:workers";
            export class O extends DurableObject { hi() { return "O " + this.ctx.id.name; } }
            export default { async fetch(request, env) {
              await env.KV_ARRAY.put("k", "array"); await env.KV_OBJECT.put("k", "object"); await env.KV_ID.put("k", "id");
              await env.R2_ARRAY.put("k", "array"); await env.R2_OBJECT.put("k", "object"); await env.R2_ID.put("k", "id");
              return Response.json([await env.BY_NAME.getByName("a").hi(), await env.BY_DESIGNATOR.getByName("b").hi(), await env.SQL.getByName("c").hi()]);
            } }`,
          kvNamespaces: { KV_ARRAY: "KV_ARRAY", KV_OBJECT: "kv-shared", KV_ID: { id: "kv-shared" } },
          r2Buckets: { R2_ARRAY: "R2_ARRAY", R2_OBJECT: "bucket-shared", R2_ID: { id: "bucket-shared" } },
          durableObjects: { BY_NAME: "O", BY_DESIGNATOR: { className: "O" }, SQL: { className: "O", useSQLite: true } },
          bindings: { TEXT: "t", LIST: [1, "two", null], NESTED: { a: { b: [true] } }, EMPTY: "" },
        },
        async (mf) => {
          const answered = (await answer(await mf.dispatchFetch("http://localhost/"))).body;
          const env = await mf.getBindings();
          const kv = await mf.getKVNamespace("KV_OBJECT");
          const bucket = await mf.getR2Bucket("R2_ID");
          const namespace = await mf.getDurableObjectNamespace("BY_NAME");
          return {
            answered,
            // KV_OBJECT and KV_ID name one namespace (its last write wins), KV_ARRAY its own.
            kv: [await env.KV_ARRAY.get("k"), await kv.get("k"), await env.KV_ID.get("k")],
            r2: [await (await env.R2_ARRAY.get("k")).text(), await (await bucket.get("k")).text(), await (await env.R2_OBJECT.get("k")).text()],
            vars: [env.TEXT, env.LIST, env.NESTED, env.EMPTY],
            shapes: { kv: shapeOf(kv), bucket: shapeOf(bucket), namespace: shapeOf(namespace), envKv: shapeOf(env.KV_ID) },
            sameIds: namespace.idFromName("x").toString() === env.BY_DESIGNATOR.idFromName("x").toString(),
            lookups: {
              kvAsR2: await outcome(() => mf.getR2Bucket("KV_ARRAY")),
              r2AsKv: await outcome(() => mf.getKVNamespace("R2_ARRAY")),
              varAsNamespace: await outcome(() => mf.getDurableObjectNamespace("TEXT")),
              unknownWorker: await outcome(() => mf.getR2Bucket("R2_ARRAY", "nope")),
              getWorker: await outcome(() => mf.getWorker("nope")),
            },
          };
        },
      ),

    // The forms of a Worker's code: `modules` lists (contents given, or read from the path), a
    // `scriptPath` importing its neighbours, each named from `modulesRoot`.
    moduleForms: async () => {
      const dir = mkdtempSync(join(tmpdir(), "mf-probe-"));
      mkdirSync(join(dir, "lib"));
      writeFileSync(join(dir, "lib/words.js"), `export const word = "from a file";`);
      writeFileSync(join(dir, "entry.js"), `import { word } from "./lib/words.js"; export default { fetch() { return new Response(word); } };`);
      const text = (options) => outcome(() => using({ compatibilityDate: base.compatibilityDate, modulesRoot: dir, ...options }, async (mf) => (await mf.dispatchFetch("http://localhost/")).text()));
      return {
        contents: await text({
          modules: [
            { type: "ESModule", path: join(dir, "main.mjs"), contents: `import { n } from "./lib/n.mjs"; export default { fetch() { return new Response("given " + n); } };` },
            { type: "ESModule", path: join(dir, "lib/n.mjs"), contents: "export const n = 42;" },
          ],
        }),
        fromPaths: await text({ modules: [{ type: "ESModule", path: join(dir, "entry.js") }, { type: "ESModule", path: join(dir, "lib/words.js") }] }),
        scriptPath: await text({ modules: true, scriptPath: join(dir, "entry.js"), modulesRules: [{ type: "ESModule", include: ["**/*.js"] }] }),
      };
    },

    // Where Durable Object state lives: on disk under defaultPersistRoot (found again by a new
    // instance), or in memory (unsafeEphemeralDurableObjects, or `false`).
    persistence: async () => {
      const root = mkdtempSync(join(tmpdir(), "mf-probe-"));
      const counter = `import { DurableObject } from "cloudflare:workers";
        export class Counter extends DurableObject { async bump() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; } }
        export default { async fetch(request, env) { await env.KV.put("runs", String(Number((await env.KV.get("runs")) ?? 0) + 1)); return new Response(String(await env.C.getByName("a").bump()) + " " + (await env.KV.get("runs"))); } }`;
      const options = { ...base, script: counter, durableObjects: { C: "Counter" }, kvNamespaces: ["KV"] };
      // Two instances one after the other: the second sees the first's state only where it persists.
      const twice = async (extra) => {
        const runs = [];
        for (let i = 0; i < 2; i++) runs.push(await outcome(() => using({ ...options, ...extra }, async (mf) => (await mf.dispatchFetch("http://localhost/")).text())));
        return runs;
      };
      return {
        defaultRoot: await twice({ defaultPersistRoot: join(root, "default"), durableObjectsPersist: true, kvPersist: true }),
        ownDirectories: await twice({ durableObjectsPersist: join(root, "do"), kvPersist: join(root, "kv") }),
        memory: await twice({ durableObjectsPersist: false }),
        ephemeral: await twice({ unsafeEphemeralDurableObjects: true }),
      };
    },

    // A disposed instance: every method rejects with ERR_DISPOSED (setOptions() throws it at once).
    afterDispose: async () => {
      const mf = new Miniflare({ ...base, script, kvNamespaces: ["KV"], r2Buckets: ["R2"], durableObjects: {} });
      await mf.ready;
      await mf.dispose();
      const rejection = async (call) => {
        try {
          await call();
          return "resolved";
        } catch (e) {
          return { ...refusalOf(e), message: e?.message };
        }
      };
      let setOptions;
      try {
        setOptions = mf.setOptions({ ...base, script });
        setOptions.catch(() => undefined);
        setOptions = "returned";
      } catch (e) {
        setOptions = { atOnce: { ...refusalOf(e), message: e?.message } };
      }
      return {
        ready: await rejection(() => mf.ready),
        dispatchFetch: await rejection(() => mf.dispatchFetch("http://localhost/")),
        getBindings: await rejection(() => mf.getBindings()),
        getWorker: await rejection(() => mf.getWorker()),
        getKVNamespace: await rejection(() => mf.getKVNamespace("KV")),
        getR2Bucket: await rejection(() => mf.getR2Bucket("R2")),
        getDurableObjectNamespace: await rejection(() => mf.getDurableObjectNamespace("O")),
        getCf: await rejection(() => mf.getCf()),
        setOptions,
      };
    },
  };
}
