/**
 * process.env as workerd fills it for a Worker with nodejs_compat (asked of workerd 2026-11-17:
 * text bindings as they are, JSON bindings as their JSON text, a JSON string as the string,
 * other bindings absent; from 2025-04-01, or with nodejs_compat_populate_process_env; never with
 * nodejs_compat_do_not_populate_process_env), and how the test integrations lay it over Node's.
 */
import { describe, expect, it } from "vitest";
import { layProcessEnv, workerProcessEnv } from "../../lib/testing/process-env.js";
import { unemulatedBinding } from "../../lib/testing/unemulated-binding.js";
import { localVersionMetadata } from "../../lib/config/version-metadata.js";

const bindings = {
  STR: "hello",
  NUM: 86400,
  OBJ: { a: [1, null] },
  BOOL: true,
  NUL: null,
  // A stand-in for a binding durasim does not emulate, and bytes: not text or JSON.
  DB: { prepare: () => undefined },
  DATA: new Uint8Array([1]),
};
const populated = { STR: "hello", NUM: "86400", OBJ: '{"a":[1,null]}', BOOL: "true", NUL: "null" };

describe("workerProcessEnv", () => {
  it("gives the text and JSON bindings as strings under nodejs_compat from 2025-04-01 (and at the newest date, none given)", () => {
    expect(workerProcessEnv({ compatibilityDate: "2025-04-01", compatibilityFlags: ["nodejs_compat"], bindings })).toEqual(populated);
    expect(workerProcessEnv({ compatibilityFlags: ["nodejs_compat_v2"], bindings })).toEqual(populated);
  });

  it("gives nothing without nodejs_compat, before 2025-04-01 without the populate flag, or with the flag that turns it off", () => {
    expect(workerProcessEnv({ compatibilityDate: "2026-01-01", bindings })).toEqual({});
    expect(workerProcessEnv({ compatibilityDate: "2025-03-31", compatibilityFlags: ["nodejs_compat"], bindings })).toEqual({});
    expect(
      workerProcessEnv({ compatibilityDate: "2026-01-01", compatibilityFlags: ["nodejs_compat", "nodejs_compat_do_not_populate_process_env"], bindings }),
    ).toEqual({});
    expect(
      workerProcessEnv({ compatibilityDate: "2025-01-01", compatibilityFlags: ["nodejs_compat", "nodejs_compat_populate_process_env"], bindings }),
    ).toEqual(populated);
  });

  it("leaves out what durasim binds in a binding's place: an unemulated binding's stand-in and version metadata", () => {
    const AI = unemulatedBinding({ name: "AI", key: "ai" } as Parameters<typeof unemulatedBinding>[0], "wrangler.toml");
    expect(workerProcessEnv({ compatibilityFlags: ["nodejs_compat"], bindings: { AI, VERSION: localVersionMetadata(), STR: "hello" } })).toEqual({ STR: "hello" });
  });

  it("takes Alchemy resources as the emulator sorts them: a secret's text, a JSON resource's value, nothing for the rest", () => {
    const alchemy = {
      SECRET: { type: "secret", unencrypted: "s3cret" },
      CFG: { type: "json", json: { a: 1 } },
      CACHE: { type: "kv_namespace", namespaceId: "ns1" },
      VERSION: { type: "version_metadata" },
    };
    expect(workerProcessEnv({ compatibilityFlags: ["nodejs_compat"], bindings: alchemy })).toEqual({ SECRET: "s3cret", CFG: '{"a":1}' });
  });

  it("leaves out an object with a cycle (not JSON) without overflowing, and keeps one sharing a child on two branches", () => {
    const queue: Record<string, unknown> = { name: "queue" };
    queue.self = queue;
    const child = { b: 2 };
    const shared = { x: child, y: [child] };
    expect(workerProcessEnv({ compatibilityFlags: ["nodejs_compat"], bindings: { Q: queue, SHARED: shared } })).toEqual({ SHARED: '{"x":{"b":2},"y":[{"b":2}]}' });
  });
});

it("layProcessEnv lays entries over an environment and puts back exactly what was there", () => {
  const env: Record<string, string | undefined> = { HOME: "/home/ada", STR: "node's" };
  const restore = layProcessEnv(env, { STR: "hello", NUM: "86400" });
  expect(env).toEqual({ HOME: "/home/ada", STR: "hello", NUM: "86400" });
  env.NUM = "changed by a test";
  restore();
  expect(env).toEqual({ HOME: "/home/ada", STR: "node's" });
  expect(Object.hasOwn(env, "NUM")).toBe(false);
});
