import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DurableObjectNamespace } from "../../lib/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyNamespace, emulator } from "../helpers.js";

class Sql extends DurableObject {}
class Other extends DurableObject {}

function namespaces(): { sql: AnyNamespace; other: AnyNamespace } {
  const emu = emulator({ name: "test", module: { Sql, Other }, durableObjects: { SQL: "Sql", OTHER: "Other" } });
  return { sql: emu.env.SQL, other: emu.env.OTHER };
}

describe("Durable Object IDs", () => {
  it("derive idFromName exactly as workerd does (uniqueKey = `${scriptName}-${className}`)", () => {
    // Test vector from the semantics reference, produced by workerd for uniqueKey "test-Sql".
    expect(namespaces().sql.idFromName("foo").toString()).toBe(
      "67c1bceeec0d3e4e1eef69a5061fb422b9a63a6952fcd99c50a0f6bde35ec3d7",
    );
  });

  it("key a stable namespace declaration by its id (workerd's own test vector, uniqueKey \"mykey\")", () => {
    const emu = emulator({ module: { Sql }, durableObjects: { NS: DurableObjectNamespace("mykey", { className: "Sql" }) } });
    expect((emu.env.NS as AnyNamespace).idFromName("http://foo/").toString()).toBe(
      "59002eb8cf872e541722977a258a12d6a93bbe8192b502e1c0cb250aa91af234",
    );
  });

  it("hash a name's lone surrogate as its WTF-8 bytes and name it as three U+FFFD, as workerd does", () => {
    const emu = emulator({ name: "test", module: { DO: Sql }, durableObjects: { DO: "DO" } });
    const id = (emu.env.DO as AnyNamespace).idFromName("\ud800");
    // Produced by workerd 2026-11-17 for uniqueKey "test-DO" (conformance: "sweep: ID names ...").
    expect(id.toString()).toBe("0805bb8635f92c97a72d9092dc0c00d759c3013e32038f0847222644e173c694");
    expect(id.name).toBe("\ufffd\ufffd\ufffd");
    expect((emu.env.DO as AnyNamespace).getByName("a\udc00b😀").name).toBe("a\ufffd\ufffd\ufffdb😀");
  });

  it("are deterministic per namespace, differ across namespaces, and carry the name", () => {
    const { sql, other } = namespaces();
    const a = sql.idFromName("alice");
    expect(a.toString()).toBe(sql.idFromName("alice").toString());
    expect(a.equals(sql.idFromName("alice"))).toBe(true);
    expect(a.toString()).not.toBe(other.idFromName("alice").toString());
    expect(a.name).toBe("alice");
    expect(a.toString()).toMatch(/^[0-9a-f]{64}$/);
  });

  it("derive the same ID for names of any length and script as the HMAC construction computed with node:crypto", () => {
    const { sql } = namespaces();
    const key = createHash("sha256").update("test-Sql").digest();
    const expected = (name: string) => {
      const first = createHmac("sha256", key).update(Buffer.from(name, "utf8")).digest().subarray(0, 16);
      const second = createHmac("sha256", key).update(first).digest().subarray(0, 16);
      return Buffer.concat([first, second]).toString("hex");
    };
    // Around 85 UTF-16 units, where a name stops fitting durasim's scratch space.
    for (const count of [0, 1, 42, 43, 84, 85, 86, 300]) {
      for (const unit of ["a", "é", "漢", "😀"]) {
        const name = unit.repeat(count);
        expect(sql.idFromName(name).toString(), `${count} x ${unit}`).toBe(expected(name));
      }
    }
  });

  it("round-trip through idFromString, which drops the name and accepts upper case", () => {
    const { sql } = namespaces();
    const id = sql.idFromName("alice");
    const parsed = sql.idFromString(id.toString().toUpperCase());
    expect(parsed.toString()).toBe(id.toString());
    expect(parsed.name).toBeUndefined();
    expect(parsed.equals(id)).toBe(true);
  });

  it("reject malformed strings and IDs of another namespace with the runtime's TypeErrors", () => {
    const { sql, other } = namespaces();
    for (const bad of ["", "abc", "z".repeat(64), "a".repeat(63), "a".repeat(65)]) {
      expect(() => sql.idFromString(bad)).toThrow(new TypeError("Invalid Durable Object ID: must be 64 hex digits"));
    }
    const foreign = other.idFromName("alice").toString();
    expect(() => sql.idFromString(foreign)).toThrow(new TypeError("Durable Object ID is not valid for this namespace."));
  });

  it("make unique IDs that are unnamed, distinct and valid for their namespace", () => {
    const { sql, other } = namespaces();
    const a = sql.newUniqueId();
    const b = sql.newUniqueId();
    expect(a.name).toBeUndefined();
    expect(a.equals(b)).toBe(false);
    expect(sql.idFromString(a.toString()).equals(a)).toBe(true);
    expect(() => other.idFromString(a.toString())).toThrow("Durable Object ID is not valid for this namespace.");
  });

  it("expose `jurisdiction` and `name` as their own properties, and compare by bytes only", () => {
    const { sql } = namespaces();
    const named = sql.idFromName("x");
    expect(Object.keys(named)).toEqual(["jurisdiction", "name"]);
    expect(JSON.stringify(named)).toBe('{"name":"x"}');
    expect(Object.prototype.toString.call(named)).toBe("[object DurableObjectId]");
    expect(named.equals(sql.idFromString(named.toString()))).toBe(true);
    expect(named.jurisdiction).toBeUndefined();
  });
});

describe("namespace options", () => {
  it("getByName(n) is get(idFromName(n))", () => {
    const { sql } = namespaces();
    const stub = sql.getByName("bob");
    expect(stub.id.toString()).toBe(sql.idFromName("bob").toString());
    expect(stub.name).toBe("bob");
  });

  it("accepts jurisdictions (restricting nothing locally) and refuses IDs of another jurisdiction", () => {
    const { sql } = namespaces();
    const eu = sql.jurisdiction("eu");
    const id = eu.idFromName("x");
    expect(id.jurisdiction).toBe("eu");
    expect(sql.newUniqueId({ jurisdiction: "eu" }).jurisdiction).toBe("eu");
    expect(() => eu.get(sql.idFromName("x"))).toThrow(
      new TypeError("get called on jurisdictional subnamespace with an ID from a different jurisdiction"),
    );
    expect(() => eu.get(id)).not.toThrow();
    expect(sql.jurisdiction(null).idFromName("x").jurisdiction).toBeUndefined();
  });

  it("validates routingMode and ignores locationHint", () => {
    const { sql } = namespaces();
    expect(() => sql.getByName("x", { routingMode: "replica-only" })).toThrow(new RangeError("unknown routingMode: replica-only"));
    expect(() => sql.getByName("x", { routingMode: "primary-only", locationHint: "weur" })).not.toThrow();
  });

  it("get() requires a DurableObjectId", () => {
    const { sql } = namespaces();
    expect(() => sql.get("0".repeat(64))).toThrow(TypeError);
  });
});
