import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Response, WebSocketPair } from "../../lib/modules/worker-globals.js";
import { type AnyStub, emulator, until } from "../helpers.js";

// What conformance "facets: ..." cannot show against workerd: a facet's life with its parent's
// (eviction, reset) and its storage in snapshots and on disk.

type Facets = {
  get(name: string, startup: () => unknown): AnyStub;
  abort(name: string, reason: unknown): void;
  delete(name: string): void;
  clone(name: string, newName: string): void;
};

class Counter extends DurableObject {
  declare ctx: AnyStub;
  /** How many instances of the facet were constructed (module state: a new instance counts on). */
  static constructed = 0;

  constructor(ctx: AnyStub, env: AnyStub) {
    super(ctx, env);
    Counter.constructed++;
  }

  bump(): number {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS c (n INTEGER)");
    sql.exec("INSERT INTO c VALUES (1)");
    return sql.exec("SELECT count(*) AS n FROM c").one().n as number;
  }
}

class Other extends DurableObject {
  bump(): string {
    return "other";
  }

  /** Settles when the test opens `facetGate`. */
  wait(): Promise<string> {
    reachedFacetGate();
    return facetGate.then(() => "waited");
  }
}

/** What Other.wait() waits for (a facet busy with a call while its parent is idle), and what it calls on the way. */
let facetGate: Promise<void> = Promise.resolve();
let reachedFacetGate = (): void => {};

/** A facet's hibernatable WebSocket: each message is answered with the class that handled it. */
const socketHandlers = {
  fetch(this: DurableObject & { ctx: AnyStub }): Response {
    const [client, server] = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  },
  webSocketMessage(this: DurableObject, ws: AnyStub, message: string): void {
    ws.send(`${this.constructor.name}: ${message}`);
  },
};
Object.assign(Counter.prototype, socketHandlers);
Object.assign(Other.prototype, socketHandlers);

class Parent extends DurableObject {
  declare ctx: AnyStub;

  get facets(): Facets {
    return this.ctx.facets;
  }

  child(name: string): AnyStub {
    return this.facets.get(name, () => ({ class: this.ctx.exports.Counter }));
  }

  bump(name: string): Promise<number> {
    return this.child(name).bump();
  }

  bumpAs(name: string, className: string): Promise<unknown> {
    return this.facets.get(name, () => ({ class: this.ctx.exports[className] })).bump();
  }

  /** A WebSocket to the facet the URL names, of the class it names. */
  fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    return this.facets.get(url.searchParams.get("facet")!, () => ({ class: this.ctx.exports[url.searchParams.get("class")!] })).fetch(request);
  }

  /** Keeps a facet stub across calls, as an agent keeps its sub-agents. */
  kept: AnyStub;
  async keep(name: string): Promise<number> {
    this.kept = this.child(name);
    return this.kept.bump();
  }

  async bumpKept(): Promise<number> {
    return this.kept.bump();
  }

  die(): void {
    this.ctx.abort("parent aborted");
  }

  /** Starts a call to a facet and returns before it settles: only the facet stays busy. */
  waiting: Promise<string> | undefined;
  startWait(): void {
    this.waiting = this.facets.get("w", () => ({ class: this.ctx.exports.Other })).wait();
  }

  async waited(): Promise<string | undefined> {
    return this.waiting;
  }

  ownTables(): string[] {
    return this.ctx.storage.sql.exec("SELECT name FROM sqlite_master").toArray().map((row: { name: string }) => row.name);
  }

  wipe(): Promise<void> {
    return this.ctx.storage.deleteAll();
  }

  cloneTo(from: string, to: string): void {
    this.facets.clone(from, to);
  }
}

function parents(extra: Record<string, unknown> = {}) {
  const emu = emulator({
    module: { Parent, Counter, Other },
    durableObjects: { PARENT: { className: "Parent", sqlite: true }, COUNTER: { className: "Counter", sqlite: true } },
    ...extra,
  });
  return { emu, parent: emu.env.PARENT.getByName("p") as AnyStub };
}

/** A directory for `persist`, removed when the test ends. */
function persistDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "durasim-facets-"));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

describe("ctx.facets", () => {
  it("keeps each facet's storage apart from its parent's, from the class's own objects and from other parents' facets", async () => {
    const { emu, parent } = parents();
    expect([await parent.bump("a"), await parent.bump("a"), await parent.bump("b")]).toEqual([1, 2, 1]);
    expect(await emu.env.PARENT.getByName("q").bump("a")).toBe(1);
    expect(await parent.ownTables()).toEqual([]);
    expect(await emu.env.COUNTER.getByName("p").bump()).toBe(1);
    // Facets are not objects of the class's namespace.
    expect(await emu.listIds("COUNTER")).toHaveLength(1);
  });

  it("wakes a hibernated facet as the class its parent started it as, whatever another parent's facet of that name is", async () => {
    const { emu, parent } = parents();
    const response = await parent.fetch("http://x/?facet=x&class=Counter", { headers: { Upgrade: "websocket" } });
    const ws = response.webSocket;
    const replies: string[] = [];
    ws.addEventListener("message", (event: MessageEvent) => void replies.push(event.data as string));
    ws.accept();
    await emu.evict();
    expect(await emu.env.PARENT.getByName("q").bumpAs("x", "Other")).toBe("other");
    ws.send("hi");
    await until(() => replies.length > 0);
    expect(replies).toEqual(["Counter: hi"]);
  });

  it("evicting the parent evicts its facets; their storage stays", async () => {
    const { emu, parent } = parents();
    expect(await parent.bump("a")).toBe(1);
    const before = Counter.constructed;
    await emu.evict(parent);
    expect(await parent.bump("a")).toBe(2);
    expect(Counter.constructed).toBe(before + 1);
  });

  it("a call in flight to a facet keeps its idle parent from eviction; its idle time counts from the call's end", async () => {
    let open!: () => void;
    facetGate = new Promise((resolve) => (open = resolve));
    const reached = new Promise<void>((resolve) => (reachedFacetGate = resolve));
    const { emu, parent } = parents({ clock: "manual" });
    await parent.startWait();
    await reached;
    await emu.advanceTime(20_000);
    open();
    await emu.advanceTime(9_999);
    // The same instance: it still holds the call it started.
    expect(await parent.waited()).toBe("waited");
    await emu.advanceTime(10_000);
    expect(await parent.waited()).toBeUndefined();
  });

  it("emu.usage() bills a facet's work to its parent object, the parent's calls to it not as requests", async () => {
    const { emu, parent } = parents();
    await parent.bump("a");
    await parent.bump("a");
    // The same work done by an object of the facet's class on its own.
    const counter = emu.env.COUNTER.getByName("p");
    await counter.bump();
    await counter.bump();
    const [viaFacet, direct] = [emu.usage(parent), emu.usage(counter)];
    expect(viaFacet.requests).toEqual(direct.requests);
    expect(viaFacet.sqlite).toEqual(direct.sqlite);
    expect(viaFacet.commits).toEqual(direct.commits);
  });

  it("a parent's reset ends its facets' instances; their storage stays", async () => {
    const { emu, parent } = parents();
    expect(await parent.keep("a")).toBe(1);
    const before = Counter.constructed;
    await expect(parent.die()).rejects.toThrow("parent aborted");
    // The stub saw the reset and stays broken, as in production: a new one reaches the next instance.
    expect(await emu.env.PARENT.getByName("p").bump("a")).toBe(2);
    expect(Counter.constructed).toBe(before + 1);
  });

  it("emu.snapshot() and emu.restore() cover facets' storage, facets made since included", async () => {
    const { emu, parent } = parents();
    await parent.bump("a");
    const snapshot = await emu.snapshot();
    await parent.bump("a");
    await parent.bump("b");
    await emu.restore(snapshot);
    expect(await parent.bump("a")).toBe(2);
    expect(await parent.bump("b")).toBe(1);
  });

  it("persists facets' storage with the parents'", async () => {
    const directory = persistDirectory();
    const first = parents({ persist: directory });
    expect(await first.parent.bump("a")).toBe(1);
    await first.emu.dispose();
    const second = parents({ persist: directory });
    expect(await second.parent.bump("a")).toBe(2);
  });

  it("after a restart, the parent's deleteAll() deletes the facets an earlier emulator started", async () => {
    const directory = persistDirectory();
    const first = parents({ persist: directory });
    await first.parent.bump("a");
    await first.emu.dispose();
    const second = parents({ persist: directory });
    await second.parent.wipe();
    await second.emu.dispose();
    const third = parents({ persist: directory });
    expect(await third.parent.bump("a")).toBe(1);
  });

  it("persists a clone() copy apart from the facet it copies", async () => {
    const directory = persistDirectory();
    const first = parents({ persist: directory });
    await first.parent.bump("a");
    await first.parent.bump("a");
    await first.parent.cloneTo("a", "copy");
    expect(await first.parent.bump("a")).toBe(3);
    await first.emu.dispose();
    const second = parents({ persist: directory });
    expect(await second.parent.bump("copy")).toBe(3);
    expect(await second.parent.bump("a")).toBe(4);
  });
});
