import { env, evictDurableObject, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { join } from "./client";

/** A room of its own for each test. */
const roomName = () => `room-${crypto.randomUUID()}`;

afterEach(() => {
  vi.useRealTimers();
});

describe("joining", () => {
  it("needs a WebSocket upgrade on /rooms/<name>/websocket", async () => {
    expect((await SELF.fetch("https://chat.example/rooms/a/websocket")).status).toBe(426);
    expect((await SELF.fetch("https://chat.example/elsewhere")).status).toBe(404);
  });

  it("announces each member to everyone already in the room", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    await join(room, "bob");
    expect(await alice.next()).toEqual({ type: "joined", user: "bob" });
    expect(await env.ROOMS.getByName(room).members()).toEqual(["bob", "alice"]);
  });
});

describe("messages", () => {
  it("reach every member in the order they were said, numbered by the room's SQLite table", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    await alice.next(); // bob joined
    alice.send({ type: "say", text: "hi" });
    bob.send({ type: "say", text: "hello" });
    alice.send({ type: "say", text: "how are you?" });
    const heard = [{ id: 1, from: "alice", text: "hi" }, { id: 2, from: "bob", text: "hello" }, { id: 3, from: "alice", text: "how are you?" }];
    for (const member of [alice, bob]) {
      for (const message of heard) expect(await member.next()).toEqual({ type: "message", ...message });
    }
    bob.send({ type: "history" });
    expect(await bob.next()).toEqual({ type: "history", messages: heard });
  });

  it("whisper only to the member whose tag they name", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    const carol = await join(room, "carol");
    await alice.next(); // bob joined
    await alice.next(); // carol joined
    await bob.next(); // carol joined
    alice.send({ type: "whisper", to: "carol", text: "psst" });
    alice.send({ type: "say", text: "hello all" });
    expect(await carol.next()).toEqual({ type: "whisper", from: "alice", text: "psst" });
    expect(await bob.next()).toEqual({ type: "message", id: 1, from: "alice", text: "hello all" });
  });

  it("a member who leaves gets their close echoed, and the others are told", async () => {
    const room = roomName();
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    await alice.next(); // bob joined
    bob.ws.close(1000, "bye");
    expect(await bob.closed).toEqual({ code: 1000, reason: "bye", wasClean: true });
    expect(await alice.next()).toEqual({ type: "left", user: "bob" });
    expect(await env.ROOMS.getByName(room).members()).toEqual(["alice"]);
  });
});

describe("hibernation", () => {
  it("100 messages round-trip in order, before and after a hibernation, 5 times", async () => {
    const room = roomName();
    const stub = env.ROOMS.getByName(room);
    const alice = await join(room, "alice");
    const instances = new Set<string>();
    let id = 0;
    for (let round = 0; round <= 5; round++) {
      if (round > 0) await evictDurableObject(stub, { webSockets: "hibernate" });
      for (let i = 0; i < 100; i++) alice.send({ type: "say", text: `round ${round} message ${i}` });
      for (let i = 0; i < 100; i++) {
        expect(await alice.next()).toEqual({ type: "message", id: ++id, from: "alice", text: `round ${round} message ${i}` });
      }
      // The socket, its tag and its attachment outlived every hibernation; the instance did not.
      const me = await alice.whoami();
      expect([me.user, me.members]).toEqual(["alice", ["alice"]]);
      instances.add(me.instance);
    }
    expect(instances.size).toBe(6);
    alice.send({ type: "history" });
    const history = await alice.next();
    expect(history.type === "history" && history.messages.length).toBe(600);
  });

  it("answers ping with pong while the room hibernates, without waking it", async () => {
    const room = roomName();
    const stub = env.ROOMS.getByName(room);
    const alice = await join(room, "alice");
    await evictDurableObject(stub);
    alice.send("ping");
    expect(await alice.nextText()).toBe("pong");
    // Still hibernating: there is no instance to evict.
    await expect(evictDurableObject(stub)).rejects.toThrow("Cannot evict Durable Object: it is not currently running.");
    alice.send({ type: "say", text: "awake?" });
    expect(await alice.next()).toEqual({ type: "message", id: 1, from: "alice", text: "awake?" });
  });

  it("happens by itself after 10 s without events (fake timers drive the clock)", async () => {
    vi.useFakeTimers();
    const room = roomName();
    const stub = env.ROOMS.getByName(room);
    const alice = await join(room, "alice");
    const before = await alice.whoami();
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(evictDurableObject(stub)).rejects.toThrow("it is not currently running");
    const after = await alice.whoami();
    expect(after.instance).not.toBe(before.instance);
    expect(after.members).toEqual(["alice"]);
  });

  it("evicting with webSockets: \"close\" disconnects every member (1006) instead", async () => {
    const room = roomName();
    const stub = env.ROOMS.getByName(room);
    const alice = await join(room, "alice");
    const bob = await join(room, "bob");
    await evictDurableObject(stub, { webSockets: "close" });
    const abrupt = { code: 1006, reason: "WebSocket disconnected without sending Close frame.", wasClean: false };
    expect(await alice.closed).toEqual(abrupt);
    expect(await bob.closed).toEqual(abrupt);
    expect(await stub.members()).toEqual([]);
  });
});
