// The examples of Miniflare's Durable Objects documentation page, run as written there with
// only the import changed (from "miniflare" to durasim's front door).
import { afterEach, describe, expect, it, vi } from "vitest";
import { Miniflare } from "../../lib/miniflare.js";

const logged: unknown[] = [];
afterEach(() => {
  logged.length = 0;
  vi.restoreAllMocks();
});
function captureConsole() {
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(...args));
}

describe("Miniflare's Durable Objects page", () => {
  it("Objects: an inline module script, with Object1 bound as OBJECT1", async () => {
    // The page elides the bodies ("..."); these are the smallest that run.
    const mf = new Miniflare({
      modules: true,
      script: `
  export class Object1 {
    async fetch(request) {
      return new Response("object1");
    }
  }
  export default {
    fetch(request, env) {
      return env.OBJECT1.getByName("x").fetch(request);
    }
  }
  `,
      durableObjects: {
        // Note Object1 is exported from main (string) script
        OBJECT1: "Object1",
      },
    });
    expect(await (await mf.dispatchFetch("http://localhost:8787/")).text()).toBe("object1");
    await mf.dispose();
  });

  it("Manipulating Outside Workers, with getByName", async () => {
    captureConsole();
    const mf = new Miniflare({
      modules: true,
      durableObjects: { TEST_OBJECT: "TestObject" },
      script: `
  export class TestObject {
    constructor(state) {
      this.storage = state.storage;
    }

    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/put") await this.storage.put("key", 1);
      return new Response((await this.storage.get("key")).toString());
    }
  }

  export default {
    async fetch(request, env) {
      const stub = env.TEST_OBJECT.getByName("test");
      return stub.fetch(request);
    }
  }
  `,
    });

    const ns = await mf.getDurableObjectNamespace("TEST_OBJECT");
    const stub = ns.getByName("test");
    const doRes = await stub.fetch("http://localhost:8787/put");
    console.log(await doRes.text()); // "1"

    const res = await mf.dispatchFetch("http://localhost:8787/");
    console.log(await res.text()); // "1"
    expect(logged).toEqual(["1", "1"]);
    await mf.dispose();
  });

  it("Manipulating Outside Workers, with idFromName and get", async () => {
    captureConsole();
    const mf = new Miniflare({
      modules: true,
      durableObjects: { TEST_OBJECT: "TestObject" },
      script: `
  export class TestObject {
    constructor(state) {
      this.storage = state.storage;
    }

    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/put") await this.storage.put("key", 1);
      return new Response((await this.storage.get("key")).toString());
    }
  }

  export default {
    async fetch(request, env) {
      const stub = env.TEST_OBJECT.get(env.TEST_OBJECT.idFromName("test"));
      return stub.fetch(request);
    }
  }
  `,
    });

    const ns = await mf.getDurableObjectNamespace("TEST_OBJECT");
    const id = ns.idFromName("test");
    const stub = ns.get(id);
    const doRes = await stub.fetch("http://localhost:8787/put");
    console.log(await doRes.text()); // "1"

    const res = await mf.dispatchFetch("http://localhost:8787/");
    console.log(await res.text()); // "1"
    expect(logged).toEqual(["1", "1"]);
    await mf.dispose();
  });

  it("Using a Class Exported by Another Script: a Worker without Durable Objects binds another's class", async () => {
    const mf = new Miniflare({
      workers: [
        {
          name: "api",
          modules: true,
          script: `export default { fetch(request, env) { return env.COUNTER.getByName("shared").fetch(request); } }`,
          durableObjects: { COUNTER: { className: "Counter", scriptName: "counter" } },
        },
        {
          // No handler and no Durable Object binding: it only exports the class.
          name: "counter",
          modules: true,
          script: `export class Counter {
            constructor(state) { this.state = state; }
            async fetch() {
              const n = ((await this.state.storage.get("n")) ?? 0) + 1;
              await this.state.storage.put("n", n);
              return new Response(String(n));
            }
          }`,
        },
      ],
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("1");
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("2");
    const ns = await mf.getDurableObjectNamespace("COUNTER", "api");
    expect(await (await ns.getByName("shared").fetch("http://localhost/")).text()).toBe("3");
    await mf.dispose();
  });
});

describe("the rest of the Miniflare front door", () => {
  const script = `export class TestObject {
    constructor(state) { this.storage = state.storage; }
    async fetch() { const n = ((await this.storage.get("n")) ?? 0) + 1; await this.storage.put("n", n); return new Response(String(n)); }
  }
  export default { fetch(request, env) { return env.TEST_OBJECT.getByName("t").fetch(request); } }`;

  it("ready resolves to the base URL; getBindings and getWorker reach a Worker by name", async () => {
    const mf = new Miniflare({ modules: true, script, durableObjects: { TEST_OBJECT: "TestObject" }, bindings: { GREETING: "hi" } });
    expect(String(await mf.ready)).toBe("http://127.0.0.1/");
    const env = await mf.getBindings<{ GREETING: string; TEST_OBJECT: unknown }>();
    expect(Object.keys(env)).toEqual(["GREETING", "TEST_OBJECT"]);
    expect(env.GREETING).toBe("hi");
    const worker = await mf.getWorker();
    expect(await (await worker.fetch("http://localhost/")).text()).toBe("1");
    await mf.dispose();
  });

  it("an unknown binding or Worker gets Miniflare's TypeError", async () => {
    const mf = new Miniflare({ workers: [{ name: "a", modules: true, script, durableObjects: { TEST_OBJECT: "TestObject" } }] });
    await expect(mf.getDurableObjectNamespace("NOPE")).rejects.toThrow(new TypeError('No Durable Object namespace binding named "NOPE" found in "a" worker.'));
    await expect(mf.getDurableObjectNamespace("TEST_OBJECT", "zz")).rejects.toThrow('found in "zz" worker.');
    await mf.dispose();
  });

  it("setOptions keeps Durable Object storage; dispose ends the instance", async () => {
    const mf = new Miniflare({ modules: true, script, durableObjects: { TEST_OBJECT: "TestObject" } });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("1");
    await mf.setOptions({ modules: true, script: script.replace("String(n)", "'n=' + n"), durableObjects: { TEST_OBJECT: "TestObject" } });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("n=2");
    await mf.dispose();
    await expect(mf.dispatchFetch("http://localhost/")).rejects.toThrow("Cannot use disposed instance");
  });

  it("options durasim does not emulate are refused by name", () => {
    expect(() => new Miniflare({ modules: true, script, d1Databases: ["DB"] })).toThrow('option "d1Databases"');
  });
});

describe("KV namespaces and R2 buckets through the Miniflare front door", () => {
  it("kvNamespaces and r2Buckets in Miniflare's shapes, shared by id across Workers", async () => {
    const mf = new Miniflare({
      workers: [
        { name: "a", modules: true, script: "export default { async fetch(r, env) { await env.CACHE.put('k', 'v'); return new Response('ok'); } }", kvNamespaces: { CACHE: "shared" }, r2Buckets: ["FILES"] },
        { name: "b", modules: true, script: "export default {}", kvNamespaces: { OTHER: "shared" } },
      ],
    });
    await mf.dispatchFetch("http://localhost/");
    const b = await mf.getBindings<{ OTHER: { get(key: string): Promise<string | null> } }>("b");
    expect(await b.OTHER.get("k")).toBe("v");
    const a = await mf.getBindings<{ FILES: { put(key: string, value: string): Promise<unknown> } }>("a");
    expect(await a.FILES.put("x", "y")).toBeTruthy();
    await mf.dispose();
  });
});

describe("bindings and ids through the Miniflare front door, with Miniflare's errors", () => {
  const script = `export class TestObject { fetch() { return new Response("ok"); } }
  export default { fetch(request, env) { return env.TEST_OBJECT.getByName(new URL(request.url).pathname).fetch(request); } }`;

  it("getKVNamespace and getR2Bucket return the Worker's bindings; an unknown binding or Worker is Miniflare's TypeError", async () => {
    const mf = new Miniflare({ modules: true, script, durableObjects: { TEST_OBJECT: "TestObject" }, kvNamespaces: ["CACHE"], r2Buckets: { FILES: "files" } });
    const kv = (await mf.getKVNamespace("CACHE")) as { put(k: string, v: string): Promise<void>; get(k: string): Promise<string | null> };
    await kv.put("k", "v");
    expect(await ((await mf.getBindings<{ CACHE: typeof kv }>()).CACHE.get("k"))).toBe("v");
    const bucket = (await mf.getR2Bucket("FILES")) as { put(k: string, v: string): Promise<unknown>; head(k: string): Promise<{ size: number } | null> };
    await bucket.put("x", "abc");
    expect((await bucket.head("x"))?.size).toBe(3);
    await expect(mf.getKVNamespace("FILES")).rejects.toThrow(new TypeError('No KV namespace binding named "FILES" found in the worker.'));
    await expect(mf.getR2Bucket("CACHE")).rejects.toThrow(new TypeError('No R2 bucket binding named "CACHE" found in the worker.'));
    await expect(mf.getDurableObjectNamespace("CACHE")).rejects.toThrow(new TypeError('No Durable Object namespace binding named "CACHE" found in the worker.'));
    await expect(mf.getBindings("zz")).rejects.toThrow(new TypeError('"zz" worker not found'));
    await expect(mf.getWorker("zz")).rejects.toThrow(new TypeError('"zz" worker not found'));
    await mf.dispose();
  });

  it("listDurableObjectIds finds the namespace by class or binding name and lists the objects reached, ascending", async () => {
    const mf = new Miniflare({ workers: [{ name: "api", modules: true, script, durableObjects: { TEST_OBJECT: "TestObject" } }] });
    expect(await mf.listDurableObjectIds("TestObject")).toEqual([]);
    await mf.dispatchFetch("http://localhost/a");
    await mf.dispatchFetch("http://localhost/b");
    const ns = await mf.getDurableObjectNamespace("TEST_OBJECT");
    const expected = [ns.idFromName("/a").toString(), ns.idFromName("/b").toString()].sort();
    expect(await mf.listDurableObjectIds("TestObject")).toEqual(expected);
    expect(await mf.listDurableObjectIds("TEST_OBJECT", "api")).toEqual(expected);
    await expect(mf.listDurableObjectIds("Nope")).rejects.toThrow(new TypeError('No Durable Object class or namespace binding named "Nope" found in "api" worker.'));
    await mf.dispose();
  });
});
