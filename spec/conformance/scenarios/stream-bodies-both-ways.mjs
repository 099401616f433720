// Stream bodies in both directions between a Worker and an object or another Worker's handler:
// whose context a sender's stream runs its callbacks in, how a receiver's cancel() reaches the
// handler's stream, and the body-reuse refusals of what a handler receives.
import { cls } from "../scenario.mjs";

const LOG = `const log = [];
const note = (x) => { log.push(x); };`;

export default [
  {
    name: "stream bodies: a request body's pull() runs as the caller's code: its stub call to another object works",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) { return new Response(await request.text()); }
  hello(n) { return "hello " + n; }`,
    ),
    drive: async (env) => {
      const other = env.DO.getByName("other");
      let n = 0;
      const body = new ReadableStream({
        async pull(c) {
          n++;
          if (n > 3) return c.close();
          const r = await outcome(() => other.hello(n));
          c.enqueue(new TextEncoder().encode(JSON.stringify(r) + ";"));
        },
      });
      return outcome(() => env.DO.getByName("reader").fetch("http://x/", { method: "POST", body }).then((r) => r.text()));
    },
  },
  {
    name: "stream bodies: the caller cancelling a Response body runs the handler's stream's cancel() with the runtime's reason",
    backend: "sqlite",
    source: cls(`  hello() { return 1; }`, { extra: LOG }),
    services: { SELF: "test" },
    entry: `{ async fetch(request, env, ctx) {
      let sent = 0;
      ctx.waitUntil(new Promise((resolve) => { globalThis.done = resolve; }));
      return new Response(new ReadableStream({
        pull(c) { sent++; c.enqueue(new Uint8Array(16)); },
        cancel(reason) { note(["cancel", String(reason), reason?.constructor?.name ?? typeof reason, reason?.retryable ?? null]); globalThis.done(); },
      }));
    } }`,
    drive: async (env) => {
      const response = await env.SELF.fetch("http://x/");
      const reader = response.body.getReader();
      // (How many bytes the first read gets depends on how far the runtime pulled ahead.)
      await reader.read();
      const cancelled = await outcome(() => reader.cancel("the caller is done"));
      await waitFor(async () => log.length > 0, 2000);
      return { cancelled, log };
    },
  },
  {
    name: "stream bodies: an object's Response body cancelled by its caller runs the object's stream's cancel()",
    backend: "sqlite",
    source: cls(
      `  async fetch() {
    return new Response(new ReadableStream({
      pull(c) { c.enqueue(new Uint8Array(16)); },
      cancel(reason) { seen = ["cancel", String(reason), reason?.constructor?.name ?? typeof reason, reason?.retryable ?? null]; },
    }));
  }
  seenNow() { return seen; }`,
      { extra: "let seen = null;" },
    ),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const response = await stub.fetch("http://x/");
      const reader = response.body.getReader();
      await reader.read();
      const cancelled = await outcome(() => reader.cancel(new RangeError("enough")));
      await waitFor(async () => (await stub.seenNow()) !== null, 2000);
      return { cancelled, seen: await stub.seenNow() };
    },
  },
  {
    name: "stream bodies: what a handler's request refuses once its body was read",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) {
    const out = [];
    out.push(await outcome(() => request.text()));
    out.push(request.bodyUsed);
    out.push(await outcome(() => request.text()));
    out.push(await outcome(() => request.arrayBuffer()));
    out.push(await outcome(() => request.clone()));
    out.push(await outcome(() => new Request("http://y/", request)));
    out.push(await outcome(() => request.body.getReader().read()));
    return Response.json(out);
  }`,
    ),
    drive: async (env) => {
      const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("abc")); c.close(); } });
      return outcome(() => env.DO.getByName("a").fetch("http://x/", { method: "POST", body }).then((r) => r.json()));
    },
  },
  {
    name: "stream bodies: a handler tees its request body and echoes one branch through a TransformStream",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) {
    const [a, b] = request.body.tee();
    const upper = new TransformStream({ transform(chunk, c) { c.enqueue(new TextEncoder().encode(new TextDecoder().decode(chunk).toUpperCase())); } });
    const counted = new Response(b).text().then((t) => t.length);
    return new Response(a.pipeThrough(upper), { headers: { "x-kind": "echo" } });
  }`,
    ),
    drive: async (env) => {
      const words = ["alpha ", "beta ", "gamma"];
      async function* gen() { for (const w of words) yield new TextEncoder().encode(w); }
      const body = ReadableStream.from(gen());
      const r = await env.DO.getByName("a").fetch("http://x/", { method: "POST", body });
      return { status: r.status, kind: r.headers.get("x-kind"), te: r.headers.get("transfer-encoding"), text: await r.text() };
    },
  },
  {
    name: "stream bodies: a body made by ReadableStream.from() of an async generator that throws midway",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) {
    const reader = request.body.getReader();
    let text = "";
    try {
      for (;;) { const { done, value } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); }
      return Response.json(["done", text]);
    } catch (e) { return Response.json(["threw", text, e.name, e.message]); }
  }`,
    ),
    drive: async (env) => {
      let finished = false;
      async function* gen() {
        try { yield new TextEncoder().encode("one;"); yield new TextEncoder().encode("two;"); throw new Error("generator failed"); }
        finally { finished = true; }
      }
      const r = await outcome(() => env.DO.getByName("a").fetch("http://x/", { method: "POST", body: ReadableStream.from(gen()) }).then((r) => r.json()));
      return { r, finished };
    },
  },
  {
    name: "stream bodies: a Worker pipes a request body to an object with pipeTo() into a TransformStream it sends",
    backend: "sqlite",
    source: cls(`  async fetch(request) { return new Response("got " + (await request.text())); }`),
    drive: async (env) => {
      const { readable, writable } = new TransformStream();
      const sent = env.DO.getByName("a").fetch("http://x/", { method: "POST", body: readable });
      const source = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x")); c.enqueue(new TextEncoder().encode("y")); c.close(); } });
      const piped = await outcome(() => source.pipeTo(writable));
      return { piped, answer: await outcome(() => sent.then((r) => r.text())) };
    },
  },
  {
    name: "stream bodies: a handler cancelling its request body cancels the caller's stream without the handler's reason",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) {
    const reader = request.body.getReader();
    const first = await reader.read();
    await reader.cancel(new RangeError("the handler has enough"));
    return Response.json([first.value.length, request.bodyUsed]);
  }`,
    ),
    drive: async (env) => {
      let cancelled = null;
      const body = new ReadableStream({
        pull(c) { c.enqueue(new Uint8Array(8)); },
        cancel(reason) { cancelled = [String(reason), reason?.constructor?.name ?? typeof reason, reason?.retryable ?? null]; },
      });
      const answer = await outcome(() => env.DO.getByName("a").fetch("http://x/", { method: "POST", body }).then((r) => r.json()));
      await waitFor(async () => cancelled !== null, 2000);
      return { answer: answer.ok ? answer.ok[1] : answer, cancelled };
    },
  },
  {
    name: "stream bodies: a request body's later pull() (the handler reading the 30th chunk) runs as the caller's code",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) { return new Response(String((await request.text()).length)); }
  hello(n) { return n; }`,
    ),
    drive: async (env) => {
      const other = env.DO.getByName("other");
      let n = 0;
      let last = null;
      const body = new ReadableStream({
        async pull(c) {
          n++;
          if (n > 40) return c.close();
          if (n === 30) last = await outcome(() => other.hello(n));
          c.enqueue(new Uint8Array(4));
        },
      });
      const answer = await outcome(() => env.DO.getByName("reader").fetch("http://x/", { method: "POST", body }).then((r) => r.text()));
      return { answer, last };
    },
  },
  {
    name: "stream bodies: a handler cancelling a request body made by ReadableStream.from() of a generator ends the generator",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) {
    const reader = request.body.getReader();
    const first = await reader.read();
    await reader.cancel("enough");
    return new Response(new TextDecoder().decode(first.value));
  }`,
    ),
    drive: async (env) => {
      let finished = null;
      let produced = 0;
      async function* gen() {
        try { for (;;) { produced++; yield new TextEncoder().encode("chunk" + produced + ";"); } }
        finally { finished = "finally ran"; }
      }
      const answer = await outcome(() => env.DO.getByName("a").fetch("http://x/", { method: "POST", body: ReadableStream.from(gen()) }).then((r) => r.text()));
      await waitFor(async () => finished !== null, 2000);
      return { answer: answer.ok?.startsWith("chunk1") ?? answer, finished, fewProduced: produced < 10 };
    },
  },
  {
    name: "stream bodies: an object echoes its request body as its Response body; the caller cancelling the Response cancels its own request stream",
    backend: "sqlite",
    source: cls(`  async fetch(request) { return new Response(request.body); }`),
    drive: async (env) => {
      let cancelled = null;
      let pulls = 0;
      const body = new ReadableStream({
        pull(c) { pulls++; c.enqueue(new TextEncoder().encode("p" + pulls + ";")); },
        cancel(reason) { cancelled = [String(reason), reason?.retryable ?? null]; },
      });
      const response = await env.DO.getByName("a").fetch("http://x/", { method: "POST", body });
      const reader = response.body.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel("done reading");
      await waitFor(async () => cancelled !== null, 2000);
      return { first: first.startsWith("p1;"), cancelled };
    },
  },
];
