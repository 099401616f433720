// A caller's signal aborting while the request body is still being sent: the handler's reads of
// the body fail (it is still running: only the caller gave up) and the caller's body stream is
// cancelled, so a stream that never ends is read no more (before, durasim went on pumping it
// into the handler for ever, holding every chunk a handler such as request.text() gathered).
import { cls } from "../scenario.mjs";

/** A handler that reads its request body to the end and keeps what it saw: "done" or the error. */
const READS_BODY = `async function readWhole(request) {
  const reader = request.body.getReader();
  let bytes = 0;
  try {
    for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; }
    return ["done", bytes > 1_000_000 ? "all" : "part"];
  } catch (e) { return ["threw", e.name, e.message, e.retryable ?? null, e.remote ?? null, bytes > 1_000_000 ? "all" : "part"]; }
}
let seen = null;`;

/** A 2 MB body in 1 KiB chunks whose 20th pull aborts `controller`; `sent` notes how far it
 * was pulled (`all`) and what its cancel() got (`cancelled`). Stringified into drives. */
export const abortingBody = (controller, sent) => {
  let pulls = 0;
  return new ReadableStream({
    pull(c) {
      pulls++;
      if (pulls === 20) controller.abort();
      sent.all = pulls > 2000;
      if (sent.all) c.close();
      else c.enqueue(new Uint8Array(1024));
    },
    cancel(reason) {
      sent.cancelled = [String(reason)];
    },
  });
};

/** Sends abortingBody() to `fetcher`: what the caller and (given `seenNow`) the handler saw. */
const drive = async (fetcher, seenNow, abortingBody) => {
  const controller = new AbortController();
  const sent = { all: false, cancelled: null };
  const body = abortingBody(controller, sent);
  const call = await outcome(() => fetcher.fetch("http://x/", { method: "POST", body, signal: controller.signal }).then((r) => r.text()));
  if (seenNow === undefined) {
    await waitFor(async () => sent.cancelled !== null, 5000);
    return { call, sentAll: sent.all, cancelled: sent.cancelled };
  }
  await waitFor(async () => (await seenNow()) !== null, 5000);
  return { call, seen: await seenNow(), sentAll: sent.all, cancelled: sent.cancelled };
};

export default [
  {
    name: "aborted request bodies: the caller aborts stub.fetch() while the object reads the body",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) { seen = await readWhole(request); return new Response("read"); }
  seenNow() { return seen; }`,
      { extra: READS_BODY },
    ),
    drive: `async (env) => {
      const stub = env.DO.getByName("a");
      return (${drive})(stub, () => stub.seenNow(), ${abortingBody});
    }`,
  },
  {
    name: "aborted request bodies: the caller aborts a service binding's fetch() while the Worker reads the body",
    backend: "sqlite",
    source: cls(`  hello() { return 1; }`),
    workers: {
      reader: {
        source: READS_BODY,
        entry: `{ async fetch(request) { seen = await readWhole(request); return new Response("read"); } }`,
      },
    },
    services: { READER: "reader" },
    // What the Worker's handler sees is left out: the runtime cancels a Worker's event whose
    // client went away, so its read never settles (worker-event-cancel.mjs compares it).
    drive: `async (env) => (${drive})(env.READER, undefined, ${abortingBody})`,
  },
  {
    name: "aborted request bodies: the object resets while its fetch handler reads the body: the read never settles, the caller's stream is cancelled",
    backend: "sqlite",
    source: cls(
      `  async fetch(request) { seen = await readWhole(request); return new Response("read"); }
  seenNow() { return seen; }
  reset() { this.ctx.abort("reset now"); }`,
      { extra: READS_BODY },
    ),
    // The body stalls at its 20th chunk until the reset is done (the reset comes from the
    // driver's own context: a pull runs in the caller's).
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      let pulls = 0;
      let cancelled = null;
      let go;
      const stalled = new Promise((resolve) => (go = resolve));
      const body = new ReadableStream({
        async pull(c) {
          pulls++;
          if (pulls === 20) await stalled;
          if (pulls > 2000) c.close();
          else c.enqueue(new Uint8Array(1024));
        },
        cancel(reason) {
          cancelled = [String(reason), reason?.retryable ?? null];
        },
      });
      const called = outcome(() => stub.fetch("http://x/", { method: "POST", body }).then((r) => r.text()));
      await waitFor(async () => pulls >= 20, 3000);
      const reset = await outcome(() => stub.reset());
      go();
      const call = await called;
      await waitFor(async () => cancelled !== null, 3000);
      // Module state outlives the instance: the old handler would have noted its read there.
      return { reset, call, seen: await outcome(() => env.DO.getByName("a").seenNow()), sentAll: pulls > 2000, cancelled };
    },
  },
];
