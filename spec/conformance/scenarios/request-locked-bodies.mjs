// A Request copied (new Request(request), a Request as the init, stub.fetch(request)) whose body
// is locked to a reader, read from, released or handed to another body is refused in the
// runtime's words, or copied when its stream can still be taken; a stream body the init gives
// locked is refused as a body.
import { inside } from "../scenario.mjs";

const source = (name, body) => ({
  ...inside(`request locked bodies: ${name}`, "sqlite", `
    const a = (f) => outcome(f);
    const streamed = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("abc")); c.close(); } });
    const posted = () => new Request("http://x/", { method: "POST", body: streamed() });
    const locked = () => { const r = posted(); r.body.getReader(); return r; };
${body}`),
});

const echo = (s) => ({ ...s, source: s.source.replace("  async go() {", "  async fetch(req) { return new Response(await req.text()); }\n  async go() {") });

export default [
  echo(source("copies of a Request whose body is locked, read, released or given away", `
    const stub = this.env.DO.getByName("echo");
    return {
      copyLocked: await a(async () => { const c = new Request(locked()); return [c.bodyUsed, await c.text()]; }),
      initLocked: await a(async () => { const c = new Request("http://y/", locked()); return [c.method, await c.text()]; }),
      copyLockedNewBody: await a(async () => { const c = new Request(locked(), { body: "new" }); return [c.method, await c.text()]; }),
      copyLockedNullBody: await a(async () => { const c = new Request(locked(), { body: null }); return [c.method, c.body]; }),
      stubLocked: await a(async () => (await stub.fetch(locked())).text()),
      stubUrlLocked: await a(async () => (await stub.fetch("http://y/", locked())).text()),
      fetchLocked: await a(async () => { const r = new Request("http://127.0.0.1:1/", { method: "POST", body: streamed() }); r.body.getReader(); return (await fetch(r)).status; }),
      fetchUrlLocked: await a(async () => (await fetch("http://127.0.0.1:1/", locked())).status),
      fetchInitStreamLocked: await a(async () => { const s = streamed(); s.getReader(); return (await fetch("http://127.0.0.1:1/", { method: "POST", body: s })).status; }),
      stubInitStreamLocked: await a(async () => { const s = streamed(); s.getReader(); return (await stub.fetch("http://y/", { method: "POST", body: s })).text(); }),
      copyLockedUsedInit: await a(async () => { const r = posted(); await r.text(); return new Request("http://y/", r); }),
      released: await a(async () => { const r = posted(); r.body.getReader().releaseLock(); const c = new Request(r); return [r.bodyUsed, c.bodyUsed, await c.text()]; }),
      read: await a(async () => { const r = posted(); await r.body.getReader().read(); return new Request(r); }),
      givenAway: await a(async () => { const r = posted(); const other = new Response(r.body); const c = new Request(r); return [r.bodyUsed, await c.text(), await other.text()]; }),
      lockedStreamAsBody: await a(async () => { const s = streamed(); s.getReader(); return new Request("http://x/", { method: "POST", body: s }); }),
      lockedStreamAsResponse: await a(async () => { const s = streamed(); s.getReader(); return new Response(s); }),
      responseOfLocked: await a(async () => { const r = new Response(streamed()); r.body.getReader(); return new Response(r.body); }),
    };`)),
];
