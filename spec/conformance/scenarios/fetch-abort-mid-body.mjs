// A caller's signal that aborts after fetch() resolved, while the response body is still
// arriving (from a Durable Object, or from a Worker through a service binding): the abort reaches
// the body. A read waiting and every later read reject with the signal's reason itself, and the
// sender's stream is cancelled (with no reason). A body read to its end is not touched by a later
// abort.
import { cls } from "../scenario.mjs";

const TRICKLE = `(req, log) => {
    let sent = 0;
    if (new URL(req.url).pathname === "/short") return new Response("whole");
    return new Response(new ReadableStream({
      pull: async (c) => { if (sent++ === 0) c.enqueue(new TextEncoder().encode("first")); else await new Promise(() => {}); },
      cancel: (reason) => { log.push(reason === undefined ? "no reason" : String(reason)); },
    }));
  }`;

const source = cls(`  log = [];
  async fetch(req) {
    if (new URL(req.url).pathname === "/cancelled") return Response.json(this.log);
    return (${TRICKLE})(req, this.log);
  }`);

const drive = `async function drive(env) {
  const run = async (fetcher, reason) => {
    const ac = new AbortController();
    const res = await fetcher.fetch("http://do/trickle", { signal: ac.signal });
    const reader = res.body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const pending = reader.read();
    ac.abort(reason);
    const waiting = await Promise.race([pending.then(() => "read", (e) => (e === reason ? "the reason itself" : err(e))), sleep(500).then(() => "still pending")]);
    const later = await reader.read().then(() => "read", (e) => (e === reason ? "the reason itself" : err(e)));
    const done = new AbortController();
    const whole = await (await fetcher.fetch("http://do/short", { signal: done.signal })).text();
    done.abort();
    await sleep(50);
    return { first, waiting, later, whole, cancelled: await (await fetcher.fetch("http://do/cancelled")).json() };
  };
  return {
    object: await run(env.DO.getByName("a"), new RangeError("stop")),
    service: await run(env.SVC, new RangeError("stop")),
    defaultReason: await run(env.DO.getByName("b")),
    stringReason: await run(env.SVC, "just text"),
  };
}`;

export default [
  {
    name: "fetch: the caller's signal aborting while the response body is still arriving",
    backend: "sqlite",
    source,
    workers: {
      other: {
        source: "",
        entry: `(() => {
  const log = [];
  return { fetch(req) { if (new URL(req.url).pathname === "/cancelled") return Response.json(log); return (${TRICKLE})(req, log); } };
})()`,
      },
    },
    services: { SVC: "other" },
    drive,
  },
];
