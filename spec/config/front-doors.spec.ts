import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { DurableObjectNamespace, Emulator } from "../../lib/index.js";
import { Miniflare } from "../../lib/miniflare.js";
import { emulator, rejection, type AnyStub } from "../helpers.js";
import { CHILD_PROCESS_TIMEOUT } from "../timeouts.js";
import { configError as configErrorOf } from "./config-error.js";

const fixtures = resolve(import.meta.dirname, "fixtures");
const repo = resolve(import.meta.dirname, "..", "..");

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error.name).toBe("ConfigError");
  return error.message;
}

class Counter extends DurableObject {
  async increment(): Promise<number> {
    const ctx = this.ctx as { storage: { get(k: string): Promise<unknown>; put(k: string, v: unknown): Promise<void> } };
    const next = (((await ctx.storage.get("n")) as number | undefined) ?? 0) + 1;
    await ctx.storage.put("n", next);
    return next;
  }
  kind(): string {
    return "Counter";
  }
}
class MyCounter extends Counter {
  override kind(): string {
    return "MyCounter";
  }
}
class Notes extends DurableObject {
  async alarm(): Promise<void> {}
  async write(text: string): Promise<void> {
    const ctx = this.ctx as { storage: { put(k: string, v: unknown): Promise<void>; setAlarm(t: number): Promise<void> } };
    await ctx.storage.put("text", text);
    await ctx.storage.setAlarm(Date.now() + 60_000);
  }
  async read(): Promise<unknown> {
    const ctx = this.ctx as { storage: { get(k: string): Promise<unknown>; getAlarm(): Promise<number | null> } };
    return { text: await ctx.storage.get("text"), alarm: await ctx.storage.getAlarm() };
  }
  sql(): number {
    const ctx = this.ctx as { storage: { sql: { exec(q: string): { one(): { x: number } } } } };
    return ctx.storage.sql.exec("SELECT 41 + 1 AS x").one().x;
  }
}

describe("compatibility flags", () => {
  it("a flag given twice is refused at the Emulator door too, naming the option (top-level Worker, nested Worker)", () => {
    expect(configErrorOf(() => new Emulator({ module: {}, compatibilityFlags: ["rpc", "rpc"] }))).toContain(
      'Compatibility flag specified multiple times: rpc (in "Emulator options.compatibilityFlags")',
    );
    expect(configErrorOf(() => new Emulator({ module: {}, workers: [{ name: "b", module: {}, compatibilityFlags: ["nodejs_compat", "nodejs_compat"] }] }))).toContain(
      "Compatibility flag specified multiple times: nodejs_compat (in \"workers[0].compatibilityFlags\")",
    );
  });

  it("any flag workerd knows is refused where workerd refuses it, not only a Durable Object one", () => {
    const refusal = (compatibilityDate: string, compatibilityFlags: string[]) =>
      configErrorOf(() => new Emulator({ module: {}, compatibilityDate, compatibilityFlags }));
    expect(refusal("2025-06-01", ["streams_enable_constructors"])).toBe(
      "durasim: The compatibility flag streams_enable_constructors became the default as of 2022-11-30 so does not need to be specified anymore. " +
        'Remove it from "Emulator options.compatibilityFlags".',
    );
    expect(refusal("2022-01-01", ["streams_disable_constructors", "streams_enable_constructors"])).toBe(
      "durasim: Compatibility flags are mutually contradictory: streams_enable_constructors vs streams_disable_constructors " +
        '(in "Emulator options.compatibilityFlags"). Remove one of them.',
    );
    expect(refusal("2025-06-01", ["nodejs_compat", "streams_enable_constructor"])).toBe(
      'durasim: No such compatibility flag: streams_enable_constructor (in "Emulator options.compatibilityFlags"). Check its spelling, or remove it.',
    );
    expect(refusal("2022-01-01", ["r2_public_beta_bindings"])).toContain("The compatibility flag r2_public_beta_bindings is the default, so does not need to be specified anymore.");
    // Before the default date, and the opposite after it, are what the flags are for.
    expect(() => new Emulator({ module: {}, compatibilityDate: "2022-01-01", compatibilityFlags: ["streams_enable_constructors", "nodejs_compat"] })).not.toThrow();
    expect(() => new Emulator({ module: {}, compatibilityDate: "2025-06-01", compatibilityFlags: ["streams_disable_constructors", "url_original"] })).not.toThrow();
  });

  it("knows the flags workerd spells with hyphens", () => {
    expect(() => new Emulator({ module: {}, compatibilityDate: "2024-01-01", compatibilityFlags: ["fixup-transform-stream-backpressure"] })).not.toThrow();
    expect(() => new Emulator({ module: {}, compatibilityDate: "2025-06-01", compatibilityFlags: ["original-transform-stream-backpressure", "do_not_bind_asynclocalstorage_snapshot_to-request"] })).not.toThrow();
    expect(configErrorOf(() => new Emulator({ module: {}, compatibilityDate: "2025-06-01", compatibilityFlags: ["fixup-transform-stream-backpressure"] }))).toContain(
      "The compatibility flag fixup-transform-stream-backpressure became the default as of 2024-12-16",
    );
  });

  it("of several refusals, the one workerd prints first: a repeat, a contradiction (in workerd's order of flags), an unknown flag, a flag already on", () => {
    const first = (compatibilityFlags: string[]) =>
      configErrorOf(() => new Emulator({ module: {}, compatibilityDate: "2025-06-01", compatibilityFlags }));
    const all = ["zzz_b", "rpc", "aaa_a", "streams_enable_constructors", "url_original", "url_standard", "no_rpc"];
    expect(first([...all, "zzz_b"])).toContain("Compatibility flag specified multiple times: zzz_b");
    expect(first(all)).toContain("mutually contradictory: url_standard vs url_original");
    expect(first(all.filter((flag) => flag !== "url_original" && flag !== "no_rpc"))).toContain("No such compatibility flag: zzz_b");
    expect(first(["rpc", "streams_enable_constructors"])).toContain("The compatibility flag streams_enable_constructors became the default as of 2022-11-30");
  });
});

describe("workers without a top-level Worker", () => {
  it("the first Worker is the entry point", async () => {
    const emu = emulator({
      workers: [
        { name: "api", module: { default: { fetch: (_r: Request, env: { HOST: AnyStub }) => env.HOST.getByName("a").fetch("http://x/") } }, durableObjects: { HOST: { className: "Notes", scriptName: "store" } } },
        { name: "store", module: { Notes, default: {} }, durableObjects: { NOTES: "Notes" } },
      ],
    });
    expect(Object.keys(emu.env)).toEqual(["HOST"]);
    await emu.env.HOST.getByName("a").write("hi");
    expect(await emu.getDurableObjectNamespace("NOTES", "store").getByName("a").read()).toMatchObject({ text: "hi" });
  });
});

describe("migrations applied to stored state", () => {
  const v1 = { tag: "v1", new_classes: ["Counter"] };
  const rename = { tag: "v2", renamed_classes: [{ from: "Counter", to: "MyCounter" }] };

  it("a rename keeps every object's data and id; new instances are of the new class", async () => {
    const emu = emulator({ module: { Counter, MyCounter }, durableObjects: { COUNTER: "Counter" }, migrations: [v1] });
    const stub: AnyStub = emu.env.COUNTER.getByName("a");
    expect(await stub.increment()).toBe(1);
    expect(await stub.kind()).toBe("Counter");
    const idBefore = emu.env.COUNTER.idFromName("a").toString();
    await emu.migrate([v1, rename]);
    expect(await stub.kind()).toBe("MyCounter");
    expect(await stub.increment()).toBe(2);
    expect(emu.env.COUNTER.idFromName("a").toString()).toBe(idBefore);
    // Only new tags apply: the same list again is a no-op.
    await emu.migrate([v1, rename]);
    expect(await stub.increment()).toBe(3);
  });

  it("a delete removes every object, its data and its alarm", async () => {
    const emu = emulator({
      name: "main",
      module: { Counter, Notes },
      durableObjects: { COUNTER: "Counter" },
      migrations: [{ tag: "v1", new_classes: ["Counter", "Notes"] }],
      workers: [{ name: "admin", module: {}, durableObjects: { NOTES: { className: "Notes", scriptName: "main" } } }],
    });
    const notes = () => emu.getDurableObjectNamespace("NOTES", "admin").getByName("n") as AnyStub;
    await notes().write("keep?");
    expect(await notes().read()).toMatchObject({ text: "keep?" });
    await emu.migrate([{ tag: "v1", new_classes: ["Counter", "Notes"] }, { tag: "v2", deleted_classes: ["Notes"] }]);
    expect(await notes().read()).toEqual({ text: undefined, alarm: null });
  });

  it("deleting a class still bound is refused with production's message, and nothing changes", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" }, migrations: [v1] });
    await (emu.env.COUNTER.getByName("a") as AnyStub).increment();
    const message = await configError(emu.migrate([v1, { tag: "v2", deleted_classes: ["Counter"] }]));
    expect(message).toBe("durasim: Cannot apply --delete-class migration to class 'Counter' without also removing the binding that references it.");
    expect(await (emu.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(2);
  });

  it("a key-value class cannot become SQLite; a rename to a class the Worker does not export changes nothing", async () => {
    const emu = emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" }, migrations: [v1] });
    expect(await configError(emu.migrate([v1, { tag: "v2", new_sqlite_classes: ["Counter"] }]))).toContain("cannot be converted to SQLite");
    expect(await configError(emu.migrate([v1, rename]))).toContain('does not export a class named "MyCounter"');
    expect(await (emu.env.COUNTER.getByName("a") as AnyStub).kind()).toBe("Counter");
  });

  it("a binding to an own class no migration created is refused as production refuses the deploy", () => {
    expect(configErrorOf(() => new Emulator({ module: { Counter, Notes }, durableObjects: { C: "Counter", N: "Notes" }, migrations: [v1] }))).toContain(
      "Cannot create binding for class 'Notes' because it is not currently configured to implement Durable Objects",
    );
  });

  it("Workers and classes named like Object.prototype's members migrate as any other", async () => {
    const emu = emulator({
      name: "constructor",
      module: { toString: Counter, ["__proto__"]: MyCounter } as never, // computed: an own key, not a prototype
      durableObjects: { COUNTER: "toString" },
      migrations: [{ tag: "v1", new_classes: ["toString"] }],
    });
    expect(await (emu.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(1);
    await emu.migrate([{ tag: "v1", new_classes: ["toString"] }, { tag: "v2", renamed_classes: [{ from: "toString", to: "__proto__" }] }]);
    expect(await (emu.env.COUNTER.getByName("a") as AnyStub).kind()).toBe("MyCounter");
    expect(await (emu.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(2);
  });

  it("declarative exports decide the backend", async () => {
    const emu = emulator({ module: { Notes }, durableObjects: { NOTES: "Notes" }, exports: { Notes: { type: "durable-object", storage: "sqlite" } } });
    expect(await (emu.env.NOTES.getByName("x") as AnyStub).sql()).toBe(42);
  });
});

describe("Emulator.fromWrangler", () => {
  it("loads main through Node, with the environment's bindings, vars, secrets and inherited migrations", async () => {
    const emu = await Emulator.fromWrangler(join(fixtures, "toml-counter", "wrangler.toml"), { environment: "staging" });
    try {
      const first = await (await emu.dispatchFetch("/")).json();
      // Counter was created SQLite-backed (v1), then renamed to CounterV2 (v2): the backend follows.
      expect(first).toEqual({ count: 1, environment: "staging", token: "local", sqlite: true });
      expect(await (await emu.dispatchFetch("/")).json()).toMatchObject({ count: 2 });
    } finally {
      await emu.dispose();
    }
  });

  it("a TypeScript main loads where Node strips types, and is otherwise a ConfigError naming main and the ways out", () => {
    // A child process on this Node: Vitest would compile the .ts itself. It uses the build (npm test makes it first).
    const dir = mkdtempSync(join(tmpdir(), "durasim-ts-main-"));
    try {
      writeFileSync(join(dir, "wrangler.json"), JSON.stringify({ name: "ts", main: "src/index.ts", durable_objects: { bindings: [{ name: "C", class_name: "C" }] } }));
      mkdirSync(join(dir, "src"));
      writeFileSync(join(dir, "src", "index.ts"), 'import { DurableObject } from "cloudflare:workers";\nexport class C extends DurableObject { hi(): string { return "hi"; } }\n');
      const script = `import { Emulator } from ${JSON.stringify(pathToFileURL(join(repo, "dist", "index.js")).href)};
        try { const emu = await Emulator.fromWrangler(${JSON.stringify(dir)}); console.log(await emu.env.C.getByName("a").hi()); await emu.dispose(); }
        catch (error) { console.log(error.name + ": " + error.message); }`;
      const output = execFileSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], { encoding: "utf8" }).trim();
      if ((process.features as { typescript?: unknown }).typescript) expect(output).toBe("hi");
      else expect(output).toBe(`ConfigError: durasim: "main" in ${join(dir, "wrangler.json")} is TypeScript (${join(dir, "src", "index.ts")}), which Node ${process.version} cannot import by itself. Run Node with a TypeScript loader (node --import tsx), use Node 22.18 or later, point "main" at the built JavaScript, or pass the module a test runner compiled: Emulator.fromWrangler(path, { module: await import("./src/index.ts") }).`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, CHILD_PROCESS_TIMEOUT);

  it("a main that does not exist is a ConfigError naming the file and the setting; overrides that give the code do without it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-no-main-"));
    try {
      writeFileSync(join(dir, "wrangler.toml"), 'name = "gone"\nmain = "src/missing.js"\n[[durable_objects.bindings]]\nname = "C"\nclass_name = "Counter"\n');
      expect(await configError(Emulator.fromWrangler(dir))).toBe(
        `durasim: "main" of ${join(dir, "wrangler.toml")} is ${join(dir, "src", "missing.js")}, which does not exist. Fix the path (relative to the wrangler file), or pass { module } or { modulePath }.`,
      );
      const emu = await Emulator.fromWrangler(dir, { module: { Counter } });
      expect(await (emu.env.C.getByName("a") as AnyStub).increment()).toBe(1);
      await emu.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unemulated binding the overrides bind under its name in any option (the assets binding as a service binding) needs no stand-in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-assets-"));
    try {
      writeFileSync(join(dir, "wrangler.json"), JSON.stringify({ name: "site", compatibility_date: "2026-01-01", assets: { directory: "./public", binding: "ASSETS" }, ai: { binding: "AI" } }));
      const module = { default: { fetch: (_request: Request, env: { ASSETS: { fetch(url: string): Promise<Response> } }) => env.ASSETS.fetch("https://site/index.html") } };
      const page = () => new Response("<h1>home</h1>");
      // AI is still refused: the overrides bind nothing under its name.
      expect(await configError(Emulator.fromWrangler(dir, { module, serviceBindings: { ASSETS: page } }))).toContain('"ai" in');
      const emu = await Emulator.fromWrangler(dir, { module, serviceBindings: { ASSETS: page }, kvNamespaces: ["AI"] });
      try {
        expect(await (await emu.dispatchFetch("/")).text()).toBe("<h1>home</h1>");
      } finally {
        await emu.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("overrides replace main with a loaded module and add bindings", async () => {
    const module = (await import(pathToFileURL(join(fixtures, "toml-counter", "src", "worker.js")).href)) as Record<string, unknown>;
    const emu = await Emulator.fromWrangler(join(fixtures, "toml-counter"), { environment: "staging", module, bindings: { ENVIRONMENT: "override" } });
    try {
      expect(await (await emu.dispatchFetch("/")).json()).toMatchObject({ environment: "override" });
    } finally {
      await emu.dispose();
    }
  });
});

describe("Alchemy declarations across Workers", () => {
  it("a client binding that leaves sqlite out takes the host's backend", async () => {
    const emu = emulator({
      name: "api",
      module: {},
      bindings: { SHARED: DurableObjectNamespace("shared", { className: "Notes", scriptName: "data", environment: "production" }) },
      workers: [{ name: "data", module: { Notes }, bindings: { STORAGE: DurableObjectNamespace("storage", { className: "Notes", sqlite: true }) } }],
    });
    expect(await (emu.env.SHARED.getByName("x") as AnyStub).sql()).toBe(42);
    await (emu.env.SHARED.getByName("x") as AnyStub).write("from api");
    expect(await (emu.getDurableObjectNamespace("STORAGE", "data").getByName("x") as AnyStub).read()).toMatchObject({ text: "from api" });
  });

  it("a client that contradicts the host is refused, naming both Workers", () => {
    const message = configErrorOf(
      () =>
        new Emulator({
          name: "api",
          module: {},
          bindings: { SHARED: DurableObjectNamespace("shared", { className: "Notes", scriptName: "data", sqlite: true }) },
          workers: [{ name: "data", module: { Notes }, bindings: { STORAGE: DurableObjectNamespace("storage", { className: "Notes", sqlite: false }) } }],
        }),
    );
    expect(message).toContain('Worker "api"');
    expect(message).toContain('Worker "data"');
  });

  it("workers[i].bindings.X re-used in another Worker reaches the same objects, hosted by the Worker exporting the class", async () => {
    const data = { name: "data", module: { Notes }, bindings: { STORAGE: DurableObjectNamespace("storage", { className: "Notes" }) } };
    const emu = emulator({ name: "api", module: {}, bindings: { SHARED: data.bindings.STORAGE, SECRET: { type: "secret", unencrypted: "s3cret" } }, workers: [data] });
    await (emu.env.SHARED.getByName("x") as AnyStub).write("shared");
    expect(await (emu.getDurableObjectNamespace("STORAGE", "data").getByName("x") as AnyStub).read()).toMatchObject({ text: "shared" });
    expect(emu.env.SECRET).toBe("s3cret");
  });

  it("a declaration that several Workers bind, none of them exporting the class, is refused at ready", async () => {
    const ns = DurableObjectNamespace("storage", { className: "Notes" });
    const emu = new Emulator({ name: "a", module: {}, bindings: { X: ns }, workers: [{ name: "b", module: {}, bindings: { Y: ns } }] });
    expect(await configError(emu.ready)).toContain("none of them exports it");
    await emu.dispose();
  });
});

describe("a Worker given as a list of modules", () => {
  it("inline modules import each other by relative path", async () => {
    const emu = emulator({
      modules: [
        { type: "ESModule", path: "/virtual/src/index.mjs", contents: "import { greet } from './lib/greet.mjs'; export default { fetch() { return new Response(greet()); } };" },
        { type: "ESModule", path: "/virtual/src/lib/greet.mjs", contents: "export const greet = () => 'hello from a module list';" },
      ],
    });
    expect(await (await emu.dispatchFetch("/")).text()).toBe("hello from a module list");
  });
});

describe("KV namespaces and R2 buckets from every front door", () => {
  it("wrangler's kv_namespaces bind a namespace by id; secrets and vars are in env", async () => {
    class ChatRoom extends DurableObject {}
    class RateLimiter extends DurableObject {}
    const emu = await Emulator.fromWrangler(join(fixtures, "jsonc-chat"), { module: { ChatRoom, RateLimiter } });
    try {
      await emu.env.SESSIONS.put("s1", "alice");
      expect(await emu.env.SESSIONS.get("s1")).toBe("alice");
      expect(emu.env.API_TOKEN).toBe("dev-token");
      expect(emu.env.LIMITS).toEqual({ perMinute: 30 });
    } finally {
      await emu.dispose();
    }
  });

  it("fromWrangler's overrides add KV namespaces and R2 buckets beside the file's, in Miniflare's list shape too", async () => {
    class ChatRoom extends DurableObject {}
    class RateLimiter extends DurableObject {}
    const emu = await Emulator.fromWrangler(join(fixtures, "jsonc-chat"), { module: { ChatRoom, RateLimiter }, kvNamespaces: ["TEST_KV"], r2Buckets: { FILES: "files" } });
    try {
      expect(Object.keys(emu.env).filter((name) => ["SESSIONS", "TEST_KV", "FILES"].includes(name)).sort()).toEqual(["FILES", "SESSIONS", "TEST_KV"]);
      await emu.env.TEST_KV.put("k", "v");
      expect(await emu.env.SESSIONS.get("k")).toBeNull();
      expect(await emu.env.TEST_KV.get("k")).toBe("v");
    } finally {
      await emu.dispose();
    }
  });

  it("Alchemy KVNamespace and R2Bucket resources in bindings become a namespace and a bucket", async () => {
    const emu = emulator({
      module: {},
      bindings: {
        MY_KV: { type: "kv_namespace", namespaceId: "ns-1", title: "my-kv" },
        ALSO_KV: { type: "kv_namespace", namespaceId: "ns-1", title: "my-kv" },
        BUCKET: { type: "r2_bucket", name: "files" },
      },
    });
    await emu.env.MY_KV.put("k", "v");
    expect(await emu.env.ALSO_KV.get("k")).toBe("v");
    await emu.env.BUCKET.put("a.txt", "hello");
    expect(await (await emu.env.BUCKET.get("a.txt")).text()).toBe("hello");
  });
});

describe("the Alchemy rename story", () => {
  it("className Counter -> MyCounter on the same stable id keeps every object's data", async () => {
    const first = new Emulator({ module: { Counter, MyCounter }, bindings: { COUNTER: DurableObjectNamespace("counter", { className: "Counter" }) } });
    const before = first.env.COUNTER.getByName("a") as AnyStub;
    expect(await before.increment()).toBe(1);
    const hex = first.env.COUNTER.idFromName("a").toString();
    // The next deploy: same stable id, the class renamed (a new emulator over the same storage).
    const second = first.reconfigure({ module: { Counter, MyCounter }, bindings: { COUNTER: DurableObjectNamespace("counter", { className: "MyCounter" }) } });
    try {
      const after = second.env.COUNTER.getByName("a") as AnyStub;
      expect(await after.kind()).toBe("MyCounter");
      expect(await after.increment()).toBe(2);
      expect(second.env.COUNTER.idFromName("a").toString()).toBe(hex);
    } finally {
      await second.dispose();
    }
  });
});

describe("the Alchemy rename story on disk", () => {
  it("the next run, renaming className on the same stable id, finds every object's data in the directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-rename-"));
    try {
      const first = new Emulator({ module: { Counter, MyCounter }, persist: dir, bindings: { COUNTER: DurableObjectNamespace("counter", { className: "Counter" }) } });
      expect(await (first.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(1);
      expect(await (first.env.COUNTER.getByName("b") as AnyStub).increment()).toBe(1);
      const hex = first.env.COUNTER.idFromName("a").toString();
      await first.dispose();
      const second = new Emulator({ module: { Counter, MyCounter }, persist: dir, bindings: { COUNTER: DurableObjectNamespace("counter", { className: "MyCounter" }) } });
      try {
        expect(await (second.env.COUNTER.getByName("a") as AnyStub).kind()).toBe("MyCounter");
        expect(await (second.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(2);
        expect(await (second.env.COUNTER.getByName("b") as AnyStub).increment()).toBe(2);
        expect(second.env.COUNTER.idFromName("a").toString()).toBe(hex);
      } finally {
        await second.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("re-creating the emulator over the same storage applies only new tags", () => {
  it("a rename migration added by the next configuration keeps the data", async () => {
    const v1 = { tag: "v1", new_classes: ["Counter"] };
    const first = new Emulator({ module: { Counter, MyCounter }, durableObjects: { COUNTER: "Counter" }, migrations: [v1] });
    expect(await (first.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(1);
    const next = { module: { Counter, MyCounter }, durableObjects: { COUNTER: "MyCounter" }, migrations: [v1, { tag: "v2", renamed_classes: [{ from: "Counter", to: "MyCounter" }] }] };
    const second = first.reconfigure(next);
    expect(await (second.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(2);
    // v1 and v2 are applied now: the same configuration again changes nothing.
    const third = second.reconfigure(next);
    try {
      expect(await (third.env.COUNTER.getByName("a") as AnyStub).increment()).toBe(3);
      expect(await (third.env.COUNTER.getByName("a") as AnyStub).kind()).toBe("MyCounter");
    } finally {
      await third.dispose();
    }
  });
});

describe("a delete in the next configuration", () => {
  it("removes the objects of a class another Worker still binds", async () => {
    const v1 = { tag: "v1", new_classes: ["Counter", "Notes"] };
    const options = (migrations: Array<Record<string, unknown>>) => ({
      name: "main",
      module: { Counter, Notes },
      durableObjects: { COUNTER: "Counter" },
      migrations: migrations as never,
      workers: [{ name: "admin", module: {}, durableObjects: { NOTES: { className: "Notes", scriptName: "main" } } }],
    });
    const first = new Emulator(options([v1]));
    await (first.getDurableObjectNamespace("NOTES", "admin").getByName("n") as AnyStub).write("old");
    const second = first.reconfigure(options([v1, { tag: "v2", deleted_classes: ["Notes"] }]));
    try {
      expect(await (second.getDurableObjectNamespace("NOTES", "admin").getByName("n") as AnyStub).read()).toEqual({ text: undefined, alarm: null });
    } finally {
      await second.dispose();
    }
  });
});

describe("service bindings from the front doors", () => {
  it("wrangler's services reach a named entrypoint of a Worker given in the overrides", async () => {
    const { WorkerEntrypoint } = await import("../../lib/modules/workers.js");
    class AuthRpc extends WorkerEntrypoint {
      whoami(): string {
        return "auth";
      }
    }
    class CounterV2 extends DurableObject {}
    const emu = await Emulator.fromWrangler(join(fixtures, "toml-counter", "wrangler.toml"), {
      module: { CounterV2 },
      workers: [{ name: "auth-worker", module: { AuthRpc, default: {} } }],
    });
    try {
      expect(await (emu.env.AUTH as AnyStub).whoami()).toBe("auth");
      await emu.env.UPLOADS.put("f", "data");
      expect(await (await emu.env.UPLOADS.get("f")).text()).toBe("data");
    } finally {
      await emu.dispose();
    }
  });
});

describe("binding names from a front door", () => {
  it("__proto__, constructor, toString and valueOf are ordinary binding names in env", async () => {
    const options = JSON.parse('{ "modules": true, "bindings": { "__proto__": "a value", "constructor": 1 }, "kvNamespaces": { "toString": "ns" }, "r2Buckets": { "valueOf": "bucket" } }');
    const mf = new Miniflare({ ...options, script: "export default {}" });
    const env = await mf.getBindings<Record<string, unknown>>();
    expect(Object.getOwnPropertyDescriptor(env, "__proto__")?.value).toBe("a value");
    expect(env.constructor).toBe(1);
    expect(Object.keys(env).sort()).toEqual(["__proto__", "constructor", "toString", "valueOf"]);
    await mf.dispose();
  });
});
