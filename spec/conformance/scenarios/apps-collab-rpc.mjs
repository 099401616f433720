// Realistic apps, part 11: document collaboration over RPC. A Doc object hands each editor a
// Session (an RpcTarget) that edits, reports presence to a Presence object whose stub the
// Worker passed in, and streams the document out (ReadableStream) or takes a paste in; editors
// subscribe with a callback the Doc keeps with dup() (an object stub has none); sessions are closed with [Symbol.dispose]()
// (as `using` would). Records: values through promise pipelining, what Presence saw in order,
// disposal counts, errors of calls on closed sessions and released callbacks (class, message,
// remote flag), the streamed bytes.
// ownProcess: stubs of Durable Objects cross RPC (see scenario.mjs).
import { cls } from "../scenario.mjs";

const DOC = cls(`  text = "";
  log = [];
  listeners = [];
  async open(user, presence) {
    const doc = this;
    // A Durable Object stub that arrived as an argument stays usable after the call (it is no
    // RpcStub: it has no dup(), see tryDup).
    const kept = presence;
    let closed = false;
    this.log.push(["joinedAs", await kept.joined(user, this.ctx.id.name)]);
    class Session extends RpcTarget {
      get user() { return user; }
      insert(at, s) {
        if (closed) throw new RangeError("session of " + user + " is closed");
        doc.text = doc.text.slice(0, at) + s + doc.text.slice(at);
        doc.log.push(["insert", user, at, s]);
        doc.notify({ user, text: doc.text });
        return doc.text.length;
      }
      snapshot() { return { text: doc.text, by: user, version: doc.log.length }; }
      async export(chunk) {
        const bytes = new TextEncoder().encode(doc.text);
        return new ReadableStream({
          start(c) { for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk)); c.close(); },
        });
      }
      async paste(stream) {
        const text = await new Response(stream).text();
        return this.insert(doc.text.length, text);
      }
      [Symbol.dispose]() {
        closed = true;
        doc.log.push(["closed", user]);
        kept.left(user).catch((e) => doc.log.push(["leftFailed", err(e)]));
      }
    }
    return new Session();
  }
  async tryDup(stub) { return stub.dup(); }
  subscribe(fn) { this.listeners.push(fn.dup()); return this.listeners.length; }
  notify(change) {
    for (const fn of this.listeners) fn(change).catch((e) => this.log.push(["listenerFailed", err(e)]));
  }
  unsubscribeAll() { for (const fn of this.listeners) fn[Symbol.dispose](); const n = this.listeners.length; this.listeners = []; return n; }
  history() { return { text: this.text, log: this.log }; }`, { name: "Doc" }) + `
export class Presence extends DurableObject {
  seen = [];
  joined(user, doc) { this.seen.push(["joined", user, doc]); return this.seen.length; }
  left(user) { this.seen.push(["left", user]); return this.seen.length; }
  report() { return this.seen; }
}
`;

const scenario = (name, drive) => ({
  name: `apps: collaboration over RPC, ${name}`,
  backend: "sqlite",
  source: DOC,
  classes: { DO: "Doc", PRESENCE: "Presence" },
  ownProcess: true,
  drive,
});

export default [
  scenario("sessions as RpcTargets, pipelined calls, a Presence stub passed in, using and dispose", async (env) => {
    const doc = env.DO.getByName("notes");
    const presence = env.PRESENCE.getByName("lobby");
    const out = {};
    // Pipelined: the session's methods are called before open() has resolved.
    const ann = doc.open("ann", presence);
    out.annUser = await ann.user;
    out.first = await ann.insert(0, "Hello");
    out.pipelined = await doc.open("bob", presence).snapshot();
    // What \`using bob = ...\` does (Node 20 runs durasim's side and cannot parse it).
    const bob = await doc.open("bob", presence);
    try {
      out.bob = await bob.insert(5, " world");
    } finally {
      bob[Symbol.dispose]();
    }
    await sleep(50);
    out.afterUsing = await outcome(() => presence.report());
    out.annAgain = await ann.insert(0, ">> ");
    ann[Symbol.dispose]();
    await sleep(50);
    out.closedCall = await outcome(() => ann.insert(0, "x"));
    out.dupOfObjectStub = await outcome(() => doc.tryDup(presence));
    out.presence = await presence.report();
    out.history = await doc.history();
    return out;
  }),

  scenario("streams both ways through a session, callbacks kept with dup() until released", async (env) => {
    const doc = env.DO.getByName("streams");
    const presence = env.PRESENCE.getByName("hall");
    const changes = [];
    const out = {};
    const session = await doc.open("cat", presence);
    out.subscribed = await doc.subscribe((change) => { changes.push(change); });
    out.subscribedTwice = await doc.subscribe((change) => { changes.push(["second", change.text.length]); });
    await session.insert(0, "abc");
    const body = new ReadableStream({
      start(c) { c.enqueue(new TextEncoder().encode("-pasted")); c.enqueue(new TextEncoder().encode("-text")); c.close(); },
    });
    out.pasted = await session.paste(body);
    const stream = await session.export(4);
    // The text, not the chunks: workerd's reads of a stream received over RPC regroup the
    // sender's chunks into reads of up to 4096 bytes (see the README's RPC streams).
    const decoder = new TextDecoder();
    let exported = "";
    for await (const chunk of stream) exported += decoder.decode(chunk, { stream: true });
    out.exported = exported;
    await sleep(50);
    out.changes = changes.slice();
    out.released = await doc.unsubscribeAll();
    await session.insert(0, "!");
    await sleep(50);
    out.changesAfterRelease = changes.length;
    session[Symbol.dispose]();
    await sleep(50);
    out.history = await doc.history();
    out.presence = await presence.report();
    return out;
  }),
];
