/**
 * Requests as production bills them (pricing page, footnote 1): every call on a Durable Object
 * stub is one RPC session, calls on an RpcTarget (or function) it returned belong to that
 * session, every fetch is one request, every alarm invocation (retries too) is one.
 */
import { describe, expect, it } from "vitest";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
import { runInDurableObject } from "../../../lib/modules/test/index.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";

class Tally extends RpcTarget {
  n = 0;
  baz() {
    return ++this.n;
  }
  nested() {
    return new Tally();
  }
}

class Billed extends DurableObject {
  declare ctx: AnyStub;
  value = 7;
  bar() {
    return new Tally();
  }
  cat() {
    return "cat";
  }
  get prop() {
    return this.value;
  }
  withCallback(callback: (n: number) => Promise<number>) {
    return callback(1);
  }
  async callPeer(name: string) {
    const peer = (this.env as { NS: AnyStub }).NS.getByName(name);
    return (await peer.cat()) + (await peer.cat());
  }
  handBack() {
    return { target: new Tally(), peer: (this.env as { NS: AnyStub }).NS.getByName("peer") };
  }
  async fetch() {
    return new Response("ok");
  }
  fail() {
    this.ctx.abort("stop");
  }
}

function world() {
  const emu = emulator({ module: { Billed }, durableObjects: { NS: "Billed" }, clock: "manual" });
  return { emu, ns: emu.env.NS as AnyStub };
}

const requestsOf = (usage: { requests: unknown }) => usage.requests;

describe("usage: requests as billed", () => {
  it("bills the pricing page's example: a stub call is a session, calls on the RpcTarget it returned are not", async () => {
    const { emu, ns } = world();
    const stub = ns.getByName("a");
    {
      using foo = await stub.bar(); // billed as a request
      await foo.baz(); // part of the session bar() started
      await foo.baz();
      using inner = await foo.nested(); // still that session
      await inner.baz();
    }
    await stub.cat(); // billed as a request
    expect(requestsOf(emu.usage(stub))).toEqual({ billed: 2, http: 0, rpc: 2, alarms: 0, webSocketMessages: 0 });
  });

  it("bills a property read, a pipelined call and each fetch once", async () => {
    const { emu, ns } = world();
    const stub = ns.getByName("a");
    expect(await stub.prop).toBe(7);
    expect(await stub.bar().baz()).toBe(1); // one session: the pipelined call rides on bar()'s
    await (await stub.fetch("https://do/")).text();
    await (await stub.fetch("https://do/")).text();
    expect(requestsOf(emu.usage(stub))).toEqual({ billed: 4, http: 2, rpc: 2, alarms: 0, webSocketMessages: 0 });
  });

  it("does not bill a callback the object calls back into its caller, nor the callback's own object", async () => {
    const { emu, ns } = world();
    const caller = ns.getByName("caller");
    const callee = ns.getByName("callee");
    // The callback lives in `caller` (an RpcTarget it returned to the test).
    using target = await caller.bar();
    expect(await callee.withCallback((n: number) => target.baz().then((m: number) => n + m))).toBe(2);
    expect(emu.usage(caller).requests.billed).toBe(1); // bar() only; the callback's calls belong to its session
    expect(emu.usage(callee).requests.billed).toBe(1);
  });

  it("bills calls one object makes to another to the callee, and objects that hand back stubs", async () => {
    const { emu, ns } = world();
    const a = ns.getByName("a");
    expect(await a.callPeer("b")).toBe("catcat");
    expect(emu.usage(ns.getByName("b")).requests.rpc).toBe(2);
    using handed = await a.handBack();
    await handed.target.baz(); // belongs to handBack()'s session
    await handed.peer.cat(); // a Durable Object stub: a session of its own, billed to "peer"
    expect(emu.usage(a).requests.rpc).toBe(2);
    expect(emu.usage(ns.getByName("peer")).requests.rpc).toBe(1);
  });

  it("bills each alarm invocation, retries included, and nothing for runInDurableObject", async () => {
    let runs = 0;
    class Alarmed extends DurableObject {
      declare ctx: AnyStub;
      async arm() {
        await this.ctx.storage.setAlarm(Date.now() + 1_000);
      }
      async alarm() {
        runs++;
        if (runs < 3) throw new Error("retry me");
      }
    }
    const emu = emulator({ module: { Alarmed }, durableObjects: { NS: "Alarmed" }, clock: "manual" });
    const stub = (emu.env.NS as AnyStub).getByName("x");
    await stub.arm();
    await emu.advanceTime(1_000 + 2_000 * 1.25 + 4_000 * 1.25 + 10);
    expect(runs).toBe(3);
    await runInDurableObject(stub, () => undefined);
    expect(requestsOf(emu.usage(stub))).toEqual({ billed: 4, http: 0, rpc: 1, alarms: 3, webSocketMessages: 0 });
  });

  it("does not bill calls a broken stub refuses on the spot", async () => {
    const { emu, ns } = world();
    const stub = ns.getByName("a");
    await rejection(stub.fail());
    await rejection(stub.cat()); // the stub is broken: the call never leaves
    const usage = emu.usage(stub);
    expect(usage.requests.rpc).toBe(1);
    expect(usage.resets).toBe(1);
  });

  it("totals objects per namespace and per emulator, and resetUsage() zeroes every counter", async () => {
    class Other extends DurableObject {
      ping() {
        return "pong";
      }
    }
    const emu = emulator({ module: { Billed, Other }, durableObjects: { NS: "Billed", OTHER: "Other" } });
    const ns = emu.env.NS as AnyStub;
    await ns.getByName("a").cat();
    await ns.getByName("b").cat();
    await ns.getByName("b").cat();
    await (emu.env.OTHER as AnyStub).getByName("o").ping();
    const all = emu.usage();
    expect(all.requests.rpc).toBe(4);
    expect(Object.keys(all.namespaces)).toEqual(["Billed", "Other"]);
    expect(all.namespaces.Billed!.requests.rpc).toBe(3);
    expect(emu.usage(emu.env.NS).requests.rpc).toBe(3);
    const objects = Object.values(all.namespaces.Billed!.objects).map((o) => [o.name, o.requests.rpc]);
    expect(objects.sort()).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(all.namespaces.Billed!.objects[ns.idFromName("b").toString()]!.id).toBe(ns.idFromName("b").toString());
    emu.resetUsage();
    expect(emu.usage().requests).toEqual({ billed: 0, http: 0, rpc: 0, alarms: 0, webSocketMessages: 0 });
    await ns.getByName("a").cat();
    expect(emu.usage(ns.getByName("a")).requests.rpc).toBe(1);
  });

  it("reports zero for an object never reached, and refuses what is not its own", async () => {
    const { emu, ns } = world();
    const untouched = emu.usage(ns.getByName("never"));
    expect(untouched.requests.billed).toBe(0);
    expect(untouched.id).toBe(ns.idFromName("never").toString());
    const other = emulator({ module: { Billed }, durableObjects: { NS: "Billed" }, name: "elsewhere" });
    expect(() => emu.usage(other.env.NS)).toThrow("durasim: usage() needs a Durable Object stub or namespace of this Emulator.");
    expect(() => emu.usage({})).toThrow("durasim: usage() needs a Durable Object stub of this Emulator.");
  });
});
