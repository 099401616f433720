// What a cancelled Worker event (its caller gave up: worker-event-cancel.mjs) had under way when
// it ended: a call to a Durable Object or through a service binding, a Response body still
// arriving, a scheduler.wait(). In the runtime the event's I/O context is gone, so what its code
// awaits never settles and the code after the await never runs; the callee, an event of its own,
// runs to its end and keeps its writes. With a waitUntil promise pending the event lasts, and
// its code hears the answers. The handler is the main Worker's own, reached through a service
// binding to itself, so that it and the callees note what they see in one module global.
// The driver aborts once the handler is awaiting what the scenario is about (the log shows it),
// and whatever the cancellation must overtake (a callee's timer, a body's next chunk, a
// scheduler.wait()) waits 400 ms: fixed times raced on a loaded machine, which can take longer
// than any of them to start the handler or hold two due timers back until they fire together.

const SOURCE = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
const log = [];
const note = (x) => { log.push(x); };

/** Notes its start, waits, writes \`tag\`, notes its end: what a callee cut off would not do.
 * Callees of a kept event race no cancellation, so they wait less. */
async function slowly(tag, write) {
  note(["callee start", tag]);
  await sleep(tag.startsWith("kept") ? 100 : 400);
  await write();
  note(["callee end", tag]);
}

export class DO extends DurableObject {
  async slow(tag) { await slowly(tag, () => this.ctx.storage.put(tag, 1)); return 7; }
  async fetch(request) {
    const tag = new URL(request.url).pathname.slice(1);
    // A body that sends a second chunk a while later, noting that it could (noted: "stream noted").
    if (tag.startsWith("stream")) {
      const encoder = new TextEncoder();
      const body = new ReadableStream({
        async pull(controller) {
          controller.enqueue(encoder.encode("first "));
          await sleep(400);
          controller.enqueue(encoder.encode("last"));
          if (tag === "stream-noted") note(["callee end", tag]);
          controller.close();
        },
      });
      return new Response(body);
    }
    await slowly(tag, () => this.ctx.storage.put(tag, 1));
    return new Response("from the object");
  }
  async stored(tag) { return (await this.ctx.storage.get(tag)) ?? null; }
}

export class Slow extends WorkerEntrypoint {
  async slow(tag) { await slowly(tag, () => this.env.DO.getByName(tag + " again").slow(tag + " again")); return 5; }
  async fetch(request) {
    const tag = new URL(request.url).pathname.slice(1);
    await slowly(tag, () => this.env.DO.getByName(tag + " again").slow(tag + " again"));
    return new Response("from the entrypoint");
  }
}
`;

/** Calls SELF.fetch() with a signal that aborts once the log shows `abortOn` (an entry, or an
 * entry's first item), or after 2 s; returns what the caller saw, what was noted within a while,
 * and which of `tags` the callees stored. */
const drive = async (env, tags, wait, abortOn) => {
  const controller = new AbortController();
  const reached = () => log.some((x) => x === abortOn || (Array.isArray(x) && x[0] === abortOn));
  (async () => {
    for (let polls = 0; polls < 400 && !reached(); polls++) await sleep(5);
    controller.abort();
  })();
  const call = await outcome(() => env.SELF.fetch("http://x/", { signal: controller.signal }).then((r) => r.text()));
  // Long enough for the callees to finish and a handler running on to hear of them, well short
  // of a pending waitUntil's 3 s (a loaded machine must not let that settle first).
  await sleep(wait);
  const stored = {};
  for (const tag of tags) stored[tag] = await env.DO.getByName(tag).stored(tag);
  return { call, log, stored };
};

/** `handler`: what the event's fetch handler runs; `tags`: the keys its callees write; `wait`:
 * how long (ms) the driver waits before it reads them; `abortOn`: the log entry after which the
 * handler is awaiting what the scenario cancels. */
const scenario = (name, handler, tags = [], wait = 800, abortOn = "callee start") => ({
  name: `worker event cancel: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  services: { SELF: "test", SLOW: { name: "test", entrypoint: "Slow" } },
  entry: `{ async fetch(request, env, ctx) {
      note("start");
      ${handler}
      return new Response("answered");
    } }`,
  drive: `async (env) => (${drive})(env, ${JSON.stringify(tags)}, ${wait}, ${JSON.stringify(abortOn)})`,
});

/** Handler text that keeps the event going past the callees' answers. */
const KEPT = `ctx.waitUntil(sleep(3000).then(() => note("waitUntil settled")));`;

export default [
  scenario(
    "an RPC call to an object under way never settles; the object runs to its end",
    `try { note(["answer", await env.DO.getByName("rpc").slow("rpc")]); } catch (e) { note(["threw", e.message]); }`,
    ["rpc"],
  ),
  scenario(
    "a fetch to an object under way never settles; the object runs to its end",
    `try { const r = await env.DO.getByName("fetch").fetch("http://x/fetch"); note(["answer", await r.text()]); } catch (e) { note(["threw", e.message]); }`,
    ["fetch"],
  ),
  scenario(
    "a read of an object's Response body still arriving never settles",
    `const r = await env.DO.getByName("stream").fetch("http://x/stream");
      note("headers");
      try { note(["body", await r.text()]); } catch (e) { note(["threw", e.message]); }`,
    [],
    800,
    "headers",
  ),
  scenario(
    "the object's Response body still arriving is cancelled: its source cannot send its next chunk",
    `const r = await env.DO.getByName("stream").fetch("http://x/stream-noted");
      note("headers");
      await r.text();`,
    [],
    800,
    "headers",
  ),
  scenario(
    "an RPC call through a service binding under way never settles; the callee runs to its end",
    `try { note(["answer", await env.SLOW.slow("service rpc")]); } catch (e) { note(["threw", e.message]); }`,
    ["service rpc again"],
  ),
  scenario(
    "a fetch through a service binding under way never settles",
    `try { const r = await env.SLOW.fetch("http://x/service-fetch"); note(["answer", await r.text()]); } catch (e) { note(["threw", e.message]); }`,
    ["service-fetch again"],
  ),
  scenario(
    "a scheduler.wait() never settles",
    `await scheduler.wait(400);
      note("waited");`,
    [],
    800,
    "start",
  ),
  scenario(
    "with a waitUntil promise pending, the calls under way answer and the handler runs on",
    `${KEPT}
      note(["rpc", await env.DO.getByName("kept rpc").slow("kept rpc")]);
      note(["service rpc", await env.SLOW.slow("kept service")]);
      const r = await env.DO.getByName("kept-fetch").fetch("http://x/kept-fetch");
      note(["fetch", await r.text()]);`,
    ["kept rpc", "kept service again", "kept-fetch"],
    1500,
  ),
  scenario(
    "a call given to waitUntil answers, and what it chains runs",
    `ctx.waitUntil(env.DO.getByName("waited").slow("waited").then((v) => note(["waitUntil answer", v])));
      await new Promise(() => {});`,
    ["waited"],
  ),
];
