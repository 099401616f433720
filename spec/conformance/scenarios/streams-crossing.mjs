// Bodies and streams that fail across stub.fetch() and RPC: what the reader on the other
// side sees when the writer's stream errors (with an Error of any type, a non-Error, a chunk
// that is not bytes), before or after an awaited storage write, for a Response returned by a
// fetch() handler, a Response or stream returned over RPC, and a request body sent either way.
// The failing streams wait a timer between chunks: how many chunks the runtime still delivers
// when a stream errors within the same turn as its last chunk is the pipe's timing (see the
// declared scenario). (A chunk that is not bytes, followed by nothing, hangs workerd's reader:
// fetch-crossing.mjs covers one in a stream that closes.) Also the runtime's byte
// TransformStreams, IdentityTransformStream and FixedLengthStream.
import { cls } from "../scenario.mjs";

/** Streams that yield `chunks` (a timer apart) and then fail as `how` says; a reader that
 * records what arrived and how it ended. */
const STREAMS = `function failing(chunks, how, gap = 5) {
  let i = 0;
  return new ReadableStream({
    async pull(c) {
      if (gap >= 0) await new Promise((r) => setTimeout(r, gap));
      else await null;
      if (i < chunks.length) return c.enqueue(new TextEncoder().encode(chunks[i++]));
      if (how === "type") c.error(new TypeError("bad type"));
      else if (how === "string") c.error("a string");
      else if (how === "throw") throw new RangeError("pull threw");
      else if (how === "close") c.close();
      else c.error(new Error("source failed"));
    },
  });
}
const HOWS = ["error", "type", "string", "throw", "close"];
async function readAll(body) {
  if (body === null) return { body: null };
  const out = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks: out.join("") };
      out.push(new TextDecoder().decode(value));
    }
  } catch (e) {
    return { chunks: out.join(""), error: err(e) };
  }
}`;

export default [
  {
    name: "streams: a fetch() handler's Response body that fails, as the caller reads it",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    const u = new URL(req.url);
    if (u.searchParams.has("write")) await this.ctx.storage.put("k", 1);
    return new Response(failing(u.searchParams.getAll("c"), u.searchParams.get("how")), { status: 203 });
  }
  async kept() {
    // The handler's own copy of its stream's error is untouched by the caller's.
    const res = new Response(failing(["a"], "error"));
    try { await res.text(); } catch (e) { return { remote: e.remote ?? null, message: e.message }; }
  }`, { extra: STREAMS }),
    drive: async (env) => {
      const r = {};
      const stub = env.DO.getByName("s");
      for (const how of HOWS) {
        for (const q of ["", "&write", "&c=a&c=b", "&write&c=a"]) {
          const url = "http://do/?how=" + how + q;
          const read = await outcome(async () => { const res = await stub.fetch(url); return { status: res.status, body: await readAll(res.body) }; });
          const text = await outcome(async () => (await stub.fetch(url)).text());
          r[how + q] = { read, text };
        }
      }
      r.readLocally = await outcome(() => stub.kept());
      return r;
    },
  },
  {
    name: "streams: a Response or a stream returned over RPC whose body fails",
    backend: "sqlite",
    source: cls(`  async stream(how, write) { if (write) await this.ctx.storage.put("k", 1); return failing(["a"], how); }
  async response(how, write) { if (write) await this.ctx.storage.put("k", 1); return new Response(failing(["a"], how), { status: 201 }); }
  async request(how) { return new Request("http://x/", { method: "POST", body: failing(["a"], how) }); }`, { extra: STREAMS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      for (const how of HOWS) {
        r[how] = {
          stream: await outcome(async () => readAll(await s.stream(how, false))),
          streamAfterWrite: await outcome(async () => readAll(await s.stream(how, true))),
          response: await outcome(async () => { const res = await s.response(how, true); return { status: res.status, body: await readAll(res.body) }; }),
          responseText: await outcome(async () => (await s.response(how, false)).text()),
          request: await outcome(async () => readAll((await s.request(how)).body)),
        };
      }
      return r;
    },
  },
  {
    name: "streams: a request body that fails, sent by stub.fetch() and over RPC",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    return Response.json(await readAll(req.body));
  }
  async take(req) { return readAll(req.body); }
  async takeStream(stream) { return readAll(stream); }`, { extra: STREAMS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      for (const how of HOWS) {
        r[how] = {
          // The handler sees the body end where the caller's stream failed.
          fetch: await outcome(async () => (await s.fetch("http://do/", { method: "POST", body: failing(["a"], how) })).json()),
          rpcRequest: await outcome(() => s.take(new Request("http://do/", { method: "POST", body: failing(["a"], how) }))),
          rpcStream: await outcome(() => s.takeStream(failing(["a"], how))),
        };
      }
      return r;
    },
  },
  {
    name: "streams: a stream that fails in the same turn as it yields its last chunk",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(failing(["a", "b"], "error", -1)); }
  async stream() { return failing(["a", "b"], "error", -1); }`, { extra: STREAMS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      return { fetch: await outcome(async () => readAll((await s.fetch("http://do/")).body)), rpc: await outcome(async () => readAll(await s.stream())) };
    },
    differs:
      "workerd's pipe drops the chunk its source yielded in the turn before it failed (the receiver reads \"a\" of \"ab\"); durasim hands the receiver every chunk read before the failure",
  },
  {
    name: "streams: IdentityTransformStream and FixedLengthStream",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
      const n = Number(new URL(req.url).searchParams.get("n"));
      const f = new FixedLengthStream(3);
      const w = f.writable.getWriter();
      (async () => { await w.write(new Uint8Array(n)); await w.close(); })().catch(() => {});
      return new Response(f.readable);
    }
    async go() {
      const r = {};
      const read = async (readable) => { try { return hex(new Uint8Array(await new Response(readable).arrayBuffer())); } catch (e) { return { readErr: err(e) }; } };
      r.ctor = { none: outcomeSync(() => new FixedLengthStream()), neg: outcomeSync(() => new FixedLengthStream(-1)), str: outcomeSync(() => new FixedLengthStream("3") && "ok"), big: outcomeSync(() => new FixedLengthStream(2 ** 53) && "ok"), bigint: outcomeSync(() => new FixedLengthStream(3n) && "ok"), frac: outcomeSync(() => new FixedLengthStream(2.5) && "ok"), nan: outcomeSync(() => new FixedLengthStream(NaN) && "ok"), noNew: outcomeSync(() => FixedLengthStream(3)) };
      r.tags = [Object.prototype.toString.call(new FixedLengthStream(1)), Object.prototype.toString.call(new IdentityTransformStream()), new FixedLengthStream(1) instanceof TransformStream, new IdentityTransformStream() instanceof TransformStream, Object.getPrototypeOf(FixedLengthStream.prototype) === IdentityTransformStream.prototype, Object.getOwnPropertyNames(FixedLengthStream.prototype), Object.getOwnPropertyNames(IdentityTransformStream.prototype)];
      for (const [k, chunks, close] of [["exact", [3], true], ["tooMany", [2, 2], true], ["tooFew", [2], true], ["string", ["abc"], true], ["empty", [0, 3], true]]) {
        const f = new FixedLengthStream(3);
        const w = f.writable.getWriter();
        const writes = [];
        const done = (async () => { for (const c of chunks) writes.push(await outcome(() => w.write(typeof c === "number" ? new Uint8Array(c) : c))); if (close) writes.push(await outcome(() => w.close())); })();
        const got = await read(f.readable);
        await done;
        r[k] = { got, writes };
      }
      {
        const t = new IdentityTransformStream();
        const w = t.writable.getWriter();
        const writes = [];
        const done = (async () => { for (const c of [new Uint8Array([1]), "s", new ArrayBuffer(1), new DataView(new ArrayBuffer(2)), 5]) writes.push(await outcome(() => w.write(c))); writes.push(await outcome(() => w.close())); })();
        const got = await read(t.readable);
        await done;
        r.identity = { got, writes };
      }
      {
        const t = new IdentityTransformStream();
        const w = t.writable.getWriter();
        w.write(new Uint8Array([1, 2, 3, 4])); w.close();
        const rd = t.readable.getReader({ mode: "byob" });
        const a = await rd.read(new Uint8Array(2));
        const b = await rd.read(new Uint8Array(8));
        const c = await rd.read(new Uint8Array(8));
        r.byob = [hex(a.value), a.done, hex(b.value), b.done, c.done];
      }
      r.readableType = (() => { const t = new IdentityTransformStream(); try { t.readable.getReader({ mode: "byob" }); return "byob ok"; } catch (e) { return err(e); } })();
      r.withHwm = outcomeSync(() => new IdentityTransformStream({ highWaterMark: 10 }) && "ok");
      return r;
    }`),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = { go: await outcome(() => s.go()) };
      for (const n of [3, 2, 4]) r["fetch" + n] = await outcome(async () => { const res = await s.fetch("http://do/?n=" + n); return [res.headers.get("content-length"), res.headers.get("transfer-encoding"), await outcome(async () => hex(new Uint8Array(await res.arrayBuffer())))]; });
      return r;
    },
  },
  {
    name: "streams: Requests and Responses over RPC and locally: headers' mutability, cf, redirect()",
    backend: "sqlite",
    source: cls(`  async res() { return new Response("body", { status: 404, headers: { "x-a": "1" } }); }
  async resText() { return new Response("body", { status: 200, statusText: "Fine" }); }
  async json() { return Response.json({ a: 1 }); }
  async redirect() { return Response.redirect("https://example.com/to", 302); }
  async req() { return new Request("https://example.com/p#frag", { method: "PUT", headers: { "x-b": "2" }, body: "rb", cf: { colo: "X" } }); }
  async fetch(req) { return this.takeReq(req); }
  async takeReq(r) { return Response.json({ url: r.url, method: r.method, set: trySet(r), body: await r.text(), redirect: r.redirect, cf: r.cf ?? null }); }
  async takeRes(r) { return { status: r.status, statusText: r.statusText, url: r.url, set: trySet(r), body: await r.text() }; }
  async local() {
    const q = new Request("http://a/", { cf: { colo: "Y" } });
    return { redirect: trySet(Response.redirect("https://e.com/", 301)), json: trySet(Response.json(1)), cf: q.cf ?? null, cfSame: q.cf === q.cf, cfClone: q.clone().cf ?? null, fromRequest: new Request(q).cf ?? null, fromRequestInit: new Request(q, { cf: { colo: "Z" } }).cf ?? null, none: new Request("http://a/").cf ?? null, keys: Object.keys(q) };
  }`, { extra: `function trySet(m) { try { m.headers.set("x", "1"); return [...m.headers]; } catch (e) { return e.message; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const trySet = (m) => { try { m.headers.set("x", "1"); return [...m.headers]; } catch (e) { return e.message; } };
      const shape = async (r) => ({ tag: Object.prototype.toString.call(r), status: r.status, statusText: r.statusText, url: r.url, ok: r.ok, redirected: r.redirected, type: r.type, set: trySet(r), webSocket: r.webSocket ?? "absent", body: await r.text() });
      const r = {};
      for (const m of ["res", "resText", "json", "redirect"]) r[m] = await outcome(async () => shape(await s[m]()));
      r.req = await outcome(async () => { const q = await s.req(); return { url: q.url, method: q.method, set: trySet(q), redirect: q.redirect, cf: q.cf ?? null, body: await q.text() }; });
      r.takeReq = await outcome(() => s.takeReq(new Request("http://x/y?z#h", { method: "POST", body: "b", headers: { "x-c": "3" } })).then((res) => res.json()));
      r.takeRes = await outcome(() => s.takeRes(new Response("rb", { status: 201 })));
      // A Response a caller got back (immutable headers) passed on over RPC.
      r.passedOn = await outcome(async () => s.takeRes(await s.fetch("http://do/f", { method: "POST", body: "x" })));
      r.local = await outcome(() => s.local());
      return r;
    },
  },
];
