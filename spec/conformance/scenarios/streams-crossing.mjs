// Bodies and streams that fail across stub.fetch() and RPC: what the reader on the other
// side sees when the writer's stream errors (with an Error of any type, a non-Error, a chunk
// that is not bytes), before or after an awaited storage write, for a Response returned by a
// fetch() handler, a Response or stream returned over RPC, and a request body sent either way.
// The failing streams wait a timer between chunks: how many chunks the runtime still delivers
// when a stream errors within the same turn as its last chunk is the pipe's timing (see the
// declared scenario at the end). (A chunk that is not bytes, followed by nothing, hangs workerd's
// reader: fetch-crossing.mjs covers one in a stream that closes.)
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
];
