// A Request's or a Response's body made from a ReadableStream is that very stream (unlocked
// until read; read from it directly, the body reads as used), and hands its reader (getReader(),
// for await) each chunk as that stream enqueued it: a string, a number, an object, an
// ArrayBuffer, a DataView, a Uint16Array... So do a tee()'s branches, both bodies of a clone(),
// a Response made from such a body and a Request made from such a Request. Only the consumers
// (text(), arrayBuffer(), ...) need bytes (body-chunks.mjs). Once the body crosses to another
// context (sent with stub.fetch(), as a Request input or clone too; a handler's Response,
// returned at once or after an await; an RPC argument), its reader gets bytes.
import { cls } from "../scenario.mjs";

const CHUNKS = `{
      string: () => "a",
      number: () => 5,
      object: () => ({ a: 1 }),
      arrayBuffer: () => new Uint8Array([65]).buffer,
      uint8: () => new Uint8Array([65]),
      dataView: () => new DataView(new Uint8Array([65]).buffer),
      uint16: () => new Uint16Array([0x4241]),
    }`;

/** A scenario whose body runs in the object's go(); its fetch() and take() read what they get. */
const P = (name, body) => ({
  name,
  backend: "sqlite",
  source: cls(`  async fetch(req) {
    const kind = new URL(req.url).pathname.slice(1);
    if (kind === "echo") return new Response(JSON.stringify(await drain(req.body)));
    const make = ${CHUNKS}[kind.replace("late-", "")];
    const res = new Response(new ReadableStream({ start(c) { c.enqueue(make()); c.close(); } }));
    if (kind.startsWith("late-")) await scheduler.wait(5);
    return res;
  }
  async take(message) {
    return drain(message.body);
  }
  async go() {
    const CHUNKS = ${CHUNKS};
    const stream = (make) => new ReadableStream({ start(c) { c.enqueue(make()); c.close(); } });
${body}
  }`, { extra: `
/** Each chunk a reader of \`s\` gets, shown, then its end (or its failure). */
async function drain(s) {
  const reader = s.getReader();
  const got = [];
  for (;;) {
    const next = await reader.read().catch((e) => ({ done: true, value: err(e) }));
    got.push(show(next.value));
    if (next.done) return got;
  }
}` }),
  drive: async (env) => env.DO.getByName("a").go(),
});

export default [
  P("body reader chunks: a body made from a stream is that stream, and hands its reader each chunk as enqueued (getReader(), for await, tee(), clone(), a Response or Request made from it); its consumers still need bytes", `
    const out = {};
    const post = (body) => new Request("http://a/", { method: "POST", body });
    for (const [kind, make] of Object.entries(CHUNKS)) {
      const res = new Response(stream(make));
      out[kind + " response"] = [await drain(res.body), res.bodyUsed, res.body.locked];
      out[kind + " request"] = await drain(post(stream(make)).body);
      const iterated = [];
      try { for await (const c of new Response(stream(make)).body) iterated.push(show(c)); } catch (e) { iterated.push(err(e)); }
      out[kind + " for await"] = iterated;
      const teed = new Response(stream(make));
      const [a, b] = teed.body.tee();
      out[kind + " tee"] = [teed.bodyUsed, await drain(a), await drain(b)];
      const original = new Response(stream(make));
      const copy = original.clone();
      out[kind + " clone"] = [await drain(original.body), await drain(copy.body)];
      const consumed = new Response(stream(make));
      const consumedCopy = consumed.clone();
      out[kind + " clone consumed"] = [await outcome(() => consumed.text()), await outcome(async () => hex(new Uint8Array(await consumedCopy.arrayBuffer()))), consumed.bodyUsed];
      out[kind + " response of its body"] = await drain(new Response(new Response(stream(make)).body).body);
      out[kind + " request of a request"] = await drain(new Request(post(stream(make))).body);
      out[kind + " request clone"] = await drain(post(stream(make)).clone().body);
    }
    const given = stream(CHUNKS.uint16);
    const made = new Response(given);
    const givenRequest = stream(CHUNKS.uint16);
    const madeRequest = post(givenRequest);
    out.identity = [made.body === given, made.body === made.body, given.locked, madeRequest.body === givenRequest, givenRequest.locked];
    const readDirectly = given.getReader();
    out.readThroughGiven = [made.body.locked, made.bodyUsed, show((await readDirectly.read()).value), made.bodyUsed];
    readDirectly.releaseLock();
    out.readThroughGivenText = await outcome(() => made.text());
    out.readThroughGivenClone = await outcome(() => made.clone());
    const cloned = new Response(stream(CHUNKS.uint16));
    const clonedGiven = cloned.body;
    cloned.clone();
    out.clonedIdentity = [cloned.body === clonedGiven, clonedGiven.locked, cloned.bodyUsed];
    const locked = new Response(stream(CHUNKS.uint16));
    locked.body.getReader();
    out.lockedText = [await outcome(() => locked.text()), locked.bodyUsed];
    const partly = new Response(new ReadableStream({ start(c) { c.enqueue(new Uint16Array([0x4241])); c.enqueue(new DataView(new Uint8Array([67]).buffer)); c.close(); } }));
    const reader = partly.body.getReader();
    out.partlyRead = [show((await reader.read()).value), partly.bodyUsed];
    reader.releaseLock();
    out.partlyReadText = await outcome(() => partly.text());
    return out;`),
  P("body reader chunks: a body made from a stream reads as bytes once it crosses (sent with stub.fetch() in the init, as a Request or its clone; a handler's Response, returned at once or after an await; an RPC argument)", `
    const stub = this.env.DO.getByName("b");
    const out = {};
    const post = (body) => new Request("http://a/echo", { method: "POST", body });
    for (const [kind, make] of Object.entries(CHUNKS)) {
      out[kind + " sent"] = await outcome(async () => (await stub.fetch("http://a/echo", { method: "POST", body: stream(make) })).json());
      out[kind + " sent as request"] = await outcome(async () => (await stub.fetch(post(stream(make)))).json());
      out[kind + " sent as clone"] = await outcome(async () => (await stub.fetch(post(stream(make)).clone())).json());
      out[kind + " returned"] = await outcome(async () => drain((await stub.fetch("http://a/" + kind)).body));
      out[kind + " returned late"] = await outcome(async () => drain((await stub.fetch("http://a/late-" + kind)).body));
      out[kind + " rpc request"] = await outcome(() => stub.take(post(stream(make))));
      out[kind + " rpc response"] = await outcome(() => stub.take(new Response(stream(make))));
    }
    return out;`),
];
