// Realistic apps, part 8: a live document edited over WebSockets the object accepts itself
// (server.accept(), no hibernation). Each edit is stored with a version number in storage and
// broadcast to the other editors; a stale edit is refused; an alarm snapshots the document and
// tells everyone; a socket that closes is dropped from the broadcast list by its close listener.
// Per-socket records, as in websockets-hibernation.mjs, plus the stored state.
import { both, cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

const DOC = cls(`  editors = new Map();
  async fetch(req) {
    const name = new URL(req.url).searchParams.get("name");
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    this.editors.set(server, name);
    server.addEventListener("message", (e) => this.onEdit(server, name, JSON.parse(e.data)));
    server.addEventListener("close", (e) => {
      this.editors.delete(server);
      this.tell({ type: "left", name, code: e.code });
    });
    const version = (await this.ctx.storage.get("version")) ?? 0;
    server.send(JSON.stringify({ type: "hello", version, text: (await this.ctx.storage.get("text")) ?? "" }));
    return new Response(null, { status: 101, webSocket: client });
  }
  tell(event, except) {
    for (const ws of this.editors.keys()) if (ws !== except) ws.send(JSON.stringify(event));
  }
  async onEdit(ws, name, edit) {
    const s = this.ctx.storage;
    const version = (await s.get("version")) ?? 0;
    if (edit.base !== version) {
      ws.send(JSON.stringify({ type: "stale", base: edit.base, version }));
      return;
    }
    const text = ((await s.get("text")) ?? "") + edit.insert;
    await s.put({ version: version + 1, text, ["edit:" + String(version + 1).padStart(4, "0")]: { by: name, insert: edit.insert } });
    ws.send(JSON.stringify({ type: "ack", version: version + 1 }));
    this.tell({ type: "edit", by: name, version: version + 1, insert: edit.insert }, ws);
    if (edit.snapshot) await s.setAlarm(Date.now() + 30);
  }
  async alarm() {
    const s = this.ctx.storage;
    const version = await s.get("version");
    await s.put("snapshot:" + version, await s.get("text"));
    this.tell({ type: "snapshot", version });
  }
  async state() {
    return { all: Object.fromEntries(await this.ctx.storage.list()), editors: [...this.editors.values()].sort(), alarm: (await this.ctx.storage.getAlarm()) === null ? null : "pending" };
  }`, {
  extra: `${CLIENT}
const edit = (c, base, insert, snapshot = false) => c.ws.send(JSON.stringify({ base, insert, snapshot }));`,
});

export default both({
  name: "apps: live document over accepted WebSockets, versioned edits in storage, stale edits refused, an alarm snapshot",
  source: DOC,
  timeoutMs: 15000,
  drive: async (env) => {
    const doc = env.DO.getByName("doc");
    const ann = await connect(doc, "/?name=ann");
    const bob = await connect(doc, "/?name=bob");
    await settle();
    edit(ann, 0, "Hello");
    await settle();
    // Sent in one turn, both on version 1: the input gate holds ann's message event while
    // bob's listener reads (a storage read in flight), so hers is refused as stale.
    edit(bob, 1, ", world");
    edit(ann, 1, "!");
    await settle();
    const mid = await doc.state();
    edit(bob, 2, ".", true);
    await waitFor(async () => (await doc.state()).alarm === null && "snapshot:3" in (await doc.state()).all, 5000);
    bob.ws.close(1000, "done");
    await settle(100);
    const carl = await connect(doc, "/?name=carl");
    await settle();
    return hangUp({ mid, end: await doc.state(), ann: ann.seen, bob: bob.seen, carl: carl.seen });
  },
});
