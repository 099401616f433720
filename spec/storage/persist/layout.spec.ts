/**
 * The on-disk layout: wrangler dev's paths for ordinary names, and no name, however hostile,
 * can make persistence write outside its directory or break on another file system.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { namespaceKey } from "../../../lib/config/migrations.js";
import { PersistLayout, safePathComponent } from "../../../lib/storage/persist/layout.js";
import { ScratchDirectories } from "../../scratch-directories.js";

const ID = "8b428a07185f0acf1d77a32190da28c2fa160dfbb5bd6681212b5eda752122d1";
const directories = new ScratchDirectories("durasim-layout-");

afterEach(() => {
  directories.removeAll();
});

function sandbox(): { parent: string; state: string } {
  const parent = directories.make();
  return { parent, state: join(parent, "state") };
}

const HOSTILE_NAMES = [
  "../x",
  "../../../../../../tmp/escaped",
  "..",
  ".",
  "",
  "/etc/passwd",
  "C:\\Windows\\x",
  "a/b",
  "a\\b",
  "nul\u0000byte",
  "tab\there",
  "new\nline",
  "x".repeat(1000),
  "é".repeat(150),
  "NUL",
  "con",
  "Con.txt",
  "aux.sqlite",
  "COM1",
  "lpt9.log",
  "CONIN$",
  ".hidden",
  ".durasim",
  "trailing.",
  "trailing ",
  " leading",
  "what?",
  "star*",
  'quote"',
  "pipe|",
  "<angle>",
  "col:on",
  "lone \uD800 surrogate",
];

describe("PersistLayout", () => {
  it("uses wrangler dev's layout for ordinary names", () => {
    const layout = PersistLayout.inStateDirectory("/state");
    const key = namespaceKey("my-worker", "Counter");
    expect(key).toBe("my-worker-Counter");
    expect(layout.objectPath(key, ID)).toBe(join("/state", "v3", "do", "my-worker-Counter", `${ID}.sqlite`));
    expect(layout.alarmIndexPath(key)).toBe(join("/state", "v3", "do", "my-worker-Counter", "metadata.sqlite"));
    expect(layout.bindingPath("kv", "MY_KV")).toBe(join("/state", "v3", "kv", "MY_KV"));
    expect(layout.bindingPath("r2", "bucket", "blobs")).toBe(join("/state", "v3", "r2", "bucket", "blobs"));
  });

  it("keeps names wrangler accepts as they are, class names with $ or non-ASCII letters too", () => {
    for (const name of ["worker-Counter", "my_worker-$Room", "app-Café", "a.b-C", "-Counter", "x~y"]) {
      expect(safePathComponent(name)).toBe(name);
    }
  });

  it("takes a Durable Objects directory of its own (Miniflare's durableObjectsPersist)", () => {
    const layout = new PersistLayout({ durableObjects: "/mf/do", bindings: { kv: "/mf/kv-elsewhere" } });
    expect(layout.namespaceDirectory("w-C")).toBe(join("/mf/do", "w-C"));
    expect(layout.bindingPath("kv", "NS")).toBe(join("/mf/kv-elsewhere", "NS"));
    expect(layout.bindingPath("r2", "B")).toBe(join("/mf", "r2", "B"));
  });

  it("rejects object ids that are not 64 hex digits", () => {
    const layout = PersistLayout.inStateDirectory("/state");
    for (const id of ["../x", ID.toUpperCase(), ID.slice(1), `${ID}/..`, ""]) {
      expect(() => layout.objectPath("w-C", id)).toThrow(/is not an object id/);
    }
  });

  it("never writes outside its directory, whatever the script, class or binding name", () => {
    const { parent, state } = sandbox();
    const layout = PersistLayout.inStateDirectory(state);
    const seen = new Set<string>();
    for (const name of HOSTILE_NAMES) {
      for (const path of [
        layout.objectPath(name, ID),
        layout.objectPath(namespaceKey(name, name), ID),
        layout.alarmIndexPath(name),
        layout.bindingPath("kv", name, name),
        layout.bindingPath("r2", name),
      ]) {
        const rel = relative(state, path);
        expect(rel.startsWith(".."), `${JSON.stringify(name)} -> ${path}`).toBe(false);
        expect(isAbsolute(rel)).toBe(false);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, "x");
      }
      const component = basename(layout.namespaceDirectory(name));
      expect(component).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
      expect(component).not.toMatch(/[\u0000-\u001f/\\:*?"<>|]|^\.|[. ]$/);
      expect(Buffer.byteLength(component)).toBeLessThanOrEqual(200);
      expect(component).not.toBe(".durasim");
      seen.add(component);
    }
    // Nothing escaped: the sandbox holds only the state directory.
    expect(readdirSync(parent)).toEqual(["state"]);
    // Different names stay apart.
    expect(seen.size).toBe(HOSTILE_NAMES.length);
  });

  it("lists the objects that have a database or only a WAL, ignoring other files", () => {
    const { state } = sandbox();
    const layout = PersistLayout.inStateDirectory(state);
    const other = ID.replace(/^8/, "9");
    const directory = layout.namespaceDirectory("w-C");
    mkdirSync(directory, { recursive: true });
    for (const name of [`${ID}.sqlite`, `${ID}.sqlite-wal`, `${ID}.sqlite-shm`, `${other}.sqlite-wal`, "metadata.sqlite", `${ID}.facets`, `${ID}.1.sqlite`]) {
      writeFileSync(join(directory, name), "x");
    }
    expect(layout.objectIds("w-C")).toEqual([ID, other].sort());
    expect(layout.objectIds("missing-Namespace")).toEqual([]);
  });
});
